import { COLORS, type PerColor } from '../color.js'
import { Inputs, StackOutputKeys } from '../constants.js'
import type { ActionInputs } from '../inputs.js'
import { StateError } from '../errors.js'
import { ruleArnList } from '../input-values.js'

/** Where each colour lives, and the weighted route if the inputs or the stack name it. */
export interface ColorResources {
  /** Absent for a colour found by its target group (no stack, no explicit task set). */
  taskSets: Partial<PerColor<string>>
  targetGroups: PerColor<string>
  /** One weighted rule, or several that move in lockstep. */
  listenerRuleArns?: string[]
  listenerArn?: string
  /** A listener swap's production and test listeners. */
  swap?: { production: string; test: string }
}

/** True when the stack must be read: a colour value or the route is not given as an input. */
export function needsStack(inputs: ActionInputs): boolean {
  if (!inputs.stackName || inputs.route53) return false
  // A deploy through the stack reads its parameters and outputs anyway.
  if (inputs.deploy) return true
  const allExplicit = COLORS.every((c) => inputs.taskSets[c] && inputs.targetGroups[c])
  return !allExplicit || (!inputs.listenerRuleArn && !inputs.listenerArn && !inputs.swap)
}

/**
 * Merges explicit inputs over stack outputs. Pure: `outputs` is undefined when no stack was read.
 */
export function resolveResources(
  inputs: ActionInputs,
  outputs: Record<string, string> | undefined
): ColorResources {
  // Route 53 records route to the colours' services; each service names its own target group.
  if (inputs.route53) {
    return {
      taskSets: {},
      targetGroups: { Blue: inputs.targetGroups.Blue ?? '', Green: inputs.targetGroups.Green ?? '' }
    }
  }
  const missing: string[] = []
  const pick = (explicit: string | undefined, key: string): string => {
    const value = explicit ?? outputs?.[key]
    if (!value) missing.push(key)
    return value ?? ''
  }
  // Without a stack, a colour's task set is the one registering in its target group.
  const taskSet = (explicit: string | undefined, key: string) =>
    outputs || explicit ? { value: pick(explicit, key) } : undefined
  const blueSet = taskSet(inputs.taskSets.Blue, StackOutputKeys.BlueTaskSet)
  const greenSet = taskSet(inputs.taskSets.Green, StackOutputKeys.GreenTaskSet)
  const taskSets = {
    ...(blueSet ? { Blue: blueSet.value } : {}),
    ...(greenSet ? { Green: greenSet.value } : {})
  }
  const targetGroups = {
    Blue: pick(inputs.targetGroups.Blue, StackOutputKeys.BlueTargetGroup),
    Green: pick(inputs.targetGroups.Green, StackOutputKeys.GreenTargetGroup)
  }
  if (missing.length > 0) {
    const inputNames = missing.map((key) => INPUT_FOR_OUTPUT[key]).join('", "')
    throw new StateError(
      `Stack "${inputs.stackName}" has no output ${missing.join(', ')}. Add ${
        missing.length > 1 ? 'these outputs' : 'this output'
      } to the stack (templates/ecs-canary.yaml shows them) or set the input${missing.length > 1 ? 's' : ''} "${inputNames}".`
    )
  }
  if (targetGroups.Blue === targetGroups.Green) {
    throw new StateError(
      `Blue and Green resolve to the same target group ${targetGroups.Blue}; each colour needs its own.`
    )
  }
  if (inputs.swap) return { taskSets, targetGroups, swap: inputs.swap }
  if (inputs.listenerArn) return { taskSets, targetGroups, listenerArn: inputs.listenerArn }
  const rules = ruleArnList(inputs.listenerRuleArn ?? outputs?.[StackOutputKeys.ListenerRule] ?? '')
  return { taskSets, targetGroups, ...(rules.length > 0 ? { listenerRuleArns: rules } : {}) }
}

/** The input that overrides each stack output, for messages. */
const INPUT_FOR_OUTPUT: Record<string, string> = {
  [StackOutputKeys.BlueTaskSet]: Inputs.BlueTaskSet,
  [StackOutputKeys.GreenTaskSet]: Inputs.GreenTaskSet,
  [StackOutputKeys.BlueTargetGroup]: Inputs.BlueTargetGroup,
  [StackOutputKeys.GreenTargetGroup]: Inputs.GreenTargetGroup
}
