import { messageOf, sentence } from './errors.js'
import type { AwsClients } from './aws/clients.js'
import { realClock, type Clock } from './clock.js'
import type { Color, PerColor } from './color.js'
import { deployVersion, type DeployOutcome } from './deploy/deploy.js'
import { promotedImages, tagPromotedImages } from './deploy/promote-tag.js'
import { LeaseGuard } from './execute/lease-guard.js'
import { FULL } from './shares.js'
import { discover, type Discovered, type Discovery } from './discover/discover.js'
import type { ServiceState } from './discover/service.js'
import { execute } from './execute/executor.js'
import { Journal, type Execution } from './execute/journal.js'
import type { AlarmState } from './gates/alarms.js'
import type { ActionInputs } from './inputs.js'
import type { RunIdentity } from './lease.js'
import type { Logger } from './logger.js'
import { planRun, refuseUnreachableShares, type PlanState, type RunPlan } from './plan.js'
import { parseDeployRecord } from './deploy/deploy-record.js'
import { describeChecks } from './report/checks.js'
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
  /** What the deploy before the traffic steps did, when the inputs asked for one. */
  readonly deploy?: DeployOutcome
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
   * The service's read, when it was sent before the pipeline was loaded (run-step.ts): the first
   * discovery takes it rather than reading the service again.
   */
  service?: Promise<ServiceState>
  /** Told what each discovery read, so a failure before the first write can still report it. */
  onDiscovered?: (state: Discovery) => void
  /**
   * Told once, before the plan, what the traffic steps work on: the first discovery, or with a
   * deploy the one after it, when the canary colour runs the new version (a deploy that fails
   * never tells it), and how to read what each colour runs (task definition and images; read
   * once, shared with the report).
   */
  onVersionKnown?: (state: Discovery, details: () => Promise<Outcome['details']>) => void
}

/**
 * The action's pipeline: discover → plan → execute (gate → shift → verify → bake per step) →
 * outcome. Throws only before the first write (bad state, a share the route cannot set); from the
 * first write on, failures are in the outcome.
 */
export async function runPipeline(inputs: ActionInputs, deps: PipelineDeps): Promise<Outcome> {
  const { clients, log } = deps
  const clock = deps.clock ?? realClock
  const look = (asked: ActionInputs, service?: Promise<ServiceState>) =>
    discover(asked, clients, {
      log,
      now: () => clock.now(),
      clock,
      pollMs: deps.pollMs,
      identity: deps.identity,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(service ? { service } : {})
    })
  let found = await log.group('Discover', () => look(inputs, deps.service))
  deps.onDiscovered?.(found.state)
  let deployed: DeployOutcome | undefined
  if (inputs.deploy) {
    const request = inputs.deploy
    const first = found
    refuseUnreachableShares(inputs, (share) => first.shape.router.reachable(share))
    deployed = await log.group('Deploy', () =>
      deployVersion(inputs, request, first, {
        clients,
        log,
        clock,
        pollMs: deps.pollMs,
        ...(deps.signal ? { signal: deps.signal } : {}),
        keepLease: inputs.mode === 'canary'
      })
    )
    if (deployed.failure) return failedDeploy(inputs, first, deployed, log)
    // The canary colour runs another task set and version now: read it again. Its task set is
    // found by the stack's new output or by its target group, not by an ID given before.
    if (deployed.changed) {
      const stableOnly = { [first.state.stable]: inputs.taskSets[first.state.stable] }
      found = await log.group('Discover after the deploy', () =>
        look({ ...inputs, taskSets: stableOnly })
      )
      deps.onDiscovered?.(found.state)
    }
  }
  const { state, shape, gates } = found
  deps.onVersionKnown?.(state, () => shape.workload.details())
  // A rollback with no canary left to take back undoes the last promote, when the workload
  // knows what it replaced (a rolling service's recorded revision).
  const undoPromotion =
    inputs.undoPromotion || (inputs.mode === 'rollback' && shape.workload.undoOnRollback)
  const servedAlready = deployed?.current
  const plan = planRun(
    { ...inputs, undoPromotion, ...(servedAlready ? { servedAlready } : {}) },
    planState(state, inputs.tagKey),
    (share) => shape.router.reachable(share)
  )
  await log.group('Plan', async () => logPlan(log, plan, inputs.tagKey))

  const mayWrite = inputs.mode !== 'status' && !inputs.dryRun
  if (inputs.dryRun) {
    log.info('Dry run: nothing was written.')
    for (const line of describeChecks(inputs)) log.info(`Would check: ${line}`)
  }
  const execution = mayWrite
    ? await execute(plan, shape, gates, {
        log,
        clock,
        signal: deps.signal,
        pollMs: deps.pollMs,
        onCancel: inputs.onCancel,
        leaseMs: leaseDuration(plan, inputs),
        leaseHeld: deployed?.changed === true && inputs.mode === 'canary'
      })
    : new Journal(plan, log).seal()
  const warnings = (await shape.testTraffic?.warnings()) ?? []
  for (const warning of warnings) log.warning(warning)
  const seen = [...execution.steps]
    .reverse()
    .flatMap((s) => s.readings)
    .find((r) => r.seen)?.seen
  const details = await shape.workload.details()
  const tagged = await tagAfterPromote(inputs, found, execution, details, { log, clock })
  const writes = [...(deployed?.writes ?? []), ...execution.writes, ...tagged.writes]
  return Object.freeze({
    ...execution,
    ...(tagged.failure ? { failure: tagged.failure } : {}),
    writes,
    inputs,
    state,
    plan,
    ...(deployed ? { deploy: deployed } : {}),
    changed: writes.length > 0,
    stepsCompleted: execution.steps.filter(
      (s) => s.outcome === 'shifted' || s.outcome === 'promoted'
    ).length,
    ...(seen || state.alarms ? { alarms: seen ?? state.alarms?.alarms } : {}),
    details,
    warnings: [...warnings, ...tagged.notes]
  })
}

/**
 * `promote-image-tag`: once the canary colour serves everything as the stable one (this promote,
 * or one a rerun finds done), its ECR image gets the tag. The tag write is made under the lease;
 * a failure leaves the promote as it is and says that a rerun adds the tag.
 */
async function tagAfterPromote(
  inputs: ActionInputs,
  found: Discovered,
  execution: Execution,
  details: PerColor<TaskDefinitionInfo | undefined>,
  { log, clock }: { log: Logger; clock: Clock }
): Promise<{ writes: string[]; notes: string[]; failure?: string }> {
  const tag = inputs.promoteImageTag
  const promotes = inputs.mode === 'promote' || (inputs.mode === 'canary' && inputs.schedule.walk)
  const stable = execution.stableAfter
  if (!tag || !promotes || inputs.dryRun || execution.failure) return { writes: [], notes: [] }
  if (execution.splitAfter[stable] !== FULL) return { writes: [], notes: [] }
  const record = parseDeployRecord(found.state.service.tags[tagNames(inputs.tagKey).deploy])
  const digest = record?.color === stable ? record.digest : undefined
  const images = promotedImages(details[stable]?.images ?? [], digest)
  const guard = new LeaseGuard(found.shape.lease, inputs.mode, log)
  let taken = false
  try {
    const result = await tagPromotedImages(images, tag, async (run) => {
      if (!taken) {
        await guard.take(clock.now(), 600_000)
        taken = true
      }
      await guard.confirm()
      const line = await run()
      if (line) log.info(line)
      return line
    })
    await guard.release()
    for (const note of result.notes) log.warning(note)
    return result
  } catch (error) {
    await guard.releaseOrExplain(clock.now())
    const why = messageOf(error)
    return {
      writes: [],
      notes: [],
      failure:
        `${sentence(why)} The promote stands: all traffic is on ${stable}, the stable colour. ` +
        `The image was not tagged ${tag}; run promote again to add the tag (it writes nothing else).`
    }
  }
}

/**
 * A deploy that failed after its first write: no traffic step runs. The outcome says what was
 * written and that the stable colour keeps its traffic, as the deploy's failure does.
 */
async function failedDeploy(
  inputs: ActionInputs,
  found: Discovered,
  deployed: DeployOutcome,
  log: Logger
): Promise<Outcome> {
  const { state, shape } = found
  const plan = planRun({ ...inputs, mode: 'status' }, planState(state, inputs.tagKey), (share) =>
    shape.router.reachable(share)
  )
  const execution = new Journal(plan, log).seal(deployed.failure)
  return Object.freeze({
    ...execution,
    writes: deployed.writes,
    inputs,
    state,
    plan,
    deploy: deployed,
    changed: true,
    stepsCompleted: 0,
    details: await shape.workload.details(),
    warnings: []
  })
}

/**
 * How long the lease holds if the run dies without releasing it: every step's health wait, bake
 * and the time its checks may hold it, plus a margin. A rerun of the same job takes it over at once.
 */
function leaseDuration(plan: RunPlan, inputs: ActionInputs): number {
  // A rollback holds it only while it runs; other runs wait at most that long if it dies.
  const margin = (inputs.mode === 'rollback' ? 2 : 10) * 60_000
  const perStep = (inputs.waitForHealthy ? inputs.healthTimeoutSeconds * 1000 : 0) + heldMs(inputs)
  return plan.steps.reduce((total, step) => total + perStep + step.bakeMs, margin)
}

/** How long a step's checks may hold it past its bake: analysis's wait, each hook's timeout. */
function heldMs(inputs: ActionInputs): number {
  const { analysis, hooks } = inputs
  const hookCount = hooks
    ? [hooks.afterTestTraffic, hooks.beforeTraffic, hooks.afterTraffic].filter(Boolean).length
    : 0
  return (analysis?.maxWaitMs ?? 0) + hookCount * (hooks?.timeoutMs ?? 0)
}

/** What the planner needs of the discovery, as plain data. */
export function planState(state: Discovery, tagKey: string): PlanState {
  const names = tagNames(tagKey)
  const version = (color: Color) => {
    const arn = state.health[color].unit.taskDefinitionArn
    return arn ? versionOf(arn) : undefined
  }
  const record = parseRecord(state.promotionRecord)
  const deployed = parseDeployRecord(state.service.tags[names.deploy])
  return {
    stable: state.stable,
    split: state.split,
    previousStable: state.previousStable,
    previousTag: names.previous,
    versions: { Blue: version('Blue'), Green: version('Green') },
    retired: { Blue: state.health.Blue.retired, Green: state.health.Green.retired },
    ...(record ? { record } : {}),
    recordTag: names.promotion,
    ...(state.promotionRecord !== undefined ? { recordText: state.promotionRecord } : {}),
    ...(deployed ? { deployed: { color: deployed.color, version: deployed.version } } : {})
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
