import type { Color } from './color.js'
import type { TestTraffic, TrafficRouter } from './routers/router.js'
import type { Workload } from './workloads/workload.js'

/** Where the action records which colour is stable, and which one was before the last promote. */
export interface StableMarker {
  /** Writes `to` as stable and `from` as the colour an undo returns to, in one write. */
  promote(from: Color, to: Color): Promise<string>
  /** Writes `to` as stable, then forgets the previous colour: an undo is done once. */
  undo(from: Color, to: Color): Promise<string>
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
}
