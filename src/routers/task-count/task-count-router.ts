import type { Color } from '../../color.js'
import { StateError } from '../../errors.js'
import { formatPercent, FULL, splitFor, type Permille, type Split } from '../../shares.js'
import type { StandaloneTaskWorkload } from '../../workloads/standalone-task.js'
import { targetId } from '../../workloads/canary-targets.js'
import type { TrafficRouter } from '../router.js'
import { canaryCountFor, nearestShares, shareOf } from './task-shares.js'

/**
 * Traffic in units of whole tasks: the canary's share is the canary targets registered in the
 * service's target group over those and the service's tasks (1 canary beside 2 is 33.3 %). All of
 * it is the service itself rolled to the canary's revision. Counting registrations and the
 * service's desired count, not momentary health, keeps the split one only a writer changes: a
 * service task replaced during a bake is not another writer. The healthy share is in `notes`.
 */
export class TaskCountRouter implements TrafficRouter {
  readonly kind = 'task-count'

  constructor(
    private readonly fleet: StandaloneTaskWorkload,
    /** The most canary tasks a share may take (`canary-tasks`). */
    private readonly maxCanary: number
  ) {}

  get id(): string {
    return this.fleet.entry.targetGroup
  }

  async read(): Promise<Split> {
    return this.current()
  }

  reachable(share: Permille): Permille[] {
    return nearestShares(share, this.fleet.serviceCount, this.maxCanary)
  }

  /** Registers one canary task: ALB health-checks a target before it sends it any request. */
  async exposeForHealthChecks(color: Color): Promise<string | undefined> {
    const { fleet } = this
    if (color !== fleet.canary || fleet.serviceColor === color) return undefined
    if (fleet.registeredCanary().length > 0) return undefined
    const target = this.unregistered()[0]
    if (!target) return undefined
    return `${await fleet.register([target])} to be health-checked`
  }

  async shift(split: Split): Promise<Split> {
    const { fleet } = this
    const share = split[fleet.canary]
    if (share === FULL) {
      await this.log(await fleet.rollTo(fleet.canary, true))
      return this.current()
    }
    // The service goes back to the stable revision first (a canary moved to all of it).
    if (fleet.serviceColor === fleet.canary) await this.log(await fleet.rollTo(fleet.stable, false))
    const count = canaryCountFor(share, fleet.serviceCount, this.maxCanary)
    if (count === undefined) {
      throw new StateError(
        `No number of canary tasks gives ${formatPercent(share)}% beside ${fleet.serviceCount} service task(s).`
      )
    }
    const registered = fleet.registeredCanary()
    if (count > registered.length) {
      const more = this.unregistered().slice(0, count - registered.length)
      if (more.length < count - registered.length) {
        throw new StateError(
          `${formatPercent(share)}% needs ${count} canary task(s) in the target group, but only ` +
            `${registered.length + more.length} run with an IP. Start them with "image" or "task-definition" (and "canary-tasks").`
        )
      }
      await this.log(await fleet.register(more))
    } else if (count < registered.length) {
      // Targets of tasks that stopped go first.
      const live = new Set(
        fleet.liveTasks().flatMap((t) => {
          const target = fleet.targetOf(t)
          return target ? [targetId(target)] : []
        })
      )
      const order = [...registered].sort(
        (a, b) => Number(live.has(targetId(a))) - Number(live.has(targetId(b)))
      )
      await this.log(await fleet.deregister(order.slice(0, registered.length - count)))
    }
    return this.current()
  }

  async verify(): Promise<Split> {
    await this.fleet.refreshTargets()
    return this.current()
  }

  notes(): readonly string[] {
    const { canary, all } = this.fleet.healthyCounts()
    if (all === 0) return []
    return [
      `${canary} of ${all} healthy target(s) in the target group are canary tasks ` +
        `(${formatPercent(shareOf(canary, all - canary))}% of requests).`
    ]
  }

  private current(): Split {
    const { fleet } = this
    if (fleet.serviceColor === fleet.canary) return splitFor(fleet.canary, FULL)
    return splitFor(fleet.canary, shareOf(fleet.registeredCanary().length, fleet.serviceCount))
  }

  /** Targets of running canary tasks that are not in the group yet. */
  private unregistered() {
    const { fleet } = this
    const registered = new Set(fleet.registeredCanary().map(targetId))
    return fleet
      .liveTasks()
      .filter((t) => t.lastStatus === 'RUNNING')
      .flatMap((t) => {
        const target = fleet.targetOf(t)
        return target && !registered.has(targetId(target)) ? [target] : []
      })
  }

  private async log(line: string | undefined): Promise<void> {
    if (line) this.fleet.options.log(line)
  }
}
