import { otherColor, type Color } from '../color.js'
import type { GateReading } from '../gates/gate.js'
import type { Logger } from '../logger.js'
import type { RunPlan, StepKind } from '../plan.js'
import { formatSplit, type Permille, type Split } from '../shares.js'

export type StepOutcome =
  'pending' | 'shifted' | 'unchanged' | 'promoted' | 'rolled back' | 'failed' | 'cancelled'

/** One step as it went, for the summary. */
export interface StepRecord {
  kind: StepKind
  /** The canary's target share; 100 % for a promote. */
  share: Permille
  startedAt: number
  bakeMs: number
  bakedMs: number
  /** The last reading of each gate during the step, in gate order. */
  readings: GateReading[]
  outcome: StepOutcome
}

/** The last sentence of a failure before the first write, here and in main.ts. */
export const NOTHING_WRITTEN = 'No traffic was moved; nothing was written.'

/** What a run did, as data: the report reads only this. */
export interface Execution {
  readonly steps: readonly StepRecord[]
  /** One line per AWS write that was made, in order. */
  readonly writes: readonly string[]
  readonly stableAfter: Color
  /** The split after the run: as verified after a write, else as discovered. */
  readonly splitAfter: Split
  /** True when a failed gate, a cancel or an undo sent traffic back to a colour by itself. */
  readonly rolledBack: boolean
  /** Why the run failed, ending with what was and was not changed. */
  readonly failure?: string
  /** The error behind `failure`, when it was not a gate's verdict or a cancel. */
  readonly error?: unknown
}

/** The executor's running account of a run; `seal` turns it into an immutable Execution. */
export class Journal {
  readonly steps: StepRecord[] = []
  readonly writes: string[] = []
  stable: Color
  split: Split
  rolledBack = false

  constructor(
    plan: RunPlan,
    private readonly log: Logger
  ) {
    this.stable = plan.stableBefore
    this.split = plan.splitBefore
  }

  get canary(): Color {
    return otherColor(this.stable)
  }

  wrote(...lines: string[]): void {
    for (const line of lines) {
      this.writes.push(line)
      this.log.info(line)
    }
  }

  /**
   * What is true now, as the last sentence of a failure message; `leaseLeft` says that the run's
   * lease tag could not be removed, the one write besides those in the journal that stays.
   */
  state(leaseLeft?: string): string {
    const lease = leaseLeft ? `${leaseLeft} ` : ''
    if (this.rolledBack) return `${lease}Rolled back: all traffic is on ${this.stable} again.`
    if (this.writes.length === 0) {
      return leaseLeft
        ? `${lease}No traffic was moved; the stable colour is ${this.stable}, and only the lease tag was written.`
        : NOTHING_WRITTEN
    }
    return `${lease}Traffic is now ${formatSplit(this.split)}; the stable colour is ${this.stable}.`
  }

  seal(failure?: string, error?: unknown): Execution {
    return Object.freeze({
      steps: Object.freeze(this.steps.map((s) => Object.freeze({ ...s }))),
      writes: Object.freeze([...this.writes]),
      stableAfter: this.stable,
      splitAfter: { ...this.split },
      rolledBack: this.rolledBack,
      ...(failure !== undefined ? { failure } : {}),
      ...(error !== undefined ? { error } : {})
    })
  }
}
