import { otherColor, type PerColor } from '../color.js'
import { Outputs, type OutputName } from '../constants.js'
import type { Discovery } from '../discover/discover.js'
import type { Verdict } from '../gates/analysis-judge.js'
import type { Outcome } from '../pipeline.js'
import { percentNumber, roundedSplit, type Split } from '../shares.js'
import { percentOf } from './text.js'

/** The outputs that say what happened; the caller adds `outcome`, `result` and `result-file`. */
type StepOutputName = Exclude<OutputName, 'outcome' | 'result' | 'result-file'>

/** Every step output, as strings; pure. */
export function stepOutputs(outcome: Outcome): Record<StepOutputName, string> {
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
    [Outputs.TaskDefinitionArn]: units[canaryAfter].taskDefinitionArn ?? '',
    [Outputs.ImageDigest]: outcome.deploy?.digest ?? '',
    [Outputs.Deployed]: String(outcome.deploy?.changed === true && !outcome.deploy.failure),
    [Outputs.AnalysisVerdict]: lastVerdict(outcome)?.result ?? ''
  }
}

/**
 * The outputs a step that failed before its first write still knows: nothing changed, and once
 * the service was read, the colours, weights and resources as they are; pure.
 */
export function knownOutputs(
  state: Discovery | undefined
): Partial<Record<StepOutputName, string>> {
  const nothing = {
    [Outputs.Changed]: 'false',
    [Outputs.RolledBack]: 'false',
    [Outputs.StepsCompleted]: '0'
  }
  if (!state) return nothing
  const { stable, split } = state
  const canary = otherColor(stable)
  const units = { Blue: state.health.Blue.unit, Green: state.health.Green.unit }
  const groups = state.where.targetGroups
  return {
    [Outputs.StableColor]: stable,
    [Outputs.CanaryColor]: canary,
    [Outputs.PreviousStableColor]: stable,
    [Outputs.CanaryWeight]: percentOf(canary, split),
    [Outputs.PreviousCanaryWeight]: percentOf(canary, split),
    [Outputs.BlueWeight]: percentOf('Blue', split),
    [Outputs.GreenWeight]: percentOf('Green', split),
    [Outputs.Weights]: JSON.stringify(weightsJson(split)),
    [Outputs.StableTaskSet]: units[stable].arn,
    [Outputs.CanaryTaskSet]: units[canary].arn,
    [Outputs.BlueTaskDefinition]: units.Blue.taskDefinitionArn ?? '',
    [Outputs.GreenTaskDefinition]: units.Green.taskDefinitionArn ?? '',
    [Outputs.StableTargetGroup]: groups[stable],
    [Outputs.CanaryTargetGroup]: groups[canary],
    [Outputs.ListenerRuleArn]: state.route.id,
    ...nothing
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
