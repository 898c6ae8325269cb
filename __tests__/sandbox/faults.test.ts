import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  AccessDeniedException,
  DescribeServicesCommand,
  ECSServiceException,
  RunTaskCommand,
  UpdateTaskSetCommand
} from '@aws-sdk/client-ecs'
import {
  DescribeRulesCommand,
  ElasticLoadBalancingV2ServiceException,
  ModifyRuleCommand,
  type Action
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { isWrite } from '../../sandbox/faults.js'
import { applyMutation } from '../../sandbox/mutations.js'
import { ROLLING_SECURITY_GROUP, ROLLING_SUBNETS } from '../../sandbox/rolling-world.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { GREEN_TASK_SET_ID } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let once: ReturnType<typeof clients>
let retrying: ReturnType<typeof clients>

beforeAll(async () => {
  sandbox = await startSandbox({ steadyDelayMs: 10 })
  once = clients(sandbox, 1)
  retrying = clients(sandbox) // the SDK default: standard retries, maxAttempts 3
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const weights = (blue: number, green: number): Action[] => [
  {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: sandbox.world.targetGroups[0].arn, Weight: blue },
        { TargetGroupArn: sandbox.world.targetGroups[1].arn, Weight: green }
      ]
    }
  }
]
const modifyRule = (c: ReturnType<typeof clients>, blue: number, green: number) =>
  c.elb.send(
    new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn, Actions: weights(blue, green) })
  )
const describeService = (c: ReturnType<typeof clients>) =>
  c.ecs.send(new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] }))
const entries = (operation: string) => sandbox.log.filter((e) => e.operation === operation)

describe('throttling', () => {
  it('two throttled ModifyRule calls are survived by the default retries', async () => {
    sandbox.faults.throttle('ModifyRule', 2)
    await modifyRule(retrying, 90, 10)
    expect(entries('ModifyRule').map((e) => [e.status, e.faulted])).toEqual([
      [400, 'throttle'],
      [400, 'throttle'],
      [200, undefined]
    ])
    expect(sandbox.world.rules[0].actions[0].ForwardConfig!.TargetGroups![1].Weight).toBe(10)
  })

  it('three throttles surface as Throttling with maxAttempts 1, one per call', async () => {
    sandbox.faults.throttle('elbv2:ModifyRule', 3)
    for (let i = 0; i < 3; i++) {
      const err = await rejection(modifyRule(once, 90, 10))
      expect(err).toBeInstanceOf(ElasticLoadBalancingV2ServiceException)
      expect(err.name).toBe('Throttling')
    }
    await modifyRule(once, 90, 10)
    expect(sandbox.faults.pending().faults).toEqual([])
  })

  it('ECS answers ThrottlingException; one is survived by retries', async () => {
    sandbox.faults.throttle('DescribeServices', 2)
    const err = await rejection(describeService(once))
    expect(err).toBeInstanceOf(ECSServiceException)
    expect(err.name).toBe('ThrottlingException')
    await describeService(retrying)
    expect(entries('DescribeServices').map((e) => e.status)).toEqual([400, 400, 200])
  })
})

describe('server errors, resets, denials', () => {
  it('HTTP 500 surfaces with maxAttempts 1 and is retried otherwise', async () => {
    sandbox.faults.serverError('DescribeRules', 2)
    const describe = (c: ReturnType<typeof clients>) =>
      c.elb.send(new DescribeRulesCommand({ RuleArns: [sandbox.world.rules[0].arn] }))
    const err = await rejection(describe(once))
    expect(err.$metadata?.httpStatusCode).toBe(500)
    expect(err.name).toBe('InternalFailure')
    await describe(retrying)
    expect(entries('DescribeRules').map((e) => e.status)).toEqual([500, 500, 200])
  })

  it('a reset connection surfaces as ECONNRESET with maxAttempts 1 and is retried otherwise', async () => {
    sandbox.faults.resetConnection('DescribeServices', 2)
    const err = await rejection(describeService(once))
    // Node reports `socket hang up` with code ECONNRESET. Under Jest's VM realm the SDK does not
    // recognise Node's Error as an Error and wraps it, keeping only the text, hence both forms.
    const { code, message } = err as Error & { code?: string }
    expect(`${code} ${message}`).toMatch(/ECONNRESET|socket hang up/)
    await describeService(retrying)
    expect(entries('DescribeServices').map((e) => [e.status, e.faulted])).toEqual([
      [0, 'reset'],
      [0, 'reset'],
      [200, undefined]
    ])
  })

  it('deny answers AccessDeniedException (ECS) and AccessDenied (query)', async () => {
    sandbox.faults.denyAccess('*', 2)
    expect(await rejection(describeService(retrying))).toBeInstanceOf(AccessDeniedException)
    const err = await rejection(modifyRule(retrying, 0, 100))
    expect(err.name).toBe('AccessDenied')
  })
})

describe('latency', () => {
  it('is added to every request and visible in the log', async () => {
    sandbox.faults.latencyMs = 60
    await describeService(once)
    const [entry] = entries('DescribeServices')
    expect(entry.end - entry.start).toBeGreaterThanOrEqual(59)
  })

  it('can be set at start', async () => {
    const slow = await startSandbox({ latencyMs: 40 })
    try {
      const started = Date.now()
      await describeService(clients(slow, 1))
      expect(Date.now() - started).toBeGreaterThanOrEqual(39)
    } finally {
      await slow.stop()
    }
  })
})

describe('writes', () => {
  it('fails the Nth write only; reads do not count', async () => {
    sandbox.faults.failNthWrite(2, 'http500')
    await describeService(once)
    await once.ecs.send(
      new UpdateTaskSetCommand({
        cluster: 'mycluster',
        service: 'myservice',
        taskSet: GREEN_TASK_SET_ID,
        scale: { value: 50, unit: 'PERCENT' }
      })
    )
    const err = await rejection(modifyRule(once, 90, 10))
    expect(err.$metadata?.httpStatusCode).toBe(500)
    await modifyRule(once, 90, 10)
    expect(sandbox.log.map((e) => [e.operation, e.faulted])).toEqual([
      ['DescribeServices', undefined],
      ['UpdateTaskSet', undefined],
      ['ModifyRule', 'http500'],
      ['ModifyRule', undefined]
    ])
  })

  it('an after-write hook lands between the write and the read-back', async () => {
    sandbox.faults.afterWrite('ModifyRule', ({ world }) =>
      applyMutation(world, { type: 'set-rule-weights', weights: { 'blue-tg': 50, 'green-tg': 50 } })
    )
    const written = await modifyRule(once, 90, 10)
    expect(written.Rules![0].Actions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight)).toEqual(
      [90, 10]
    )
    const read = await once.elb.send(
      new DescribeRulesCommand({ RuleArns: [sandbox.world.rules[0].arn] })
    )
    expect(read.Rules![0].Actions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight)).toEqual([
      50, 50
    ])
    // It ran once: the next write is not disturbed.
    await modifyRule(once, 80, 20)
    expect(sandbox.world.rules[0].actions[0].ForwardConfig!.TargetGroups![1].Weight).toBe(20)
  })
})

describe('what a write is', () => {
  it.each([
    ['ModifyRule', true],
    ['UpdateService', true],
    ['RegisterTargets', true],
    ['DeregisterTargets', true],
    ['RunTask', true],
    ['StopTask', true],
    ['TagResource', true],
    ['DescribeTasks', false],
    ['ListTasks', false],
    ['DescribeTargetHealth', false],
    ['DescribeServices', false]
  ])('%s: %s', (operation, write) => {
    expect(isWrite(operation)).toBe(write)
  })

  it('a write fault and an after-write hook reach RunTask', async () => {
    sandbox.reset('rolling')
    const runTask = () =>
      once.ecs.send(
        new RunTaskCommand({
          cluster: 'mycluster',
          taskDefinition: 'webapp:1',
          launchType: 'FARGATE',
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: ROLLING_SUBNETS,
              securityGroups: [ROLLING_SECURITY_GROUP]
            }
          }
        })
      )
    const hooked: string[] = []
    sandbox.faults.failNthWrite(1, 'http500')
    sandbox.faults.afterWrite('RunTask', ({ operation }) => {
      hooked.push(operation)
    })
    expect((await rejection(runTask())).$metadata?.httpStatusCode).toBe(500)
    expect(hooked).toEqual([])
    const started = await runTask()
    expect(started.tasks).toHaveLength(1)
    expect(hooked).toEqual(['RunTask'])
  })
})

describe('outage and the nth successful write', () => {
  const statuses = () => sandbox.log.map((e) => [e.operation, e.status])

  it('fails every write from the nth on with 503, retries included, until cleared', async () => {
    sandbox.faults.failWritesFrom(2)
    await modifyRule(once, 90, 10)
    await describeService(once)
    const err = await rejection(modifyRule(retrying, 80, 20))
    expect(err.$metadata?.httpStatusCode).toBe(503)
    expect(err.name).toBe('ServiceUnavailable')
    // The SDK retried the transient 503 up to maxAttempts (3), and every attempt failed.
    expect(statuses()).toEqual([
      ['ModifyRule', 200],
      ['DescribeServices', 200],
      ['ModifyRule', 503],
      ['ModifyRule', 503],
      ['ModifyRule', 503]
    ])
    expect(sandbox.faults.pending().failWrites).toEqual({ kind: 'unavailable', from: 1 })
    sandbox.faults.clear()
    await modifyRule(once, 70, 30)
    expect(sandbox.world.rules[0].actions[0].ForwardConfig!.TargetGroups![1].Weight).toBe(30)
  })

  it('ECS answers the outage as ServiceUnavailableException; deny is not retried', async () => {
    sandbox.faults.failWritesFrom(1, 'deny')
    const update = () =>
      retrying.ecs.send(
        new UpdateTaskSetCommand({
          cluster: 'mycluster',
          service: 'myservice',
          taskSet: GREEN_TASK_SET_ID,
          scale: { value: 50, unit: 'PERCENT' }
        })
      )
    expect(await rejection(update())).toBeInstanceOf(AccessDeniedException)
    expect(statuses()).toEqual([['UpdateTaskSet', 400]])
    sandbox.faults.failWritesFrom(1)
    expect((await rejection(update())).name).toBe('ServiceUnavailableException')
  })

  it('runs a hook after the nth successful write; reads and failed writes do not count', async () => {
    const seen: string[] = []
    sandbox.faults.failNthWrite(2)
    sandbox.faults.afterNthWrite(2, ({ operation, world }) => {
      seen.push(operation)
      applyMutation(world, { type: 'set-tag', key: 'Hooked', value: 'yes' })
    })
    await modifyRule(once, 90, 10)
    await describeService(once)
    await rejection(modifyRule(once, 80, 20))
    expect(seen).toEqual([])
    const written = await modifyRule(once, 80, 20)
    // Applied, then the hook, then the answer: it carries the write, the world the hook's change.
    expect(written.Rules![0].Actions![0].ForwardConfig!.TargetGroups![1].Weight).toBe(20)
    expect(seen).toEqual(['ModifyRule'])
    expect(sandbox.world.services[0].tags).toContainEqual({ key: 'Hooked', value: 'yes' })
    expect(sandbox.faults.pending().afterNthWrite).toEqual([])
    await modifyRule(once, 70, 30)
    expect(seen).toEqual(['ModifyRule'])
  })
})

describe('request log', () => {
  it('records service, operation, high-resolution times and status for each request', async () => {
    await describeService(once)
    await rejection(modifyRule(once, 1000, 0))
    expect(
      sandbox.log.map(({ service, operation, status }) => ({ service, operation, status }))
    ).toEqual([
      { service: 'ecs', operation: 'DescribeServices', status: 200 },
      { service: 'elbv2', operation: 'ModifyRule', status: 400 }
    ])
    const [first, second] = sandbox.log
    expect(first.end).toBeGreaterThanOrEqual(first.start)
    expect(second.start).toBeGreaterThanOrEqual(first.end)
    expect(Math.abs(first.start - Date.now())).toBeLessThan(5000)
  })

  it('records the access key id each request was signed with', async () => {
    await describeService(once)
    expect(sandbox.log.map((e) => e.caller)).toEqual(['test'])
  })
})
