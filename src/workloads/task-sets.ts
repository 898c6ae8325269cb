import {
  DescribeTaskDefinitionCommand,
  UpdateTaskSetCommand,
  type ECSClient,
  type TaskSet
} from '@aws-sdk/client-ecs'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../aws/call.js'
import { COLORS, type Color, type PerColor } from '../color.js'
import { readService, type ServiceState } from '../discover/service.js'
import { StateError } from '../errors.js'
import { versionOf } from '../promotion-record.js'
import { readTargetHealth, targetBlockers, unreadTargets } from './target-health.js'
import type {
  ColorHealth,
  TargetHealthSummary,
  TaskDefinitionInfo,
  Workload,
  WorkloadUnit
} from './workload.js'

/**
 * The task set that registers in a target group, when no ID names it: the newest one that is not
 * draining (a deploy that stopped before deleting the old one leaves two; the new one is the
 * colour now, and the deploy's rerun deletes the other). Pure.
 */
export function taskSetInGroup(service: ServiceState, targetGroup: string): TaskSet | undefined {
  return service.taskSets
    .filter((t) => t.status !== 'DRAINING')
    .filter((t) => (t.loadBalancers ?? []).some((lb) => lb.targetGroupArn === targetGroup))
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0]
}

/** Finds each colour's task set in the service, by ID or else by target group; pure. */
export function matchTaskSets(
  service: ServiceState,
  ids: Partial<PerColor<string>>,
  targetGroups: PerColor<string>
): PerColor<TaskSet> {
  const pick = (color: Color): TaskSet => {
    const id = ids[color]
    if (id === undefined) {
      const found = taskSetInGroup(service, targetGroups[color])
      if (found) return found
      throw new StateError(
        `No task set of service ${service.name} registers in the ${color} target group ` +
          `${targetGroups[color]}. Create one (templates/ecs-canary.yaml shows how) or name it ` +
          `with "${color.toLowerCase()}-task-set".`
      )
    }
    const taskSet = service.taskSets.find((t) => t.id === id || t.taskSetArn === id)
    if (!taskSet) {
      const known = service.taskSets.map((t) => t.id ?? t.taskSetArn).join(', ') || 'none'
      throw new StateError(
        `The ${color} task set "${id}" is not in service ${service.name} (its task sets: ${known}). ` +
          `Check the ${color}TaskSet stack output or "${color.toLowerCase()}-task-set".`
      )
    }
    const groups = (taskSet.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter(Boolean)
    if (groups.length > 0 && !groups.includes(targetGroups[color])) {
      throw new StateError(
        `The ${color} task set ${taskSet.id} registers its tasks in ${groups.join(', ')}, not in the ` +
          `${color} target group ${targetGroups[color]}: traffic for ${color} would reach the wrong tasks.`
      )
    }
    return taskSet
  }
  return { Blue: pick('Blue'), Green: pick('Green') }
}

export function toUnit(color: Color, taskSet: TaskSet): WorkloadUnit {
  return {
    color,
    arn: taskSet.taskSetArn ?? taskSet.id ?? '',
    label: taskSet.id ?? taskSet.taskSetArn ?? '',
    status: taskSet.status ?? 'UNKNOWN',
    stability: taskSet.stabilityStatus ?? 'UNKNOWN',
    running: taskSet.runningCount ?? 0,
    desired: taskSet.computedDesiredCount ?? 0,
    taskDefinitionArn: taskSet.taskDefinition
  }
}

/** What keeps a task set from taking more traffic; empty when it is ready. Pure. */
export function taskSetBlockers(unit: WorkloadUnit, targets: TargetHealthSummary): string[] {
  const reasons: string[] = []
  if (unit.status !== 'ACTIVE' && unit.status !== 'PRIMARY') {
    reasons.push(`task set ${unit.label} is ${unit.status}`)
  }
  if (unit.stability !== 'STEADY_STATE') reasons.push(`task set is ${unit.stability}`)
  if (unit.desired <= 0) reasons.push('task set wants 0 tasks (scale it up first)')
  else if (unit.running < unit.desired) {
    reasons.push(`${unit.running}/${unit.desired} tasks running`)
  }
  return [...reasons, ...targetBlockers(targets)]
}

function colorHealth(color: Color, taskSet: TaskSet, targets: TargetHealthSummary): ColorHealth {
  const unit = toUnit(color, taskSet)
  const retired = (taskSet.scale?.value ?? 100) === 0 || unit.desired === 0
  return { unit, targets, blockers: taskSetBlockers(unit, targets), retired }
}

/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`. */
export const familyRevision = versionOf

/** Where the two task sets are and what they register into. */
export interface TaskSetLocations {
  cluster: string
  taskSets: Partial<PerColor<string>>
  targetGroups: PerColor<string>
  /** False for a plain rollback: it never waits on health, so it does not read it either. */
  readTargets: boolean
}

/**
 * Blue and Green as ECS task sets of one service with the EXTERNAL deployment controller. (Over 60
 * lines: one class per workload kind, as the Workload interface asks; each method is short.)
 */
export class TaskSetWorkload implements Workload {
  readonly kind = 'ecs-task-sets'

  private constructor(
    private readonly ecs: ECSClient,
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly service: ServiceState,
    private readonly where: TaskSetLocations,
    readonly discovered: PerColor<ColorHealth>,
    private readonly taskDefinitions: (arn: string) => Promise<TaskDefinitionInfo>
  ) {}

  /**
   * Reads both colours: the target groups' health as soon as they are known, beside the service
   * read that discovery already started (it carries the task sets). Refuses a service that is
   * not EXTERNAL and task sets that are not where the inputs say.
   */
  static async discover(
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    service: Promise<ServiceState>,
    where: TaskSetLocations
  ): Promise<TaskSetWorkload> {
    const targets = where.readTargets
      ? Promise.all(COLORS.map((c) => readTargetHealth(clients.elb, where.targetGroups[c])))
      : Promise.resolve(COLORS.map((c) => unreadTargets(where.targetGroups[c])))
    // A failed target health read is reported after the service checks; it must not go unhandled.
    targets.catch(() => undefined)
    const state = await service
    requireExternalController(state)
    const taskSets = matchTaskSets(state, where.taskSets, where.targetGroups)
    const taskDefinitions = prefetchTaskDefinitions(clients.ecs, state)
    const [Blue, Green] = await targets
    const discovered = {
      Blue: colorHealth('Blue', taskSets.Blue, Blue),
      Green: colorHealth('Green', taskSets.Green, Green)
    }
    return new TaskSetWorkload(clients.ecs, clients.elb, state, where, discovered, taskDefinitions)
  }

  async probe(color: Color): Promise<ColorHealth> {
    const [service, targets] = await Promise.all([
      readService(this.ecs, this.where.cluster, this.service.arn),
      readTargetHealth(this.elb, this.where.targetGroups[color])
    ])
    const taskSets = matchTaskSets(service, this.where.taskSets, this.where.targetGroups)
    return colorHealth(color, taskSets[color], targets)
  }

  async retire(color: Color): Promise<string> {
    await this.scale(color, 0)
    return `task set ${this.discovered[color].unit.label} (${color}): scaled to 0 % after promote`
  }

  async restore(color: Color): Promise<string | undefined> {
    if (!this.discovered[color].retired) return undefined
    await this.scale(color, 100)
    return `task set ${this.discovered[color].unit.label} (${color}): scaled back to 100 %`
  }

  private async scale(color: Color, percent: number): Promise<void> {
    await awsCall('ecs:UpdateTaskSet', () =>
      this.ecs.send(
        new UpdateTaskSetCommand({
          cluster: this.where.cluster,
          service: this.service.arn,
          taskSet: this.discovered[color].unit.arn,
          scale: { unit: 'PERCENT', value: percent }
        })
      )
    )
  }

  /** Task definition images for the summary, from the reads started when the service was read. */
  /** Every unit of a colour is behind its route: nothing is left over to release. */
  releasable(): boolean {
    return false
  }

  async release(): Promise<string[]> {
    return []
  }

  readonly undoOnRollback = false

  async details(): Promise<PerColor<TaskDefinitionInfo | undefined>> {
    const read = (color: Color) => {
      const arn = this.discovered[color].unit.taskDefinitionArn
      return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined)
    }
    const [Blue, Green] = await Promise.all(COLORS.map(read))
    return { Blue, Green }
  }
}

function requireExternalController(service: ServiceState): void {
  if (service.deploymentController === 'EXTERNAL') return
  throw new StateError(
    `Service ${service.name} uses the ${service.deploymentController} deployment ` +
      'controller; blue/green task sets need EXTERNAL. Create the service with ' +
      'deploymentController type EXTERNAL (templates/ecs-canary.yaml does).'
  )
}

/**
 * Starts DescribeTaskDefinition for every task set of the service at once and returns a lookup.
 * The results only feed the summary, so they run beside the critical path and a failure (say, a
 * policy without ecs:DescribeTaskDefinition) shows as missing images instead of failing the step.
 */
export function prefetchTaskDefinitions(
  ecs: ECSClient,
  service: Pick<ServiceState, 'taskSets'>
): (arn: string) => Promise<TaskDefinitionInfo> {
  const reads = new Map<string, Promise<TaskDefinitionInfo>>()
  const read = (arn: string): Promise<TaskDefinitionInfo> => {
    let pending = reads.get(arn)
    if (!pending) {
      pending = awsCall('ecs:DescribeTaskDefinition', () =>
        ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))
      ).then(
        (response) => ({
          arn,
          familyRevision: familyRevision(arn),
          images: (response.taskDefinition?.containerDefinitions ?? [])
            .map((c) => c.image)
            .filter((image): image is string => Boolean(image))
        }),
        () => ({ arn, familyRevision: familyRevision(arn), images: [] })
      )
      reads.set(arn, pending)
    }
    return pending
  }
  for (const taskSet of service.taskSets)
    if (taskSet.taskDefinition) void read(taskSet.taskDefinition)
  return read
}
