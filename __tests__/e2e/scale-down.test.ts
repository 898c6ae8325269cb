/**
 * After promote: `scale-down-after-promote` sets the old stable task set's scale to 0 %, and
 * `mode: rollback` with `undo-promotion` gives traffic and the tag back to it, scaling it back up
 * and waiting for it to be healthy first. The health gate polls every 5 s, so the undo takes one
 * poll (~5 s): Blue is still STABILIZING when it is first probed right after the scale-up.
 */
import { describe, expect, it } from '@jest/globals'
import {
  operations,
  ruleWeights,
  serviceTags,
  setRuleWeights,
  stableTag,
  step,
  taskSetOf,
  useSandbox,
  waitFor
} from './harness.js'

// A steady delay long enough that the first probe after the scale-up finds Blue still
// stabilizing even on a loaded machine (the default 20 ms is not).
const SCALE_UP_MS = 1000
const sandbox = useSandbox({ resetEach: false, steadyDelayMs: SCALE_UP_MS })

describe('scale-down-after-promote, then undo-promotion', () => {
  it('promote scales Blue to 0; undo scales it back, waits, and gives it traffic and the tag; a second undo writes nothing', async () => {
    sandbox.reset()
    setRuleWeights(sandbox, 90, 10)
    const blueTargetGroup = () => sandbox.world.targetGroups.find((tg) => tg.name === 'blue-tg')!

    // Promote with scale-down.
    const promote = await step(sandbox, { mode: 'promote', 'scale-down-after-promote': 'true' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    expect(operations(promote.writes)).toEqual(['ModifyRule', 'TagResource', 'UpdateTaskSet'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(serviceTags(sandbox.world)).toMatchObject({
      StableStack: 'Green',
      StableStackPrevious: 'Blue'
    })
    const blue = () => taskSetOf(sandbox.world, 'Blue')
    expect(blue().scale).toEqual({ value: 0, unit: 'PERCENT' })
    expect(blue().computedDesiredCount).toBe(0)
    expect(taskSetOf(sandbox.world, 'Green').scale.value).toBe(100)
    // After the steady delay Blue runs no tasks and registers no targets.
    await waitFor('Blue to settle at 0', () => blue().stabilityStatus === 'STEADY_STATE')
    expect(blue().runningCount).toBe(0)
    expect(blueTargetGroup().targets).toEqual([])

    // Undo: Blue back to 100 %, healthy, then traffic and the tag.
    const undo = await step(sandbox, { mode: 'rollback', 'undo-promotion': 'true' })
    expect(undo.errors).toEqual([])
    expect(undo.code).toBe(0)
    expect(operations(undo.writes)).toEqual([
      'UpdateTaskSet',
      'ModifyRule',
      'TagResource',
      'UntagResource'
    ])
    expect(blue().scale).toEqual({ value: 100, unit: 'PERCENT' })
    expect(blue().runningCount).toBe(2)
    expect(blueTargetGroup().targets).toHaveLength(2)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(serviceTags(sandbox.world).StableStackPrevious).toBeUndefined()
    expect(undo.outputs).toMatchObject({
      'rolled-back': 'true',
      'stable-color': 'Blue',
      'previous-stable-color': 'Green',
      weights: JSON.stringify({ Blue: 100, Green: 0 })
    })

    // It waited for Blue: a probe after the scale-up found it not ready, and the traffic moved
    // only after Blue had settled and a later probe saw it healthy.
    expect(undo.stdout).toContain('Waiting: ')
    expect(undo.stdout).toMatch(/Blue is healthy \(\d+ check\(s\)/)
    const scaled = undo.requests.find((r) => r.operation === 'UpdateTaskSet')!
    const traffic = undo.requests.find((r) => r.operation === 'ModifyRule')!
    expect(traffic.start - scaled.end).toBeGreaterThanOrEqual(SCALE_UP_MS)
    const probes = undo.requests.filter(
      (r) => r.operation === 'DescribeServices' && r.start > scaled.end && r.end < traffic.start
    )
    expect(probes.length).toBeGreaterThanOrEqual(2)

    // A second undo finds no promotion to undo and writes nothing.
    const again = await step(sandbox, { mode: 'rollback', 'undo-promotion': 'true' })
    expect(again.errors).toEqual([])
    expect(again.code).toBe(0)
    expect(operations(again.writes)).toEqual([])
    expect(again.outputs.changed).toBe('false')
    expect(again.stdout).toContain('No promotion to undo')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
  })
})
