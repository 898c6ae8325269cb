import type { AnalysisInputs } from '../analysis-input.js'

/**
 * Canary analysis, the pure part: which span of CloudWatch data to ask for, and whether the
 * canary is worse than stable in it. No AWS, no clock: the gate passes `now` in.
 */

/** One colour's numbers over the window, as the load balancer published them. */
export interface ColorMetrics {
  /** `RequestCount` for the target group. */
  requests: number
  /** `HTTPCode_Target_5XX_Count` plus `TargetConnectionErrorCount`: 5xx the colour caused. */
  errors: number
  /** `TargetResponseTime` percentiles in milliseconds; undefined when no request was timed. */
  p50Ms?: number
  p99Ms?: number
}

export interface MetricWindow {
  /** ms epoch, inclusive. */
  start: number
  /** ms epoch, exclusive; at least `delayMs` before the time the window was chosen. */
  end: number
}

export type VerdictResult = 'pass' | 'fail' | 'inconclusive'

export interface Verdict {
  result: VerdictResult
  /** One sentence with the numbers behind the result. */
  reason: string
  canary: ColorMetrics
  stable: ColorMetrics
  window: MetricWindow
}

type Thresholds = Pick<
  AnalysisInputs,
  'errorRatePoints' | 'errorRateRatio' | 'p99Ratio' | 'p99MinIncreaseMs' | 'minRequests'
>

/**
 * The newest window CloudWatch has fully published: it ends `delayMs` before now, on a boundary
 * of its own length (or of a minute, for longer windows), so the same window is asked for until
 * a new period is due, and a period still being published is never judged.
 */
export function metricWindow(now: number, config: Pick<AnalysisInputs, 'windowMs' | 'delayMs'>) {
  const align = Math.min(config.windowMs, 60_000)
  const end = Math.floor((now - config.delayMs) / align) * align
  return { start: end - config.windowMs, end }
}

/** Errors per request, 0 when there were no requests. */
export function errorRate(metrics: ColorMetrics): number {
  return metrics.requests > 0 ? metrics.errors / metrics.requests : 0
}

/**
 * The canary against stable in the same window. Inconclusive with fewer than `minRequests`
 * canary requests. Fails when the canary's error rate is above stable's by more than
 * `errorRatePoints` points and more than `errorRateRatio` times (both, so that neither a rare
 * error on a quiet stable nor a small rise on a noisy one fails it), or when its p99 is more than
 * `p99Ratio` times stable's and more than `p99MinIncreaseMs` above it (jitter of a few ms on a
 * fast service is not a regression). With no stable requests, the error rate is judged against 0 and the
 * p99 is not compared.
 */
export function judgeCanary(
  canary: ColorMetrics,
  stable: ColorMetrics,
  window: MetricWindow,
  thresholds: Thresholds
): Verdict {
  const verdict = (result: VerdictResult, reason: string): Verdict => ({
    result,
    reason,
    canary,
    stable,
    window
  })
  if (canary.requests < thresholds.minRequests) {
    return verdict(
      'inconclusive',
      `the canary served ${canary.requests} request(s) in the window, fewer than the ${thresholds.minRequests} needed to judge it`
    )
  }
  const canaryRate = errorRate(canary)
  const stableRate = errorRate(stable)
  const pointsAbove = (canaryRate - stableRate) * 100
  const rates = `error rate ${percent(canaryRate)} against stable's ${percent(stableRate)}`
  if (
    pointsAbove > thresholds.errorRatePoints &&
    canaryRate > stableRate * thresholds.errorRateRatio
  ) {
    return verdict(
      'fail',
      `${rates}: more than ${thresholds.errorRatePoints} point(s) and ${thresholds.errorRateRatio}× above it`
    )
  }
  const canaryP99 = canary.p99Ms
  const stableP99 = stable.requests > 0 ? stable.p99Ms : undefined
  if (
    canaryP99 !== undefined &&
    stableP99 !== undefined &&
    canaryP99 > stableP99 * thresholds.p99Ratio &&
    canaryP99 - stableP99 > thresholds.p99MinIncreaseMs
  ) {
    return verdict(
      'fail',
      `p99 ${ms(canaryP99)} against stable's ${ms(stableP99)}: more than ${thresholds.p99Ratio}× it and ${ms(thresholds.p99MinIncreaseMs)} above it`
    )
  }
  const latency =
    canaryP99 === undefined
      ? 'p99 not published'
      : stableP99 === undefined
        ? `p99 ${ms(canaryP99)} (stable served nothing to compare)`
        : `p99 ${ms(canaryP99)} against ${ms(stableP99)}`
  return verdict('pass', `${rates}, ${latency}`)
}

/** `1.25%`: two decimals below 10 %, one above. */
export function percent(rate: number): string {
  const value = rate * 100
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}%`
}

/** `120 ms`, `1.5 s`. */
export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`
}

/** `10:02:00–10:04:00 UTC`. */
export function describeWindow(window: MetricWindow): string {
  const time = (at: number) => new Date(at).toISOString().slice(11, 19)
  return `${time(window.start)}–${time(window.end)} UTC`
}
