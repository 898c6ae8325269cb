import { otherColor, type PerColor } from '../color.js'
import { Outputs, type OutputName } from '../constants.js'
import type { DeployResult } from '../deploy.js'
import { percentNumber, roundedShareOf } from '../weights.js'
import { percentOf } from './text.js'

/** Every step output, as strings; pure. */
export function stepOutputs(result: DeployResult): Record<OutputName, string> {
  const { discovery, plan, weightsAfter, stableAfter } = result
  const canaryAfter = otherColor(stableAfter)
  const units = {
    Blue: discovery.workload.health.Blue.unit,
    Green: discovery.workload.health.Green.unit
  }
  const groups = discovery.resources.targetGroups
  return {
    [Outputs.StableColor]: stableAfter,
    [Outputs.CanaryColor]: canaryAfter,
    [Outputs.PreviousStableColor]: plan.stableBefore,
    [Outputs.CanaryWeight]: percentOf(canaryAfter, weightsAfter),
    [Outputs.PreviousCanaryWeight]: percentOf(plan.canaryBefore, plan.weightsBefore),
    [Outputs.BlueWeight]: percentOf('Blue', weightsAfter),
    [Outputs.GreenWeight]: percentOf('Green', weightsAfter),
    [Outputs.Weights]: JSON.stringify(weightsJson(weightsAfter)),
    [Outputs.StableTaskSet]: units[stableAfter].arn,
    [Outputs.CanaryTaskSet]: units[canaryAfter].arn,
    [Outputs.BlueTaskDefinition]: units.Blue.taskDefinitionArn ?? '',
    [Outputs.GreenTaskDefinition]: units.Green.taskDefinitionArn ?? '',
    [Outputs.StableTargetGroup]: groups[stableAfter],
    [Outputs.CanaryTargetGroup]: groups[canaryAfter],
    [Outputs.ListenerRuleArn]: discovery.router.arn,
    [Outputs.Changed]: String(result.changed),
    [Outputs.RolledBack]: String(result.rolledBack),
    [Outputs.StepsCompleted]: String(result.stepsCompleted)
  }
}

/** `{"Blue":90,"Green":10}`; all-zero weights give zeros. */
export function weightsJson(weights: PerColor<number>): PerColor<number> {
  return {
    Blue: percentNumber(roundedShareOf('Blue', weights) ?? 0),
    Green: percentNumber(roundedShareOf('Green', weights) ?? 0)
  }
}
