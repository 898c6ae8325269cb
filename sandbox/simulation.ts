/**
 * Time-driven behaviour: a task set that is created or changed is STABILIZING until a delay has
 * passed, then STEADY_STATE with its tasks running and registered as targets (one IP per running
 * task) in its target groups. Real timers, so a test sees the change happen without polling the
 * sandbox in a special way; they are unref'd and cleared on stop/reset so Jest exits cleanly.
 */
import { seedService, updateDeployment } from './rolling.js'
import { syncTargets } from './targets.js'
import type { SimulationTimers } from './timers.js'
import type { ServiceState, TaskSetState, World } from './world.js'

export { syncTargets }

export class Simulation implements SimulationTimers {
  private readonly timers = new Map<TaskSetState, ReturnType<typeof setTimeout>>()
  private readonly others = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    private readonly getWorld: () => World,
    /** Default delay before a changed task set is steady; a task set's stabilizeDelayMs wins. */
    public steadyDelayMs: number
  ) {}

  /** The live world (a reset replaces it). */
  world(): World {
    return this.getWorld()
  }

  /**
   * Gives services of the ECS controller their deployments and running tasks, registers the
   * targets of the initial world and schedules task sets seeded as STABILIZING.
   */
  start(): void {
    const world = this.getWorld()
    for (const service of world.services) {
      if (service.deploymentController === 'ECS') seedService(world, service, Date.now())
    }
    syncTargets(world)
    for (const service of world.services) {
      for (const taskSet of service.taskSets) {
        if (taskSet.stabilityStatus === 'STABILIZING') this.schedule(taskSet)
      }
    }
  }

  /** Called after a write to a task set (scale change): it is STABILIZING until the delay passes. */
  taskSetChanged(service: ServiceState, taskSet: TaskSetState, now = Date.now()): void {
    taskSet.computedDesiredCount = computedDesiredCount(service.desiredCount, taskSet.scale.value)
    taskSet.pendingCount = Math.max(0, taskSet.computedDesiredCount - taskSet.runningCount)
    taskSet.stabilityStatus = 'STABILIZING'
    taskSet.stabilityStatusAt = now
    taskSet.updatedAt = now
    this.schedule(taskSet)
  }

  /**
   * After UpdateService on a service of the ECS controller: a new task definition starts a new
   * deployment, a count change moves the current one (sandbox/rolling.ts); either is IN_PROGRESS
   * until the steady delay has passed.
   */
  serviceChanged(
    service: ServiceState,
    change: { taskDefinition?: string; force?: boolean } = {},
    now = Date.now()
  ): void {
    updateDeployment(this.getWorld(), this, service, change, now)
  }

  /** Runs `fn` after `ms` (a stack update finishing), unless the sandbox is reset first. */
  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.others.delete(timer)
      fn()
    }, ms)
    timer.unref()
    this.others.add(timer)
  }

  /** Stops pending stabilisations and other timed changes (on reset and stop). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    for (const timer of this.others) clearTimeout(timer)
    this.others.clear()
  }

  private schedule(taskSet: TaskSetState): void {
    // A second change restarts the wait, as ECS restarts stabilisation.
    clearTimeout(this.timers.get(taskSet))
    const timer = setTimeout(() => {
      this.timers.delete(taskSet)
      taskSet.runningCount = taskSet.computedDesiredCount
      taskSet.pendingCount = 0
      taskSet.stabilityStatus = 'STEADY_STATE'
      taskSet.stabilityStatusAt = Date.now()
      syncTargets(this.getWorld())
    }, taskSet.stabilizeDelayMs ?? this.steadyDelayMs)
    timer.unref()
    this.timers.set(taskSet, timer)
  }
}

/**
 * ECS's computedDesiredCount: the service's desired count times the scale percentage, rounded up.
 * The product is rounded to 9 decimals first, so that float noise (250 × 64.4 % computes as
 * 161.00000000000003) does not round a whole number up to the next task.
 */
export function computedDesiredCount(desiredCount: number, scalePercent: number): number {
  const exact = (desiredCount * scalePercent) / 100
  return Math.ceil(Math.round(exact * 1e9) / 1e9)
}
