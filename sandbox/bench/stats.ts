/** Summaries of the bench's samples. */

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** `min–max`, rounded to `digits`. */
export function range(values: number[], digits = 0): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
}

/** `runs` values spread evenly from `from` to `to` (the middle one for a single run). */
export function spread(from: number, to: number, runs: number): number[] {
  if (runs <= 1) return [(from + to) / 2]
  return Array.from({ length: runs }, (_, i) => from + ((to - from) * i) / (runs - 1))
}
