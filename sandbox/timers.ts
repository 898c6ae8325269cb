/**
 * What the time-driven parts of the sandbox (tasks, rolling deployments) need of the simulation:
 * its world, its steady delay and a timer it clears on reset. A module of its own so that those
 * parts and simulation.ts, which drives them, do not import each other.
 */
import type { World } from './world.js'

export interface SimulationTimers {
  /** Default delay before a change is steady. */
  readonly steadyDelayMs: number
  world(): World
  /** Runs `fn` after `ms`, unless the sandbox is reset or stopped first. */
  after(ms: number, fn: () => void): void
}
