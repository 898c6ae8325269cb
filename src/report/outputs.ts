import { otherColor, type PerColor } from '../color.js'
import { Outputs, type OutputName } from '../constants.js'
import type { Verdict } from '../gates/analysis-judge.js'
import type { Outcome } from '../pipeline.js'
import { percentNumber, roundedSplit, type Split } from '../shares.js'
import { percentOf } from './text.js'

/** Every step output, as strings; pure. */
export function stepOutputs(outcome: Outcome): Record<OutputName, string> {
  const { state, plan, splitAfter, stableAfter } = outcome
  const canaryAfter = otherColor(stableAfter)
  const units = { Blue: state.health.Blue.unit, Green: state.health.Green.unit }
  const groups = state.where.targetGroups
  return {
    [Outputs.StableColor]: stableAfter,
    [Outputs.CanaryColor]: canaryAfter,
    [Outputs.PreviousStableColor]: plan.stableBefore,
    [Outputs.CanaryWeight]: percentOf(canaryAfter, splitAfter),
    [Outputs.PreviousCanaryWeight]: percentOf(plan.canaryBefore, plan.splitBefore),
    [Outputs.BlueWeight]: percentOf('Blue', splitAfter),
    [Outputs.GreenWeight]: percentOf('Green', splitAfter),
    [Outputs.Weights]: JSON.stringify(weightsJson(splitAfter)),
    [Outputs.StableTaskSet]: units[stableAfter].arn,
    [Outputs.CanaryTaskSet]: units[canaryAfter].arn,
    [Outputs.BlueTaskDefinition]: units.Blue.taskDefinitionArn ?? '',
    [Outputs.GreenTaskDefinition]: units.Green.taskDefinitionArn ?? '',
    [Outputs.StableTargetGroup]: groups[stableAfter],
    [Outputs.CanaryTargetGroup]: groups[canaryAfter],
    [Outputs.ListenerRuleArn]: state.route.id,
    [Outputs.Changed]: String(outcome.changed),
    [Outputs.RolledBack]: String(outcome.rolledBack),
    [Outputs.StepsCompleted]: String(outcome.stepsCompleted),
    [Outputs.AnalysisVerdict]: lastVerdict(outcome)?.result ?? ''
  }
}

/** The newest canary analysis verdict of the run, when analysis ran. */
export function lastVerdict(outcome: Pick<Outcome, 'steps'>): Verdict | undefined {
  return [...outcome.steps]
    .reverse()
    .flatMap((s) => s.readings)
    .find((r) => r.verdict)?.verdict
}

/** `{"Blue":90,"Green":10}` in percent; a route that sends nothing gives zeros. */
export function weightsJson(split: Split): PerColor<number> {
  const shown = roundedSplit(split)
  return { Blue: percentNumber(shown.Blue), Green: percentNumber(shown.Green) }
}
