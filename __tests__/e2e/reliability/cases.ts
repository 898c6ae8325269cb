/**
 * One case of a reliability matrix, run against a sandbox and judged: the code both the Jest
 * tests and scripts/reliability.ts call, so the figures in docs/reliability.md are the ones the
 * tests check. A case never throws for what the action did; it returns its problems.
 */
import type { ChildProcess } from 'node:child_process'
import type { Sandbox } from '../../../sandbox/server.js'
import { step, type Step } from '../step.js'
import { issuedRunIds, newRunId, runEnv } from './run-env.js'
import { resetTo, type Scenario } from './scenarios.js'
import { differences } from './compare.js'
import { snapshot, type Snapshot } from './snapshot.js'
import { falseClaims } from './statement.js'

export type Matrix = 'crash' | 'outage'

/**
 * Sandboxes the cases are spread over. Two: each action run is mostly Node starting up on one
 * core, and two at a time took 23 s where one at a time took 37 s for the crash matrix.
 */
export const WORKERS = 2

export interface Case {
  matrix: Matrix
  scenario: Scenario
  /** The write the crash follows, or the first write the outage fails (1 = the first). */
  k: number
}

export interface CaseResult {
  /** `<scenario> @<k>`, the name the known-failing lists use. */
  id: string
  scenario: string
  k: number
  problems: string[]
}

export interface Clean {
  /** The state the scenario's one clean run ends in: every case must converge to it. */
  target: Snapshot
  /** Successful writes of the clean run: the boundaries k = 1..writes. */
  writes: number
  /** Their operations, in order (write k is `operations[k - 1]`). */
  operations: string[]
}

export const caseId = (c: { scenario: { name: string }; k: number }) => `${c.scenario.name} @${c.k}`

/** The live state, with this process's run ids taken out of tag values. */
export const shot = (sandbox: Sandbox): Snapshot =>
  snapshot(sandbox.world, { runIds: issuedRunIds() })

const cleanRuns = new Map<string, Clean>()

/** The scenario's clean run (made once per process): its end state and write count. */
export async function cleanRun(sandbox: Sandbox, scenario: Scenario): Promise<Clean> {
  const known = cleanRuns.get(scenario.name)
  if (known) return known
  await resetTo(sandbox, scenario)
  const run = await step(sandbox, scenario.inputs, { env: runEnv('new', 1) })
  if (run.code !== 0) {
    throw new Error(`the clean run of "${scenario.name}" failed:\n${run.stdout}${run.stderr}`)
  }
  const operations = succeeded(run).map((w) => w.operation)
  const clean = { target: shot(sandbox), writes: operations.length, operations }
  cleanRuns.set(scenario.name, clean)
  return clean
}

/** Every case of a matrix for these scenarios: k = 1..N, N the clean run's writes. */
export async function listCases(
  sandbox: Sandbox,
  matrix: Matrix,
  scenarios: readonly Scenario[]
): Promise<Case[]> {
  const cases: Case[] = []
  for (const scenario of scenarios) {
    const { writes } = await cleanRun(sandbox, scenario)
    for (let k = 1; k <= writes; k++) cases.push({ matrix, scenario, k })
  }
  return cases
}

/**
 * Runs cases over a pool of sandboxes, one case at a time on each: cases share nothing but the
 * clean runs, which listCases has made already. Results come back in the order of `cases`.
 */
export async function runCases(
  sandboxes: readonly Sandbox[],
  cases: readonly Case[]
): Promise<CaseResult[]> {
  const results: CaseResult[] = []
  let next = 0
  await Promise.all(
    sandboxes.map(async (sandbox) => {
      for (let i = next++; i < cases.length; i = next++)
        results[i] = await runCase(sandbox, cases[i])
    })
  )
  return results
}

export async function runCase(sandbox: Sandbox, c: Case): Promise<CaseResult> {
  const clean = await cleanRun(sandbox, c.scenario)
  const problems =
    c.matrix === 'crash' ? await crashAt(sandbox, c, clean) : await outageFrom(sandbox, c, clean)
  return { id: caseId(c), scenario: c.scenario.name, k: c.k, problems }
}

/**
 * SIGKILL right after the kth successful write is applied, before the action sees the answer;
 * then the same job is rerun (same run id, attempt 2). It must exit 0 and leave the clean state.
 */
async function crashAt(sandbox: Sandbox, { scenario, k }: Case, clean: Clean): Promise<string[]> {
  await resetTo(sandbox, scenario)
  const runId = newRunId()
  let child: ChildProcess | undefined
  sandbox.faults.afterNthWrite(
    k,
    () =>
      new Promise<void>((resolve) => {
        child!.once('exit', () => resolve())
        child!.kill('SIGKILL')
      })
  )
  const crashed = await step(sandbox, scenario.inputs, {
    env: runEnv(runId, 1),
    onSpawn: (spawned) => (child = spawned)
  })
  sandbox.faults.clear()
  if (crashed.signal !== 'SIGKILL') {
    return [
      `not killed: it ended with exit ${crashed.code} after ${succeeded(crashed).length} writes`
    ]
  }
  return rerunProblems(sandbox, scenario, runId, clean)
}

/**
 * Every write from the kth on fails (HTTP 503, until cleared). The run must exit 1 with one error
 * whose last sentence tells truly what changed; once the outage ends, a rerun of the same job
 * must exit 0 and leave the clean state.
 */
async function outageFrom(sandbox: Sandbox, { scenario, k }: Case, clean: Clean) {
  await resetTo(sandbox, scenario)
  const before = shot(sandbox)
  const runId = newRunId()
  sandbox.faults.failWritesFrom(k)
  const failed = await step(sandbox, scenario.inputs, { env: runEnv(runId, 1) })
  sandbox.faults.clear()
  const problems: string[] = []
  if (failed.code !== 1) problems.push(`exit ${failed.code} during the outage, not 1`)
  if (failed.errors.length !== 1) {
    problems.push(`${failed.errors.length} ::error:: lines during the outage, not 1`)
  } else {
    problems.push(...falseClaims(failed.errors[0], shot(sandbox), before).map((p) => `error: ${p}`))
  }
  return [...problems, ...(await rerunProblems(sandbox, scenario, runId, clean))]
}

async function rerunProblems(sandbox: Sandbox, scenario: Scenario, runId: string, clean: Clean) {
  const rerun = await step(sandbox, scenario.inputs, { env: runEnv(runId, 2) })
  const problems: string[] = []
  if (rerun.code !== 0) problems.push(`rerun exit ${rerun.code}: ${rerun.errors.join(' | ')}`)
  problems.push(...differences(shot(sandbox), clean.target).map((d) => `rerun left ${d}`))
  return problems
}

/** The run's write requests that AWS answered with success. */
export const succeeded = (run: Step) => run.writes.filter((w) => w.status === 200)
