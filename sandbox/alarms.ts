/**
 * CloudWatch alarm state: the one place that changes an alarm's state, shared by SetAlarmState,
 * the `set-alarm` mutation and variants, and the composite-alarm rule evaluator that keeps
 * composite alarms in step with their children, as CloudWatch does.
 */
import { findAlarm, type AlarmState, type AlarmStateValue, type World } from './world.js'

export const ALARM_STATES: readonly AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA']

export function isAlarmState(value: unknown): value is AlarmStateValue {
  return typeof value === 'string' && (ALARM_STATES as readonly string[]).includes(value)
}

/**
 * Sets an alarm's state and reason. StateUpdatedTimestamp moves on every call, the transition
 * timestamp only when the value changes; composite alarms are then re-evaluated.
 */
export function setAlarmState(
  world: World,
  alarm: AlarmState,
  state: AlarmStateValue,
  reason: string,
  options: { reasonData?: string; now?: number } = {}
): void {
  const now = options.now ?? Date.now()
  if (alarm.state !== state) alarm.stateTransitionedAt = now
  alarm.state = state
  alarm.stateReason = reason
  if (options.reasonData === undefined) delete alarm.stateReasonData
  else alarm.stateReasonData = options.reasonData
  alarm.stateUpdatedAt = now
  evaluateComposites(world, now, alarm)
}

/**
 * Brings every composite alarm in line with its rule: ALARM when the rule is true, else OK. Repeats
 * until nothing changes, since composites may reference composites. `except` is left alone (a
 * composite whose state was just set by hand keeps it until one of its children changes).
 */
export function evaluateComposites(world: World, now = Date.now(), except?: AlarmState): void {
  for (let round = 0; round <= world.alarms.length; round++) {
    let changed = false
    for (const alarm of world.alarms) {
      if (alarm.type !== 'CompositeAlarm' || !alarm.alarmRule || alarm === except) continue
      const state: AlarmStateValue = evaluateRule(world, alarm.alarmRule) ? 'ALARM' : 'OK'
      if (state === alarm.state) continue
      alarm.state = state
      alarm.stateReason = `Composite alarm rule evaluated to ${state === 'ALARM' ? 'TRUE' : 'FALSE'}`
      delete alarm.stateReasonData
      alarm.stateUpdatedAt = now
      alarm.stateTransitionedAt = now
      changed = true
    }
    if (!changed) return
  }
}

// Alarm rules: `ALARM("name")`, `OK(name)`, `INSUFFICIENT_DATA("arn:...")`, TRUE, FALSE, NOT, AND,
// OR and parentheses; NOT binds tightest, then AND, then OR. A reference to a missing alarm is
// false. AT_LEAST is not supported.

type Node =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmStateValue; alarm: string }
  | { kind: 'not'; operand: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node }

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+)/gy

function tokenize(rule: string): string[] {
  const tokens: string[] = []
  let at = 0
  TOKEN.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = TOKEN.exec(rule)) !== null) {
    tokens.push(match[1])
    at = TOKEN.lastIndex
  }
  if (rule.slice(at).trim() !== '') throw new Error(`Invalid alarm rule: ${rule}`)
  return tokens
}

export function parseAlarmRule(rule: string): Node {
  const tokens = tokenize(rule)
  let i = 0
  const fail = (): never => {
    throw new Error(`Invalid alarm rule: ${rule}`)
  }
  const peek = () => tokens[i]?.toUpperCase()
  const next = () => tokens[i++] ?? fail()

  const primary = (): Node => {
    const token = next()
    const upper = token.toUpperCase()
    if (token === '(') {
      const inner = or()
      if (next() !== ')') fail()
      return inner
    }
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'const', value: upper === 'TRUE' }
    if (isAlarmState(upper)) {
      if (next() !== '(') fail()
      const ref = next()
      if (ref === ')' || next() !== ')') fail()
      const alarm = ref.startsWith('"') ? ref.slice(1, -1).replace(/\\(.)/g, '$1') : ref
      return { kind: 'state', state: upper, alarm }
    }
    return fail()
  }
  const not = (): Node => {
    if (peek() === 'NOT') {
      i++
      return { kind: 'not', operand: not() }
    }
    return primary()
  }
  const and = (): Node => {
    let left = not()
    while (peek() === 'AND') {
      i++
      left = { kind: 'and', left, right: not() }
    }
    return left
  }
  const or = (): Node => {
    let left = and()
    while (peek() === 'OR') {
      i++
      left = { kind: 'or', left, right: and() }
    }
    return left
  }
  const tree = or()
  if (i !== tokens.length) fail()
  return tree
}

/** The alarm names (or ARNs, as written) a rule references. */
export function alarmRuleReferences(rule: string): string[] {
  const refs: string[] = []
  const walk = (node: Node): void => {
    if (node.kind === 'state') refs.push(node.alarm)
    else if (node.kind === 'not') walk(node.operand)
    else if (node.kind === 'and' || node.kind === 'or') {
      walk(node.left)
      walk(node.right)
    }
  }
  walk(parseAlarmRule(rule))
  return [...new Set(refs)]
}

export function evaluateRule(world: World, rule: string): boolean {
  const evaluate = (node: Node): boolean => {
    switch (node.kind) {
      case 'const':
        return node.value
      case 'state':
        return findAlarm(world, node.alarm)?.state === node.state
      case 'not':
        return !evaluate(node.operand)
      case 'and':
        return evaluate(node.left) && evaluate(node.right)
      case 'or':
        return evaluate(node.left) || evaluate(node.right)
    }
  }
  return evaluate(parseAlarmRule(rule))
}
