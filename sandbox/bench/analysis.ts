/**
 * Canary analysis reaction time at the action's default settings (`analysis: true`: two-minute
 * windows ending a minute ago): a good canary (1.0.1) takes the default 10 % while about 100
 * requests a second flow through the demo router, then, at a delay after the shift spread over
 * the runs, starts answering as the bad 1.0.2 does (5 % 500s, slower). The time from that moment
 * to the end of the rollback's ModifyRule is what a user waits for analysis, with no alarm.
 *
 * The sandbox publishes each request record 60 s after it was made, the delay the defaults
 * assume; real CloudWatch's delay varies, and a longer one would need a longer `delay`.
 */
import { metricsOf } from '../metrics.js'
import { errorLines, runAction } from '../run-action.js'
import type { Sandbox } from '../server.js'
import { seededRandom, startApp, startLoad, startRouter } from '../traffic.js'
import { BenchError, clock } from './runs.js'
import { stackInputs } from './scenarios.js'
import { spread } from './stats.js'

export const ANALYSIS_DELAYS = [30_000, 90_000] as const
export const PUBLICATION_DELAY_MS = 60_000
export const REQUESTS_PER_SECOND = 100

export interface AnalysisSample {
  /** Canary goes bad → end of the rollback's ModifyRule. */
  reactionMs: number
  /** GetMetricData calls in the run. */
  reads: number
}

async function analysisRun(sandbox: Sandbox, delayMs: number): Promise<AnalysisSample> {
  const label = `analysis → rollback (bad ${Math.round(delayMs / 1000)} s after the shift)`
  sandbox.reset()
  metricsOf(sandbox.world).delayMs = PUBLICATION_DELAY_MS
  const versions = ['1.0.0', '1.0.1', '1.0.2']
  const apps = await Promise.all(versions.map((v) => startApp(v)))
  const router = await startRouter(
    () => sandbox.world,
    Object.fromEntries(versions.map((v, i) => [v, apps[i].url])),
    seededRandom(7)
  )
  const load = startLoad(`${router.url}/`, REQUESTS_PER_SECOND)
  let badAt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  sandbox.faults.afterWrite('ModifyRule', () => {
    timer ??= setTimeout(() => {
      const green = sandbox.world.taskDefinitions.find((d) => d.arn.endsWith('myapp:2'))
      if (green) green.containers[0].image = 'myapp:1.0.2'
      badAt = clock()
    }, delayMs)
  })
  try {
    const run = await runAction({
      endpoint: sandbox.url,
      inputs: { ...stackInputs, mode: 'canary', 'bake-time': '10m', analysis: 'true' }
    })
    const rollback = sandbox.log.filter((e) => e.operation === 'ModifyRule')[1]
    if (run.code !== 1 || !rollback || badAt === 0 || rollback.start < badAt) {
      throw new BenchError(
        `${label}: expected the canary to be rolled back after it went bad; got exit ${run.code}. ${errorLines(run).join(' ')}`
      )
    }
    return {
      reactionMs: rollback.end - badAt,
      reads: sandbox.log.filter((e) => e.operation === 'GetMetricData').length
    }
  } finally {
    clearTimeout(timer)
    await load.stop()
    await Promise.all([router.close(), ...apps.map((a) => a.close())])
  }
}

export async function measureAnalysis(sandbox: Sandbox, runs: number): Promise<AnalysisSample[]> {
  const samples: AnalysisSample[] = []
  for (const delay of spread(...ANALYSIS_DELAYS, runs)) {
    samples.push(await analysisRun(sandbox, delay))
    console.log(`  analysis → rollback: ${(samples.at(-1)!.reactionMs / 1000).toFixed(1)} s`)
  }
  return samples
}
