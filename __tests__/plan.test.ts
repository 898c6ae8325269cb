/**
 * src/plan.ts: the decision for each mode as a pure function of the stable tag, the raw weights
 * and the requested share.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { COLORS, otherColor, type Color, type PerColor } from '../src/color.js'
import { MODES, type Mode } from '../src/inputs.js'
import { plan, type Plan, type PlanInput } from '../src/plan.js'

/** True when carrying out the plan writes the weights or the tag. */
const writesAnything = (p: Plan) => p.writeWeights || p.tagAfter !== undefined
import { FULL, hasShare, shareOf, type Permille } from '../src/weights.js'

function input(
  mode: Mode,
  stable: Color,
  weights: PerColor<number>,
  canaryShare: Permille = 100
): PlanInput {
  return { mode, stable, weights, canaryShare }
}

describe('plan per mode', () => {
  it('canary raise: writes the share and gates on the canary', () => {
    const p = plan(input('canary', 'Blue', { Blue: 100, Green: 0 }, 100))
    expect(p).toMatchObject({
      stableBefore: 'Blue',
      canaryBefore: 'Green',
      stableAfter: 'Blue',
      writeWeights: true,
      weightsAfter: { Blue: 90, Green: 10 },
      gate: 'Green'
    })
    expect(p.tagAfter).toBeUndefined()
    expect(p.reason).toContain('Green is the canary colour')
  })

  it('canary with a tenth of a percent writes weights out of 1000', () => {
    const p = plan(input('canary', 'Green', { Blue: 0, Green: 100 }, 5))
    expect(p.weightsAfter).toEqual({ Blue: 5, Green: 995 })
    expect(p.gate).toBe('Blue')
  })

  it('canary lower: writes without a gate', () => {
    const p = plan(input('canary', 'Blue', { Blue: 50, Green: 50 }, 100))
    expect(p.writeWeights).toBe(true)
    expect(p.weightsAfter).toEqual({ Blue: 90, Green: 10 })
    expect(p.gate).toBeUndefined()
  })

  it.each<PerColor<number>>([
    { Blue: 900, Green: 100 },
    { Blue: 90, Green: 10 },
    { Blue: 9, Green: 1 },
    { Blue: 450, Green: 50 }
  ])('canary at the same share in other units (%j for 10%%): no write', (weights) => {
    const p = plan(input('canary', 'Blue', weights, 100))
    expect(p.writeWeights).toBe(false)
    expect(p.weightsAfter).toBe(weights)
    expect(p.gate).toBeUndefined()
    expect(p.tagAfter).toBeUndefined()
    expect(p.reason).toContain('already has the target weights')
  })

  it('canary from all-zero weights writes and gates', () => {
    const p = plan(input('canary', 'Blue', { Blue: 0, Green: 0 }, 100))
    expect(p.writeWeights).toBe(true)
    expect(p.gate).toBe('Green')
  })

  it.each<PerColor<number>>([
    { Blue: 90, Green: 10 },
    { Blue: 0, Green: 100 },
    { Blue: 1, Green: 999 },
    { Blue: 0, Green: 0 }
  ])('rollback from %j: all traffic to the stable colour, never gated', (weights) => {
    const p = plan(input('rollback', 'Blue', weights))
    expect(p.writeWeights).toBe(true)
    expect(p.weightsAfter).toEqual({ Blue: 100, Green: 0 })
    expect(p.gate).toBeUndefined()
    expect(p.tagAfter).toBeUndefined()
    expect(p.stableAfter).toBe('Blue')
    expect(p.reason).toContain('Rollback')
  })

  it('rollback when the stable colour already has everything: no write', () => {
    const p = plan(input('rollback', 'Green', { Blue: 0, Green: 7 }))
    expect(p.writeWeights).toBe(false)
    expect(p.tagAfter).toBeUndefined()
    expect(p.gate).toBeUndefined()
  })

  it.each<PerColor<number>>([
    { Blue: 100, Green: 0 },
    { Blue: 1, Green: 0 },
    { Blue: 999, Green: 0 }
  ])('promote from 100%% stable (%j): nothing to promote', (weights) => {
    const p = plan(input('promote', 'Blue', weights))
    expect(writesAnything(p)).toBe(false)
    expect(p.tagAfter).toBeUndefined()
    expect(p.stableAfter).toBe('Blue')
    expect(p.gate).toBeUndefined()
    expect(p.reason).toContain('Nothing to promote')
    expect(p.reason).toContain('mode canary')
  })

  it('promote from a canary share: all traffic to the canary, tag it, gate on it', () => {
    const p = plan(input('promote', 'Blue', { Blue: 90, Green: 10 }))
    expect(p).toMatchObject({
      writeWeights: true,
      weightsAfter: { Blue: 0, Green: 100 },
      tagAfter: 'Green',
      stableAfter: 'Green',
      gate: 'Green'
    })
  })

  it('promote interrupted (canary at 100%, tag still old): tag only, no write, no gate', () => {
    const weights = { Blue: 0, Green: 100 }
    const p = plan(input('promote', 'Blue', weights))
    expect(p.writeWeights).toBe(false)
    expect(p.weightsAfter).toBe(weights)
    expect(p.tagAfter).toBe('Green')
    expect(p.stableAfter).toBe('Green')
    expect(p.gate).toBeUndefined()
    expect(writesAnything(p)).toBe(true)
  })

  it.each(COLORS)('status with %s stable plans nothing', (stable) => {
    const weights = { Blue: 3, Green: 7 }
    const p = plan(input('status', stable, weights, 1000))
    expect(p).toEqual({
      mode: 'status',
      stableBefore: stable,
      canaryBefore: otherColor(stable),
      stableAfter: stable,
      weightsBefore: weights,
      weightsAfter: weights,
      writeWeights: false,
      reason: 'Status only: nothing is written.'
    })
    expect(writesAnything(p)).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over every stable colour, raw weights and intent.

const rawWeight = fc.integer({ min: 0, max: 999 })
const arbitraryInput: fc.Arbitrary<PlanInput> = fc.record({
  mode: fc.constantFrom<Mode>(...MODES),
  stable: fc.constantFrom<Color>(...COLORS),
  weights: fc.oneof(
    fc.record({ Blue: rawWeight, Green: rawWeight }),
    // Shares that match a target exactly, so the no-write branches are exercised often.
    fc.record({
      Blue: fc.constantFrom(0, 1, 10, 100, 900, 999),
      Green: fc.constantFrom(0, 1, 10, 100, 900, 999)
    })
  ),
  canaryShare: fc.oneof(fc.integer({ min: 0, max: FULL }), fc.constantFrom(0, 100, 900, FULL))
})

/** The share the canary colour must end with, or undefined when the mode asks for none. */
function targetShare(i: PlanInput): Permille | undefined {
  switch (i.mode) {
    case 'canary':
      return i.canaryShare
    case 'promote':
      return FULL
    case 'rollback':
      return 0
    case 'status':
      return undefined
  }
}

function apply(i: PlanInput, p: Plan): PlanInput {
  return { ...i, stable: p.tagAfter ?? i.stable, weights: p.weightsAfter }
}

const runs = { numRuns: 200 }

describe('plan properties', () => {
  it('(a) plans only weights and the tag, from the given stable colour', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const p = plan(i)
        expect(p.mode).toBe(i.mode)
        expect(p.stableBefore).toBe(i.stable)
        expect(p.canaryBefore).toBe(otherColor(i.stable))
        expect(p.weightsBefore).toBe(i.weights)
        expect(p.stableAfter).toBe(p.tagAfter ?? i.stable)
        if (!p.writeWeights) expect(p.weightsAfter).toBe(i.weights)
        if (p.tagAfter !== undefined) {
          expect(i.mode).toBe('promote')
          expect(p.tagAfter).toBe(otherColor(i.stable))
        }
        expect(p.reason.length).toBeGreaterThan(0)
        const allowed = [
          'canaryBefore',
          'gate',
          'mode',
          'reason',
          'stableAfter',
          'stableBefore',
          'tagAfter',
          'weightsAfter',
          'weightsBefore',
          'writeWeights'
        ]
        for (const key of Object.keys(p)) expect(allowed).toContain(key)
      }),
      runs
    )
  })

  it('(b) written weights give the canary exactly the requested share', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const p = plan(i)
        const canary = otherColor(i.stable)
        const target = targetShare(i)
        if (target === undefined) {
          expect(p.writeWeights).toBe(false)
          return
        }
        const nothingToPromote = i.mode === 'promote' && hasShare(i.stable, i.weights, FULL)
        const alreadyThere = hasShare(canary, i.weights, target)
        expect(p.writeWeights).toBe(!nothingToPromote && !alreadyThere)
        if (p.writeWeights) {
          expect(hasShare(canary, p.weightsAfter, target)).toBe(true)
          for (const c of COLORS) {
            expect(Number.isInteger(p.weightsAfter[c])).toBe(true)
            expect(p.weightsAfter[c]).toBeGreaterThanOrEqual(0)
            expect(p.weightsAfter[c]).toBeLessThanOrEqual(999)
          }
        }
      }),
      runs
    )
  })

  it('(c) gates on the canary iff its share goes up, never for rollback or status', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const p = plan(i)
        const canary = otherColor(i.stable)
        const target = targetShare(i)
        const before = shareOf(canary, i.weights)
        const raises =
          p.writeWeights &&
          target !== undefined &&
          target > 0 &&
          (before === undefined || target > before)
        expect(p.gate).toBe(raises ? canary : undefined)
        if (i.mode === 'rollback' || i.mode === 'status') expect(p.gate).toBeUndefined()
      }),
      runs
    )
  })

  it('(d) is idempotent: planning again after applying the plan writes nothing', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const first = plan(i)
        const again = plan(apply(i, first))
        expect(again.writeWeights).toBe(false)
        expect(again.tagAfter).toBeUndefined()
        expect(again.gate).toBeUndefined()
        expect(writesAnything(again)).toBe(false)
        expect(again.stableAfter).toBe(first.stableAfter)
      }),
      runs
    )
  })

  it('promote always ends with the canary as the stable colour unless there is nothing to promote', () => {
    fc.assert(
      fc.property(
        arbitraryInput.map((i): PlanInput => ({ ...i, mode: 'promote' })),
        (i) => {
          const p = plan(i)
          if (hasShare(i.stable, i.weights, FULL)) {
            expect(p.stableAfter).toBe(i.stable)
            expect(writesAnything(p)).toBe(false)
          } else {
            expect(p.stableAfter).toBe(otherColor(i.stable))
            expect(p.tagAfter).toBe(otherColor(i.stable))
            expect(hasShare(otherColor(i.stable), p.weightsAfter, FULL)).toBe(true)
          }
        }
      ),
      runs
    )
  })
})
