/**
 * Each mode of SCENARIOS, run with no added latency and with LATENCY_MS added to every AWS
 * request, alternately, `runs` times each.
 */
import { errorLines } from '../run-action.js'
import type { RequestLogEntry, Sandbox } from '../server.js'
import { BenchError, runBounded } from './runs.js'
import { SCENARIOS, type Scenario } from './scenarios.js'

export const LATENCY_MS = 100

export interface Sample {
  /** Spawn → the first AWS request the sandbox received. */
  startupMs: number
  /** Spawn → exit. */
  wallMs: number
  calls: number
  /** Spawn → the end of the first write to the weighted route; undefined when none was made. */
  routeWrittenMs?: number
  /**
   * The lease's own calls (ECS TagResource, ListTagsForResource) that ended before the route
   * write started: from the first one's start to the last one's end, 0 when none did.
   */
  leaseBeforeWriteMs: number
  /**
   * Sequential round trips read from the request log: the longest chain of requests each of which
   * started after the one before it ended. Parallel requests overlap, so they count once.
   */
  chainDepth: number
  /** The same chain's length up to and including the route write; undefined when none was made. */
  writeDepth?: number
}

/** The writes that move traffic on the weighted route. */
const ROUTE_WRITES = new Set(['ModifyRule', 'ModifyListener'])
const LEASE_CALLS = new Set(['TagResource', 'ListTagsForResource'])

/** Each request's place in the longest chain of requests that waited for one another. */
function depths(log: readonly RequestLogEntry[]): Map<RequestLogEntry, number> {
  const byStart = [...log].sort((a, b) => a.start - b.start)
  const depth = new Map<RequestLogEntry, number>()
  for (const entry of byStart) {
    const before = byStart.filter((e) => e !== entry && e.end <= entry.start)
    depth.set(entry, 1 + Math.max(0, ...before.map((e) => depth.get(e) ?? 0)))
  }
  return depth
}

/** Where the route write and the lease's calls before it fall in one run's request log. */
function routeTimes(
  log: readonly RequestLogEntry[],
  spawnedAt: number
): Pick<Sample, 'routeWrittenMs' | 'leaseBeforeWriteMs' | 'chainDepth' | 'writeDepth'> {
  const write = [...log]
    .filter((e) => e.service === 'elbv2' && ROUTE_WRITES.has(e.operation))
    .sort((a, b) => a.start - b.start)[0]
  const depth = depths(log)
  const chainDepth = Math.max(0, ...depth.values())
  if (!write) return { leaseBeforeWriteMs: 0, chainDepth }
  const lease = log.filter(
    (e) => e.service === 'ecs' && LEASE_CALLS.has(e.operation) && e.end <= write.start
  )
  const leaseBeforeWriteMs =
    lease.length === 0
      ? 0
      : Math.max(...lease.map((e) => e.end)) - Math.min(...lease.map((e) => e.start))
  return {
    routeWrittenMs: write.end - spawnedAt,
    leaseBeforeWriteMs,
    chainDepth,
    writeDepth: depth.get(write)
  }
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
  return {
    startupMs: first - run.startedAt,
    wallMs: run.durationMs,
    calls: sandbox.log.length,
    ...routeTimes(sandbox.log, run.startedAt)
  }
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

/**
 * The round trip at whose end the route write was acknowledged, in a run with added latency:
 * (route written − start-up) / LATENCY_MS; undefined for a run that wrote no route.
 */
export const writeRoundTrip = (s: Sample): number | undefined =>
  s.routeWrittenMs === undefined ? undefined : (s.routeWrittenMs - s.startupMs) / LATENCY_MS
