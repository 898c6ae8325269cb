/**
 * src/weights.ts: percent parsing and formatting, ALB weights for a share, and shares of raw weights.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { COLORS, otherColor, type Color, type PerColor } from '../src/color.js'
import {
  albWeightsFor,
  formatPercent,
  FULL,
  hasShare,
  parsePercent,
  percentNumber,
  roundedShareOf,
  shareOf
} from '../src/weights.js'

const color = fc.constantFrom<Color>(...COLORS)
const permille = fc.integer({ min: 0, max: FULL })
const rawWeight = fc.integer({ min: 0, max: 999 })
const rawWeights = fc.record({ Blue: rawWeight, Green: rawWeight })

describe('parsePercent', () => {
  it.each([
    ['0', 0],
    ['10', 100],
    ['0.5', 5],
    ['99.9', 999],
    ['100', 1000],
    ['100.0', 1000],
    [' 7 ', 70],
    ['1.0', 10],
    ['007', 70]
  ])('parses %j as %i permille', (text, expected) => {
    expect(parsePercent(text)).toBe(expected)
  })

  it.each([
    '',
    ' ',
    '-1',
    '100.1',
    '101',
    '1000',
    '1.25',
    'abc',
    '1e1',
    '+5',
    '10%',
    '.5',
    '5.',
    '1,5',
    '0x1',
    '1 0'
  ])('refuses %j', (text) => {
    expect(parsePercent(text)).toBeUndefined()
  })
})

describe('formatPercent', () => {
  it.each([
    [0, '0'],
    [5, '0.5'],
    [10, '1'],
    [100, '10'],
    [105, '10.5'],
    [999, '99.9'],
    [1000, '100']
  ])('formats %i permille as %j', (value, expected) => {
    expect(formatPercent(value)).toBe(expected)
  })

  it('round-trips every permille 0..1000 through parsePercent', () => {
    for (let p = 0; p <= FULL; p++) {
      expect(parsePercent(formatPercent(p))).toBe(p)
    }
  })

  it('agrees with percentNumber', () => {
    fc.assert(
      fc.property(permille, (p) => {
        expect(Number(formatPercent(p))).toBe(percentNumber(p))
      })
    )
  })
})

describe('albWeightsFor', () => {
  it.each([
    [0, { Green: 0, Blue: 100 }],
    [5, { Green: 5, Blue: 995 }],
    [100, { Green: 10, Blue: 90 }],
    [105, { Green: 105, Blue: 895 }],
    [1000, { Green: 100, Blue: 0 }]
  ])('gives share %i to the canary as %j', (share, expected) => {
    expect(albWeightsFor('Green', 'Blue', share)).toEqual(expected)
  })

  it('gives integer weights in 0..999 that carry exactly the share', () => {
    fc.assert(
      fc.property(color, permille, (canary, share) => {
        const stable = otherColor(canary)
        const weights = albWeightsFor(canary, stable, share)
        expect(Object.keys(weights).sort()).toEqual([...COLORS].sort())
        for (const c of COLORS) {
          expect(Number.isInteger(weights[c])).toBe(true)
          expect(weights[c]).toBeGreaterThanOrEqual(0)
          expect(weights[c]).toBeLessThanOrEqual(999)
        }
        expect(hasShare(canary, weights, share)).toBe(true)
        expect(hasShare(stable, weights, FULL - share)).toBe(true)
        expect(roundedShareOf(canary, weights)).toBe(share)
      }),
      { numRuns: 200 }
    )
  })

  it('writes whole percents as percents', () => {
    fc.assert(
      fc.property(color, fc.integer({ min: 0, max: 100 }), (canary, percent) => {
        const weights = albWeightsFor(canary, otherColor(canary), percent * 10)
        expect(weights[canary]).toBe(percent)
        expect(weights[otherColor(canary)]).toBe(100 - percent)
      })
    )
  })
})

describe('shareOf, roundedShareOf and hasShare', () => {
  it.each<[PerColor<number>, number | undefined, number | undefined]>([
    [{ Blue: 0, Green: 0 }, undefined, undefined],
    [{ Blue: 1, Green: 0 }, 1000, 0],
    [{ Blue: 90, Green: 10 }, 900, 100],
    [{ Blue: 900, Green: 100 }, 900, 100],
    [{ Blue: 2, Green: 1 }, 2000 / 3, 1000 / 3]
  ])('%j gives Blue %p and Green %p', (weights, blue, green) => {
    expect(shareOf('Blue', weights)).toBe(blue)
    expect(shareOf('Green', weights)).toBe(green)
  })

  it('is undefined / false exactly when every weight is zero', () => {
    fc.assert(
      fc.property(rawWeights, color, permille, (weights, c, target) => {
        const empty = weights.Blue + weights.Green === 0
        expect(shareOf(c, weights) === undefined).toBe(empty)
        expect(roundedShareOf(c, weights) === undefined).toBe(empty)
        if (empty) expect(hasShare(c, weights, target)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })

  it('shares of both colours add up to the whole', () => {
    fc.assert(
      fc.property(rawWeights, (weights) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const blue = shareOf('Blue', weights) as number
        const green = shareOf('Green', weights) as number
        expect(blue).toBeGreaterThanOrEqual(0)
        expect(blue).toBeLessThanOrEqual(FULL)
        expect(blue + green).toBeCloseTo(FULL, 9)
      }),
      { numRuns: 200 }
    )
  })

  it('rounds to the nearest permille and matches hasShare', () => {
    fc.assert(
      fc.property(rawWeights, color, (weights, c) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const exact = shareOf(c, weights) as number
        const rounded = roundedShareOf(c, weights) as number
        expect(Number.isInteger(rounded)).toBe(true)
        expect(rounded).toBeGreaterThanOrEqual(0)
        expect(rounded).toBeLessThanOrEqual(FULL)
        expect(Math.abs(rounded - exact)).toBeLessThanOrEqual(0.5)
        // hasShare is exact: true for the rounded share only when no rounding happened.
        const total = weights.Blue + weights.Green
        const divides = (weights[c] * FULL) % total === 0
        expect(hasShare(c, weights, rounded)).toBe(divides)
      }),
      { numRuns: 200 }
    )
  })

  it('is scale-invariant: multiplying both weights keeps the share', () => {
    fc.assert(
      fc.property(rawWeights, fc.integer({ min: 1, max: 50 }), color, (weights, k, c) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const scaled = { Blue: weights.Blue * k, Green: weights.Green * k }
        expect(shareOf(c, scaled)).toBeCloseTo(shareOf(c, weights) as number, 9)
        const share = roundedShareOf(c, weights) as number
        expect(hasShare(c, scaled, share)).toBe(hasShare(c, weights, share))
      }),
      { numRuns: 200 }
    )
  })

  it('hasShare holds for exactly one target when the share is a whole permille', () => {
    fc.assert(
      fc.property(rawWeights, color, permille, (weights, c, target) => {
        const exact = shareOf(c, weights)
        expect(hasShare(c, weights, target)).toBe(exact !== undefined && exact === target)
      }),
      { numRuns: 200 }
    )
  })
})
