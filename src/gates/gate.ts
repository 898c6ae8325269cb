import type { Color } from '../color.js'
import type { Logger } from '../logger.js'
import type { Permille } from '../shares.js'
import type { Clock } from '../clock.js'
import type { Verdict } from './analysis-judge.js'

/** Where in the run a gate is asked, so its message can say so. */
export interface GateContext {
  /** The canary colour being judged. */
  color: Color
  /** 0-based index of the step. */
  step: number
  /** The canary's share now (during a bake: the share it is holding). */
  share: Permille
  /** True when what discovery read may be stale: a later step, or a write since. */
  fresh: boolean
  clock: Clock
  log: Logger
}

/** One look through a gate. */
export interface GateReading {
  /** The gate's column in the summary's steps table, e.g. `health gate`. */
  label: string
  /** One short cell for that column, e.g. `healthy` or `svc-5xx OK`. */
  text: string
  /** Why the canary must not go on, as a sentence; undefined when it may. */
  failure?: string
  /** What was seen, one line each, for the summary (the alarms and their states). */
  seen?: { name: string; state: string; reason: string }[]
  /** Writes the gate made to be able to judge (none of them moves traffic). */
  wrote?: string[]
  /** Canary analysis: both colours' numbers and the verdict, for the summary. */
  verdict?: Verdict
  /** Other gates' details for the summary, one line each (smoke checks, hooks). */
  details?: string[]
}

/**
 * Something that judges the canary: target health, CloudWatch alarms, and later metric analysis
 * or hooks. The executor asks every gate before a shift raises the canary's share, and again at
 * every poll of a bake; one failing reading rolls the canary back, whichever gate it came from.
 */
export interface Gate {
  readonly label: string
  /**
   * `readiness` gates (health) ask whether a colour can take traffic; `verdict` gates (alarms,
   * later analysis and hooks) judge the new version. An undo, which brings back the old version,
   * asks only readiness: the alarms that fired are why it runs.
   */
  readonly judges: 'readiness' | 'verdict'
  /** Before a shift: may wait (health) until it passes or gives up. */
  before(context: GateContext): Promise<GateReading>
  /** One look during a bake. */
  during(context: GateContext): Promise<GateReading>
  /**
   * When a step's bake is over (or right after its shift when it has none): may hold the step
   * until the gate can give a verdict (analysis with too little data, a hook in progress).
   */
  settle?(context: GateContext): Promise<GateReading>
  /**
   * One read during discovery, before any write, that proves the gate can look at all (a denied
   * read is refused then, not found after the first shift). Nothing it reads is judged.
   */
  probe?(now: number): Promise<void>
}
