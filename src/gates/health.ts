import type { Color } from '../color.js'
import type { Clock } from '../clock.js'
import type { Workload, ColorHealth } from '../workloads/workload.js'
import { formatPercent } from '../shares.js'
import type { Gate, GateContext, GateReading } from './gate.js'

export const POLL_INTERVAL_MS = 5000

const LABEL = 'health gate'

export interface WaitResult {
  color: Color
  waitedMs: number
  checks: number
  health: ColorHealth
}

/**
 * Waits until `color` has no blockers, starting from `initial` (so a healthy canary costs no
 * extra round trip) and probing again every poll. When the timeout passes it returns the last
 * blockers instead.
 */
export async function waitUntilReady(
  initial: ColorHealth,
  probe: () => Promise<ColorHealth>,
  timeoutMs: number,
  clock: Clock,
  onWait: (reasons: string[]) => void = () => undefined,
  pollMs = POLL_INTERVAL_MS
): Promise<
  { ready: true; result: WaitResult } | { ready: false; blockers: string[]; fatal?: boolean }
> {
  const start = clock.now()
  let health = initial
  let checks = 1
  for (;;) {
    if (health.blockers.length === 0) {
      const result = { color: health.unit.color, waitedMs: clock.now() - start, checks, health }
      return { ready: true, result }
    }
    if (health.fatal && health.fatal.length > 0) {
      return { ready: false, blockers: health.fatal, fatal: true }
    }
    const left = start + timeoutMs - clock.now()
    if (left <= 0) return { ready: false, blockers: health.blockers }
    onWait(health.blockers)
    await clock.sleep(Math.min(pollMs, left))
    health = await probe()
    checks += 1
  }
}

export interface HealthGateOptions {
  enabled: boolean
  timeoutMs: number
  pollMs?: number
  /**
   * Makes the load balancer health-check a colour without giving it traffic (the router's
   * `exposeForHealthChecks`): it checks only target groups a route names.
   */
  expose: (color: Color) => Promise<string | undefined>
}

/**
 * The canary's tasks and targets are ready before it gets more traffic, and stay healthy while it
 * holds a share. Before the first step it starts from what discovery read. (Just over 60 lines:
 * its two methods are the two halves of the Gate interface.)
 */
export class HealthGate implements Gate {
  readonly label = LABEL
  readonly judges = 'readiness'
  /** The last successful wait, for the summary. */
  last?: WaitResult

  constructor(
    private readonly workload: Workload,
    private readonly options: HealthGateOptions
  ) {}

  async before(context: GateContext): Promise<GateReading> {
    const { color, log } = context
    if (!this.options.enabled) {
      log.warning(`wait-for-healthy is false: ${color} gets more traffic without a health check.`)
      return { label: LABEL, text: 'skipped' }
    }
    return log.group(`Wait for ${color} to be healthy`, async () => {
      const exposed = await this.options.expose(color)
      const wrote = exposed ? [exposed] : []
      const initial =
        context.fresh || exposed
          ? await this.workload.probe(color)
          : this.workload.discovered[color]
      const outcome = await waitUntilReady(
        initial,
        () => this.workload.probe(color),
        this.options.timeoutMs,
        context.clock,
        (reasons) => log.info(`Waiting: ${reasons.join('; ')}`),
        this.options.pollMs
      )
      if (!outcome.ready && outcome.fatal) {
        return {
          label: LABEL,
          text: 'failed',
          wrote,
          failure: `The canary colour ${color} cannot become healthy: ${outcome.blockers.join('; ')}.`
        }
      }
      if (!outcome.ready) {
        const seconds = Math.round(this.options.timeoutMs / 1000)
        return {
          label: LABEL,
          text: 'timed out',
          wrote,
          failure:
            `The canary colour ${color} was not healthy after ${seconds} s: ${outcome.blockers.join('; ')}. ` +
            'Fix it (or raise "health-timeout-seconds") and run again; a plain "mode: rollback" never waits.'
        }
      }
      const { checks, waitedMs } = outcome.result
      this.last = outcome.result
      log.info(`${color} is healthy (${checks} check(s), ${Math.round(waitedMs / 1000)} s).`)
      return { label: LABEL, text: 'healthy', wrote }
    })
  }

  /** During a bake only targets the load balancer marks unhealthy fail the canary. */
  async during(context: GateContext): Promise<GateReading> {
    const health = await this.workload.probe(context.color)
    const unhealthy = health.targets.notHealthy.filter((t) => t.state === 'unhealthy')
    if (unhealthy.length === 0) return { label: LABEL, text: 'healthy' }
    const targets = unhealthy.map((t) => `${t.id}${t.reason ? ` (${t.reason})` : ''}`).join(', ')
    return {
      label: LABEL,
      text: 'unhealthy',
      failure: `Unhealthy ${context.color} target(s) during the bake of step ${context.step + 1} (${context.color} at ${formatPercent(context.share)}%): ${targets}`
    }
  }
}
