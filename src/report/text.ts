import type { Color } from '../color.js'
import { formatPercent, roundedSplit, type Split } from '../shares.js'

/** A colour's share of the traffic as a percent string, or `0` when nothing is routed. */
export function percentOf(color: Color, split: Split): string {
  return formatPercent(roundedSplit(split)[color])
}

/** `90 s`, `5 min`, `1 min 30 s`: a duration as a reader says it. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
}
