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

  // Pairs that still race now and then: every trial must end in a valid state, and every job that
  // failed must say truly what it left. How often the strict rule above holds for them is in
  // docs/reliability.md (npm run reliability).
  it(`FAILING TODAY, concurrency (${FAILING_TODAY.concurrency.length} pairs in failing-today.ts): valid end states, true errors`, async () => {
    const names = PAIRS.map((p) => p.name)
    expect(FAILING_TODAY.concurrency.filter((name) => !names.includes(name))).toEqual([])
    const found: string[] = []
    for (const pair of PAIRS.filter((p) => failsToday('concurrency', p.name))) {
      const result = await runPair(sandbox, pair, TRIALS)
      const hard = [...result.problems].filter(
        ([problem]) =>
          problem.startsWith('invalid state') || problem.includes('failed, and its error')
      )
      found.push(...hard.map(([problem, n]) => `${pair.name}: ${problem} (${n}×)`))
    }
    expect(found).toEqual([])
  }, 180_000)
})
