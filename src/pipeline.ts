import type { AwsClients } from './aws/clients.js'
import { realClock, type Clock } from './clock.js'
import type { Color, PerColor } from './color.js'
import { discover, type Discovery } from './discover/discover.js'
import { execute } from './execute/executor.js'
import { Journal, type Execution } from './execute/journal.js'
import type { AlarmState } from './gates/alarms.js'
import type { ActionInputs } from './inputs.js'
import type { Logger } from './logger.js'
import { planRun, type RunPlan } from './plan.js'
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
    discover(inputs, clients, { log, now: () => clock.now(), pollMs: deps.pollMs })
  )
  const plan = planRun(
    inputs,
    { ...state, previousTag: tagNames(inputs.tagKey).previous },
    (share) => shape.router.reachable(share)
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
        onCancel: inputs.onCancel
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

function logPlan(log: Logger, plan: RunPlan, tagKey: string): void {
  log.info(plan.reason)
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
