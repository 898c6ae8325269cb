/**
 * Concurrency pairs: two jobs (different GITHUB_RUN_IDs) started at once, ten trials each. A trial
 * passes when one job refuses and leaves nothing behind while the other reports the live state,
 * or both succeed and both report it; and the live state is valid.
 */
import { describe, expect, it } from '@jest/globals'
import { useSandbox } from '../harness.js'
import { runPair, TRIALS, type PairResult } from './concurrency.js'
import { PAIRS } from './scenarios.js'

const sandbox = useSandbox({ resetEach: false })

const inconsistencies = (result: PairResult) =>
  result.counts.inconsistent === 0
    ? []
    : [
        `${result.pair}: ${result.counts.inconsistent}/${result.trials} inconsistent`,
        ...[...result.problems].map(([problem, n]) => `  ${problem} (${n}×)`)
      ]

describe('two jobs at once', () => {
  it.each(PAIRS.map((p) => [p.name, p] as const))(
    '%s: every trial consistent or cleanly refused',
    async (_, pair) => {
      expect(inconsistencies(await runPair(sandbox, pair, TRIALS))).toEqual([])
    },
    120_000
  )
})
