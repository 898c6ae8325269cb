import { COLORS, otherColor, type Color, type PerColor } from '../color.js'
import type { Discovery } from '../discover/discover.js'
import type { Outcome } from '../pipeline.js'
import type { StepPlan } from '../plan.js'
import { percentNumber, type Split } from '../shares.js'
import { weightsJson } from './outputs.js'

/**
 * The whole run as data: the `result` output, the file named by `result-file` and the CLI's
 * `--json`. docs/result.schema.json describes it; within a major version it only gains members.
 */
export interface RunResult {
  schemaVersion: 1
  mode: string
  outcome: RunOutcome
  cluster: string
  service: string
  dryRun: boolean
  /** The failure message, ending with what was and was not changed. */
  message?: string
  /** Absent when the run failed before it could read the service. */
  before?: TrafficState
  after?: TrafficState
  colors?: PerColor<ColorFacts>
  /** `routes`: each route of a set that moves in lockstep, with its weights before the run. */
  route?: {
    kind: string
    id: string
    routes?: { kind: string; id: string; weights: PerColor<number> }[]
  }
  plan?: PlanData
  steps: StepData[]
  alarms: { name: string; state: string; reason: string }[]
  /** One line per AWS write, in order. */
  writes: string[]
  warnings: string[]
}

/**
 * `changed` or `unchanged` when the run did what was asked; `dry-run`; `failed-before-write` when
 * it failed and wrote nothing (bad input, a refusal, a gate before the first shift); `rolled-back`
 * when a failed gate sent the traffic back; `cancelled`; `failed` when it failed after writing
 * and could not roll back.
 */
export type RunOutcome =
  | 'changed'
  | 'unchanged'
  | 'dry-run'
  | 'failed-before-write'
  | 'rolled-back'
  | 'cancelled'
  | 'failed'

export const RUN_OUTCOMES: readonly RunOutcome[] = [
  'changed',
  'unchanged',
  'dry-run',
  'failed-before-write',
  'rolled-back',
  'cancelled',
  'failed'
]

export interface TrafficState {
  stable: Color
  canary: Color
  /** Percent per colour, to a tenth. */
  weights: PerColor<number>
}

export interface ColorFacts {
  taskSet: string
  taskDefinition: string | null
  targetGroup: string
}

export interface PlanData {
  reason: string
  steps: PlannedStep[]
  warnings: string[]
}

export interface PlannedStep {
  kind: string
  canary: Color
  /** The canary's percent after the step. */
  share: number
  weights: PerColor<number>
  /** False when the route already has these weights. */
  write: boolean
  /** True when the gates judge the canary before the shift. */
  gated: boolean
  bakeSeconds: number
  /** The colour the stable tag names after the step, when it changes. */
  stableAfter?: Color
}

export interface StepData {
  kind: string
  share: number
  /** ISO 8601, UTC. */
  startedAt: string
  bakeSeconds: number
  bakedSeconds: number
  outcome: string
  gates: { gate: string; text: string; failure?: string }[]
}

/** What is known of a run that failed before the pipeline returned; all optional but the names. */
export interface EarlyFailure {
  mode: string
  cluster: string
  service: string
  message: string
  /** Set when discovery finished before the failure. */
  state?: Discovery
}

/** The result of a finished run; pure. */
export function runResult(outcome: Outcome): RunResult {
  const { inputs, state, plan } = outcome
  return {
    schemaVersion: 1,
    mode: inputs.mode,
    outcome: outcomeOf(outcome),
    cluster: inputs.cluster,
    service: state.service.name,
    dryRun: inputs.dryRun,
    ...(outcome.failure ? { message: outcome.failure } : {}),
    before: traffic(plan.stableBefore, plan.splitBefore),
    after: traffic(outcome.stableAfter, outcome.splitAfter),
    colors: colorFacts(state),
    route: routeData(state),
    plan: {
      reason: plan.reason,
      steps: plan.steps.map(plannedStep),
      warnings: [...plan.warnings]
    },
    steps: outcome.steps.map((step) => ({
      kind: step.kind,
      share: percentNumber(step.share),
      startedAt: new Date(step.startedAt).toISOString(),
      bakeSeconds: seconds(step.bakeMs),
      bakedSeconds: seconds(step.bakedMs),
      outcome: step.outcome,
      gates: step.readings.map((r) => ({
        gate: r.label,
        text: r.text,
        ...(r.failure ? { failure: r.failure } : {})
      }))
    })),
    alarms: (outcome.alarms ?? []).map((a) => ({ name: a.name, state: a.state, reason: a.reason })),
    writes: [...outcome.writes],
    warnings: [...outcome.warnings]
  }
}

/** The result of a run that failed before the pipeline returned: nothing was written. */
export function earlyResult(failure: EarlyFailure): RunResult {
  const { state } = failure
  return {
    schemaVersion: 1,
    mode: failure.mode,
    outcome: 'failed-before-write',
    cluster: failure.cluster,
    service: state?.service.name ?? failure.service,
    dryRun: false,
    message: failure.message,
    ...(state
      ? {
          before: traffic(state.stable, state.split),
          after: traffic(state.stable, state.split),
          colors: colorFacts(state),
          route: routeData(state)
        }
      : {}),
    steps: [],
    alarms: (state?.alarms?.alarms ?? []).map((a) => ({
      name: a.name,
      state: a.state,
      reason: a.reason
    })),
    writes: [],
    warnings: []
  }
}

export function outcomeOf(outcome: Outcome): RunOutcome {
  if (outcome.failure) {
    if (outcome.steps.some((step) => step.outcome === 'cancelled')) return 'cancelled'
    if (outcome.rolledBack) return 'rolled-back'
    return outcome.changed ? 'failed' : 'failed-before-write'
  }
  if (outcome.inputs.dryRun) return 'dry-run'
  return outcome.changed ? 'changed' : 'unchanged'
}

function traffic(stable: Color, split: Split): TrafficState {
  return { stable, canary: otherColor(stable), weights: weightsJson(split) }
}

function routeData(state: Discovery): NonNullable<RunResult['route']> {
  const { kind, id, routes } = state.route
  if (!routes) return { kind, id }
  return {
    kind,
    id,
    routes: routes.map((r) => ({ kind: r.kind, id: r.id, weights: weightsJson(r.split) }))
  }
}

function colorFacts(state: Discovery): PerColor<ColorFacts> {
  const facts = (color: Color): ColorFacts => ({
    taskSet: state.health[color].unit.arn,
    taskDefinition: state.health[color].unit.taskDefinitionArn ?? null,
    targetGroup: state.where.targetGroups[color]
  })
  return Object.fromEntries(COLORS.map((color) => [color, facts(color)])) as PerColor<ColorFacts>
}

function plannedStep(step: StepPlan): PlannedStep {
  return {
    kind: step.kind,
    canary: step.canary,
    share: percentNumber(step.share),
    weights: weightsJson(step.split),
    write: step.write,
    gated: step.gate,
    bakeSeconds: seconds(step.bakeMs),
    ...(step.tag ? { stableAfter: step.tag } : {})
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10
}
