/**
 * Comparing snapshots: how a rerun's state differs from the clean run's, what makes a live state
 * unusable, and the traffic shares a state gives, as the action reports them.
 */
import type { Snapshot } from './snapshot.js'

const COLORS = ['Blue', 'Green'] as const

/**
 * How `got` differs from `want`, one entry per differing field (`tags.X`, `scale.Blue`, …), each
 * as `field got (clean: want)`; rule lists by their length, which is what differs in practice.
 */
export function differences(got: Snapshot, want: Snapshot): string[] {
  const out: string[] = []
  const keys = [...new Set([...Object.keys(got), ...Object.keys(want)])] as (keyof Snapshot)[]
  for (const key of keys) {
    const [g, w] = [got[key], want[key]]
    if (JSON.stringify(g) === JSON.stringify(w)) continue
    if (Array.isArray(g) || Array.isArray(w) || !isRecord(g) || !isRecord(w)) {
      out.push(`${key} ${brief(g)} (clean: ${brief(w)})`)
      continue
    }
    for (const field of [...new Set([...Object.keys(g), ...Object.keys(w)])].sort()) {
      if (g[field] !== w[field])
        out.push(`${key}.${field} ${brief(g[field])} (clean: ${brief(w[field])})`)
    }
  }
  return out
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

function brief(value: unknown): string {
  if (value === undefined) return 'none'
  if (Array.isArray(value)) return `${value.length} rule(s)`
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** What makes a live state unusable whoever wrote it: no stable colour, or two test rules. */
export function invalidities(shot: Snapshot, tagKey = 'StableStack'): string[] {
  const problems: string[] = []
  const stable = shot.tags[tagKey]
  if (stable !== 'Blue' && stable !== 'Green') {
    problems.push(`the ${tagKey} tag is ${stable === undefined ? 'missing' : `"${stable}"`}`)
  }
  if (shot.testRules.length > 1) problems.push(`${shot.testRules.length} test rules`)
  return problems
}

/** Each colour's share of the weighted rule in percent, to a tenth, as the `weights` output. */
export function sharesOf(shot: Snapshot): Record<string, number> {
  const total = COLORS.reduce((sum, c) => sum + (shot.weights[c] ?? 0), 0)
  return Object.fromEntries(
    COLORS.map((c) => [
      c,
      total === 0 ? 0 : Math.round(((shot.weights[c] ?? 0) * 1000) / total) / 10
    ])
  )
}
