/**
 * Lifecycle hooks end to end: the bundled action invokes Lambda functions defined in the sandbox
 * world through the sandbox's Invoke endpoint (restJson1) and follows the ECS hook contract. Each
 * outcome is covered: succeeded, failed, in progress then succeeded, timeout, an answer outside the
 * contract, a function that does not exist, and one the role may not invoke.
 */
import { describe, expect, it } from '@jest/globals'
import { lambdaFunction } from '../../sandbox/services/lambda.js'
import type { LambdaFunctionState } from '../../sandbox/world.js'
import { count, otherRules, ruleWeights, serviceTags, step, useSandbox } from './harness.js'

const sandbox = useSandbox()

const SUCCEEDED = { hookStatus: 'SUCCEEDED' }
const FAILED = { hookStatus: 'FAILED' }
const IN_PROGRESS = { hookStatus: 'IN_PROGRESS', callBackDelay: 1 }

/** Defines a hook function in the sandbox world that answers `responses` in turn. */
function hook(name: string, ...responses: unknown[]): LambdaFunctionState {
  const fn = lambdaFunction(sandbox.world, name, responses)
  sandbox.world.functions = [...(sandbox.world.functions ?? []), fn]
  return fn
}

const BLUE_ONLY = { Blue: 100, Green: 0 }

describe('lifecycle hooks', () => {
  it('invokes each hook at its point with the payload, and goes on when they succeed', async () => {
    const afterTest = hook('after-test', SUCCEEDED)
    const before = hook('before', SUCCEEDED)
    const after = hook('after', SUCCEEDED)
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,20',
      'test-header': 'X-Canary: true',
      'hook-after-test-traffic': 'after-test',
      'hook-before-traffic': before.arn,
      'hook-after-traffic': 'after:live'
    })
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 80, Green: 20 })
    expect(afterTest.invocations).toHaveLength(1)
    expect(before.invocations).toHaveLength(1)
    // After each production shift.
    expect(after.invocations).toHaveLength(2)
    expect(afterTest.invocations[0]).toEqual({
      hook: 'after-test-traffic',
      service: 'myservice',
      cluster: 'mycluster',
      canaryColor: 'Green',
      stableColor: 'Blue',
      taskDefinitions: {
        Blue: expect.stringContaining('task-definition/myapp:1'),
        Green: expect.stringContaining('task-definition/myapp:2')
      },
      canaryShare: 0,
      step: 1,
      invocation: 1,
      runUrl: expect.stringMatching(/\/actions\/runs\/\d+$/)
    })
    expect(after.invocations.map((p) => (p as { canaryShare: number }).canaryShare)).toEqual([
      10, 20
    ])
    // The after-test-traffic hook ran once the test rule was there, before the first shift.
    const order = run.requests
      .map((r) => r.operation)
      .filter((op) => ['CreateRule', 'Invoke', 'ModifyRule'].includes(op))
    expect(order.slice(0, 4)).toEqual(['CreateRule', 'Invoke', 'Invoke', 'ModifyRule'])
    expect(run.summary).toContain('### Hook after-test-traffic')
    // The summary escapes markdown; read it without the escapes.
    expect(run.summary.replace(/\\/g, '')).toContain(
      '- after-test (after-test-traffic): SUCCEEDED after 1 invocation(s)'
    )
  })

  it('invokes an IN_PROGRESS hook again after its callBackDelay until it succeeds', async () => {
    const before = hook('slow', IN_PROGRESS, { ...IN_PROGRESS, hookDetails: { n: 1 } }, SUCCEEDED)
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'hook-before-traffic': 'slow'
    })
    expect(run.code).toBe(0)
    expect(before.invocations).toHaveLength(3)
    expect(before.invocations.map((p) => (p as { invocation: number }).invocation)).toEqual([
      1, 2, 3
    ])
    // hookDetails are handed back on the next call, as ECS does.
    expect((before.invocations[2] as { hookDetails?: unknown }).hookDetails).toEqual({ n: 1 })
    expect(run.durationMs).toBeGreaterThan(2000)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
  })

  it('a FAILED before-traffic hook removes test traffic before any production traffic moves', async () => {
    hook('no', FAILED)
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'test-header': 'X-Canary: true',
      'hook-before-traffic': 'no'
    })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      'Hook before-traffic: Lambda function no answered FAILED. Traffic is now Blue 100% / Green 0%; the stable colour is Blue.'
    ])
    expect(count(run, 'ModifyRule')).toBe(0)
    expect(run.writes.map((w) => w.operation)).toEqual([
      'CreateRule',
      'TagResource',
      'DeleteRule',
      'UntagResource'
    ])
    expect(otherRules(sandbox.world)).toEqual([])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBeUndefined()
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
  })

  it('a FAILED after-traffic hook rolls the canary back', async () => {
    const after = hook('judge', SUCCEEDED, FAILED)
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,50',
      'hook-after-traffic': 'judge'
    })
    expect(run.code).toBe(1)
    expect(after.invocations).toHaveLength(2)
    expect(run.outputs['rolled-back']).toBe('true')
    expect(run.errors[0]).toBe(
      'Hook after-traffic: Lambda function judge answered FAILED. Rolled back: all traffic is on Blue again.'
    )
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
  })

  it('a hook still IN_PROGRESS at hook-timeout fails, and nothing moves', async () => {
    const slow = hook('forever', IN_PROGRESS)
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'hook-before-traffic': 'forever',
      'hook-timeout': '3s'
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(
      /^Hook before-traffic: Lambda function forever was still IN_PROGRESS when hook-timeout \(3 s\) would pass before its next call\./
    )
    expect(slow.invocations.length).toBeGreaterThanOrEqual(2)
    expect(slow.invocations.length).toBeLessThanOrEqual(4)
    expect(count(run, 'ModifyRule')).toBe(0)
  })

  it.each([
    [
      'an answer outside the contract, quoted',
      () => hook('odd', { status: 'OK' }),
      'odd',
      'Hook before-traffic: Lambda function odd answered "{\\"status\\":\\"OK\\"}", which is not {"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}.'
    ],
    [
      'a function error',
      () => hook('boom', { errorType: 'TypeError', errorMessage: 'x is undefined' }),
      'boom',
      'Hook before-traffic: Lambda function boom raised an error (Unhandled): "{\\"errorType\\":\\"TypeError\\",\\"errorMessage\\":\\"x is undefined\\"}".'
    ],
    [
      'a function that does not exist',
      () => undefined,
      'missing',
      'Hook before-traffic: Lambda function missing could not be invoked: Lambda has no such function in this account and region. Check "hook-before-traffic".'
    ],
    [
      'a function the role may not invoke, naming the IAM action',
      () => Object.assign(hook('private', SUCCEEDED), { denied: true }),
      'private',
      'Hook before-traffic: Lambda function private could not be invoked: Access denied: the role this job runs as is not allowed to call lambda:InvokeFunction.'
    ]
  ])('fails on %s', async (_what, define, name, message) => {
    define()
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'hook-before-traffic': name
    })
    expect(run.code).toBe(1)
    expect(run.errors[0].startsWith(message.slice(0, -1))).toBe(true)
    expect(count(run, 'ModifyRule')).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
  })

  it('a run without hooks never calls Lambda', async () => {
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(run.code).toBe(0)
    expect(count(run, 'Invoke')).toBe(0)
  })

  it('a dry run lists what it would check, and checks nothing', async () => {
    const fn = hook('check', SUCCEEDED)
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'dry-run': 'true',
      'test-header': 'X-Canary: true',
      'smoke-url': '/health',
      analysis: 'true',
      'hook-before-traffic': 'check',
      'hook-after-traffic': 'check'
    })
    expect(run.code).toBe(0)
    expect(run.allWrites).toEqual([])
    expect(fn.invocations).toEqual([])
    // Analysis reads once during discovery, to refuse a denied GetMetricData before any write.
    expect(count(run, 'GetMetricData')).toBe(1)
    expect(count(run, 'DescribeLoadBalancers')).toBe(0)
    const summary = run.summary.replace(/\\/g, '')
    expect(summary).toContain('### What it would check')
    expect(summary).toContain(
      '- Smoke check before the first shift: 20 request(s) to /health through header X-Canary: true, each answering 2xx within 5 s.'
    )
    expect(summary).toContain('- Hook before-traffic: Lambda check, before the first shift')
    expect(summary).toContain('- Canary analysis at every bake poll')
    expect(summary).toContain('- Hook after-traffic: Lambda check, at the end of each step')
  })
})
