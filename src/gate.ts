import type { Color } from './color.js'
import { HealthTimeoutError } from './errors.js'
import type { ColorHealth } from './workloads/workload.js'

/** What keeps a colour from taking more traffic; empty when it is ready. Pure. */
export function notReadyReasons(health: ColorHealth): string[] {
  const { unit, targets } = health
  const reasons: string[] = []
  if (unit.status !== 'ACTIVE' && unit.status !== 'PRIMARY') {
    reasons.push(`task set ${unit.label} is ${unit.status}`)
  }
  if (unit.stability !== 'STEADY_STATE') reasons.push(`task set is ${unit.stability}`)
  if (unit.desired <= 0) reasons.push('task set wants 0 tasks (scale it up first)')
  else if (unit.running < unit.desired)
    reasons.push(`${unit.running}/${unit.desired} tasks running`)
  if (targets.total === 0) reasons.push('no targets registered in its target group')
  for (const target of targets.notHealthy) {
    reasons.push(
      `target ${target.id} is ${target.state}${target.reason ? ` (${target.reason})` : ''}`
    )
  }
  return reasons
}

export interface GateClock {
  now(): number
  /** Resolves after `ms`, or at once when `signal` aborts (the caller checks which). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      // A cancel that came while a request was in flight has already fired its event.
      if (signal?.aborted) return resolve()
      // A cancelled run must not keep the process alive until a long sleep ends.
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      signal?.addEventListener('abort', done, { once: true })
    })
}

export interface GateResult {
  color: Color
  waitedMs: number
  checks: number
  health: ColorHealth
}

export const POLL_INTERVAL_MS = 5000

/**
 * Waits until `color` is ready, starting from the state discovery already read (so a healthy
 * canary costs no extra round trip), probing again every few seconds until the timeout.
 */
export async function waitUntilReady(
  color: Color,
  initial: ColorHealth,
  probe: () => Promise<ColorHealth>,
  timeoutMs: number,
  clock: GateClock = realClock,
  onWait: (reasons: string[]) => void = () => undefined,
  pollMs = POLL_INTERVAL_MS
): Promise<GateResult> {
  const start = clock.now()
  let health = initial
  let checks = 1
  for (;;) {
    const reasons = notReadyReasons(health)
    if (reasons.length === 0) return { color, waitedMs: clock.now() - start, checks, health }
    const left = start + timeoutMs - clock.now()
    if (left <= 0) {
      throw new HealthTimeoutError(
        `The canary colour ${color} was not healthy after ${Math.round(timeoutMs / 1000)} s: ` +
          `${reasons.join('; ')}. No traffic was moved. Fix the canary (or raise ` +
          '"health-timeout-seconds") and run again; "mode: rollback" never waits.'
      )
    }
    onWait(reasons)
    await clock.sleep(Math.min(pollMs, left))
    health = await probe()
    checks += 1
  }
}
