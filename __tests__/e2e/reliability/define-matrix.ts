/** The Jest side of the crash and outage matrices: one test per scenario, every boundary. */
import { describe, expect, it } from '@jest/globals'
import { useSandbox } from '../harness.js'
import { cleanRun, listCases, runCases, WORKERS, type CaseResult, type Matrix } from './cases.js'
import { SCENARIOS } from './scenarios.js'

const TIMEOUT_MS = 180_000

const failures = (results: CaseResult[]) =>
  results.filter((r) => r.problems.length > 0).map((r) => `${r.id}: ${r.problems.join('; ')}`)

export function defineMatrix(matrix: Matrix, title: string): void {
  const sandboxes = Array.from({ length: WORKERS }, () => useSandbox({ resetEach: false }))

  describe(title, () => {
    it.each(SCENARIOS.map((s) => [s.name, s] as const))(
      '%s: every boundary converges',
      async (_, scenario) => {
        expect((await cleanRun(sandboxes[0], scenario)).writes).toBeGreaterThan(0)
        const cases = await listCases(sandboxes[0], matrix, [scenario])
        expect(failures(await runCases(sandboxes, cases))).toEqual([])
      },
      TIMEOUT_MS
    )
  })
}
