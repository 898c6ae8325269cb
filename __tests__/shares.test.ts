/**
 * src/shares.ts: percent parsing and formatting, and splits of the traffic in permille.
 * src/routers/alb/weights.ts: ALB weights for a split, and the split raw weights make.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { COLORS, otherColor, type Color } from '../src/color.js'
import { albWeightsFor, splitOfWeights, type AlbWeights } from '../src/routers/alb/weights.js'
import {
  formatPercent,
  formatSplit,
  FULL,
  isEmpty,
  parsePercent,
  percentNumber,
  sameSplit,
  splitFor,
  type Split
} from '../src/shares.js'

const color = fc.constantFrom<Color>(...COLORS)
const permille = fc.integer({ min: 0, max: FULL })
const rawWeight = fc.integer({ min: 0, max: 999 })
const rawWeights = fc.record({ Blue: rawWeight, Green: rawWeight })
/** A share as raw weights can make it: any fraction of a permille in 0..1000. */
const fractionalPermille = fc.double({ min: 0, max: FULL, noNaN: true })

/** Every split of whole permille the planner can write: each colour at each share, and empty. */
const WHOLE_SPLITS: Split[] = [
  { Blue: 0, Green: 0 },
  ...COLORS.flatMap((c) => Array.from({ length: FULL + 1 }, (_, share) => splitFor(c, share)))
]

/** The percents `formatSplit` shows, by colour. */
function shownPercents(text: string): Record<string, number> {
  const shown: Record<string, number> = {}
  for (const match of text.matchAll(/(Blue|Green) (\d+(?:\.\d)?)%/g)) {
    shown[match[1]] = Number(match[2])
  }
  return shown
}

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

describe('formatPercent and percentNumber', () => {
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

  it.each([
    [1000 / 3, '33.3', 33.3],
    [2000 / 3, '66.7', 66.7],
    [0.4, '0', 0],
    [99.96, '10', 10],
    [999.6, '100', 100],
    [104.5, '10.5', 10.5]
  ])('rounds a fractional share %d to a tenth of a percent: %j', (value, text, number) => {
    expect(formatPercent(value)).toBe(text)
    expect(percentNumber(value)).toBe(number)
  })

  it('round-trips every permille 0..1000 through parsePercent', () => {
    for (let p = 0; p <= FULL; p++) {
      expect(parsePercent(formatPercent(p))).toBe(p)
    }
  })

  it('agrees with percentNumber, for whole and fractional shares', () => {
    fc.assert(
      fc.property(fc.oneof(permille, fractionalPermille), (p) => {
        expect(Number(formatPercent(p))).toBe(percentNumber(p))
      }),
      { numRuns: 500 }
    )
  })

  it('is within half a tenth of a percent of the exact share', () => {
    fc.assert(
      fc.property(fractionalPermille, (p) => {
        expect(Math.abs(percentNumber(p) * 10 - p)).toBeLessThanOrEqual(0.5)
        expect(formatPercent(p)).toMatch(/^\d{1,3}(\.[1-9])?$/)
      }),
      { numRuns: 500 }
    )
  })
})

describe('splitFor, isEmpty and sameSplit', () => {
  it.each<[Color, number, Split]>([
    ['Green', 0, { Blue: 1000, Green: 0 }],
    ['Green', 5, { Blue: 995, Green: 5 }],
    ['Green', 100, { Blue: 900, Green: 100 }],
    ['Blue', 100, { Blue: 100, Green: 900 }],
    ['Blue', 1000, { Blue: 1000, Green: 0 }]
  ])('%s at %i permille is %j', (canary, share, expected) => {
    expect(splitFor(canary, share)).toEqual(expected)
  })

  it('gives the canary the share and the other colour the rest, never an empty split', () => {
    fc.assert(
      fc.property(color, permille, (canary, share) => {
        const split = splitFor(canary, share)
        expect(Object.keys(split).sort()).toEqual([...COLORS].sort())
        expect(split[canary]).toBe(share)
        expect(split[otherColor(canary)]).toBe(FULL - share)
        expect(isEmpty(split)).toBe(false)
        // The same split seen from the other colour.
        expect(sameSplit(split, splitFor(otherColor(canary), FULL - share))).toBe(true)
      })
    )
  })

  it('isEmpty holds only when both shares are 0', () => {
    expect(isEmpty({ Blue: 0, Green: 0 })).toBe(true)
    expect(isEmpty({ Blue: 0, Green: 1000 })).toBe(false)
    expect(isEmpty({ Blue: 1000, Green: 0 })).toBe(false)
    expect(isEmpty({ Blue: 0.5, Green: 0 })).toBe(false)
  })

  it('sameSplit is exact equality of both shares', () => {
    expect(sameSplit({ Blue: 900, Green: 100 }, { Blue: 900, Green: 100 })).toBe(true)
    expect(sameSplit({ Blue: 900, Green: 100 }, { Blue: 100, Green: 900 })).toBe(false)
    expect(sameSplit({ Blue: 0, Green: 0 }, { Blue: 1000, Green: 0 })).toBe(false)
    expect(sameSplit({ Blue: 1000 / 3, Green: 2000 / 3 }, { Blue: 333, Green: 667 })).toBe(false)
    fc.assert(
      fc.property(rawWeights, rawWeights, (a, b) => {
        const x = splitOfWeights(a)
        const y = splitOfWeights(b)
        expect(sameSplit(x, y)).toBe(x.Blue === y.Blue && x.Green === y.Green)
        expect(sameSplit(x, y)).toBe(sameSplit(y, x))
        expect(sameSplit(x, x)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})

describe('formatSplit', () => {
  it.each<[Split, string]>([
    [{ Blue: 1000, Green: 0 }, 'Blue 100% / Green 0%'],
    [{ Blue: 900, Green: 100 }, 'Blue 90% / Green 10%'],
    [{ Blue: 5, Green: 995 }, 'Blue 0.5% / Green 99.5%'],
    [{ Blue: 1000 / 3, Green: 2000 / 3 }, 'Blue 33.3% / Green 66.7%'],
    [{ Blue: 0, Green: 0 }, 'Blue 0% / Green 0% (nothing routed)']
  ])('%j is %j', (split, expected) => {
    expect(formatSplit(split)).toBe(expected)
  })

  it('shows a split of whole permille as shares that add up to 100 %', () => {
    for (const split of WHOLE_SPLITS) {
      const shown = shownPercents(formatSplit(split))
      expect(Object.keys(shown).sort()).toEqual([...COLORS].sort())
      if (isEmpty(split)) {
        expect(shown).toEqual({ Blue: 0, Green: 0 })
        expect(formatSplit(split)).toContain('nothing routed')
      } else {
        // Tenths, so compare in permille to stay exact.
        expect(Math.round(shown.Blue * 10) + Math.round(shown.Green * 10)).toBe(FULL)
        for (const c of COLORS) expect(shown[c]).toBe(percentNumber(split[c]))
        expect(formatSplit(split)).not.toContain('nothing routed')
      }
    }
  })
})

describe('albWeightsFor', () => {
  it.each<[number, AlbWeights]>([
    [0, { Green: 0, Blue: 100 }],
    [5, { Green: 5, Blue: 995 }],
    [100, { Green: 10, Blue: 90 }],
    [105, { Green: 105, Blue: 895 }],
    [1000, { Green: 100, Blue: 0 }]
  ])('gives Green %i permille as %j', (share, expected) => {
    expect(albWeightsFor(splitFor('Green', share))).toEqual(expected)
  })

  it('writes an empty split as weights of 0 and 0', () => {
    expect(albWeightsFor({ Blue: 0, Green: 0 })).toEqual({ Blue: 0, Green: 0 })
  })

  it('gives integer weights in 0..999 that round-trip every whole permille exactly', () => {
    for (const split of WHOLE_SPLITS) {
      const weights = albWeightsFor(split)
      expect(Object.keys(weights).sort()).toEqual([...COLORS].sort())
      for (const c of COLORS) {
        expect(Number.isInteger(weights[c])).toBe(true)
        expect(weights[c]).toBeGreaterThanOrEqual(0)
        expect(weights[c]).toBeLessThanOrEqual(999)
      }
      const back = splitOfWeights(weights)
      expect(back).toEqual(split)
      expect(sameSplit(back, split)).toBe(true)
    }
  })

  it('writes whole percents as percents', () => {
    fc.assert(
      fc.property(color, fc.integer({ min: 0, max: 100 }), (canary, percent) => {
        const weights = albWeightsFor(splitFor(canary, percent * 10))
        expect(weights[canary]).toBe(percent)
        expect(weights[otherColor(canary)]).toBe(100 - percent)
      })
    )
  })

  it('writes a share with a tenth as weights out of 1000', () => {
    fc.assert(
      fc.property(color, permille, (canary, share) => {
        fc.pre(share % 10 !== 0)
        const weights = albWeightsFor(splitFor(canary, share))
        expect(weights[canary]).toBe(share)
        expect(weights[otherColor(canary)]).toBe(FULL - share)
      })
    )
  })
})

describe('splitOfWeights', () => {
  it.each<[AlbWeights, Split]>([
    [
      { Blue: 0, Green: 0 },
      { Blue: 0, Green: 0 }
    ],
    [
      { Blue: 1, Green: 0 },
      { Blue: 1000, Green: 0 }
    ],
    [
      { Blue: 0, Green: 7 },
      { Blue: 0, Green: 1000 }
    ],
    [
      { Blue: 90, Green: 10 },
      { Blue: 900, Green: 100 }
    ],
    [
      { Blue: 900, Green: 100 },
      { Blue: 900, Green: 100 }
    ],
    [
      { Blue: 9, Green: 1 },
      { Blue: 900, Green: 100 }
    ],
    [
      { Blue: 2, Green: 1 },
      { Blue: 2000 / 3, Green: 1000 / 3 }
    ]
  ])('%j is %j', (weights, expected) => {
    expect(splitOfWeights(weights)).toEqual(expected)
  })

  it('is empty exactly when every weight is zero', () => {
    fc.assert(
      fc.property(rawWeights, (weights) => {
        const empty = weights.Blue + weights.Green === 0
        expect(isEmpty(splitOfWeights(weights))).toBe(empty)
      }),
      { numRuns: 200 }
    )
  })

  it('shares of both colours add up to the whole', () => {
    fc.assert(
      fc.property(rawWeights, (weights) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const split = splitOfWeights(weights)
        for (const c of COLORS) {
          expect(split[c]).toBeGreaterThanOrEqual(0)
          expect(split[c]).toBeLessThanOrEqual(FULL)
        }
        expect(split.Blue + split.Green).toBeCloseTo(FULL, 9)
      }),
      { numRuns: 200 }
    )
  })

  it('is scale-invariant: multiplying both weights keeps the split', () => {
    fc.assert(
      fc.property(rawWeights, fc.integer({ min: 1, max: 50 }), color, (weights, k, c) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const scaled = splitOfWeights({ Blue: weights.Blue * k, Green: weights.Green * k })
        const split = splitOfWeights(weights)
        expect(scaled[c]).toBeCloseTo(split[c], 9)
        const whole = splitFor(c, Math.round(split[c]))
        expect(sameSplit(scaled, whole)).toBe(sameSplit(split, whole))
      }),
      { numRuns: 200 }
    )
  })

  it('matches a whole split exactly when the weights carry exactly that share', () => {
    fc.assert(
      fc.property(rawWeights, color, permille, (weights, c, target) => {
        const total = weights.Blue + weights.Green
        const exact = total > 0 && weights[c] * FULL === target * total
        expect(sameSplit(splitOfWeights(weights), splitFor(c, target))).toBe(exact)
      }),
      { numRuns: 500 }
    )
  })

  it('shows a read split rounded to the nearest tenth of a percent', () => {
    fc.assert(
      fc.property(rawWeights, color, (weights, c) => {
        fc.pre(weights.Blue + weights.Green > 0)
        const exact = (weights[c] * FULL) / (weights.Blue + weights.Green)
        const shown = shownPercents(formatSplit(splitOfWeights(weights)))[c]
        expect(Math.abs(shown * 10 - exact)).toBeLessThanOrEqual(0.5)
      }),
      { numRuns: 200 }
    )
  })
})
