/**
 * Lifecycle hooks: the ECS hook contract (src/gates/hook-contract.ts) and the hook gate with a
 * fake Lambda and a fake clock (src/gates/hooks.ts); which gates a canary gets (src/compose.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import fc from 'fast-check'
import { ANALYSIS_DEFAULTS } from '../src/analysis-input.js'
import type { AwsClients } from '../src/aws/clients.js'
import type { Clock } from '../src/clock.js'
import { chooseCheckGates } from '../src/compose.js'
import type { ColorResources } from '../src/discover/resources.js'
import { AccessDeniedError, AwsCallError } from '../src/errors.js'
import type { GateContext } from '../src/gates/gate.js'
import { parseHookAnswer } from '../src/gates/hook-contract.js'
import { HookGate, lambdaInvoker, type HookRun, type InvokeFunction } from '../src/gates/hooks.js'
import type { ActionInputs } from '../src/inputs.js'
import { MemoryLogger } from '../src/logger.js'
import type { TrafficRouter } from '../src/routers/router.js'
import type { Workload } from '../src/workloads/workload.js'

describe('parseHookAnswer', () => {
  it.each([
    ['{"hookStatus":"SUCCEEDED"}', { status: 'SUCCEEDED' }],
    [
      '{"hookStatus":"FAILED","hookDetails":{"why":"x"}}',
      { status: 'FAILED', details: { why: 'x' } }
    ],
    [
      '{"hookStatus":"IN_PROGRESS","callBackDelay":2.5}',
      { status: 'IN_PROGRESS', callBackDelayMs: 2500 }
    ],
    ['{"hookStatus":"IN_PROGRESS"}', { status: 'IN_PROGRESS' }],
    ['"SUCCEEDED"', { invalid: '"\\"SUCCEEDED\\""' }],
    ['{"hookStatus":"succeeded"}', { invalid: '"{\\"hookStatus\\":\\"succeeded\\"}"' }],
    ['{"hookStatus":"IN_PROGRESS","callBackDelay":-1}', { invalid: expect.any(String) }],
    ['{"hookStatus":"IN_PROGRESS","callBackDelay":"5"}', { invalid: expect.any(String) }],
    ['null', { invalid: '"null"' }],
    ['[1]', { invalid: '"[1]"' }],
    ['not json', { invalid: '"not json"' }]
  ])('%s', (payload, expected) => {
    expect(parseHookAnswer(payload)).toEqual(expected)
  })

  it('quotes any answer outside the contract on one line, cut short', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const answer = parseHookAnswer(text)
        if ('invalid' in answer) {
          expect(answer.invalid).not.toMatch(/[\r\n]/)
          expect(answer.invalid.length).toBeLessThanOrEqual(2 * 200 * 6 + 3)
        } else {
          expect(['SUCCEEDED', 'FAILED', 'IN_PROGRESS']).toContain(answer.status)
        }
      })
    )
  })
})

function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000
  const slept: number[] = []
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) }
}

const context = (clock: Clock, over: Partial<GateContext> = {}): GateContext => ({
  color: 'Green',
  step: 0,
  share: 0,
  fresh: true,
  clock,
  log: new MemoryLogger(),
  ...over
})

/** A Lambda that answers `answers` in turn and records each payload. */
function fakeLambda(...answers: (string | Error | { functionError: string; payload: string })[]) {
  const calls: { name: string; payload: Record<string, unknown> }[] = []
  const invoke: InvokeFunction = async (name, payload) => {
    calls.push({ name, payload: JSON.parse(payload) as Record<string, unknown> })
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]
    if (answer instanceof Error) throw answer
    return typeof answer === 'string' ? { payload: answer } : answer
  }
  return { invoke, calls }
}

const run = (over: Partial<HookRun> = {}): HookRun => ({
  point: 'before-traffic',
  functionName: 'check',
  timeoutMs: 60_000,
  base: { service: 'myservice', cluster: 'mycluster' },
  taskDefinitions: { Blue: 'td:1', Green: 'td:2' },
  ...over
})

describe('HookGate', () => {
  it('runs before the first shift only, and keeps its verdict for later looks', async () => {
    const lambda = fakeLambda('{"hookStatus":"SUCCEEDED"}')
    const gate = new HookGate(lambda.invoke, run())
    const clock = fakeClock()
    expect(await gate.during()).toEqual({ label: 'hook before-traffic', text: 'not yet' })
    expect((await gate.before(context(clock))).text).toBe('SUCCEEDED')
    expect((await gate.before(context(clock, { step: 1, share: 100 }))).text).toBe('SUCCEEDED')
    expect((await gate.settle(context(clock))).text).toBe('SUCCEEDED')
    expect(lambda.calls).toHaveLength(1)
    expect(lambda.calls[0]).toEqual({
      name: 'check',
      payload: {
        hook: 'before-traffic',
        service: 'myservice',
        cluster: 'mycluster',
        canaryColor: 'Green',
        stableColor: 'Blue',
        taskDefinitions: { Blue: 'td:1', Green: 'td:2' },
        canaryShare: 0,
        step: 1,
        invocation: 1
      }
    })
  })

  it('after-traffic runs when each step settles, with the share it holds', async () => {
    const lambda = fakeLambda('{"hookStatus":"SUCCEEDED"}')
    const gate = new HookGate(lambda.invoke, run({ point: 'after-traffic' }))
    const clock = fakeClock()
    expect((await gate.before(context(clock))).text).toBe('not yet')
    await gate.settle(context(clock, { share: 100 }))
    await gate.settle(context(clock, { step: 1, share: 250 }))
    expect(lambda.calls.map((c) => [c.payload.step, c.payload.canaryShare])).toEqual([
      [1, 10],
      [2, 25]
    ])
  })

  it('waits callBackDelay (30 s when unnamed) between calls, handing hookDetails back', async () => {
    const lambda = fakeLambda(
      '{"hookStatus":"IN_PROGRESS","callBackDelay":5,"hookDetails":{"n":1}}',
      '{"hookStatus":"IN_PROGRESS"}',
      '{"hookStatus":"SUCCEEDED"}'
    )
    const clock = fakeClock()
    const reading = await new HookGate(lambda.invoke, run()).before(context(clock))
    expect(reading.failure).toBeUndefined()
    expect(reading.details).toEqual([
      'check (before-traffic): SUCCEEDED after 3 invocation(s), 35 s'
    ])
    expect(clock.slept).toEqual([5000, 30_000])
    expect(lambda.calls[1].payload.hookDetails).toEqual({ n: 1 })
    expect(lambda.calls[2].payload.invocation).toBe(3)
  })

  it.each([
    ['{"hookStatus":"FAILED"}', 'Hook before-traffic: Lambda function check answered FAILED'],
    [
      '{"ok":true}',
      'Hook before-traffic: Lambda function check answered "{\\"ok\\":true}", which is not {"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}'
    ],
    [
      { functionError: 'Unhandled', payload: '{"errorType":"Error"}' },
      'Hook before-traffic: Lambda function check raised an error (Unhandled): "{\\"errorType\\":\\"Error\\"}"'
    ],
    [
      new AwsCallError('lambda:InvokeFunction', 'ResourceNotFoundException', 'Function not found'),
      'Hook before-traffic: Lambda function check could not be invoked: Lambda has no such function in this account and region. Check "hook-before-traffic".'
    ],
    [
      new AccessDeniedError('lambda:InvokeFunction', 'no'),
      'Hook before-traffic: Lambda function check could not be invoked: Access denied: the role this job runs as is not allowed to call lambda:InvokeFunction.'
    ]
  ])('fails on %j', async (answer, message) => {
    const reading = await new HookGate(fakeLambda(answer).invoke, run()).before(
      context(fakeClock())
    )
    expect(reading.text).toBe('FAILED')
    expect(reading.failure?.startsWith(message)).toBe(true)
  })

  it('fails a hook still IN_PROGRESS when its next call would be past hook-timeout', async () => {
    const lambda = fakeLambda('{"hookStatus":"IN_PROGRESS","callBackDelay":10}')
    const clock = fakeClock()
    const reading = await new HookGate(lambda.invoke, run({ timeoutMs: 35_000 })).before(
      context(clock)
    )
    expect(lambda.calls).toHaveLength(4)
    expect(clock.slept).toEqual([10_000, 10_000, 10_000])
    expect(reading.failure).toBe(
      'Hook before-traffic: Lambda function check was still IN_PROGRESS when hook-timeout (35 s) would pass before its next call'
    )
  })
})

describe('chooseCheckGates', () => {
  const router = {
    id: 'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/alb/1/2/3'
  } as TrafficRouter
  const workload = {
    discovered: {
      Blue: { unit: { taskDefinitionArn: 'td:1' } },
      Green: { unit: { taskDefinitionArn: 'td:2' } }
    }
  } as unknown as Workload
  const where = {
    targetGroups: {
      Blue: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/b/1',
      Green: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/2'
    }
  } as ColorResources
  const clients = {} as AwsClients
  const inputs = (over: Partial<ActionInputs>) =>
    ({ mode: 'canary', region: 'us-east-1', service: 's', cluster: 'c', ...over }) as ActionInputs
  const labels = (over: Partial<ActionInputs>) =>
    chooseCheckGates(inputs(over), clients, {
      router,
      workload,
      where,
      invoke: fakeLambda('{}').invoke
    }).map((g) => g.label)

  it('asks before-traffic checks first, then analysis, then the after-traffic hook', () => {
    expect(
      labels({
        analysis: ANALYSIS_DEFAULTS,
        hooks: { afterTestTraffic: 'a', beforeTraffic: 'b', afterTraffic: 'c', timeoutMs: 1000 }
      })
    ).toEqual(['hook after-test-traffic', 'hook before-traffic', 'analysis', 'hook after-traffic'])
    expect(labels({ analysis: ANALYSIS_DEFAULTS })).toEqual(['analysis'])
    expect(labels({})).toEqual([])
    expect(labels({ mode: 'promote', analysis: ANALYSIS_DEFAULTS })).toEqual([])
  })
})

/** A payload as the SDK hands it back (its Uint8Array adapter type is the SDK's own). */
const bytes = (text: string) => new TextEncoder().encode(text) as never

describe('lambdaInvoker', () => {
  it('invokes synchronously with the payload as bytes, and decodes the answer', async () => {
    const lambda = mockClient(LambdaClient)
    lambda
      .on(InvokeCommand)
      .resolvesOnce({
        StatusCode: 200,
        Payload: bytes('{"hookStatus":"SUCCEEDED"}')
      })
      .resolvesOnce({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: bytes('{"errorType":"E"}')
      })
    const invoke = lambdaInvoker('us-east-1')
    expect(await invoke('check', '{"a":1}')).toEqual({ payload: '{"hookStatus":"SUCCEEDED"}' })
    expect(await invoke('check', '{}')).toEqual({
      payload: '{"errorType":"E"}',
      functionError: 'Unhandled'
    })
    const input = lambda.commandCalls(InvokeCommand)[0].args[0].input
    expect(input.FunctionName).toBe('check')
    expect(input.InvocationType).toBe('RequestResponse')
    expect(new TextDecoder().decode(input.Payload as Uint8Array)).toBe('{"a":1}')
    lambda.restore()
  })

  it('names lambda:InvokeFunction when the role may not invoke', async () => {
    const lambda = mockClient(LambdaClient)
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }))
    const error = await lambdaInvoker('us-east-1')('check', '{}').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AccessDeniedError)
    expect((error as Error).message).toContain('lambda:InvokeFunction')
    lambda.restore()
  })
})
