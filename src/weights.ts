import type { Color, PerColor } from './color.js'

/**
 * Traffic shares are kept in tenths of a percent (permille, 0..1000) so that one decimal of a
 * percent is exact integer arithmetic.
 */
export type Permille = number

export const FULL: Permille = 1000

/** Parses `0`..`100` with at most one decimal; returns undefined when the text is not that. */
export function parsePercent(text: string): Permille | undefined {
  const match = /^(\d{1,3})(?:\.(\d))?$/.exec(text.trim())
  if (!match) return undefined
  const permille = Number(match[1]) * 10 + Number(match[2] ?? 0)
  return permille <= FULL ? permille : undefined
}

/** `105` → `"10.5"`, `100` → `"10"`. */
export function formatPercent(permille: Permille): string {
  const whole = Math.floor(permille / 10)
  const tenth = permille % 10
  return tenth === 0 ? String(whole) : `${whole}.${tenth}`
}

/** A share as a JSON-friendly number of percent. */
export function percentNumber(permille: Permille): number {
  return permille / 10
}

/**
 * ALB weights for a canary share. ALB weights are integers 0..999 and relative, so whole
 * percents are written as percents (readable in the console) and tenths as weights out of 1000;
 * a share with a tenth is never 0 or 1000 permille, so neither weight reaches 1000.
 */
export function albWeightsFor(canary: Color, stable: Color, share: Permille): PerColor<number> {
  const scale = share % 10 === 0 ? 10 : 1
  const weights = { [canary]: share / scale, [stable]: (FULL - share) / scale }
  return weights as PerColor<number>
}

/** The exact share of `color` among raw weights, or undefined when all weights are zero. */
export function shareOf(color: Color, weights: PerColor<number>): number | undefined {
  const total = weights.Blue + weights.Green
  return total === 0 ? undefined : (weights[color] * FULL) / total
}

/** Share of `color` rounded to a tenth of a percent, for display and outputs. */
export function roundedShareOf(color: Color, weights: PerColor<number>): Permille | undefined {
  const share = shareOf(color, weights)
  return share === undefined ? undefined : Math.round(share)
}

/** True when `color` gets exactly `target` permille of the traffic. */
export function hasShare(color: Color, weights: PerColor<number>, target: Permille): boolean {
  const total = weights.Blue + weights.Green
  return total > 0 && weights[color] * FULL === target * total
}
