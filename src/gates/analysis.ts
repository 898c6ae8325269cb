import type { AnalysisInputs } from '../analysis-input.js'
import { otherColor, type Color } from '../color.js'
import { formatPercent } from '../shares.js'
import {
  describeWindow,
  errorRate,
  judgeCanary,
  metricWindow,
  ms,
  percent,
  type ColorMetrics,
  type Verdict
} from './analysis-judge.js'
import type { MetricsRead } from './analysis-metrics.js'
import type { Gate, GateContext, GateReading } from './gate.js'

const LABEL = 'analysis'

/**
 * Canary analysis: the canary's error rate and p99 against stable's, from the load balancer's own
 * per-target-group metrics, in the newest window CloudWatch has published. A failing verdict
 * rolls back like a firing alarm. An inconclusive one (too few canary requests) does not fail a
 * look; when a step's bake ends, `settle` holds the step until a verdict comes or `max-wait`
 * passes, then follows `on-inconclusive`. Reads are cached per window: CloudWatch's data for a
 * window does not change between two polls of a bake, so a bake costs one call per new window.
 */
export class AnalysisGate implements Gate {
  readonly label = LABEL
  readonly judges = 'verdict'
  /** The newest verdict, for the outputs. */
  last?: Verdict
  private cached?: { end: number; canary: Color; verdict: Verdict }
  /** When this run first asked: a window that starts earlier may hold another version's data. */
  private since?: number

  constructor(
    private readonly read: MetricsRead,
    private readonly config: AnalysisInputs
  ) {}

  /** Before the first shift the canary has no production traffic: there is nothing to judge. */
  async before(context: GateContext): Promise<GateReading> {
    this.since ??= context.clock.now()
    if (context.share === 0) return { label: LABEL, text: 'no canary traffic yet' }
    return this.reading(await this.look(context), context, 'before')
  }

  /** Reads the newest window once: GetMetricData refused is refused before any write. */
  async probe(now: number): Promise<void> {
    await this.read(metricWindow(now, this.config))
  }

  async during(context: GateContext): Promise<GateReading> {
    return this.reading(await this.look(context), context, 'during')
  }

  async settle(context: GateContext): Promise<GateReading> {
    const { clock, log } = context
    const start = clock.now()
    let verdict = await this.look(context)
    while (verdict.result === 'inconclusive' && clock.now() - start < this.config.maxWaitMs) {
      log.info(
        `Holding step ${context.step + 1} for a verdict (${Math.round((clock.now() - start) / 1000)} of ` +
          `${Math.round(this.config.maxWaitMs / 1000)} s): ${verdict.reason}.`
      )
      // Nothing new can come before the next window is published.
      const due = this.nextWindowDue(clock.now())
      await clock.sleep(Math.min(due - clock.now(), start + this.config.maxWaitMs - clock.now()))
      verdict = await this.look(context)
    }
    return this.reading(verdict, context, 'settle')
  }

  /** When the window after the current one is published: a held step looks again then. */
  private nextWindowDue(now: number): number {
    const { windowMs, delayMs } = this.config
    const align = Math.min(windowMs, 60_000)
    return metricWindow(now, this.config).end + align + delayMs
  }

  private async look(context: GateContext): Promise<Verdict> {
    const now = context.clock.now()
    this.since ??= now
    const window = metricWindow(now, this.config)
    const kept = this.cached
    if (kept && kept.end === window.end && kept.canary === context.color) return kept.verdict
    if (window.start < this.since) {
      // The target group may have served an earlier version then (a canary rolled back before
      // this run): only windows wholly inside this run judge the version it deploys.
      const none = { requests: 0, errors: 0 }
      const started = new Date(this.since).toISOString().slice(11, 19)
      return {
        result: 'inconclusive',
        reason: `no published window starts after this run began (${started} UTC) yet`,
        canary: none,
        stable: none,
        window
      }
    }
    const metrics = await this.read(window)
    const canary = context.color
    const verdict = judgeCanary(metrics[canary], metrics[otherColor(canary)], window, this.config)
    this.cached = { end: window.end, canary, verdict }
    this.last = verdict
    context.log.info(
      `Analysis of ${describeWindow(window)}: ${verdict.result}, ${verdict.reason}. ` +
        `${canary}: ${describeMetrics(metrics[canary])}; ${otherColor(canary)}: ${describeMetrics(metrics[otherColor(canary)])}.`
    )
    return verdict
  }

  private reading(
    verdict: Verdict,
    context: GateContext,
    when: 'before' | 'during' | 'settle'
  ): GateReading {
    const { color, step, share } = context
    const held = when === 'settle' && verdict.result === 'inconclusive'
    const fails = verdict.result === 'fail' || (held && this.config.onInconclusive === 'fail')
    const text =
      verdict.result === 'inconclusive' && held
        ? `inconclusive (${this.config.onInconclusive})`
        : verdict.result
    if (!fails) return { label: LABEL, text, verdict }
    const where =
      when === 'before'
        ? `before step ${step + 1}`
        : `${when === 'during' ? 'during the bake' : 'at the end'} of step ${step + 1} (${color} at ${formatPercent(share)}%)`
    const why =
      verdict.result === 'fail'
        ? `the canary is worse than stable: ${verdict.reason}`
        : `no verdict after holding the step ${Math.round(this.config.maxWaitMs / 1000)} s (${verdict.reason}), and on-inconclusive is fail`
    return {
      label: LABEL,
      text,
      verdict,
      failure:
        `Canary analysis ${where}: ${why}, in ${describeWindow(verdict.window)} ` +
        `(${color}: ${describeMetrics(verdict.canary)}; ${otherColor(color)}: ${describeMetrics(verdict.stable)})`
    }
  }
}

/** `1200 requests, 0.50% errors, p99 120 ms`. */
export function describeMetrics(metrics: ColorMetrics): string {
  const p99 = metrics.p99Ms === undefined ? 'no p99' : `p99 ${ms(metrics.p99Ms)}`
  return `${metrics.requests} requests, ${percent(errorRate(metrics))} errors, ${p99}`
}
