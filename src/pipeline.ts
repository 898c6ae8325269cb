import type { AwsClients } from './aws/clients.js'
import { realClock, type Clock } from './clock.js'
import type { Color, PerColor } from './color.js'
import { discover, type Discovery } from './discover/discover.js'
import { execute } from './execute/executor.js'
import { Journal, type Execution } from './execute/journal.js'
import type { AlarmState } from './gates/alarms.js'
import type { ActionInputs } from './inputs.js'
import type { RunIdentity } from './lease.js'
import type { Logger } from './logger.js'
import { planRun, type PlanState, type RunPlan } from './plan.js'
import { parseRecord, versionOf } from './promotion-record.js'
import { tagNames } from './service-tags.js'
import { formatSplit } from './shares.js'
import type { TaskDefinitionInfo } from './workloads/workload.js'

/** Everything a run produced, read by the report and nothing else; immutable. */
export interface Outcome extends Execution {
  readonly inputs: ActionInputs
  readonly state: Discovery
  readonly plan: RunPlan
  /** True when anything was written. */
  readonly changed: boolean
  readonly stepsCompleted: number
  /** The alarm states last read, when alarms are configured. */
  readonly alarms?: readonly AlarmState[]
  readonly details: PerColor<TaskDefinitionInfo | undefined>
  /** What the run left alone and why (a rollback never refuses), one message each. */
  readonly warnings: readonly string[]
}

export interface PipelineDeps {
  clients: AwsClients
  log: Logger
  clock?: Clock
  /** Overrides the poll interval of health waits and bakes (tests). */
  pollMs?: number
  /** Aborted when the runner cancels the job. */
  signal?: AbortSignal
  /** Who this run is, for the service's lease; without it no lease is taken. */
  identity?: RunIdentity
  /**
   * Told what discovery read, so a failure before the first write can still report it, and how
   * to read what each colour runs (task definition and images; read once, shared with the report).
   */
  onDiscovered?: (state: Discovery, details: () => Promise<Outcome['details']>) => void
}

/**
 * The action's pipeline: discover → plan → execute (gate → shift → verify → bake per step) →
 * outcome. Throws only before the first write (bad state, a share the route cannot set); from the
 * first write on, failures are in the outcome.
 */
export async function runPipeline(inputs: ActionInputs, deps: PipelineDeps): Promise<Outcome> {
  const { clients, log } = deps
  const clock = deps.clock ?? realClock
  const { state, shape, gates } = await log.group('Discover', () =>
    discover(inputs, clients, {
      log,
      now: () => clock.now(),
      pollMs: deps.pollMs,
      identity: deps.identity
    })
  )
  deps.onDiscovered?.(state, () => shape.workload.details())
  const plan = planRun(inputs, planState(state, inputs.tagKey), (share) =>
    shape.router.reachable(share)
  )
  await log.group('Plan', async () => logPlan(log, plan, inputs.tagKey))

  const writes = inputs.mode !== 'status' && !inputs.dryRun
  if (inputs.dryRun) log.info('Dry run: nothing was written.')
  const execution = writes
    ? await execute(plan, shape, gates, {
        log,
        clock,
        signal: deps.signal,
        pollMs: deps.pollMs,
        onCancel: inputs.onCancel,
        leaseMs: leaseDuration(plan, inputs)
      })
    : new Journal(plan, log).seal()
  const warnings = shape.testTraffic?.warnings ?? []
  for (const warning of warnings) log.warning(warning)
  const seen = [...execution.steps]
    .reverse()
    .flatMap((s) => s.readings)
    .find((r) => r.seen)?.seen
  return Object.freeze({
    ...execution,
    inputs,
    state,
    plan,
    changed: execution.writes.length > 0,
    stepsCompleted: execution.steps.filter(
      (s) => s.outcome === 'shifted' || s.outcome === 'promoted'
    ).length,
    ...(seen || state.alarms ? { alarms: seen ?? state.alarms?.alarms } : {}),
    details: await shape.workload.details(),
    warnings
  })
}

/**
 * How long the lease holds if the run dies without releasing it: every step's health wait and
 * bake, plus a margin. A rerun of the same job takes it over at once.
 */
function leaseDuration(plan: RunPlan, inputs: ActionInputs): number {
  // A rollback holds it only while it runs; other runs wait at most that long if it dies.
  const margin = (inputs.mode === 'rollback' ? 2 : 10) * 60_000
  const perStep = inputs.waitForHealthy ? inputs.healthTimeoutSeconds * 1000 : 0
  return plan.steps.reduce((total, step) => total + perStep + step.bakeMs, margin)
}

/** What the planner needs of the discovery, as plain data. */
export function planState(state: Discovery, tagKey: string): PlanState {
  const names = tagNames(tagKey)
  const version = (color: Color) => {
    const arn = state.health[color].unit.taskDefinitionArn
    return arn ? versionOf(arn) : undefined
  }
  const record = parseRecord(state.promotionRecord)
  return {
    stable: state.stable,
    split: state.split,
    previousStable: state.previousStable,
    previousTag: names.previous,
    versions: { Blue: version('Blue'), Green: version('Green') },
    retired: { Blue: state.health.Blue.retired, Green: state.health.Green.retired },
    ...(record ? { record } : {}),
    recordTag: names.promotion,
    ...(state.promotionRecord !== undefined ? { recordText: state.promotionRecord } : {})
  }
}

function logPlan(log: Logger, plan: RunPlan, tagKey: string): void {
  log.info(plan.reason)
  for (const warning of plan.warnings) log.warning(warning)
  let before = plan.splitBefore
  let stable: Color = plan.stableBefore
  for (const [i, step] of plan.steps.entries()) {
    const what = step.write
      ? `${formatSplit(before)} → ${formatSplit(step.split)}`
      : 'no weight change'
    const tag = step.tag && step.tag !== stable ? `, then tag ${tagKey}=${step.tag}` : ''
    log.info(`Step ${i + 1}: ${what}${tag}`)
    before = step.split
    stable = step.tag ?? stable
  }
}
