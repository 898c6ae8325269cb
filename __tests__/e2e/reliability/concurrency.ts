/**
 * Two jobs started at once against one sandbox, no added latency. A trial passes when the live
 * state is valid and either one job refuses (exit 1, nothing it wrote left behind) and the
 * other's report equals the live state; or both fail and each error's last sentence is true of
 * the live state; or both succeed, each report equals the state its last read found (its final
 * look: a job that finished first reported what was true then, as a run before the other would),
 * and the job that exited last left the live state.
 */
import type { Sandbox } from '../../../sandbox/server.js'
import { step, type Step } from '../step.js'
import { cleanRun, shot, succeeded } from './cases.js'
import { runEnv } from './run-env.js'
import { resetTo, type Pair } from './scenarios.js'
import { differences, invalidities, sharesOf } from './compare.js'
import type { Snapshot } from './snapshot.js'
import { falseClaims } from './statement.js'

export type TrialOutcome = 'consistent' | 'refused' | 'inconsistent'

export interface Trial {
  outcome: TrialOutcome
  /** Why it is inconsistent (empty otherwise). */
  problems: string[]
}

/** Trials per pair: enough to see a race that is lost one time in a few. */
export const TRIALS = 10

const JOBS = ['job-a', 'job-b'] as const

export interface PairResult {
  pair: string
  trials: number
  counts: Record<TrialOutcome, number>
  /** Each distinct problem seen, with the number of trials it was seen in. */
  problems: Map<string, number>
}

/** The reads that look at the route or the service's tags. */
const STATE_READS = new Set([
  'DescribeRules',
  'DescribeListeners',
  'ListTagsForResource',
  'DescribeServices',
  'DescribeTaskSets'
])

/** `trials` trials of one pair, one after the other (they race each other only within a trial). */
export async function runPair(sandbox: Sandbox, pair: Pair, trials: number): Promise<PairResult> {
  const result: PairResult = {
    pair: pair.name,
    trials,
    counts: { consistent: 0, refused: 0, inconsistent: 0 },
    problems: new Map()
  }
  for (let i = 0; i < trials; i++) {
    const trial = await runTrial(sandbox, pair)
    result.counts[trial.outcome] += 1
    for (const p of trial.problems) result.problems.set(p, (result.problems.get(p) ?? 0) + 1)
  }
  return result
}

export async function runTrial(sandbox: Sandbox, pair: Pair): Promise<Trial> {
  await resetTo(sandbox, pair)
  const before = shot(sandbox)
  // Each job's report is what it read last of the route and the tags (its final look), so it is
  // judged against the world as that read found it. Reads of other things after that look (the
  // task definitions for the report) do not count: a run that takes the lease once this one
  // released it may change the route meanwhile, and this one's report is still true.
  const lastRead: Snapshot[] = []
  const exitedAt: number[] = []
  sandbox.observe = (entry) => {
    const job = JOBS.findIndex((name) => name === entry.caller)
    if (job >= 0 && STATE_READS.has(entry.operation)) lastRead[job] = shot(sandbox)
  }
  const [a, b] = await Promise.all(
    [pair.a, pair.b].map((inputs, i) =>
      step(sandbox, inputs, {
        env: runEnv('new', 1, JOBS[i]),
        onSpawn: (child) => child.on('exit', () => (exitedAt[i] = performance.now()))
      }).then((run) => ({
        ...run,
        writes: run.writes.filter((w) => w.caller === JOBS[i])
      }))
    )
  )
  sandbox.observe = undefined
  const live = shot(sandbox)
  const problems = invalidities(live).map((p) => `invalid state: ${p}`)
  let outcome: TrialOutcome
  if (a.code === 0 && b.code === 0) {
    problems.push(...reportProblems('a', a, lastRead[0]), ...reportProblems('b', b, lastRead[1]))
    // The job that exited last left the live state; it must say so.
    const last = exitedAt[0] > exitedAt[1] ? 0 : 1
    problems.push(...reportProblems(last === 0 ? 'a' : 'b', last === 0 ? a : b, live))
    outcome = 'consistent'
  } else if (a.code === 0 || b.code === 0) {
    const [name, winner, loser] = a.code === 0 ? (['a', a, b] as const) : (['b', b, a] as const)
    problems.push(...reportProblems(name, winner, live))
    if (loser.code !== 1) problems.push(`the other job ended with exit ${loser.code}, not 1`)
    problems.push(...(await leftBehind(sandbox, pair, loser, name, live)))
    outcome = 'refused'
  } else {
    // Both stopped: the state must still be one state, and each must say truly what it left.
    for (const [name, run] of [
      ['a', a],
      ['b', b]
    ] as const) {
      if (run.code !== 1) problems.push(`job ${name} ended with exit ${run.code}, not 1`)
      const claims = falseClaims(run.errors.at(-1) ?? '', live, before)
      problems.push(...claims.map((c) => `job ${name} failed, and its error: ${c}`))
    }
    outcome = 'refused'
  }
  return { outcome: problems.length > 0 ? 'inconsistent' : outcome, problems }
}

/** The job's `weights` and `stable-color` outputs against the state when it exited. */
function reportProblems(name: string, run: Step, live: Snapshot): string[] {
  const reported = parseWeights(run.outputs.weights)
  const shares = sharesOf(live)
  const problems: string[] = []
  if (!reported || reported.Blue !== shares.Blue || reported.Green !== shares.Green) {
    problems.push(
      `job ${name} reports weights ${run.outputs.weights}, live ${JSON.stringify(shares)}`
    )
  }
  if (run.outputs['stable-color'] !== live.tags.StableStack) {
    problems.push(
      `job ${name} reports stable ${run.outputs['stable-color']}, live ${live.tags.StableStack}`
    )
  }
  return problems
}

/**
 * Nothing the refusing job wrote may remain: it wrote nothing, or the live state is the one the
 * other job reaches alone from the same start.
 */
async function leftBehind(
  sandbox: Sandbox,
  pair: Pair,
  loser: Step,
  winner: 'a' | 'b',
  live: Snapshot
): Promise<string[]> {
  if (succeeded(loser).length === 0) return []
  const alone = await cleanRun(sandbox, {
    name: `${pair.name} / ${winner} alone`,
    setup: pair.setup,
    inputs: winner === 'a' ? pair.a : pair.b
  })
  const wrote = succeeded(loser).map((w) => w.operation)
  return differences(live, alone.target).map(
    (d) => `the refusing job wrote ${wrote.join(', ')}; live ${d.replace('clean', 'other alone')}`
  )
}

function parseWeights(text: string | undefined): { Blue: number; Green: number } | undefined {
  try {
    return JSON.parse(text ?? '') as { Blue: number; Green: number }
  } catch {
    return undefined
  }
}
