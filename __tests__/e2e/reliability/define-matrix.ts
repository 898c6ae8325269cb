/**
 * The Jest side of the crash and outage matrices: one test per scenario for the cases expected to
 * pass, and one test for all the cases that fail today (failing-today.ts), so that what is
 * still broken is visible at a glance. Both assert the same thing through runCases.
 */
import { describe, expect, it } from '@jest/globals'
import { useSandbox } from '../harness.js'
import {
  caseId,
  cleanRun,
  listCases,
  runCases,
  WORKERS,
  type CaseResult,
  type Matrix
} from './cases.js'
import { FAILING_TODAY, failsToday } from './failing-today.js'
import { SCENARIOS } from './scenarios.js'

const TIMEOUT_MS = 180_000

const failures = (results: CaseResult[]) =>
  results.filter((r) => r.problems.length > 0).map((r) => `${r.id}: ${r.problems.join('; ')}`)

export function defineMatrix(matrix: Matrix, title: string): void {
  const sandboxes = Array.from({ length: WORKERS }, () => useSandbox({ resetEach: false }))
  const known: readonly string[] = FAILING_TODAY[matrix]

  describe(title, () => {
    it.each(SCENARIOS.map((s) => [s.name, s] as const))(
      '%s: every boundary converges',
      async (_, scenario) => {
        expect((await cleanRun(sandboxes[0], scenario)).writes).toBeGreaterThan(0)
        const cases = await listCases(sandboxes[0], matrix, [scenario])
        const expected = cases.filter((c) => !failsToday(matrix, caseId(c)))
        expect(failures(await runCases(sandboxes, expected))).toEqual([])
      },
      TIMEOUT_MS
    )

    it(
      `FAILING TODAY, ${matrix} matrix (${known.length} cases in failing-today.ts)`,
      async () => {
        const cases = await listCases(sandboxes[0], matrix, SCENARIOS)
        const ids = cases.map(caseId)
        // An id that names no case went stale: the write counts moved.
        expect(known.filter((id) => !ids.includes(id))).toEqual([])
        const failing = cases.filter((c) => failsToday(matrix, caseId(c)))
        expect(failures(await runCases(sandboxes, failing))).toEqual([])
      },
      TIMEOUT_MS
    )
  })
}
