/**
 * ELB target operations: RegisterTargets, DeregisterTargets, DescribeTargetHealth and
 * DescribeTargetGroupAttributes. A registered target is `initial` for the steady delay, then in
 * service; a deregistered one is `draining` for the group's deregistration delay, then gone.
 */
import { asList } from '../protocols/query.js'
import { targetHealth } from '../targets.js'
import { taskAt } from '../tasks.js'
import type { TargetGroupState, World } from '../world.js'
import { AwsError, reqString, type Handler } from './service.js'

type Input = Record<string, unknown>

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const INSTANCE = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/
const LAMBDA = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/

export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300

export function targetGroup(world: World, input: Input): TargetGroupState {
  const arn = reqString(input, 'TargetGroupArn', 'ValidationError')
  const tg = world.targetGroups.find((g) => g.arn === arn)
  if (!tg) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found')
  return tg
}

/** The Targets member, each checked against the group's target type as ELB checks it. */
function targetsOf(tg: TargetGroupState, input: Input): { id: string; port: number }[] {
  const targets = asList<{ Id?: unknown; Port?: unknown }>(input.Targets) ?? []
  if (targets.length === 0) throw new AwsError('ValidationError', 'Targets must not be empty')
  const type = tg.targetType ?? 'ip'
  return targets.map((t) => {
    const id = typeof t.Id === 'string' ? t.Id : ''
    if (id === '') throw new AwsError('ValidationError', 'A target ID must be specified')
    if (type === 'lambda') {
      if (!LAMBDA.test(id)) {
        throw new AwsError(
          'ValidationError',
          `The target ID '${id}' is not a valid Lambda function ARN; this target group's target type is lambda`
        )
      }
      return { id, port: 0 }
    }
    if (type === 'ip' && !IPV4.test(id)) {
      throw new AwsError('ValidationError', `The IP address '${id}' is not a valid IPv4 address`)
    }
    if (type === 'instance' && !INSTANCE.test(id)) {
      throw new AwsError('InvalidTarget', `The following targets are not valid instances: '${id}'`)
    }
    const port = t.Port === undefined ? tg.port : t.Port
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new AwsError('ValidationError', 'A target port must be between 1 and 65535')
    }
    return { id, port }
  })
}

const drainMs = (tg: TargetGroupState) =>
  tg.drainMs ?? (tg.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS) * 1000

/** What every target of the group reports on this look; `flapping` alternates per call. */
function groupState(tg: TargetGroupState, forwarded: boolean): string {
  tg.healthChecks += 1
  // ELB only health-checks groups that a load balancer forwards to.
  if (!forwarded) return 'unused'
  if (tg.health === 'flapping') return tg.healthChecks % 2 === 1 ? 'healthy' : 'unhealthy'
  return tg.health
}

export function targetOperations(forwarded: (world: World, tgArn: string) => boolean) {
  const operations: Record<string, Handler> = {
    RegisterTargets: (input, { world, sim }) => {
      const tg = targetGroup(world, input)
      const targets = targetsOf(tg, input)
      if (tg.targetType === 'lambda' && targets.length > 1) {
        throw new AwsError('TooManyTargets', 'A Lambda target group can have only one target')
      }
      for (const { id, port } of targets) {
        const existing = tg.targets.find((t) => t.id === id && t.port === port)
        // Registering a target again changes nothing, unless it was draining.
        if (existing && existing.phase !== 'draining') continue
        const target = existing ?? {
          id,
          port,
          availabilityZone: taskAt(world, id)?.availabilityZone ?? `${world.region}a`
        }
        target.registered = true
        target.phase = 'initial'
        if (!existing) tg.targets.push(target)
        sim.after(sim.steadyDelayMs, () => {
          if (target.phase === 'initial') delete target.phase
        })
      }
      return {}
    },

    /** Deregistering a target that is not registered changes nothing, as ELB answers it. */
    DeregisterTargets: (input, { world, sim }) => {
      const tg = targetGroup(world, input)
      for (const { id, port } of targetsOf(tg, input)) {
        const target = tg.targets.find((t) => t.id === id && t.port === port)
        if (!target || target.phase === 'draining') continue
        target.registered = true
        target.phase = 'draining'
        sim.after(drainMs(tg), () => {
          if (target.phase === 'draining') tg.targets = tg.targets.filter((t) => t !== target)
        })
      }
      return {}
    },

    DescribeTargetHealth: (input, { world }) => {
      const tg = targetGroup(world, input)
      const state = groupState(tg, forwarded(world, tg.arn))
      const asked = asList<{ Id?: string; Port?: number }>(input.Targets)
      const descriptions =
        asked && asked.length > 0
          ? asked.map((t) => {
              const port = t.Port ?? tg.port
              const target = tg.targets.find((x) => x.id === t.Id && x.port === port)
              if (!target) {
                return {
                  Target: { Id: t.Id ?? '', Port: port },
                  HealthCheckPort: String(port),
                  TargetHealth: {
                    State: 'unused',
                    Reason: 'Target.NotRegistered',
                    Description: 'Target is not registered to the target group'
                  }
                }
              }
              return describe(world, tg, target, state)
            })
          : tg.targets.map((t) => describe(world, tg, t, state))
      return { TargetHealthDescriptions: descriptions }
    },

    DescribeTargetGroupAttributes: (input, { world }) => {
      const tg = targetGroup(world, input)
      const attributes: [string, string][] = [
        [
          'deregistration_delay.timeout_seconds',
          String(tg.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS)
        ],
        ['stickiness.enabled', 'false'],
        ['stickiness.type', 'lb_cookie'],
        ['stickiness.lb_cookie.duration_seconds', '86400'],
        ['load_balancing.algorithm.type', 'round_robin'],
        ['slow_start.duration_seconds', '0'],
        ['load_balancing.cross_zone.enabled', 'use_load_balancer_configuration']
      ]
      return { Attributes: attributes.map(([Key, Value]) => ({ Key, Value })) }
    }
  }
  return operations
}

function describe(
  world: World,
  tg: TargetGroupState,
  target: TargetGroupState['targets'][number],
  state: string
) {
  return {
    Target: { Id: target.id, Port: target.port, AvailabilityZone: target.availabilityZone },
    HealthCheckPort: String(target.port),
    TargetHealth: targetHealth(world, tg, target, state)
  }
}
