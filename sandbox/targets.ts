/**
 * Target groups' targets and what ELB reports for each. The simulation rebuilds the targets a
 * task set or a service registers by itself; targets registered with RegisterTargets (a canary
 * task's IP) are kept with their own state: `initial` until their first health checks pass,
 * `draining` for the deregistration delay after DeregisterTargets, and `unhealthy` when the task
 * behind the IP is not running or serves a bad version.
 */
import {
  BAD_VERSION,
  taskDefinitionVersion,
  type TargetGroupState,
  type TargetState,
  type World
} from './world.js'
import { taskAt } from './tasks.js'

/**
 * Makes each target group's targets the running tasks of the task sets that point at it (IPs
 * 10.0.<task set number>.<task number>: plain strings, nothing listens on them) and the running
 * tasks of the services of the ECS controller registered there (their tasks' own IPs), and keeps
 * the targets registered by RegisterTargets.
 */
export function syncTargets(world: World): void {
  const targets = new Map<string, TargetState[]>()
  const add = (arn: string, target: TargetState) =>
    targets.set(arn, [...(targets.get(arn) ?? []), target])
  let ordinal = 0
  for (const service of world.services) {
    for (const taskSet of service.taskSets) {
      ordinal += 1
      for (const lb of taskSet.loadBalancers) {
        for (let task = 1; task <= taskSet.runningCount; task++) {
          const availabilityZone = `${world.region}${task % 2 === 1 ? 'a' : 'b'}`
          add(lb.targetGroupArn, {
            id: `10.0.${ordinal}.${task}`,
            port: lb.containerPort,
            availabilityZone
          })
        }
      }
    }
  }
  // A service of the ECS controller registers its running tasks itself.
  for (const task of world.tasks ?? []) {
    if (!task.serviceName || task.lastStatus !== 'RUNNING' || !task.privateIp) continue
    const service = world.services.find(
      (s) => s.name === task.serviceName && s.clusterName === task.clusterName
    )
    for (const lb of service?.loadBalancers ?? []) {
      add(lb.targetGroupArn, {
        id: task.privateIp,
        port: lb.containerPort,
        availabilityZone: task.availabilityZone
      })
    }
  }
  for (const tg of world.targetGroups) {
    const derived = targets.get(tg.arn) ?? []
    const same = (a: TargetState, b: TargetState) => a.id === b.id && a.port === b.port
    const registered = tg.targets.filter((t) => t.registered && !derived.some((d) => same(d, t)))
    tg.targets = [...derived, ...registered]
  }
}

export interface TargetHealth {
  State: string
  Reason?: string
  Description?: string
}

/** Reason codes and descriptions as ELB reports them for each state. */
const DETAIL: Record<string, Omit<TargetHealth, 'State'> | undefined> = {
  initial: {
    Reason: 'Elb.InitialHealthChecking',
    Description: 'Initial health checks in progress'
  },
  unhealthy: {
    Reason: 'Target.ResponseCodeMismatch',
    Description: 'Health checks failed with these codes: [503]'
  },
  draining: {
    Reason: 'Target.DeregistrationInProgress',
    Description: 'Target deregistration is in progress'
  },
  unused: {
    Reason: 'Target.NotInUse',
    Description: 'Target group is not configured to receive traffic from the load balancer'
  }
}

const TIMEOUT: TargetHealth = {
  State: 'unhealthy',
  Reason: 'Target.Timeout',
  Description: 'Request timed out'
}

/**
 * What ELB reports for one target, given the state the group's scenario gives every target on
 * this look (`unused` when no load balancer forwards to it; see HealthScenario). A scenario other
 * than healthy wins over the target's own state, so `set-health` still turns a whole group.
 */
export function targetHealth(
  world: World,
  tg: TargetGroupState,
  target: TargetState,
  groupState: string
): TargetHealth {
  const of = (State: string): TargetHealth => ({ State, ...DETAIL[State] })
  if (groupState === 'unused') return of('unused')
  if (target.phase === 'draining') return of('draining')
  if (groupState !== 'healthy') return of(groupState)
  if (target.phase === 'initial') return of('initial')
  if (tg.targetType === 'ip' || tg.targetType === undefined) {
    const task = taskAt(world, target.id)
    // Nothing answers at an IP whose task is gone or not yet running.
    if (task ? task.lastStatus !== 'RUNNING' : target.registered) return TIMEOUT
    if (task && taskDefinitionVersion(world, task.taskDefinition) === BAD_VERSION) {
      return of('unhealthy')
    }
  }
  return of('healthy')
}
