import { COLORS, type PerColor } from './color.js'
import {
  DEFAULT_CANARY_WEIGHT,
  DEFAULT_HEALTH_TIMEOUT_SECONDS,
  DEFAULT_TAG_KEY,
  Inputs
} from './constants.js'
import { InputError } from './errors.js'
import { parsePercent, type Permille } from './weights.js'

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
  canaryShare: Permille
  tagKey: string
  waitForHealthy: boolean
  healthTimeoutSeconds: number
  dryRun: boolean
  region: string
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

  return {
    mode,
    cluster,
    service,
    stackName,
    taskSets,
    targetGroups,
    listenerRuleArn,
    listenerArn,
    canaryShare,
    tagKey: get(Inputs.TagKey) ?? DEFAULT_TAG_KEY,
    waitForHealthy: booleanInput(get(Inputs.WaitForHealthy), Inputs.WaitForHealthy, true),
    healthTimeoutSeconds: Number(timeoutText),
    dryRun: booleanInput(get(Inputs.DryRun), Inputs.DryRun, false),
    region
  }
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
