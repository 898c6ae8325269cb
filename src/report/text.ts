import { COLORS, type Color, type PerColor } from '../color.js'
import { formatPercent, roundedShareOf } from '../weights.js'

/** A colour's share of the traffic as a percent string, or `n/a` when every weight is zero. */
export function percentOf(color: Color, weights: PerColor<number>): string {
  const share = roundedShareOf(color, weights)
  return share === undefined ? 'n/a' : formatPercent(share)
}

/** `Blue 90% / Green 10%` — shares, since raw ALB weights are relative. */
export function formatWeights(weights: PerColor<number>): string {
  return COLORS.map((color) => `${color} ${percentOf(color, weights)}%`).join(' / ')
}
