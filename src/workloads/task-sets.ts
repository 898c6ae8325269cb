import { DescribeTaskDefinitionCommand, type ECSClient, type TaskSet } from '@aws-sdk/client-ecs'
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
  private detailsPromise?: Promise<PerColor<TaskDefinitionInfo | undefined>>

  constructor(
    private readonly clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    private readonly service: { cluster: string; name: string },
    private readonly ids: PerColor<string>,
    private readonly targetGroups: PerColor<string>,
    readonly health: PerColor<ColorHealth>
  ) {}

  /** Builds the workload from state discovery already read; starts the report-only reads. */
  static fromState(
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    cluster: string,
    service: ServiceState,
    ids: PerColor<string>,
    targetGroups: PerColor<string>,
    targets: PerColor<TargetHealthSummary>
  ): TaskSetWorkload {
    const taskSets = matchTaskSets(service, ids, targetGroups)
    const health = {
      Blue: { unit: toUnit('Blue', taskSets.Blue), targets: targets.Blue },
      Green: { unit: toUnit('Green', taskSets.Green), targets: targets.Green }
    }
    const workload = new TaskSetWorkload(
      clients,
      { cluster, name: service.arn },
      ids,
      targetGroups,
      health
    )
    // Task definitions only feed the summary: read them now, off the critical path.
    void workload.details()
    return workload
  }

  async probe(color: Color): Promise<ColorHealth> {
    const [service, targets] = await Promise.all([
      readService(this.clients.ecs, this.service.cluster, this.service.name),
      readTargetHealth(this.clients.elb, this.targetGroups[color])
    ])
    const taskSets = matchTaskSets(service, this.ids, this.targetGroups)
    return { unit: toUnit(color, taskSets[color]), targets }
  }

  /** Task definition images for the summary; a failure here never fails the step. */
  details(): Promise<PerColor<TaskDefinitionInfo | undefined>> {
    this.detailsPromise ??= Promise.all(
      COLORS.map((color) => this.readTaskDefinition(this.health[color].unit.taskDefinitionArn))
    ).then(([Blue, Green]) => ({ Blue, Green }))
    return this.detailsPromise
  }

  private async readTaskDefinition(
    arn: string | undefined
  ): Promise<TaskDefinitionInfo | undefined> {
    if (!arn) return undefined
    try {
      const response = await awsCall('ecs:DescribeTaskDefinition', () =>
        this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))
      )
      const images = (response.taskDefinition?.containerDefinitions ?? [])
        .map((c) => c.image)
        .filter((image): image is string => Boolean(image))
      return { arn, familyRevision: familyRevision(arn), images }
    } catch {
      return { arn, familyRevision: familyRevision(arn), images: [] }
    }
  }
}
