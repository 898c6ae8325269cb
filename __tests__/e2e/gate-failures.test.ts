/**
 * Gate failures in a canary walk, and what a run must leave behind when one ends it early:
 *
 * - Test traffic created in the same run: a canary with `test-header` creates a test rule (and the
 *   service tag StableStackTestRule) before its first shift. Whatever ends that run — an alarm that
 *   fires mid-bake (rollback), the final promote, or a cancel (SIGINT, on-cancel rollback) — must
 *   delete that rule and remove the tag, not only fix the weights.
 * - A health gate that times out at the second step or later: traffic already moved, so the run
 *   must send it back to the stable colour, report `rolled-back: true`, not claim "No traffic was
 *   moved", and still write the steps table to the summary.
 * - An alarm already in ALARM before the first step: nothing is written and nothing moved, so the
 *   run must not report a rollback.
 *
 * Every assertion on the outcome reads the sandbox's world (rules, tags) after the run, besides
 * the messages and outputs. The runs take a few seconds each (short bakes and health timeouts).
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { applyMutation } from '../../sandbox/mutations.js'
import {
  count,
  operations,
  otherRules,
  ruleWeights,
  serviceTags,
  stableTag,
  step,
  type Step,
  taskSetOf,
  useSandbox,
  waitForRequest
} from './harness.js'

const sandbox = useSandbox()

const ALARM = 'myservice-5xx'
const TEST_RULE_TAG = 'StableStackTestRule'
const TEST_HEADER = { 'test-header': 'X-Canary: true' }
/** The start of the summary's table of steps (the full header is in harness.ts). */
const STEPS_TABLE = '| step | canary share |'

const BLUE_ONLY = { Blue: 100, Green: 0 }

/** Makes ALARM go to ALARM `delayMs` after the first successful ModifyRule (the first shift). */
function alarmAfterFirstShift(delayMs: number): void {
  sandbox.faults.afterWrite('ModifyRule', () => {
    sandbox.schedule(delayMs, { type: 'set-alarm', name: ALARM, state: 'ALARM', reason: 'spike' })
  })
}

/** This run created the test rule and tagged the service with it, before anything else. */
function expectTestRuleCreated(run: Step): void {
  expect(operations(run.writes).slice(0, 2)).toEqual(['CreateRule', 'TagResource'])
}

/** No test rule left on the listener and no StableStackTestRule tag on the service. */
function expectNoTestTraffic(): void {
  const left = otherRules(sandbox.world).map((rule) => `priority ${rule.priority}: ${rule.arn}`)
  expect(left).toEqual([])
  expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBeUndefined()
}

describe('a test rule created in the same run is cleaned up', () => {
  it('alarm fires during the first bake: weights back to Blue, test rule and tag deleted', async () => {
    sandbox.reset('alarms')
    alarmAfterFirstShift(500)
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,50',
      'bake-time': '2s',
      alarms: ALARM,
      ...TEST_HEADER
    })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(ALARM)
    expectTestRuleCreated(run)
    expect(sandbox.scheduler.fired).toHaveLength(1)
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(run.outputs['rolled-back']).toBe('true')

    expectNoTestTraffic()
    expect(operations(run.writes)).toContain('DeleteRule')
    expect(operations(run.writes)).toContain('UntagResource')
  })

  it('the walk ends in a promote: Green stable, test rule and tag deleted', async () => {
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,100',
      'bake-time': '1s',
      ...TEST_HEADER
    })

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expectTestRuleCreated(run)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(run.outputs['steps-completed']).toBe('2')

    expectNoTestTraffic()
  })

  it('SIGINT during the bake (on-cancel rollback): weights back to Blue, test rule and tag deleted', async () => {
    let child: ChildProcess | undefined
    const running = step(
      sandbox,
      { mode: 'canary', steps: '10,50', 'bake-time': '20s', ...TEST_HEADER },
      { onSpawn: (spawned) => (child = spawned) }
    )
    const shift = await waitForRequest(sandbox, 'ModifyRule')
    // Past the read-back of the shift, so the signal lands in the bake's sleep.
    await waitForRequest(sandbox, 'DescribeRules', { from: sandbox.log.indexOf(shift) + 1 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(otherRules(sandbox.world)).toHaveLength(1)
    child!.kill('SIGINT')
    const run = await running

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/cancel/i)
    expectTestRuleCreated(run)
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
    expect(stableTag(sandbox.world)).toBe('Blue')
    // The 20 s bake was cut short.
    expect(run.durationMs).toBeLessThan(10_000)

    expectNoTestTraffic()
  })
})

describe('a health gate that times out at step 2', () => {
  it('sends the traffic back to Blue, reports the rollback and keeps the steps table', async () => {
    // Right after the first shift, Green's task set stops being steady (a deployment that goes
    // bad). The bake only watches for unhealthy targets, so step 1 bakes fine; step 2's gate
    // looks at the task set again and times out after 2 s.
    const green = taskSetOf(sandbox.world, 'Green').id
    sandbox.faults.afterWrite('ModifyRule', ({ world }) =>
      applyMutation(world, { type: 'set-task-set', taskSet: green, stabilityStatus: 'STABILIZING' })
    )
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,50',
      'bake-time': '1s',
      'health-timeout-seconds': '2'
    })

    // Setup: step 1 shifted to 10 % and baked; step 2's gate looked at Green again and waited.
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [message] = run.errors
    expect(message).toMatch(/not healthy/)
    expect(message).toContain('STABILIZING')
    expect(operations(run.writes)[0]).toBe('ModifyRule')
    expect(count(run, 'ModifyRule')).toBeGreaterThanOrEqual(1)
    expect(taskSetOf(sandbox.world, 'Green').stabilityStatus).toBe('STABILIZING')

    // The bug: the 10 % that step 1 moved must not stay on Green.
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(run.outputs['rolled-back']).toBe('true')
    expect(message).not.toMatch(/No traffic was moved/i)
    expect(message).toMatch(/rolled back/i)
    expect(message).toMatch(/Blue/)
    expect(run.summary).toContain(STEPS_TABLE)
  })
})

describe('an alarm already in ALARM before step 1', () => {
  it('writes nothing and does not claim a rollback', async () => {
    sandbox.reset('alarms')
    applyMutation(sandbox.world, {
      type: 'set-alarm',
      name: ALARM,
      state: 'ALARM',
      reason: 'already firing'
    })
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      alarms: ALARM
    })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [message] = run.errors
    expect(message).toContain(ALARM)
    expect(count(run, 'ModifyRule')).toBe(0)
    expect(run.writes).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual(BLUE_ONLY)
    expect(stableTag(sandbox.world)).toBe('Blue')

    // The bug: nothing moved, so nothing was rolled back.
    expect(run.outputs['rolled-back']).toBe('false')
    expect(message).toMatch(/not changed|nothing was changed|no traffic was moved/i)
    expect(message).not.toMatch(/rolled back/i)
  })
})
