/**
 * `npm run bench`: the bundled action run as a runner runs it against the sandbox, written to
 * BENCHMARK.md. Per mode: start-up, wall time without and with added latency, AWS calls and
 * sequential round trips (bench/modes.ts; the modes and their call chains in bench/scenarios.ts);
 * start-up reference points measured beside it (bench/startup.ts); how fast a canary rolls back
 * after an alarm and after SIGINT (bench/reaction.ts), and how fast canary analysis at its
 * defaults rolls back a canary that goes bad (bench/analysis.ts, BENCH_ANALYSIS_RUNS runs, default
 * 2: minutes each). BENCH_RUNS (default 7) runs of each other measurement;
 * BENCH_COMPARE_ACTION and BENCH_COMPARE_INPUTS add another action's start-up. BENCH_ONLY=startup
 * or BENCH_ONLY=analysis measures that part alone and replaces its section of BENCHMARK.md.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { LATENCY_MS, measureModes, roundTrips } from './bench/modes.js'
import { measureAnalysis } from './bench/analysis.js'
import { measureReactions } from './bench/reaction.js'
import { analysisReaction, references, renderReport, startupGoal } from './bench/report.js'
import { BenchError, clock } from './bench/runs.js'
import { median } from './bench/stats.js'
import {
  buildSdkBundle,
  compareConfig,
  measureReferences,
  minifyAction,
  REFERENCE_BUNDLES,
  type MinifiedAction,
  type SdkBundle
} from './bench/startup.js'
import { startSandbox } from './server.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
/** Analysis at its defaults takes minutes a run. */
const ANALYSIS_RUNS = Number(process.env.BENCH_ANALYSIS_RUNS ?? 2)

/** `text` with the section under `heading` replaced by `section` (added at the end if missing). */
function spliceSection(text: string, heading: string, section: string): string {
  const start = text.indexOf(heading)
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + heading.length)
  const next =
    start < 0
      ? `${text.trimEnd()}\n\n${section}`
      : `${text.slice(0, start)}${section}${end < 0 ? '' : text.slice(end)}`
  return next.endsWith('\n') ? next : `${next}\n`
}

/** How a section measured on its own says when and under what load it was measured. */
function measuredAlone(only: string, load: number): string {
  return (
    `Measured on ${new Date().toISOString().slice(0, 10)} by \`BENCH_ONLY=${only} npm run bench\` ` +
    `on Node ${process.version}, one-minute load average ${load.toFixed(2)} at the start and ` +
    `${loadavg()[0].toFixed(2)} at the end (the rest of this file comes from its own run).`
  )
}

/**
 * `BENCH_ONLY=analysis`: measures canary analysis alone and replaces (or adds) its section of
 * BENCHMARK.md, leaving the other measurements as their run wrote them.
 */
async function analysisOnly(): Promise<void> {
  const sandbox = await startSandbox({ steadyDelayMs: 0 })
  const load = loadavg()[0]
  try {
    console.log(`Canary analysis at its defaults, ${ANALYSIS_RUNS} runs (minutes each)…`)
    const samples = await measureAnalysis(sandbox, ANALYSIS_RUNS)
    const [heading, ...rest] = analysisReaction({ runs: ANALYSIS_RUNS, samples })
    const section = [heading, '', measuredAlone('analysis', load), ...rest].join('\n')
    writeFileSync(
      'BENCHMARK.md',
      spliceSection(readFileSync('BENCHMARK.md', 'utf8'), heading, section)
    )
    console.log('\nWrote the canary analysis section of BENCHMARK.md')
  } finally {
    await sandbox.stop()
  }
}

/** The reference bundles and the minified action, built at the start of a start-up measurement. */
async function buildReferences(): Promise<{
  bundles: { name: string; bundle: SdkBundle }[]
  sdkBuildMs: number
  minified: MinifiedAction
}> {
  console.log('Building the reference bundles with ncc and minifying the action…')
  const bundles: { name: string; bundle: SdkBundle }[] = []
  const built = clock()
  try {
    for (const { name, source } of REFERENCE_BUNDLES) {
      bundles.push({ name, bundle: await buildSdkBundle(source) })
    }
    const sdkBuildMs = clock() - built
    return { bundles, sdkBuildMs, minified: await minifyAction() }
  } catch (err) {
    for (const { bundle } of bundles) bundle.dispose()
    throw err
  }
}

/**
 * `BENCH_ONLY=startup`: the start-up reference points alone (about a minute), replacing their
 * section of BENCHMARK.md and the start-up row of its goals.
 */
async function startupOnly(): Promise<void> {
  const compare = compareConfig()
  const sandbox = await startSandbox({ steadyDelayMs: 0 })
  const load = loadavg()[0]
  const { bundles, sdkBuildMs, minified } = await buildReferences()
  try {
    console.log(`Start-up reference points, ${RUNS} runs…`)
    const refs = await measureReferences(sandbox, RUNS, bundles, compare, minified)
    const [heading, ...rest] = references({
      references: refs,
      sdkBuildMs,
      minifyBuildMs: minified.buildMs,
      runs: RUNS
    })
    const section = [heading, '', measuredAlone('startup', load), ...rest].join('\n')
    let text = spliceSection(readFileSync('BENCHMARK.md', 'utf8'), heading, section)
    const goal = startupGoal(refs)
    const GOAL_ROW = /^\| start-up ÷ another action \|.*$/m
    if (goal && GOAL_ROW.test(text)) text = text.replace(GOAL_ROW, `| ${goal.join(' | ')} |`)
    writeFileSync('BENCHMARK.md', text)
    console.log(rest.filter((line) => line.startsWith('|')).join('\n'))
    if (goal) console.log(`\nGoal: ${goal.join(' | ')}`)
    console.log('\nWrote the start-up section of BENCHMARK.md')
  } finally {
    for (const { bundle } of bundles) bundle.dispose()
    minified.dispose()
    await sandbox.stop()
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new BenchError('BENCH_RUNS must be 1 or more')
  if (process.env.BENCH_ONLY === 'analysis') return analysisOnly()
  if (process.env.BENCH_ONLY === 'startup') return startupOnly()
  const compare = compareConfig()
  const started = clock()
  const load = loadavg()[0]
  const fast = await startSandbox({ steadyDelayMs: 0 })
  const slow = await startSandbox({ steadyDelayMs: 0, latencyMs: LATENCY_MS })
  let bundles: { name: string; bundle: SdkBundle }[] = []
  let minified: MinifiedAction | undefined
  try {
    const built = await buildReferences()
    bundles = built.bundles
    minified = built.minified
    const { sdkBuildMs } = built
    console.log(`Start-up reference points, ${RUNS} runs…`)
    const references = await measureReferences(fast, RUNS, bundles, compare, minified)
    for (const ref of references) {
      console.log(`  ${ref.name}: ${ref.skipped ?? `${median(ref.samples).toFixed(0)} ms`}`)
    }
    console.log(`Modes, ${RUNS} runs each without and with ${LATENCY_MS} ms latency…`)
    const modes = await measureModes(fast, slow, RUNS, ({ scenario, plain, delayed }) => {
      const startup = median(plain.map((s) => s.startupMs)).toFixed(0)
      const trips = median(delayed.map(roundTrips)).toFixed(1)
      console.log(`  ${scenario.name}: start-up ${startup} ms, ${trips} round trips`)
    })
    console.log(`Reaction times, ${RUNS} runs each…`)
    const reactions = await measureReactions(fast, RUNS)
    console.log(`Canary analysis at its defaults, ${ANALYSIS_RUNS} runs (minutes each)…`)
    const analysis = await measureAnalysis(fast, ANALYSIS_RUNS)
    const durationMs = clock() - started
    const load1 = loadavg()[0]
    writeFileSync(
      'BENCHMARK.md',
      renderReport({
        runs: RUNS,
        modes,
        references,
        sdkBuildMs,
        minifyBuildMs: minified.buildMs,
        reactions,
        analysis: { runs: ANALYSIS_RUNS, samples: analysis },
        load: [load, load1],
        durationMs
      })
    )
    console.log(`\nWrote BENCHMARK.md (${(durationMs / 1000).toFixed(0)} s)`)
  } finally {
    for (const { bundle } of bundles) bundle.dispose()
    minified?.dispose()
    await Promise.all([fast.stop(), slow.stop()])
  }
}

await main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof BenchError ? err.message : err}`)
  if (!(err instanceof BenchError) && err instanceof Error) console.error(err.stack)
  process.exitCode = 1
})
