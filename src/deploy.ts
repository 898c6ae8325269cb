import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { createAlarmWatch, describeAlarms, type AlarmCheck } from './alarms.js'
import type { AwsClients } from './aws/clients.js'
import { otherColor, type Color, type PerColor } from './color.js'
import { discover, type Discovery } from './discover/discover.js'
import type { GateClock, GateResult } from './gate.js'
import type { ActionInputs } from './inputs.js'
import type { Logger } from './logger.js'
import { plan, planSchedule, type Plan } from './plan.js'
import { CanaryRun, type StepRecord } from './run.js'
import { formatWeights } from './report/text.js'
import type { TaskDefinitionInfo } from './workloads/workload.js'
import { albWeightsFor, FULL, hasShare } from './weights.js'
import { companionTags } from './stable-tag.js'

export type GateOutcome =
  { kind: 'not-needed' } | { kind: 'passed'; result: GateResult } | { kind: 'skipped'; why: string }

export interface DeployResult {
  inputs: ActionInputs
  discovery: Discovery
  /** The whole run as one plan: weights before the first step and after the last. */
  plan: Plan
  /** The health gate of the last step that had one. */
  gate: GateOutcome
  /** One line per AWS write that was made, in order. */
  writes: string[]
  changed: boolean
  /** The stable colour after the step (unchanged by a dry run). */
  stableAfter: Color
  /** Weights after the step: read back after a write, else as discovered. */
  weightsAfter: PerColor<number>
  details: PerColor<TaskDefinitionInfo | undefined>
  /** True when the run moved all traffic back to the stable colour after a failed gate or a cancel. */
  rolledBack: boolean
  steps: StepRecord[]
  stepsCompleted: number
  /** The last alarm states read, when alarms are configured. */
  alarms?: AlarmCheck
  /** Why the step fails although it finished its work (a gate fired and traffic was rolled back). */
  failure?: string
}

export interface DeployDeps {
  clients: AwsClients
  log: Logger
  clock?: GateClock
  pollMs?: number
  /** Aborted when the runner cancels the job. */
  signal?: AbortSignal
  cloudwatch?: CloudWatchClient
}

/** The pipeline: discover → plan → (gate → apply → verify → bake) per step → report data. */
export async function deploy(inputs: ActionInputs, deps: DeployDeps): Promise<DeployResult> {
  const { clients, log } = deps
  const alarmWatch = createAlarmWatch(inputs.alarms, inputs.region, deps.cloudwatch)
  const [discovery, firstAlarms] = await log.group('Discover', async () => {
    // The alarms are read once here, beside the rest, so a misnamed alarm is refused before
    // anything is written.
    const found = await Promise.all([discover(inputs, clients), alarmWatch?.()])
    const [state, alarms] = found
    log.info(`Service ${state.service.arn}: stable colour ${state.stable} (tag ${inputs.tagKey})`)
    log.info(`Route: ${state.router.kind} ${state.router.arn}`)
    log.info(`Weights: ${formatWeights(state.weights)}`)
    if (alarms) log.info(`Alarms: ${describeAlarms(alarms.alarms)}`)
    return found
  })

  const plans = planFor(inputs, discovery)
  const overall = combine(plans, inputs, discovery)
  await log.group('Plan', async () => {
    log.info(overall.reason)
    for (const [i, step] of plans.entries()) {
      const what = step.writeWeights
        ? `${formatWeights(step.weightsBefore)} → ${formatWeights(step.weightsAfter)}`
        : 'no weight change'
      log.info(
        `Step ${i + 1}: ${what}${step.tagAfter ? `, then tag ${inputs.tagKey}=${step.tagAfter}` : ''}`
      )
    }
  })

  const run = new CanaryRun(inputs, deps, discovery, alarmWatch)
  run.lastAlarms = firstAlarms
  if (inputs.mode !== 'status' && !inputs.dryRun) {
    if (inputs.mode === 'rollback' && inputs.undoPromotion) await run.undoPromotion(plans[0])
    else if (inputs.mode === 'rollback') await run.rollback(plans[0])
    else await run.walk(plans, inputs.mode === 'canary' ? inputs.schedule.bakeMs : 0)
  } else if (inputs.dryRun) {
    log.info('Dry run: nothing was written.')
  }
  return {
    inputs,
    discovery,
    plan: overall,
    gate: run.lastGate,
    writes: run.writes,
    changed: run.writes.length > 0,
    stableAfter: run.stable,
    weightsAfter: run.weights,
    details: await discovery.workload.details(),
    rolledBack: run.rolledBack,
    steps: run.steps,
    stepsCompleted: run.steps.filter((s) => s.outcome === 'shifted' || s.outcome === 'promoted')
      .length,
    alarms: run.lastAlarms,
    failure: run.failure
  }
}

/** The steps this mode walks. Rollback and status are one plan each. */
function planFor(inputs: ActionInputs, discovery: Discovery): Plan[] {
  const { stable, weights } = discovery
  switch (inputs.mode) {
    case 'status':
      return [plan({ mode: inputs.mode, stable, weights, canaryShare: 0 })]
    case 'rollback':
      return [
        inputs.undoPromotion
          ? planUndo(discovery, inputs.tagKey)
          : plan({ mode: inputs.mode, stable, weights, canaryShare: 0 })
      ]
    case 'promote':
      return planSchedule(stable, weights, [FULL], true)
    case 'canary': {
      const { schedule } = inputs
      return planSchedule(stable, weights, schedule.steps, schedule.walk)
    }
  }
}

/**
 * Undo of the last promote: the colour promote recorded as previously stable gets the traffic and
 * the tag back. Without that record there is nothing to undo, and nothing is written.
 */
function planUndo(discovery: Discovery, tagKey: string): Plan {
  const { stable, weights, service } = discovery
  const target = otherColor(stable)
  const key = companionTags(tagKey).previous
  const base = plan({ mode: 'status', stable, weights, canaryShare: 0 })
  if (service.tags[key] !== target) {
    return {
      ...base,
      mode: 'rollback',
      reason:
        service.tags[key] === undefined
          ? `No promotion to undo: the service has no ${key} tag (promote writes it, an undo removes it).`
          : `No promotion to undo: ${key}=${service.tags[key]} does not name the other colour.`
    }
  }
  return {
    ...base,
    mode: 'rollback',
    canaryBefore: target,
    stableAfter: target,
    weightsAfter: albWeightsFor(target, stable, FULL),
    writeWeights: !hasShare(target, weights, FULL),
    tagAfter: target,
    gate: target,
    reason: `Undo the last promotion: traffic and the tag go back to ${target}, stable before it.`
  }
}

/** One plan for the summary and the outputs: from the first step's weights to the last's. */
function combine(plans: Plan[], inputs: ActionInputs, discovery: Discovery): Plan {
  if (plans.length === 0) {
    const canary = otherColor(discovery.stable)
    return {
      ...plan({
        mode: 'status',
        stable: discovery.stable,
        weights: discovery.weights,
        canaryShare: 0
      }),
      mode: inputs.mode,
      reason: `Every step of ${inputs.schedule.source} is done already: ${canary} has at least the last share.`
    }
  }
  const first = plans[0]
  const last = plans[plans.length - 1]
  const { schedule } = inputs
  const reason =
    inputs.mode === 'canary' && schedule.walk
      ? `Canary ${first.canaryBefore} walks ${schedule.source}: ${plans.length} step(s) to go, ` +
        `holding each ${Math.round(schedule.bakeMs / 1000)} s.`
      : first.reason
  return {
    ...first,
    stableAfter: last.stableAfter,
    weightsAfter: last.weightsAfter,
    writeWeights: plans.some((p) => p.writeWeights),
    tagAfter: last.tagAfter,
    gate: plans.find((p) => p.gate)?.gate,
    reason
  }
}
