import { COLORS, otherColor, type Color, type PerColor } from './color.js'

/**
 * Traffic shares are kept in tenths of a percent (permille, 0..1000) so that one decimal of a
 * percent is exact integer arithmetic. Every router encodes shares in its own units; the planner
 * and the report only ever see shares.
 */
export type Permille = number

export const FULL: Permille = 1000

/**
 * Each colour's share of the traffic, in permille. The two add up to 1000, or are both 0 when the
 * route sends nothing anywhere (ALB weights of 0 and 0). A share read from raw weights can be
 * fractional (1 of 3 is 333.33…); a share the action writes is whole.
 */
export type Split = PerColor<number>

/** The split that gives `canary` exactly `share` and the other colour the rest. */
export function splitFor(canary: Color, share: Permille): Split {
  return { [canary]: share, [otherColor(canary)]: FULL - share } as Split
}

/** True when nothing is routed to either colour. */
export function isEmpty(split: Split): boolean {
  return split.Blue === 0 && split.Green === 0
}

/** True when both colours have the same share (exact: whole targets against read shares). */
export function sameSplit(a: Split, b: Split): boolean {
  return COLORS.every((color) => a[color] === b[color])
}

/** Parses `0`..`100` with at most one decimal; returns undefined when the text is not that. */
export function parsePercent(text: string): Permille | undefined {
  const match = /^(\d{1,3})(?:\.(\d))?$/.exec(text.trim())
  if (!match) return undefined
  const permille = Number(match[1]) * 10 + Number(match[2] ?? 0)
  return permille <= FULL ? permille : undefined
}

/** `105` → `"10.5"`, `100` → `"10"`; a fractional share is rounded to a tenth of a percent. */
export function formatPercent(permille: Permille): string {
  const rounded = Math.round(permille)
  const whole = Math.floor(rounded / 10)
  const tenth = rounded % 10
  return tenth === 0 ? String(whole) : `${whole}.${tenth}`
}

/** A share as a JSON-friendly number of percent, to a tenth. */
export function percentNumber(permille: Permille): number {
  return Math.round(permille) / 10
}

/**
 * A split rounded to whole permille for display, still adding up to 1000: Blue is rounded and
 * Green gets the rest, so 1 of 399 shows as 0.3 % and 99.7 %, not 99.8 %.
 */
export function roundedSplit(split: Split): Split {
  if (isEmpty(split)) return { Blue: 0, Green: 0 }
  const blue = Math.round(split.Blue)
  return { Blue: blue, Green: FULL - blue }
}

/** `Blue 90% / Green 10%`, or `… (nothing routed)` when both shares are 0. */
export function formatSplit(split: Split): string {
  if (isEmpty(split)) return 'Blue 0% / Green 0% (nothing routed)'
  const shown = roundedSplit(split)
  return COLORS.map((color) => `${color} ${formatPercent(shown[color])}%`).join(' / ')
}
