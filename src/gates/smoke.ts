import { messageOf } from '../errors.js'
import { statusAccepted, type SmokeInputs } from '../check-inputs.js'
import type { TestTrafficInputs } from '../inputs.js'
import { ms } from './analysis-judge.js'
import type { Gate, GateContext, GateReading } from './gate.js'

/** One smoke request's outcome. */
export interface SmokeResult {
  /** The HTTP status, or undefined when no answer came. */
  status?: number
  ms: number
  /** Why the request failed, when it did. */
  problem?: string
}

/** `fetch` as the smoke check uses it (tests pass their own). */
export type Fetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal }
) => Promise<{ status: number; text(): Promise<string> }>

/** Where a path on the load balancer goes: the listener's scheme, DNS name and port. */
export type ResolveBase = () => Promise<string>

const LABEL = 'smoke check'
const CONCURRENCY = 4

/** The request as the test route wants it: the URL (with the test query) and the test header. */
export function smokeRequest(
  url: string,
  traffic: TestTrafficInputs
): { url: string; headers: Record<string, string> } {
  const target = new URL(url)
  if (traffic.query) target.searchParams.append(traffic.query.key, traffic.query.value)
  return {
    url: target.toString(),
    headers: traffic.header ? { [traffic.header.name]: traffic.header.value } : {}
  }
}

/** `200 ×18, 500 ×2`: the statuses seen, most common first; `no answer` for the rest. */
export function statusHistogram(results: readonly SmokeResult[]): string {
  const counts = new Map<string, number>()
  for (const r of results) {
    const key = r.status === undefined ? 'no answer' : String(r.status)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, n]) => `${key} ×${n}`)
    .join(', ')
}

/** Nearest-rank percentile of the answered requests' times. */
export function percentileMs(results: readonly SmokeResult[], p: number): number | undefined {
  const times = results
    .filter((r) => r.status !== undefined)
    .map((r) => r.ms)
    .sort((a, b) => a - b)
  if (times.length === 0) return undefined
  return times[Math.max(0, Math.ceil(p * times.length) - 1)]
}

/**
 * Smoke checks through the test route: before the first production shift, while test traffic
 * (`test-header`, `test-query` or `test-listener-arn`) reaches the canary, `smoke-count` requests
 * must each answer an accepted status (and contain `smoke-expect-body`) within `smoke-timeout`.
 * One that does not fails the gate: the executor then removes test traffic, and no production
 * traffic has moved.
 */
export class SmokeGate implements Gate {
  readonly label = LABEL
  readonly judges = 'verdict'
  private last?: GateReading

  constructor(
    private readonly config: SmokeInputs,
    private readonly traffic: TestTrafficInputs,
    private readonly resolveBase: ResolveBase,
    private readonly fetcher: Fetch = fetch
  ) {}

  async before(context: GateContext): Promise<GateReading> {
    if (context.step > 0) return this.kept()
    return context.log.group('Smoke check through the test route', async () => {
      let address: string
      try {
        address = this.config.url.startsWith('/')
          ? `${await this.resolveBase()}${this.config.url}`
          : this.config.url
      } catch (error) {
        const why = messageOf(error)
        return this.failed('no result', [], `could not find the load balancer's address: ${why}`)
      }
      const request = smokeRequest(address, this.traffic)
      const results = await this.send(request, context)
      const bad = results.filter((r) => r.problem)
      const p50 = percentileMs(results, 0.5)
      const p99 = percentileMs(results, 0.99)
      const times = p50 === undefined || p99 === undefined ? '' : `, p50 ${ms(p50)}, p99 ${ms(p99)}`
      const summary = `${results.length} request(s) to ${request.url}${this.route()}: ${statusHistogram(results)}${times}`
      context.log.info(summary)
      if (bad.length === 0) {
        this.last = { label: LABEL, text: 'passed', details: [summary] }
        return this.last
      }
      const unreachable = bad.every((r) => r.status === undefined)
      const why = unreachable
        ? `could not reach ${request.url}: ${bad[0].problem}`
        : `${bad.length} of ${results.length} request(s) to ${request.url} failed (${statusHistogram(results)}; first: ${bad[0].problem})`
      return this.failed(unreachable ? 'unreachable' : 'failed', [summary], why)
    })
  }

  async during(): Promise<GateReading> {
    return this.kept()
  }

  private kept(): GateReading {
    return this.last ?? { label: LABEL, text: 'not run' }
  }

  private route(): string {
    const { header, query, listenerArn } = this.traffic
    if (header) return ` with header ${header.name}: ${header.value}`
    if (query) return ` with ${query.key}=${query.value}`
    return listenerArn ? ' on the test listener' : ''
  }

  private failed(text: string, details: string[], why: string): GateReading {
    return {
      label: LABEL,
      text,
      details,
      failure: `Smoke check before the first production shift: ${why}`
    }
  }

  private async send(
    request: { url: string; headers: Record<string, string> },
    context: GateContext
  ): Promise<SmokeResult[]> {
    const results: SmokeResult[] = []
    let next = 0
    const worker = async () => {
      while (next < this.config.count) {
        next += 1
        results.push(await this.one(request, context))
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, this.config.count) }, worker))
    return results
  }

  private async one(
    request: { url: string; headers: Record<string, string> },
    context: GateContext
  ): Promise<SmokeResult> {
    const { expectStatus, expectBody, timeoutMs } = this.config
    const start = context.clock.now()
    const elapsed = () => context.clock.now() - start
    try {
      const response = await this.fetcher(request.url, {
        headers: request.headers,
        signal: AbortSignal.timeout(timeoutMs)
      })
      const body = await response.text()
      const taken = elapsed()
      if (!statusAccepted(response.status, expectStatus)) {
        return {
          status: response.status,
          ms: taken,
          problem: `status ${response.status}, expected ${expectStatus.join(' or ')}`
        }
      }
      if (expectBody !== undefined && !body.includes(expectBody)) {
        return {
          status: response.status,
          ms: taken,
          problem: `the body does not contain ${JSON.stringify(expectBody)}`
        }
      }
      return { status: response.status, ms: taken }
    } catch (error) {
      return { ms: elapsed(), problem: requestFailure(error, timeoutMs) }
    }
  }
}

/** What went wrong with a request that got no answer, in Node's words. */
function requestFailure(error: unknown, timeoutMs: number): string {
  const err = error as {
    name?: string
    message?: string
    cause?: { code?: string; message?: string }
  }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `no answer within smoke-timeout (${Math.round(timeoutMs / 1000)} s)`
  }
  const cause = err?.cause
  if (cause?.code) return `${cause.code} (${cause.message ?? ''})`.replace(' ()', '')
  return err?.message ?? String(error)
}
