import type { AlarmInputs } from '../inputs.js'
import type { Logger } from '../logger.js'
import { formatPercent } from '../shares.js'
import type { Gate, GateContext, GateReading } from './gate.js'

export interface AlarmState {
  name: string
  state: string
  reason: string
}

export interface AlarmCheck {
  alarms: AlarmState[]
  /** Alarms that fail the gate: ALARM, and INSUFFICIENT_DATA when that counts as failure. */
  failing: AlarmState[]
}

/** Which alarms fail the gate; pure. */
export function judgeAlarms(alarms: AlarmState[], treatMissingDataAsFailure: boolean): AlarmCheck {
  const failing = alarms.filter(
    (a) => a.state === 'ALARM' || (treatMissingDataAsFailure && a.state === 'INSUFFICIENT_DATA')
  )
  return { alarms, failing }
}

/** `name is ALARM (reason)` lines for messages and the summary. */
export function describeAlarms(alarms: AlarmState[]): string {
  return alarms.map((a) => `${a.name} is ${a.state}${a.reason ? ` (${a.reason})` : ''}`).join('; ')
}

/** Reads the configured alarms. */
export type AlarmWatch = () => Promise<AlarmCheck>

const LABEL = 'alarms seen'

/** A read younger than this is still current for the first step's gate. */
const REUSE_MS = 1000

/**
 * CloudWatch alarms the user built: none of them may be in ALARM (nor, when missing data counts
 * as failure, in INSUFFICIENT_DATA) before a shift or during a bake. Discovery reads them once so
 * a misnamed alarm is refused before any write; the first step reuses that read while it is fresh.
 */
export class AlarmGate implements Gate {
  readonly label = LABEL
  readonly judges = 'verdict'
  private discovered?: { check: AlarmCheck; at: number }

  constructor(
    private readonly watch: AlarmWatch,
    private readonly config: AlarmInputs
  ) {}

  /** The read made during discovery, with the time it was made. */
  async prime(now: number): Promise<AlarmCheck> {
    const check = await this.watch()
    this.discovered = { check, at: now }
    return check
  }

  async before(context: GateContext): Promise<GateReading> {
    const kept = this.discovered
    this.discovered = undefined
    const check =
      kept && !context.fresh && context.clock.now() - kept.at < REUSE_MS
        ? kept.check
        : await this.watch()
    return this.reading(check, context.log, `Alarm before step ${context.step + 1}`)
  }

  async during(context: GateContext): Promise<GateReading> {
    const { color, step, share } = context
    const where = `Alarm during the bake of step ${step + 1} (${color} at ${formatPercent(share)}%)`
    return this.reading(await this.watch(), context.log, where)
  }

  private reading(check: AlarmCheck, log: Logger, where: string): GateReading {
    const noData = check.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA')
    if (noData.length > 0 && !this.config.treatMissingDataAsFailure) {
      log.info(`Treated as OK: ${describeAlarms(noData)}`)
    }
    return {
      label: LABEL,
      text: check.alarms.map((a) => `${a.name} ${a.state}`).join(', ') || 'none',
      seen: check.alarms,
      ...(check.failing.length > 0 ? { failure: `${where}: ${describeAlarms(check.failing)}` } : {})
    }
  }
}
