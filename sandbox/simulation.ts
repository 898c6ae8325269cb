/**
 * Time-driven behaviour: a task set that is created or changed is STABILIZING until a delay has
 * passed, then STEADY_STATE with its tasks running and registered as targets (one IP per running
 * task) in its target groups. Real timers, so a test sees the change happen without polling the
 * sandbox in a special way; they are unref'd and cleared on stop/reset so Jest exits cleanly.
 */
import type { ServiceState, TaskSetState, World } from './world.js'

export class Simulation {
  private readonly timers = new Map<TaskSetState, ReturnType<typeof setTimeout>>()
  private readonly others = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    private readonly getWorld: () => World,
    /** Default delay before a changed task set is steady; a task set's stabilizeDelayMs wins. */
    public steadyDelayMs: number
  ) {}

  /** Registers the targets of the initial world and schedules task sets seeded as STABILIZING. */
  start(): void {
    const world = this.getWorld()
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
   * After UpdateService on a service of the ECS controller: its deployment is IN_PROGRESS until the
   * steady delay has passed, then its running count is the desired count and its tasks are targets.
   */
  serviceChanged(service: ServiceState): void {
    service.rolloutState = 'IN_PROGRESS'
    this.after(this.steadyDelayMs, () => {
      service.runningCount = service.desiredCount
      service.rolloutState = 'COMPLETED'
      syncTargets(this.getWorld())
    })
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

/**
 * Makes each target group's targets the running tasks of the task sets that point at it. Task IPs
 * are 10.0.<task set number>.<task number>: plain strings, nothing listens on them.
 */
export function syncTargets(world: World): void {
  const targets = new Map<string, { id: string; port: number; availabilityZone: string }[]>()
  let ordinal = 0
  for (const service of world.services) {
    for (const taskSet of service.taskSets) {
      ordinal += 1
      for (const lb of taskSet.loadBalancers) {
        const list = targets.get(lb.targetGroupArn) ?? []
        for (let task = 1; task <= taskSet.runningCount; task++) {
          const availabilityZone = `${world.region}${task % 2 === 1 ? 'a' : 'b'}`
          list.push({ id: `10.0.${ordinal}.${task}`, port: lb.containerPort, availabilityZone })
        }
        targets.set(lb.targetGroupArn, list)
      }
    }
  }
  // A service of the ECS controller registers its running tasks itself (no task sets).
  for (const service of world.services) {
    if (service.deploymentController !== 'ECS') continue
    ordinal += 1
    for (const lb of service.loadBalancers ?? []) {
      const list = targets.get(lb.targetGroupArn) ?? []
      for (let task = 1; task <= (service.runningCount ?? service.desiredCount); task++) {
        const availabilityZone = `${world.region}${task % 2 === 1 ? 'a' : 'b'}`
        list.push({ id: `10.0.${ordinal}.${task}`, port: lb.containerPort, availabilityZone })
      }
      targets.set(lb.targetGroupArn, list)
    }
  }
  for (const tg of world.targetGroups) tg.targets = targets.get(tg.arn) ?? []
}
