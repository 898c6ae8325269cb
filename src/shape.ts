import type { Color } from './color.js'
import type { Mode } from './inputs.js'
import type { PromotionRecord } from './promotion-record.js'
import type { TestTraffic, TrafficRouter } from './routers/router.js'
import type { Workload } from './workloads/workload.js'

/** Where the action records which colour is stable, and which one was before the last promote. */
export interface StableMarker {
  /**
   * Writes `to` as stable, `from` as the colour an undo returns to and the record of the
   * versions (when known), in one write.
   */
  promote(from: Color, to: Color, record?: PromotionRecord): Promise<string>
  /** Writes `to` as stable with the record, then forgets the previous colour: an undo is done once. */
  undo(from: Color, to: Color, record?: PromotionRecord): Promise<string>
  /** Removes the record of the colour stable before the last promote. */
  forget(): Promise<string>
  /**
   * Puts the stable tag, the undo colour and the record back as this run found them: a promote
   * whose route a rollback took back leaves no trace of itself in the tags.
   */
  putBack(): Promise<string>
}

/** What a second look at the service's tags found. */
export interface LeaseLook {
  /** True when the lease is still this run's. */
  ours: boolean
  /** Who holds it, in words, when it is not this run. */
  holder?: string
  /** True when the holder is a rollback: a run that sees one rolls back too. */
  byRollback?: boolean
  /** The colour the stable tag names now. */
  stable?: Color
  /** When the holder is a rollback that finished: the colour it left all traffic on. */
  left?: Color
  /** When the holder's lease runs out (epoch ms). */
  until?: number
}

/** The run's claim on the service while it writes (lease.ts). */
export interface RunLease {
  /**
   * Writes this run's lease. Refuses (LeaseHeldError) when another live run holds it, except for
   * a rollback, which never waits. Returns a note for the log when it took over a lease.
   */
  take(mode: Mode, now: number, durationMs: number, left?: Color): Promise<string | undefined>
  /** Reads the service's tags again. */
  look(): Promise<LeaseLook>
  release(): Promise<void>
  /** What a lease that could not be released means for the next run, and how to clear it. */
  leftBehind(): string
}

/**
 * A deployment shape: how traffic moves (router), what runs each colour (workload), where the
 * stable colour is recorded, and how testers reach the canary. The composition root picks one
 * of each; nothing downstream asks which kinds they are.
 */
export interface Shape {
  readonly router: TrafficRouter
  readonly workload: Workload
  readonly marker: StableMarker
  /** Undefined when no test route was asked for. */
  readonly testTraffic?: TestTraffic
  /** Undefined when the run cannot hold one (tests of the executor alone). */
  readonly lease?: RunLease
}
