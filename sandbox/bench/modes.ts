/**
 * Each mode of SCENARIOS, run with no added latency and with LATENCY_MS added to every AWS
 * request, alternately, `runs` times each.
 */
import { errorLines } from '../run-action.js'
import type { Sandbox } from '../server.js'
import { BenchError, runBounded } from './runs.js'
import { SCENARIOS, type Scenario } from './scenarios.js'

export const LATENCY_MS = 100

export interface Sample {
  /** Spawn → the first AWS request the sandbox received. */
  startupMs: number
  /** Spawn → exit. */
  wallMs: number
  calls: number
}

export interface ModeResult {
  scenario: Scenario
  /** No added latency. */
  plain: Sample[]
  /** LATENCY_MS added to every request. */
  delayed: Sample[]
}

async function measure(sandbox: Sandbox, scenario: Scenario): Promise<Sample> {
  sandbox.reset()
  scenario.prepare?.(sandbox)
  const run = await runBounded(
    { endpoint: sandbox.url, inputs: scenario.inputs(sandbox) },
    scenario.name
  )
  if (run.code !== 0 || sandbox.log.length === 0) {
    throw new BenchError(`${scenario.name}: exit ${run.code}. ${errorLines(run).join(' ')}`)
  }
  const first = Math.min(...sandbox.log.map((entry) => entry.start))
  return { startupMs: first - run.startedAt, wallMs: run.durationMs, calls: sandbox.log.length }
}

/** `fast` has no added latency, `slow` LATENCY_MS; both settle task sets at once. */
export async function measureModes(
  fast: Sandbox,
  slow: Sandbox,
  runs: number,
  onMode: (result: ModeResult) => void
): Promise<ModeResult[]> {
  const results: ModeResult[] = []
  for (const scenario of SCENARIOS) {
    const result: ModeResult = { scenario, plain: [], delayed: [] }
    for (let i = 0; i < runs; i++) {
      result.plain.push(await measure(fast, scenario))
      result.delayed.push(await measure(slow, scenario))
    }
    onMode(result)
    results.push(result)
  }
  return results
}

/** Sequential round trips of one run with added latency: (wall − start-up) / LATENCY_MS. */
export const roundTrips = (s: Sample): number => (s.wallMs - s.startupMs) / LATENCY_MS
