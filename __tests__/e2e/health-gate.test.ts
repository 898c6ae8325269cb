/**
 * The health gate, with real waiting: the action probes every POLL_INTERVAL_MS (5 s) up to
 * health-timeout-seconds, and sleeps at most the time left. With a 1 s timeout an unhealthy canary
 * fails after one probe (~1 s); with a 3 s timeout the slow canary (steady 2 s after the world is
 * built) is seen healthy on the single probe at ~3 s.
 */
import { describe, expect, it } from '@jest/globals'
import { POLL_INTERVAL_MS } from '../../src/gates/health.js'
import {
  count,
  expectCleanFailure,
  operations,
  ruleWeights,
  setRuleWeights,
  stableTag,
  step,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

describe('unhealthy-canary', () => {
  it('blocks canary: exit 1, not healthy, nothing written', async () => {
    sandbox.reset('unhealthy-canary')
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'health-timeout-seconds': '1'
    })
    const message = expectCleanFailure(run)
    expect(message).toContain('The canary colour Green was not healthy after 1 s')
    expect(message).toContain('Target.ResponseCodeMismatch')
    expect(message).toContain('No traffic was moved')
    // It did wait and look again before giving up, but not a whole poll interval.
    expect(run.stdout).toContain('Waiting: ')
    expect(count(run, 'DescribeServices')).toBe(2)
    expect(run.durationMs).toBeLessThan(POLL_INTERVAL_MS)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })

  it('fails promote like any other gate: the canary that has traffic goes back, the tag stays', async () => {
    sandbox.reset('unhealthy-canary')
    setRuleWeights(sandbox, 90, 10)
    const run = await step(sandbox, { mode: 'promote', 'health-timeout-seconds': '1' })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('The canary colour Green was not healthy after 1 s')
    expect(run.errors[0]).toMatch(/Rolled back: all traffic is on Blue again\.$/)
    expect(operations(run.writes)).toEqual(['ModifyRule'])
    expect(run.outputs['rolled-back']).toBe('true')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
  })

  it('does not block rollback, which never waits', async () => {
    sandbox.reset('unhealthy-canary')
    setRuleWeights(sandbox, 50, 50)
    // The default health timeout (600 s): rollback must not even start the gate.
    const run = await step(sandbox, { mode: 'rollback' })
    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs.changed).toBe('true')
    expect(JSON.parse(run.outputs.weights)).toEqual({ Blue: 100, Green: 0 })
    expect(operations(run.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(run.stdout).not.toContain('Wait for')
    expect(count(run, 'DescribeServices')).toBe(1)
    expect(run.durationMs).toBeLessThan(POLL_INTERVAL_MS)
  })
})

describe('slow-canary', () => {
  it('canary waits for Green to settle, then shifts within the timeout', async () => {
    sandbox.reset('slow-canary')
    const builtAt = Date.now()
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'health-timeout-seconds': '3'
    })
    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.stdout).toContain('Waiting: ')
    expect(run.stdout).toContain('Green is healthy (2 check(s)')
    expect(JSON.parse(run.outputs.weights)).toEqual({ Blue: 90, Green: 10 })
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })

    // The write came after the second look at the service, and after Green settled (2 s).
    const ops = operations(run.requests)
    const modify = run.requests.find((r) => r.operation === 'ModifyRule')!
    expect(ops.filter((op) => op === 'DescribeServices')).toHaveLength(2)
    expect(ops.lastIndexOf('DescribeServices')).toBeLessThan(ops.indexOf('ModifyRule'))
    expect(modify.start - builtAt).toBeGreaterThanOrEqual(2000)
    expect(run.durationMs).toBeLessThan(POLL_INTERVAL_MS)
  })
})
