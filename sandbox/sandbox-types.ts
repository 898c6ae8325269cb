/**
 * The types of a running sandbox, apart from the server that makes one, so that the control API
 * (control.ts) can take a Sandbox without importing server.ts, which imports it. server.ts
 * re-exports both types.
 */
import type { FaultKind, Faults } from './faults.js'
import type { Mutation } from './mutations.js'
import type { ScheduledMutation, Scheduler } from './schedule.js'
import type { GithubSandbox } from './services/github.js'
import type { Simulation } from './simulation.js'
import type { World } from './world.js'

export interface RequestLogEntry {
  service: string
  operation: string
  /** ms epoch, sub-millisecond resolution. */
  start: number
  end: number
  /** HTTP status; 0 when the connection was reset. */
  status: number
  faulted?: FaultKind
  /** The decoded request parameters (tests tell the action's kinds of tag writes apart by them). */
  input?: Record<string, unknown>
  /** The access key id the request was signed with (absent when unsigned). */
  caller?: string
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT`, the value for AWS_ENDPOINT_URL or a client's `endpoint`. */
  url: string
  port: number
  /** The live world. A getter: reset() replaces it, so read `sandbox.world` each time. */
  readonly world: World
  faults: Faults
  /** Every AWS request, in arrival order. Cleared in place by reset(). */
  log: RequestLogEntry[]
  /**
   * Called with each AWS request as it arrives, before it is answered or changes the world
   * (tests set it to see the world as a given request found it). Cleared by reset().
   */
  observe?: (entry: RequestLogEntry) => void
  /** GitHub's deployments API at the same URL (GITHUB_API_URL); cleared by reset(). */
  github: GithubSandbox
  sim: Simulation
  /** Mutations scheduled with schedule(): `pending()`, `fired`, `cancel(id)`. */
  scheduler: Scheduler
  /**
   * Applies `mutation` (see mutations.ts) to the world after `delayMs`, e.g. an alarm going to ALARM
   * in the middle of a bake. Throws at once if the mutation does not fit the current world.
   * Cleared by reset() and stop(); `cancel()` drops this one.
   */
  schedule(delayMs: number, mutation: Mutation): ScheduledMutation & { cancel(): boolean }
  /** Fresh world (default: the one started with), no faults, empty log, nothing scheduled. */
  reset(world?: World | string): void
  stop(): Promise<void>
}
