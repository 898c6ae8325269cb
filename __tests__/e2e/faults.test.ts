/**
 * AWS misbehaving under the bundled action: throttling storms and 5xx bursts (survived by the
 * clients' maxAttempts 5), a crash between the rule write and the tag write of a promote, a
 * second writer racing the action, and IAM denying the write.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { applyMutation } from '../../sandbox/mutations.js'
import type { RequestLogEntry } from '../../sandbox/server.js'
import { operations, ruleWeights, setRuleWeights, stableTag, step, useSandbox } from './harness.js'

const sandbox = useSandbox()

/** [status, fault] of every attempt of one operation. */
const attempts = (requests: RequestLogEntry[], operation: string) =>
  requests.filter((r) => r.operation === operation).map((r) => [r.status, r.faulted])

describe('SDK retries', () => {
  it('canary survives 3 throttled DescribeServices and 2 HTTP 500s on ModifyRule', async () => {
    sandbox.faults.throttle('ecs:DescribeServices', 3)
    sandbox.faults.serverError('elbv2:ModifyRule', 2)
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.changed).toBe('true')
    expect(JSON.parse(run.outputs.weights)).toEqual({ Blue: 90, Green: 10 })
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(attempts(run.requests, 'DescribeServices')).toEqual([
      [400, 'throttle'],
      [400, 'throttle'],
      [400, 'throttle'],
      [200, undefined]
    ])
    expect(attempts(run.requests, 'ModifyRule')).toEqual([
      [500, 'http500'],
      [500, 'http500'],
      [200, undefined]
    ])
    expect(sandbox.faults.pending().faults).toEqual([])
  })

  it('promote survives a throttled stack read and 2 HTTP 500s on TagResource', async () => {
    setRuleWeights(sandbox, 90, 10)
    sandbox.faults.throttle('cloudformation:DescribeStacks', 2)
    sandbox.faults.serverError('ecs:TagResource', 2)
    const run = await step(sandbox, { mode: 'promote' })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs['stable-color']).toBe('Green')
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(attempts(run.requests, 'DescribeStacks')).toEqual([
      [400, 'throttle'],
      [400, 'throttle'],
      [200, undefined]
    ])
    // The lease is the first TagResource (it takes the two 500s); the stable tag is the second.
    expect(attempts(run.requests, 'TagResource')).toEqual([
      [500, 'http500'],
      [500, 'http500'],
      [200, undefined],
      [200, undefined]
    ])
  })
})

describe('crash after the rule write of a promote', () => {
  it('leaves the rule at canary 100 and the tag on Blue; a rerun only writes the tag', async () => {
    setRuleWeights(sandbox, 75, 25)
    let child: ChildProcess | undefined
    // The rule is written; the runner dies before it sees the answer.
    sandbox.faults.afterWrite(
      'elbv2:ModifyRule',
      () =>
        new Promise<void>((resolve) => {
          child!.once('exit', () => resolve())
          child!.kill('SIGKILL')
        })
    )
    const crashed = await step(sandbox, { mode: 'promote' }, { onSpawn: (c) => (child = c) })

    expect(crashed.signal).toBe('SIGKILL')
    expect(crashed.code).toBeNull()
    expect(operations(crashed.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Blue')

    // "Re-run jobs": the same run, the next attempt, takes over the lease the crash left.
    const rerun = await step(sandbox, { mode: 'promote' }, { env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.code).toBe(0)
    expect(rerun.errors).toEqual([])
    expect(operations(rerun.writes)).toEqual(['TagResource'])
    expect(rerun.outputs).toMatchObject({
      changed: 'true',
      'stable-color': 'Green',
      'previous-stable-color': 'Blue',
      'canary-color': 'Blue',
      'canary-weight': '0'
    })
    expect(JSON.parse(rerun.outputs.weights)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
  })
})

describe('a second writer', () => {
  it('changing the rule while a step holds ends the run without writing more', async () => {
    sandbox.faults.afterWrite('elbv2:ModifyRule', ({ world }) =>
      applyMutation(world, {
        type: 'set-rule-weights',
        weights: { 'blue-tg': 50, 'green-tg': 50 }
      })
    )
    const run = await step(sandbox, { mode: 'canary', steps: '10,50', 'bake-time': '2s' })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('another writer')
    expect(run.errors[0]).toContain('holds Blue 50% / Green 50%, not the Blue 90% / Green 10%')
    // One write; the bake's next look at the route finds the other writer's weights, and the
    // action does not fight it (no second shift, no rollback).
    expect(operations(run.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 50, Green: 50 })
    // The message and the outputs tell what is live, not what was meant.
    expect(run.errors[0]).toMatch(
      /Traffic is now Blue 50% \/ Green 50%; the stable colour is Blue\.$/
    )
    expect(JSON.parse(run.outputs.weights)).toEqual({ Blue: 50, Green: 50 })
    expect(run.outputs.changed).toBe('true')
    expect(run.outputs['rolled-back']).toBe('false')
  })
})

describe('access denied', () => {
  it('on ModifyRule: exit 1, the message names elasticloadbalancing:ModifyRule', async () => {
    sandbox.faults.denyAccess('elbv2:ModifyRule', 1)
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('Access denied')
    expect(run.errors[0]).toContain('elasticloadbalancing:ModifyRule')
    // Denied once, not retried, nothing else written, the rule as it was.
    expect(attempts(run.requests, 'ModifyRule')).toEqual([[400, 'deny']])
    expect(operations(run.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })
})
