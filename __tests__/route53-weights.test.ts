/**
 * src/routers/route53/weights.ts: which shares Route 53 weights (0..255) give exactly, the
 * weights for a split, and the split two records' weights make.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { COLORS, type Color } from '../src/color.js'
import {
  MAX_ROUTE53_WEIGHT,
  route53Reachable,
  route53ReachableShares,
  route53WeightsFor,
  splitOfRoute53Weights
} from '../src/routers/route53/weights.js'
import { FULL, splitFor } from '../src/shares.js'

const color = fc.constantFrom<Color>(...COLORS)
const permille = fc.integer({ min: 0, max: FULL })
const weight = fc.integer({ min: 0, max: MAX_ROUTE53_WEIGHT })

describe('route53WeightsFor', () => {
  it.each([
    [100, { Blue: 90, Green: 10 }],
    [0, { Blue: 100, Green: 0 }],
    [1000, { Blue: 0, Green: 100 }],
    [500, { Blue: 50, Green: 50 }],
    [125, { Blue: 7, Green: 1 }],
    [5, { Blue: 199, Green: 1 }],
    [25, { Blue: 39, Green: 1 }]
  ])('gives Green %d‰ as %j', (share, weights) => {
    expect(route53WeightsFor(splitFor('Green', share))).toEqual(weights)
  })

  it.each([1, 2, 3, 333, 999])('refuses %d‰, which no weights of 0..255 give exactly', (share) => {
    expect(() => route53WeightsFor(splitFor('Green', share))).toThrow(/cannot express/)
  })

  it('refuses the empty split and shares that do not add up to 1000', () => {
    expect(() => route53WeightsFor({ Blue: 0, Green: 0 })).toThrow(/adding up to 1000/)
    expect(() => route53WeightsFor({ Blue: 10.5, Green: 989.5 })).toThrow(/whole permille/)
  })

  it('writes weights that read back as exactly the split, for every reachable share', () => {
    fc.assert(
      fc.property(color, fc.constantFrom(...route53ReachableShares()), (canary, share) => {
        const split = splitFor(canary, share)
        const weights = route53WeightsFor(split)
        for (const c of COLORS) {
          expect(Number.isInteger(weights[c])).toBe(true)
          expect(weights[c]).toBeGreaterThanOrEqual(0)
          expect(weights[c]).toBeLessThanOrEqual(MAX_ROUTE53_WEIGHT)
        }
        expect(splitOfRoute53Weights(weights)).toEqual(split)
      })
    )
  })
})

describe('route53Reachable', () => {
  it('reaches every whole percent exactly', () => {
    for (let percent = 0; percent <= 100; percent++) {
      expect(route53Reachable(percent * 10)).toEqual([percent * 10])
    }
  })

  it.each([
    [1, [0, 4]],
    [333, [332, 335]],
    [999, [996, 1000]]
  ])('offers the nearest shares around %d‰: %j', (share, nearest) => {
    expect(route53Reachable(share)).toEqual(nearest)
  })

  it('is exact exactly when the weights for the share exist, and otherwise brackets it', () => {
    fc.assert(
      fc.property(permille, (share) => {
        const nearest = route53Reachable(share)
        const exact = nearest.length === 1 && nearest[0] === share
        let encodable = true
        try {
          route53WeightsFor(splitFor('Green', share))
        } catch {
          encodable = false
        }
        expect(exact).toBe(encodable)
        if (exact) return
        const [below, above] = nearest
        expect(below).toBeLessThan(share)
        expect(above).toBeGreaterThan(share)
        // Nothing reachable lies between the two it offers.
        expect(route53ReachableShares().filter((s) => s > below && s < above)).toEqual([])
        for (const s of nearest) expect(route53Reachable(s)).toEqual([s])
      })
    )
  })

  it('agrees with a brute force over every weight pair', () => {
    fc.assert(
      fc.property(weight, weight, (blue, green) => {
        fc.pre(blue + green > 0)
        const green1000 = (green * FULL) / (blue + green)
        if (Number.isInteger(green1000)) expect(route53Reachable(green1000)).toEqual([green1000])
      })
    )
  })
})

describe('splitOfRoute53Weights', () => {
  it('reads two zero weights as an even split, as Route 53 answers them', () => {
    expect(splitOfRoute53Weights({ Blue: 0, Green: 0 })).toEqual({ Blue: 500, Green: 500 })
  })

  it('reads any weights as shares adding up to 1000', () => {
    fc.assert(
      fc.property(weight, weight, (blue, green) => {
        const split = splitOfRoute53Weights({ Blue: blue, Green: green })
        expect(split.Blue + split.Green).toBeCloseTo(FULL, 9)
      })
    )
  })
})
