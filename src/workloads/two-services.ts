import {
  DescribeServicesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service
} from '@aws-sdk/client-ecs'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../aws/call.js'
import { COLORS, type Color, type PerColor } from '../color.js'
import { NotFoundError, StateError } from '../errors.js'
import { readTargetHealth, targetBlockers, unreadTargets } from './target-health.js'
import type {
  ColorHealth,
  TargetHealthSummary,
  TaskDefinitionInfo,
  Workload,
  WorkloadUnit
} from './workload.js'
import { prefetchTaskDefinitions } from './task-sets.js'

/** Where the two services are. */
export interface TwoServiceLocations {
  cluster: string
  /** Each colour's ECS service, by name or ARN. */
  services: PerColor<string>
  /** A colour's target group, when the inputs name it; else the one the service registers in. */
  targetGroups: Partial<PerColor<string>>
  /** False for a plain rollback: it never waits on health, so it does not read it either. */
  readTargets: boolean
  /** The tag that records a retired service's desired count, e.g. `StableStackScaledFrom`. */
  scaleTag: string
}

/** The largest desired count the action restores from its own tag (ECS's tasks-per-service quota). */
const MAX_RESTORED_COUNT = 5000

/** `3@arn:aws:ecs:…:service/c/web-blue`: the count the service had, and which service wrote it. */
export function formatScaleTag(desired: number, serviceArn: string): string {
  return `${desired}@${serviceArn}`
}

/**
 * The count a retired service had, from the tag the action wrote when it scaled it down. Pure.
 * Undefined unless the tag is the action's own for this very service (a tag copied with the
 * service's definition names another ARN) and the count is one the action would have written.
 */
export function parseScaleTag(value: string | undefined, serviceArn: string): number | undefined {
  const match = /^(\d{1,4})@(.+)$/.exec(value ?? '')
  if (!match || match[2] !== serviceArn) return undefined
  const count = Number(match[1])
  return count >= 1 && count <= MAX_RESTORED_COUNT ? count : undefined
}

/** The service as a unit; its stability is its primary deployment's rollout state. Pure. */
export function serviceUnit(color: Color, service: Service): WorkloadUnit {
  const deployments = service.deployments ?? []
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  const rollout = primary?.rolloutState ?? 'UNKNOWN'
  return {
    color,
    arn: service.serviceArn ?? '',
    label: service.serviceName ?? service.serviceArn ?? '',
    status: service.status ?? 'UNKNOWN',
    stability: deployments.length > 1 && rollout === 'COMPLETED' ? 'IN_PROGRESS' : rollout,
    running: service.runningCount ?? 0,
    desired: service.desiredCount ?? 0,
    taskDefinitionArn: primary?.taskDefinition ?? service.taskDefinition
  }
}

/**
 * What keeps a colour's service from taking traffic; empty when it is ready. Pure. Its deployment
 * must be COMPLETED, it must want tasks and run them all, and its targets (when it registers in
 * a target group) must be healthy.
 */
export function serviceBlockers(
  unit: WorkloadUnit,
  targets: TargetHealthSummary | undefined
): string[] {
  const reasons: string[] = []
  if (unit.status !== 'ACTIVE') reasons.push(`service ${unit.label} is ${unit.status}`)
  if (unit.stability !== 'COMPLETED') reasons.push(`its deployment is ${unit.stability}`)
  if (unit.desired <= 0) reasons.push('service wants 0 tasks (scale it up first)')
  else if (unit.running < unit.desired)
    reasons.push(`${unit.running}/${unit.desired} tasks running`)
  return targets ? [...reasons, ...targetBlockers(targets)] : reasons
}

/** The colour's target group: the input's, which the service must register in, else its own. */
export function targetGroupOf(
  color: Color,
  service: Service,
  given: string | undefined
): string | undefined {
  const groups = (service.loadBalancers ?? [])
    .map((lb) => lb.targetGroupArn)
    .filter(Boolean) as string[]
  if (given === undefined) return groups[0]
  if (groups.length > 0 && !groups.includes(given)) {
    throw new StateError(
      `The ${color} service ${service.serviceName} registers its tasks in ${groups.join(', ')}, not in ` +
        `the ${color} target group ${given}: traffic for ${color} would reach the wrong tasks.`
    )
  }
  return given
}

interface ColorService {
  service: Service
  targetGroup?: string
}

/**
 * Blue and Green as two ECS services of the ECS deployment controller, one per colour, each in
 * its own target group or service-discovery name. Retiring a colour sets its desired count to 0
 * and records the count it had in a tag on that service, which restoring reads back. (Over 60
 * lines: one class per workload kind; each method is short.)
 */
export class TwoServiceWorkload implements Workload {
  readonly kind = 'ecs-services'

  private constructor(
    private readonly ecs: ECSClient,
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly where: TwoServiceLocations,
    private readonly colors: PerColor<ColorService>,
    readonly discovered: PerColor<ColorHealth>,
    private readonly taskDefinitions: (arn: string) => Promise<TaskDefinitionInfo>
  ) {}

  static async discover(
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    where: TwoServiceLocations
  ): Promise<TwoServiceWorkload> {
    const services = await describeColors(clients.ecs, where)
    const colors = {
      Blue: {
        service: services.Blue,
        targetGroup: targetGroupOf('Blue', services.Blue, where.targetGroups.Blue)
      },
      Green: {
        service: services.Green,
        targetGroup: targetGroupOf('Green', services.Green, where.targetGroups.Green)
      }
    }
    if (colors.Blue.targetGroup && colors.Blue.targetGroup === colors.Green.targetGroup) {
      throw new StateError(
        `Both services register in target group ${colors.Blue.targetGroup}; each colour needs its own.`
      )
    }
    const targets = await Promise.all(
      COLORS.map((c) => readTargets(clients.elb, colors[c].targetGroup, where.readTargets))
    )
    const discovered = {
      Blue: colorHealth('Blue', services.Blue, targets[0]),
      Green: colorHealth('Green', services.Green, targets[1])
    }
    const taskDefinitions = prefetchTaskDefinitions(clients.ecs, {
      taskSets: COLORS.map((c) => ({ taskDefinition: discovered[c].unit.taskDefinitionArn }))
    })
    return new TwoServiceWorkload(
      clients.ecs,
      clients.elb,
      where,
      colors,
      discovered,
      taskDefinitions
    )
  }

  /** The colours' services as discovery read them (ARNs and tags). */
  service(color: Color): Service {
    return this.colors[color].service
  }

  async probe(color: Color): Promise<ColorHealth> {
    const [services, targets] = await Promise.all([
      describeColors(this.ecs, this.where),
      readTargets(this.elb, this.colors[color].targetGroup, true)
    ])
    return colorHealth(color, services[color], targets)
  }

  /** The count is recorded first: a run that stops between the two writes leaves a full service. */
  async retire(color: Color): Promise<string | undefined> {
    const unit = this.discovered[color].unit
    if (unit.desired <= 0) return undefined
    await this.tag(unit.arn, formatScaleTag(unit.desired, unit.arn))
    await this.scale(unit.arn, 0)
    return `service ${unit.label} (${color}): desired count ${unit.desired} → 0 after promote (tag ${this.where.scaleTag} keeps ${unit.desired})`
  }

  /** The count from the action's own tag; a tag that is not refuses, before any write. */
  async restore(color: Color): Promise<string | undefined> {
    if (!this.discovered[color].retired) return undefined
    const { service } = this.colors[color]
    const arn = service.serviceArn ?? ''
    const tag = this.where.scaleTag
    const value = (service.tags ?? []).find((t) => t.key === tag)?.value
    const count = parseScaleTag(value, arn)
    if (count === undefined) {
      throw new StateError(
        `Service ${service.serviceName} (${color}) wants 0 tasks and ` +
          (value === undefined
            ? `has no ${tag} tag`
            : `its ${tag} tag "${value}" is not one this action wrote for it`) +
          `, so the count to restore is unknown. Scale it with: aws ecs update-service --cluster ${this.where.cluster} ` +
          `--service ${arn} --desired-count N, then run this step again. Nothing was written.`
      )
    }
    await this.scale(arn, count)
    await awsCall('ecs:UntagResource', () =>
      this.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [tag] }))
    )
    return `service ${service.serviceName} (${color}): desired count 0 → ${count} (restored)`
  }

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

  private async tag(arn: string, value: string): Promise<void> {
    await awsCall('ecs:TagResource', () =>
      this.ecs.send(
        new TagResourceCommand({ resourceArn: arn, tags: [{ key: this.where.scaleTag, value }] })
      )
    )
  }

  private async scale(arn: string, desiredCount: number): Promise<void> {
    await awsCall('ecs:UpdateService', () =>
      this.ecs.send(
        new UpdateServiceCommand({ cluster: this.where.cluster, service: arn, desiredCount })
      )
    )
  }
}

function colorHealth(
  color: Color,
  service: Service,
  targets: TargetHealthSummary | undefined
): ColorHealth {
  const unit = serviceUnit(color, service)
  const summary = targets ?? {
    targetGroupArn: '',
    total: 0,
    healthy: 0,
    notHealthy: [],
    unread: true
  }
  return {
    unit,
    targets: summary,
    blockers: serviceBlockers(unit, targets),
    retired: unit.desired === 0
  }
}

async function readTargets(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string | undefined,
  read: boolean
): Promise<TargetHealthSummary | undefined> {
  if (!targetGroup) return undefined
  return read ? readTargetHealth(elb, targetGroup) : unreadTargets(targetGroup)
}

/** Both colours' services in one DescribeServices call, with their tags. */
async function describeColors(
  ecs: ECSClient,
  where: TwoServiceLocations
): Promise<PerColor<Service>> {
  const { cluster, services } = where
  const response = await awsCall(
    'ecs:DescribeServices',
    () =>
      ecs.send(
        new DescribeServicesCommand({
          cluster,
          services: [services.Blue, services.Green],
          include: ['TAGS']
        })
      ),
    (name) =>
      name === 'ClusterNotFoundException'
        ? new NotFoundError(
            `ECS cluster "${cluster}" was not found. Check "cluster" and "aws-region".`
          )
        : undefined
  )
  const found = (response.services ?? []).filter((s) => s.status !== 'INACTIVE')
  const pick = (color: Color): Service => {
    const wanted = services[color]
    const service = found.find((s) => s.serviceName === wanted || s.serviceArn === wanted)
    if (!service) {
      throw new NotFoundError(
        `The ${color} service "${wanted}" was not found in cluster "${cluster}". Check "${color.toLowerCase()}-service".`
      )
    }
    const controller = service.deploymentController?.type ?? 'ECS'
    if (controller !== 'ECS') {
      throw new StateError(
        `The ${color} service ${service.serviceName} uses the ${controller} deployment controller; ` +
          'with "blue-service" and "green-service" each colour is a service of the ECS (rolling) controller.'
      )
    }
    return service
  }
  const picked = { Blue: pick('Blue'), Green: pick('Green') }
  if (picked.Blue.serviceArn === picked.Green.serviceArn) {
    throw new StateError(
      '"blue-service" and "green-service" name the same service; each colour needs its own.'
    )
  }
  return picked
}
