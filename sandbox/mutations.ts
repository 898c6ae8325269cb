/**
 * Out-of-band changes to the world — what another person or tool would do behind the action's
 * back. Shared by the control API (`POST /_sandbox/<type>`), by after-write hooks declared over
 * HTTP, and by tests in code (`applyMutation(sandbox.world, {...})`).
 */
import { isAlarmState, setAlarmState, ALARM_STATES } from './alarms.js'
import { syncTargets } from './simulation.js'
import { SELF_STOPS, stopNow, tasksOf, type SelfStop } from './tasks.js'
import {
  findAlarm,
  findService,
  findTargetGroup,
  forwardedTargetGroups,
  type AlarmStateValue,
  type HealthScenario,
  type World
} from './world.js'

export type Mutation =
  | { type: 'set-tag'; service?: string; key: string; value: string }
  | { type: 'remove-tag'; service?: string; key: string }
  /** Weights by target group name or ARN. Without `rule`: the first rule by priority that
   * forwards to every named group. Groups not named keep their weight. */
  | { type: 'set-rule-weights'; rule?: string; weights: Record<string, number> }
  | { type: 'set-health'; targetGroup: string; health: HealthScenario }
  /** Puts a task set in a stability state directly (no delay); STEADY_STATE registers targets. */
  | {
      type: 'set-task-set'
      service?: string
      taskSet: string
      stabilityStatus: 'STEADY_STATE' | 'STABILIZING'
    }
  /** Sets a CloudWatch alarm's state, as SetAlarmState does (composites are re-evaluated). */
  | { type: 'set-alarm'; name: string; state: AlarmStateValue; reason?: string }
  /**
   * Tasks stop by themselves (`cause`: `oom` by default, `exit`, `failed-to-start`). `task` (ARN or
   * id) must name a task; otherwise every running task started with `startedBy` (a prefix), or
   * with neither, every running task no service started: none may match yet, so it can be
   * scheduled before the task exists.
   */
  | { type: 'stop-task'; task?: string; startedBy?: string; cause?: SelfStop }
  /** RunTask answers `failures: [{reason}]` (e.g. RESOURCE:MEMORY) for the next `count` calls
   * (absent: until set again without a reason). */
  | { type: 'set-run-task-failure'; reason?: string; detail?: string; count?: number }

export type MutationType = Mutation['type']

export const MUTATION_TYPES: readonly MutationType[] = [
  'set-tag',
  'remove-tag',
  'set-rule-weights',
  'set-health',
  'set-task-set',
  'set-alarm',
  'stop-task',
  'set-run-task-failure'
]

const HEALTH: readonly string[] = [
  'healthy',
  'unhealthy',
  'initial',
  'draining',
  'unused',
  'flapping'
]

export function applyMutation(world: World, m: Mutation): void {
  switch (m.type) {
    case 'set-tag': {
      const service = serviceOf(world, m.service)
      service.tags = [
        ...service.tags.filter((t) => t.key !== m.key),
        { key: m.key, value: m.value }
      ]
      return
    }
    case 'remove-tag': {
      const service = serviceOf(world, m.service)
      service.tags = service.tags.filter((t) => t.key !== m.key)
      return
    }
    case 'set-rule-weights':
      return setRuleWeights(world, m.weights, m.rule)
    case 'set-health': {
      if (!HEALTH.includes(m.health)) throw new Error(`health must be one of ${HEALTH.join(', ')}`)
      const tg = findTargetGroup(world, m.targetGroup)
      if (!tg) throw new Error(`no target group ${m.targetGroup}`)
      tg.health = m.health
      return
    }
    case 'set-task-set': {
      const ts = serviceOf(world, m.service).taskSets.find(
        (t) => t.id === m.taskSet || t.arn === m.taskSet
      )
      if (!ts) throw new Error(`no task set ${m.taskSet}`)
      ts.stabilityStatus = m.stabilityStatus
      ts.stabilityStatusAt = Date.now()
      if (m.stabilityStatus === 'STEADY_STATE') {
        ts.runningCount = ts.computedDesiredCount
        ts.pendingCount = 0
        syncTargets(world)
      }
      return
    }
    case 'set-alarm': {
      const alarm = findAlarm(world, m.name)
      if (!alarm) throw new Error(`no alarm ${m.name}`)
      if (!isAlarmState(m.state)) throw new Error(`state must be one of ${ALARM_STATES.join(', ')}`)
      setAlarmState(world, alarm, m.state, m.reason ?? `Set to ${m.state} by the sandbox`)
      return
    }
    case 'stop-task':
      return stopTasks(world, m)
    case 'set-run-task-failure': {
      if (m.reason === undefined || m.reason === '') {
        delete world.runTaskFailure
        return
      }
      if (m.count !== undefined && !(Number.isInteger(m.count) && m.count > 0)) {
        throw new Error('count must be a positive integer')
      }
      world.runTaskFailure = {
        reason: m.reason,
        ...(m.detail ? { detail: m.detail } : {}),
        ...(m.count !== undefined ? { remaining: m.count } : {})
      }
      return
    }
    default:
      throw new Error(`unknown mutation type ${(m as { type?: unknown }).type}`)
  }
}

function serviceOf(world: World, name?: string) {
  const service = findService(world, name)
  if (!service) throw new Error(`no service ${name ?? 'myservice'}`)
  return service
}

function setRuleWeights(world: World, weights: Record<string, number>, ruleArn?: string): void {
  const arns = Object.keys(weights).map((ref) => {
    const tg = findTargetGroup(world, ref)
    if (!tg) throw new Error(`no target group ${ref}`)
    return [ref, tg.arn] as const
  })
  const rule = ruleArn
    ? world.rules.find((r) => r.arn === ruleArn)
    : [...world.rules]
        .sort((a, b) => a.priority - b.priority)
        .find((r) => arns.every(([, arn]) => forwardedTargetGroups(r.actions).includes(arn)))
  if (!rule) throw new Error('no rule forwards to all of those target groups')
  const forward = rule.actions.find((a) => a.Type === 'forward')
  const groups = forward?.ForwardConfig?.TargetGroups
  if (!groups) throw new Error('the rule has no weighted (ForwardConfig) forward action')
  for (const [ref, arn] of arns) {
    const group = groups.find((g) => g.TargetGroupArn === arn)
    if (!group) throw new Error(`the rule does not forward to ${ref}`)
    group.Weight = weights[ref]
  }
}

function stopTasks(world: World, m: Extract<Mutation, { type: 'stop-task' }>): void {
  const cause = SELF_STOPS[m.cause ?? 'oom']
  if (!cause) throw new Error(`cause must be one of ${Object.keys(SELF_STOPS).join(', ')}`)
  const running = tasksOf(world).filter((t) => t.desiredStatus === 'RUNNING')
  let chosen
  if (m.task) {
    const task = tasksOf(world).find((t) => t.arn === m.task || t.id === m.task)
    if (!task) throw new Error(`no task ${m.task}`)
    chosen = task.desiredStatus === 'RUNNING' ? [task] : []
  } else if (m.startedBy !== undefined) {
    chosen = running.filter((t) => t.startedBy?.startsWith(m.startedBy!))
  } else {
    chosen = running.filter((t) => !t.serviceName)
  }
  for (const task of chosen) stopNow(task, cause, Date.now())
  if (chosen.some((t) => t.serviceName)) syncTargets(world)
}
