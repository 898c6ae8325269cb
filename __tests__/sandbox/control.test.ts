import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand } from '@aws-sdk/client-ecs'
import { spawn } from 'node:child_process'
import {
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ModifyRuleCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import type { World } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let aws: ReturnType<typeof clients>

beforeAll(async () => {
  sandbox = await startSandbox()
  aws = clients(sandbox, 1)
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, json: (await res.json()) as unknown }
}

const weightsOf = async () => {
  const out = await aws.elb.send(
    new DescribeRulesCommand({ RuleArns: [sandbox.world.rules[0].arn] })
  )
  return out.Rules![0].Actions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight)
}

describe('control API', () => {
  it('GET state, log, worlds and faults', async () => {
    await aws.ecs.send(
      new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] })
    )
    const state = (await call('GET', 'state')).json as World
    expect(state.services[0].name).toBe('myservice')
    const log = (await call('GET', 'log')).json as { operation: string }[]
    expect(log.map((e) => e.operation)).toEqual(['DescribeServices'])
    expect((await call('GET', 'worlds')).json).toContain('slow-canary')
    expect((await call('GET', 'faults')).json).toMatchObject({ latencyMs: 0, faults: [] })
  })

  it('POST faults arms counted faults, latency and write failures', async () => {
    const res = await call('POST', 'faults', [
      { kind: 'throttle', operation: 'ModifyRule', count: 1 },
      { kind: 'latency', ms: 5 },
      { kind: 'fail-write', nth: 3, as: 'deny' }
    ])
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      latencyMs: 5,
      faults: [{ kind: 'throttle', operation: 'ModifyRule', remaining: 1 }],
      failWrite: { kind: 'deny', nth: 3 }
    })
    const err = await rejection(
      aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    )
    expect(err.name).toBe('Throttling')
    expect((await call('POST', 'faults', { kind: 'clear' })).json).toMatchObject({ faults: [] })
    expect((await call('POST', 'faults', { kind: 'nope', operation: 'x' })).status).toBe(400)
  })

  it('POST faults after-write applies a mutation after the write', async () => {
    await call('POST', 'faults', {
      kind: 'after-write',
      operation: 'ModifyRule',
      mutation: { type: 'set-rule-weights', weights: { 'blue-tg': 7, 'green-tg': 3 } }
    })
    await aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    expect(await weightsOf()).toEqual([7, 3])
  })

  it('POST faults fail-writes and after-write by count', async () => {
    const armed = await call('POST', 'faults', [
      { kind: 'fail-writes', from: 2 },
      {
        kind: 'after-write',
        nth: 1,
        mutation: { type: 'set-rule-weights', weights: { 'blue-tg': 7, 'green-tg': 3 } }
      }
    ])
    expect(armed.json).toMatchObject({
      failWrites: { kind: 'unavailable', from: 2 },
      afterNthWrite: [{ nth: 1 }]
    })
    await aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    expect(await weightsOf()).toEqual([7, 3])
    const err = await rejection(
      aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    )
    expect(err.$metadata?.httpStatusCode).toBe(503)
    for (const bad of [
      { kind: 'fail-writes', from: 0 },
      { kind: 'fail-writes', from: 1, as: 'nope' },
      { kind: 'kill-after-write', nth: 1 }
    ]) {
      expect((await call('POST', 'faults', bad)).status).toBe(400)
    }
  })

  it('POST faults kill-after-write SIGKILLs a process after the nth write', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_, signal) => resolve(signal))
    )
    await call('POST', 'faults', { kind: 'kill-after-write', nth: 2, pid: child.pid })
    await aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    expect(child.exitCode).toBeNull()
    await aws.elb.send(new ModifyRuleCommand({ RuleArn: sandbox.world.rules[0].arn }))
    expect(await exited).toBe('SIGKILL')
  })

  it('POST set-health, set-tag, remove-tag, set-rule-weights', async () => {
    await call('POST', 'set-health', { targetGroup: 'green-tg', health: 'unhealthy' })
    const health = await aws.elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: sandbox.world.targetGroups[1].arn })
    )
    expect(health.TargetHealthDescriptions![0].TargetHealth!.State).toBe('unhealthy')

    await call('POST', 'set-tag', { key: 'StableStack', value: 'Green' })
    expect(sandbox.world.services[0].tags).toEqual([{ key: 'StableStack', value: 'Green' }])
    await call('POST', 'remove-tag', { key: 'StableStack' })
    expect(sandbox.world.services[0].tags).toEqual([])

    await call('POST', 'set-rule-weights', { weights: { 'green-tg': 25 } })
    expect(await weightsOf()).toEqual([100, 25])
    expect((await call('POST', 'set-health', { targetGroup: 'x', health: 'healthy' })).status).toBe(
      400
    )
  })

  it('POST reset restores the world, or loads a named variant', async () => {
    await call('POST', 'set-tag', { key: 'StableStack', value: 'Green' })
    await call('POST', 'reset')
    expect(sandbox.world.services[0].tags[0].value).toBe('Blue')
    await call('POST', 'reset', { world: 'wrong-tag-value' })
    expect(sandbox.world.services[0].tags[0].value).toBe('blue')
    expect((await call('POST', 'reset', { world: 'no-such-world' })).status).toBe(400)
    expect((await call('GET', 'nothing')).status).toBe(404)
  })
})

describe('unknown operations and services', () => {
  it('answers the AWS shapes for unknown operations', async () => {
    const ecr = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
        'content-type': 'application/x-amz-json-1.1'
      },
      body: '{}'
    })
    expect(ecr.status).toBe(400)
    expect(ecr.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')

    const elb = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x'
      },
      body: 'Action=toString&Version=2015-12-01'
    })
    expect(elb.status).toBe(400)
    expect(await elb.text()).toContain('<Code>InvalidAction</Code>')
    expect(sandbox.log.map((e) => [e.service, e.operation, e.status])).toEqual([
      ['ecr', 'GetAuthorizationToken', 400],
      ['elbv2', 'toString', 400]
    ])
  })

  it('routes an unsigned query request by its action (curl)', async () => {
    const res = await fetch(sandbox.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=myservice-canary'
    })
    const xml = await res.text()
    expect(xml).toContain(
      '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">'
    )
    expect(xml).toContain('<OutputKey>ListenerRule</OutputKey>')
  })
})
