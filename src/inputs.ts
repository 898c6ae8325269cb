import { COLORS, type PerColor } from './color.js'
import {
  DEFAULT_CANARY_WEIGHT,
  DEFAULT_HEALTH_TIMEOUT_SECONDS,
  DEFAULT_TAG_KEY,
  Inputs
} from './constants.js'
import { InputError } from './errors.js'
import { parseDuration, parseStrategy, parseSteps, type Schedule } from './schedule.js'
import { parsePercent, type Permille } from './shares.js'

export const MODES = ['canary', 'promote', 'rollback', 'status'] as const
export type Mode = (typeof MODES)[number]

/** Everything the action was asked to do, validated. Nothing here has touched AWS. */
export interface ActionInputs {
  mode: Mode
  cluster: string
  service: string
  stackName?: string
  /** Explicit per-colour values; each overrides the stack output of the same meaning. */
  taskSets: Partial<PerColor<string>>
  targetGroups: Partial<PerColor<string>>
  listenerRuleArn?: string
  listenerArn?: string
  tagKey: string
  waitForHealthy: boolean
  healthTimeoutSeconds: number
  dryRun: boolean
  region: string
  /** canary mode: the shares to walk through and how long to hold each. */
  schedule: Schedule
  alarms: AlarmInputs
  onCancel: 'rollback' | 'hold'
  testTraffic: TestTrafficInputs
  scaleDownAfterPromote: boolean
  /** rollback mode: give traffic and the tag back to the colour that was stable before the last promote. */
  undoPromotion: boolean
}

export interface AlarmInputs {
  names: string[]
  prefix?: string
  treatMissingDataAsFailure: boolean
}

export interface TestTrafficInputs {
  header?: { name: string; value: string }
  query?: { key: string; value: string }
  priority?: number
  listenerArn?: string
}

export type InputReader = (name: string) => string

/**
 * Reads and validates every input. `read` returns '' for an input that was not given (as
 * `core.getInput` does); `env` supplies the region fallback.
 */
export function parseInputs(read: InputReader, env: NodeJS.ProcessEnv): ActionInputs {
  const get = (name: string): string | undefined => read(name).trim() || undefined

  const modeText = get(Inputs.Mode)
  if (!modeText) throw new InputError(`Input "mode" is required: one of ${MODES.join(', ')}.`)
  const mode = MODES.find((m) => m === modeText.toLowerCase())
  if (!mode) {
    throw new InputError(`Unknown mode "${modeText}". Set "mode" to one of ${MODES.join(', ')}.`)
  }

  const cluster = required(get(Inputs.Cluster), Inputs.Cluster, 'the ECS cluster name or ARN')
  const service = required(get(Inputs.Service), Inputs.Service, 'the ECS service name or ARN')

  const locations = parseLocations(get)

  const weightText = get(Inputs.CanaryWeight) ?? DEFAULT_CANARY_WEIGHT
  const canaryShare = parsePercent(weightText)
  if (canaryShare === undefined) {
    throw new InputError(
      `"canary-weight" is "${weightText}": it must be a percent from 0 to 100 with at most one ` +
        'decimal, e.g. 10 or 0.5.'
    )
  }

  const timeoutText = get(Inputs.HealthTimeoutSeconds) ?? String(DEFAULT_HEALTH_TIMEOUT_SECONDS)
  if (!/^\d{1,6}$/.test(timeoutText)) {
    throw new InputError(
      `"health-timeout-seconds" is "${timeoutText}": it must be a whole number of seconds, e.g. 600.`
    )
  }

  const region = get(Inputs.AwsRegion) ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim())
  if (!region) {
    throw new InputError(
      'No AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials ' +
        'sets it from its own aws-region input).'
    )
  }

  const extras = parseProgressiveInputs(get, mode, canaryShare)

  return {
    ...extras,
    mode,
    cluster,
    service,
    ...locations,
    tagKey: get(Inputs.TagKey) ?? DEFAULT_TAG_KEY,
    waitForHealthy: booleanInput(get(Inputs.WaitForHealthy), Inputs.WaitForHealthy, true),
    healthTimeoutSeconds: Number(timeoutText),
    dryRun: booleanInput(get(Inputs.DryRun), Inputs.DryRun, false),
    region
  }
}

type Locations = Pick<
  ActionInputs,
  'stackName' | 'taskSets' | 'targetGroups' | 'listenerRuleArn' | 'listenerArn'
>

/** Where Blue and Green are: a stack, or all four explicit values; and the route, if given. */
function parseLocations(get: (name: string) => string | undefined): Locations {
  const taskSets = perColor(get(Inputs.BlueTaskSet), get(Inputs.GreenTaskSet))
  const targetGroups = perColor(get(Inputs.BlueTargetGroup), get(Inputs.GreenTargetGroup))
  for (const color of COLORS) {
    const arn = targetGroups[color]
    if (arn !== undefined) expectArn(arn, ':targetgroup/', `${color.toLowerCase()}-target-group`)
  }
  const stackName = get(Inputs.StackName)
  const explicitCount = Object.keys(taskSets).length + Object.keys(targetGroups).length
  if (!stackName && explicitCount < 4) {
    throw new InputError(
      'Tell the action where Blue and Green are: set "stack-name" to the CloudFormation stack ' +
        'with outputs BlueTaskSet, GreenTaskSet, BlueTargetGroup and GreenTargetGroup, or set all ' +
        'four of "blue-task-set", "green-task-set", "blue-target-group" and "green-target-group".'
    )
  }
  if (targetGroups.Blue !== undefined && targetGroups.Blue === targetGroups.Green) {
    throw new InputError('"blue-target-group" and "green-target-group" name the same target group.')
  }

  const listenerRuleArn = get(Inputs.ListenerRuleArn)
  const listenerArn = get(Inputs.ListenerArn)
  if (listenerRuleArn && listenerArn) {
    throw new InputError(
      'Set either "listener-rule-arn" (a weighted rule) or "listener-arn" (a listener whose ' +
        'default action is the weighted forward), not both.'
    )
  }
  if (listenerRuleArn) expectArn(listenerRuleArn, ':listener-rule/', Inputs.ListenerRuleArn)
  if (listenerArn) expectArn(listenerArn, ':listener/', Inputs.ListenerArn)

  return { stackName, taskSets, targetGroups, listenerRuleArn, listenerArn }
}

function required(value: string | undefined, name: string, what: string): string {
  if (!value) throw new InputError(`Input "${name}" is required: ${what}.`)
  return value
}

function perColor(blue: string | undefined, green: string | undefined): Partial<PerColor<string>> {
  return { ...(blue ? { Blue: blue } : {}), ...(green ? { Green: green } : {}) }
}

function expectArn(value: string, marker: string, name: string): void {
  if (!value.startsWith('arn:') || !value.includes(marker)) {
    throw new InputError(
      `"${name}" is "${value}", which is not an ARN of the right kind (it should contain "${marker}").`
    )
  }
}

function booleanInput(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  throw new InputError(`"${name}" is "${value}": it must be true or false.`)
}

/** The inputs of multi-step runs, gates, test traffic and promotion handling. */
function parseProgressiveInputs(
  get: (name: string) => string | undefined,
  mode: Mode,
  canaryShare: Permille
): Pick<
  ActionInputs,
  'schedule' | 'alarms' | 'onCancel' | 'testTraffic' | 'scaleDownAfterPromote' | 'undoPromotion'
> {
  const schedule = parseSchedule(get, mode, canaryShare)

  const names = [
    ...new Set(
      (get(Inputs.Alarms) ?? '')
        .split(/[\n,]+/)
        .map((n) => n.trim())
        .filter(Boolean)
    )
  ]
  const tooLong = names.find((n) => n.length > 255)
  if (tooLong) throw new InputError(`"alarms" has a name over 255 characters: "${tooLong}".`)

  const onCancel = (get(Inputs.OnCancel) ?? 'rollback').toLowerCase()
  if (onCancel !== 'rollback' && onCancel !== 'hold') {
    throw new InputError(`"on-cancel" is "${onCancel}": it must be rollback or hold.`)
  }

  const undoPromotion = booleanInput(get(Inputs.UndoPromotion), Inputs.UndoPromotion, false)
  if (undoPromotion && mode !== 'rollback') {
    throw new InputError(`"undo-promotion" goes with mode rollback, not ${mode}.`)
  }

  return {
    schedule,
    alarms: {
      names,
      prefix: get(Inputs.AlarmPrefix),
      treatMissingDataAsFailure: booleanInput(
        get(Inputs.TreatMissingAlarmDataAsFailure),
        Inputs.TreatMissingAlarmDataAsFailure,
        false
      )
    },
    onCancel,
    testTraffic: parseTestTraffic(get),
    scaleDownAfterPromote: booleanInput(
      get(Inputs.ScaleDownAfterPromote),
      Inputs.ScaleDownAfterPromote,
      false
    ),
    undoPromotion
  }
}

/** The shares a canary walks through and how long it holds each. */
function parseSchedule(
  get: (name: string) => string | undefined,
  mode: Mode,
  canaryShare: Permille
): Schedule {
  const stepsText = get(Inputs.Steps)
  const strategy = get(Inputs.Strategy)
  if (stepsText && strategy) {
    throw new InputError('Set either "steps" or "strategy", not both.')
  }
  if ((stepsText || strategy) && mode !== 'canary') {
    throw new InputError(
      `"${stepsText ? Inputs.Steps : Inputs.Strategy}" walks a canary through its steps: use it with mode canary, not ${mode}.`
    )
  }
  const bakeText = get(Inputs.BakeTime)
  const bakeMs = bakeText === undefined ? undefined : parseDuration(bakeText, Inputs.BakeTime)
  if (strategy) {
    const preset = parseStrategy(strategy)
    return {
      steps: preset.steps,
      bakeMs: bakeMs ?? preset.bakeMs,
      source: `strategy ${strategy}`,
      walk: true
    }
  } else if (stepsText) {
    return {
      steps: parseSteps(stepsText),
      bakeMs: bakeMs ?? 0,
      source: `steps ${stepsText}`,
      walk: true
    }
  } else {
    return { steps: [canaryShare], bakeMs: bakeMs ?? 0, source: 'canary-weight', walk: false }
  }
}

function parseTestTraffic(get: (name: string) => string | undefined): TestTrafficInputs {
  const traffic: TestTrafficInputs = {}
  const header = get(Inputs.TestHeader)
  if (header) {
    const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}):\s*(\S.{0,127})$/.exec(header)
    if (!match) {
      throw new InputError(
        `"test-header" is "${header}": write it as "Name: value", e.g. "X-Canary: true".`
      )
    }
    traffic.header = { name: match[1], value: match[2].trim() }
  }
  const query = get(Inputs.TestQuery)
  if (query) {
    const match = /^([^=&\s]{1,128})=([^&\s]{1,128})$/.exec(query)
    if (!match) {
      throw new InputError(
        `"test-query" is "${query}": write it as "key=value", e.g. "canary=true".`
      )
    }
    traffic.query = { key: match[1], value: match[2] }
  }
  const priority = get(Inputs.TestRulePriority)
  if (priority !== undefined) {
    const value = Number(priority)
    if (!/^\d{1,5}$/.test(priority) || value < 1 || value > 50000) {
      throw new InputError(
        `"test-rule-priority" is "${priority}": it must be a whole number from 1 to 50000.`
      )
    }
    traffic.priority = value
  }
  const listenerArn = get(Inputs.TestListenerArn)
  if (listenerArn) {
    expectArn(listenerArn, ':listener/', Inputs.TestListenerArn)
    traffic.listenerArn = listenerArn
  }
  return traffic
}
