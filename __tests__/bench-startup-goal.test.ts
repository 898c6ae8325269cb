import { describe, expect, it } from '@jest/globals'
import { startupGoal } from '../sandbox/bench/report.js'
import { ACTION_REFERENCE, type Reference } from '../sandbox/bench/startup.js'

const ref = (name: string, samples: number[], skipped?: string): Reference => ({
  name,
  measures: 'spawn → first request',
  samples,
  ...(skipped ? { skipped } : {})
})

describe('startupGoal', () => {
  it('divides the action by the other action, medians of the interleaved runs', () => {
    const row = startupGoal([
      ref(ACTION_REFERENCE, [100, 140, 120]),
      ref('another action: x', [200, 180, 190])
    ])
    expect(row).toEqual(['start-up ÷ another action', '≤ 0.70', '0.63', 'yes'])
  })

  it('says what the SDK references show when the goal is missed', () => {
    const row = startupGoal([
      ref(ACTION_REFERENCE, [180]),
      ref('SDK clients only (ncc bundle)', [170]),
      ref('ECS client only (ncc bundle)', [140]),
      ref('this action, minified (not shipped)', [160]),
      ref('this action, minified, source maps on (not shipped)', [230]),
      ref('another action: x', [200])
    ])
    expect(row?.slice(0, 3)).toEqual(['start-up ÷ another action', '≤ 0.70', '0.90'])
    expect(row?.[3]).toMatch(/^no: the ECS client alone.* takes 0\.70×/)
    expect(row?.[3]).toContain("with nothing of the action's own, 0.85×")
    expect(row?.[3]).toContain('(minified, it measured 0.80×)')
  })

  it('says why when the other action was not measured, and nothing without the action', () => {
    const skipped = 'not measured: BENCH_COMPARE_ACTION is not set'
    expect(startupGoal([ref(ACTION_REFERENCE, [100]), ref('another action', [], skipped)])).toEqual(
      ['start-up ÷ another action', '≤ 0.70', '–', skipped]
    )
    expect(startupGoal([ref('another action: x', [200])])).toBeUndefined()
  })
})
