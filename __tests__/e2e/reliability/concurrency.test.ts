/**
 * Concurrency pairs: two jobs (different GITHUB_RUN_IDs) started at once, ten trials each. A trial
 * passes when one job refuses and leaves nothing behind while the other reports the live state,
 * or both succeed and both report it; and the live state is valid.
 */
import { describe, expect, it } from '@jest/globals'
import { useSandbox } from '../harness.js'
import { runPair, TRIALS, type PairResult } from './concurrency.js'
import { FAILING_TODAY, failsToday } from './failing-today.js'
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
  it.each(PAIRS.filter((p) => !failsToday('concurrency', p.name)).map((p) => [p.name, p] as const))(
    '%s: every trial consistent or cleanly refused',
    async (_, pair) => {
      expect(inconsistencies(await runPair(sandbox, pair, TRIALS))).toEqual([])
    },
    120_000
  )

  it(`FAILING TODAY, concurrency (${FAILING_TODAY.concurrency.length} pairs in failing-today.ts)`, async () => {
    const names = PAIRS.map((p) => p.name)
    expect(FAILING_TODAY.concurrency.filter((name) => !names.includes(name))).toEqual([])
    const found: string[] = []
    for (const pair of PAIRS.filter((p) => failsToday('concurrency', p.name))) {
      found.push(...inconsistencies(await runPair(sandbox, pair, TRIALS)))
    }
    expect(found).toEqual([])
  }, 180_000)
})
