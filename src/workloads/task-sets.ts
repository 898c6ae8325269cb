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
import { readTargetHealth } from './target-health.js'
import type {
  ColorHealth,
  TargetHealthSummary,
  TaskDefinitionInfo,
  Workload,
  WorkloadUnit
} from './workload.js'

/** Finds each colour's task set in the service; pure. */
export function matchTaskSets(
  service: ServiceState,
  ids: PerColor<string>,
  targetGroups: PerColor<string>
): PerColor<TaskSet> {
  const pick = (color: Color): TaskSet => {
    const id = ids[color]
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
    scale: taskSet.scale?.value ?? 100,
    taskDefinitionArn: taskSet.taskDefinition
  }
}

/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`. */
export function familyRevision(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn
}

/** Blue and Green as ECS task sets of one EXTERNAL service. */
export class TaskSetWorkload implements Workload {
  readonly kind = 'ecs-task-sets'

  constructor(
    private readonly clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    private readonly service: { cluster: string; name: string },
    private readonly ids: PerColor<string>,
    private readonly targetGroups: PerColor<string>,
    readonly health: PerColor<ColorHealth>,
    private readonly taskDefinitions: (arn: string) => Promise<TaskDefinitionInfo>
  ) {}

  /** Builds the workload from state discovery already read. */
  static fromState(
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    cluster: string,
    service: ServiceState,
    ids: PerColor<string>,
    targetGroups: PerColor<string>,
    targets: PerColor<TargetHealthSummary>,
    taskDefinitions: (arn: string) => Promise<TaskDefinitionInfo>
  ): TaskSetWorkload {
    const taskSets = matchTaskSets(service, ids, targetGroups)
    const health = {
      Blue: { unit: toUnit('Blue', taskSets.Blue), targets: targets.Blue },
      Green: { unit: toUnit('Green', taskSets.Green), targets: targets.Green }
    }
    return new TaskSetWorkload(
      clients,
      { cluster, name: service.arn },
      ids,
      targetGroups,
      health,
      taskDefinitions
    )
  }

  async probe(color: Color): Promise<ColorHealth> {
    const [service, targets] = await Promise.all([
      readService(this.clients.ecs, this.service.cluster, this.service.name),
      readTargetHealth(this.clients.elb, this.targetGroups[color])
    ])
    const taskSets = matchTaskSets(service, this.ids, this.targetGroups)
    return { unit: toUnit(color, taskSets[color]), targets }
  }

  async scale(color: Color, percent: number): Promise<void> {
    await awsCall('ecs:UpdateTaskSet', () =>
      this.clients.ecs.send(
        new UpdateTaskSetCommand({
          cluster: this.service.cluster,
          service: this.service.name,
          taskSet: this.health[color].unit.arn,
          scale: { unit: 'PERCENT', value: percent }
        })
      )
    )
  }

  /** Task definition images for the summary, from the reads started when the service was read. */
  async details(): Promise<PerColor<TaskDefinitionInfo | undefined>> {
    const read = (color: Color) => {
      const arn = this.health[color].unit.taskDefinitionArn
      return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined)
    }
    const [Blue, Green] = await Promise.all(COLORS.map(read))
    return { Blue, Green }
  }
}

/**
 * Starts DescribeTaskDefinition for every task set of the service at once and returns a lookup.
 * The results only feed the summary, so they run beside the critical path and a failure (say, a
 * policy without ecs:DescribeTaskDefinition) shows as missing images instead of failing the step.
 */
export function prefetchTaskDefinitions(
  ecs: ECSClient,
  service: ServiceState
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
