/**
 * `npm run bench`: the bundled action run as a runner runs it against the sandbox, written to
 * BENCHMARK.md. Per mode: start-up, wall time without and with added latency, AWS calls and
 * sequential round trips (bench/modes.ts; the modes and their call chains in bench/scenarios.ts);
 * start-up reference points measured beside it (bench/startup.ts); how fast a canary rolls back
 * after an alarm and after SIGINT (bench/reaction.ts), and how fast canary analysis at its
 * defaults rolls back a canary that goes bad (bench/analysis.ts, BENCH_ANALYSIS_RUNS runs, default
 * 2: minutes each). BENCH_RUNS (default 7) runs of each other measurement;
 * BENCH_COMPARE_ACTION and BENCH_COMPARE_INPUTS add another action's start-up.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { LATENCY_MS, measureModes, roundTrips } from './bench/modes.js'
import { measureAnalysis } from './bench/analysis.js'
import { measureReactions } from './bench/reaction.js'
import { analysisReaction, renderReport } from './bench/report.js'
import { BenchError, clock } from './bench/runs.js'
import { median } from './bench/stats.js'
import {
  buildMinifiedAction,
  buildSdkBundle,
  compareConfig,
  measureReferences,
  REFERENCE_BUNDLES,
  type SdkBundle
} from './bench/startup.js'
import { startSandbox } from './server.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
/** Analysis at its defaults takes minutes a run. */
const ANALYSIS_RUNS = Number(process.env.BENCH_ANALYSIS_RUNS ?? 2)

const SECTION = '## Canary analysis reaction'

/**
 * `BENCH_ONLY=analysis`: measures canary analysis alone and replaces (or adds) its section of
 * BENCHMARK.md, leaving the other measurements as their run wrote them; the section says when
 * and under what load it was measured.
 */
async function analysisOnly(): Promise<void> {
  const sandbox = await startSandbox({ steadyDelayMs: 0 })
  const load = loadavg()[0]
  try {
    console.log(`Canary analysis at its defaults, ${ANALYSIS_RUNS} runs (minutes each)…`)
    const samples = await measureAnalysis(sandbox, ANALYSIS_RUNS)
    const [heading, ...rest] = analysisReaction({ runs: ANALYSIS_RUNS, samples })
    const when =
      `Measured on ${new Date().toISOString().slice(0, 10)} by \`BENCH_ONLY=analysis npm run bench\` ` +
      `on ${process.version}, one-minute load average ${load.toFixed(2)} at the start and ` +
      `${loadavg()[0].toFixed(2)} at the end (the rest of this file comes from its own run).`
    const section = [heading, '', when, ...rest].join('\n')
    const current = readFileSync('BENCHMARK.md', 'utf8')
    const start = current.indexOf(SECTION)
    const end = start < 0 ? -1 : current.indexOf('\n## ', start + SECTION.length)
    const next =
      start < 0
        ? `${current.trimEnd()}\n\n${section}`
        : `${current.slice(0, start)}${section}${end < 0 ? '' : current.slice(end)}`
    writeFileSync('BENCHMARK.md', next.endsWith('\n') ? next : `${next}\n`)
    console.log('\nWrote the canary analysis section of BENCHMARK.md')
  } finally {
    await sandbox.stop()
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new BenchError('BENCH_RUNS must be 1 or more')
  if (process.env.BENCH_ONLY === 'analysis') return analysisOnly()
  const compare = compareConfig()
  const started = clock()
  const load = loadavg()[0]
  const fast = await startSandbox({ steadyDelayMs: 0 })
  const slow = await startSandbox({ steadyDelayMs: 0, latencyMs: LATENCY_MS })
  const bundles: { name: string; bundle: SdkBundle }[] = []
  let minified: SdkBundle | undefined
  try {
    console.log('Building the reference bundles and the minified action with ncc…')
    const built = clock()
    for (const { name, source } of REFERENCE_BUNDLES) {
      bundles.push({ name, bundle: await buildSdkBundle(source) })
    }
    const sdkBuildMs = clock() - built
    minified = await buildMinifiedAction()
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
