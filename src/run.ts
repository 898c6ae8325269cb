import { describeAlarms, type AlarmCheck, type AlarmState, type AlarmWatch } from './alarms.js'
import { otherColor, type Color, type PerColor } from './color.js'
import type { DeployDeps, GateOutcome } from './deploy.js'
import type { Discovery } from './discover/discover.js'
import { CancelledError, IncompletePromotionError, VerificationError } from './errors.js'
import { realClock, waitUntilReady, type GateClock } from './gate.js'
import type { ActionInputs } from './inputs.js'
import { plan as planFor, type Plan } from './plan.js'
import { formatWeights } from './report/text.js'
import { deleteTestRule, pointTestListener, syncTestRule } from './routers/test-traffic.js'
import { companionTags, removeServiceTags, writeServiceTags } from './stable-tag.js'
import { formatPercent, FULL, roundedShareOf, type Permille } from './weights.js'

/** One step of a canary run, for the summary. */
export interface StepRecord {
  /** The canary's target share; 100 % for a promote. */
  share: Permille
  startedAt: number
  bakeMs: number
  bakedMs: number
  /** Alarm states last seen during the step. */
  alarms: AlarmState[]
  gate: string
  outcome: 'pending' | 'shifted' | 'unchanged' | 'promoted' | 'rolled back' | 'cancelled'
}

/**
 * Carries out the plans: gate, write, read back and bake each step, roll back when a gate fails
 * or the run is cancelled, and keep the test traffic and the service tags in step. It holds the
 * state as it changes, so the report shows what is true at the end.
 */
export class CanaryRun {
  readonly writes: string[] = []
  readonly steps: StepRecord[] = []
  rolledBack = false
  failure?: string
  lastGate: GateOutcome = { kind: 'not-needed' }
  lastAlarms?: AlarmCheck
  stable: Color
  weights: PerColor<number>
  private readonly clock: GateClock
  private readonly tags: { previous: string; testRule: string }

  constructor(
    private readonly inputs: ActionInputs,
    private readonly deps: DeployDeps,
    private readonly discovery: Discovery,
    private readonly alarmWatch: AlarmWatch | undefined
  ) {
    this.stable = discovery.stable
    this.weights = discovery.weights
    this.clock = deps.clock ?? realClock
    this.tags = companionTags(inputs.tagKey)
  }

  private get log() {
    return this.deps.log
  }

  /** canary and promote: each step in turn; a cancel or a failed gate ends in a rollback. */
  async walk(plans: Plan[], bakeMs: number): Promise<void> {
    try {
      this.checkCancelled()
      if (this.inputs.mode === 'canary') await this.syncTestTraffic()
      for (const [index, step] of plans.entries()) {
        this.checkCancelled()
        const promotes = step.tagAfter !== undefined || step.mode === 'promote'
        const record: StepRecord = {
          share: promotes ? FULL : this.targetShare(step),
          startedAt: this.clock.now(),
          bakeMs: promotes ? 0 : bakeMs,
          bakedMs: 0,
          alarms: [],
          gate: 'not needed',
          outcome: 'pending'
        }
        this.steps.push(record)
        if (step.gate) {
          // Discovery's health read serves the first step; later steps look again.
          this.lastGate = await this.healthGate(step.gate, index > 0)
          record.gate = this.lastGate.kind === 'passed' ? 'healthy' : 'skipped'
          // The alarms are checked right before the shift. Discovery's read is still current
          // for a first step that did not wait, which saves a round trip.
          const waited = this.lastGate.kind === 'passed' && this.lastGate.result.checks > 1
          const alarms =
            index === 0 && !waited && this.lastAlarms
              ? this.keepAlarms(record, this.lastAlarms)
              : await this.checkAlarms(record)
          if (alarms && alarms.failing.length > 0) {
            return await this.failAndRollBack(
              record,
              `Alarm before step ${index + 1}: ${describeAlarms(alarms.failing)}`
            )
          }
        }
        // A cancel up to here rolls back; once the promote's write starts, it is finished.
        this.checkCancelled()
        if (promotes) this.ignoreCancelFromHere()
        await this.log.group(`Apply step ${index + 1}`, () => this.apply(step))
        record.outcome = step.tagAfter ? 'promoted' : step.writeWeights ? 'shifted' : 'unchanged'
        if (record.bakeMs > 0) {
          const failed = await this.bake(record, index)
          if (failed) return await this.failAndRollBack(record, failed)
        }
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error
      await this.cancelled()
    }
  }

  /** rollback: all traffic to the stable colour, then remove test traffic. Never waits on health. */
  async rollback(step: Plan): Promise<void> {
    await this.log.group('Apply', async () => {
      await this.apply(step)
      await this.clearTestTraffic()
    })
  }

  /** rollback with undo-promotion: traffic and the tag back to the colour stable before the last promote. */
  async undoPromotion(step: Plan): Promise<void> {
    const target = step.tagAfter
    if (!target) {
      this.log.warning(`${step.reason} Nothing was written.`)
      return
    }
    const current = this.stable
    const { unit } = this.discovery.workload.health[target]
    const scaledDown = unit.scale === 0 || unit.desired === 0
    if (scaledDown) {
      await this.discovery.workload.scale(target, 100)
      this.wrote(`task set ${unit.label} (${target}): scaled back to 100 %`)
    }
    this.lastGate = await this.healthGate(target, scaledDown)
    await this.log.group('Apply', async () => {
      if (step.writeWeights) await this.writeWeights(step)
      const { ecs } = this.deps.clients
      const arn = this.discovery.service.arn
      await Promise.all([
        writeServiceTags(ecs, arn, { [this.inputs.tagKey]: target }),
        removeServiceTags(ecs, arn, [this.tags.previous])
      ])
      this.wrote(`service tag ${this.inputs.tagKey}: ${current} → ${target} (promotion undone)`)
      this.stable = target
      this.rolledBack = true
      await this.clearTestTraffic()
    })
  }

  private targetShare(step: Plan): Permille {
    return roundedShareOf(otherColor(step.stableBefore), step.weightsAfter) ?? 0
  }

  /** Writes the step's weights and tag; a promote then clears test traffic and may scale down. */
  private async apply(step: Plan): Promise<void> {
    if (step.writeWeights) await this.writeWeights(step)
    if (!step.tagAfter) return
    const color = step.tagAfter
    try {
      await writeServiceTags(this.deps.clients.ecs, this.discovery.service.arn, {
        [this.inputs.tagKey]: color,
        [this.tags.previous]: step.stableBefore
      })
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      throw new IncompletePromotionError(
        `All traffic now goes to ${color}, but setting the tag ${this.inputs.tagKey}=${color} failed: ${why} ` +
          'Run promote again to finish; it will only write the tag.'
      )
    }
    this.wrote(`service tag ${this.inputs.tagKey}: ${step.stableBefore} → ${color}`)
    this.stable = color
    await this.clearTestTraffic()
    if (this.inputs.scaleDownAfterPromote) {
      const old = step.stableBefore
      await this.discovery.workload.scale(old, 0)
      this.wrote(
        `task set ${this.discovery.workload.health[old].unit.label} (${old}): scaled to 0 % after promote`
      )
    }
  }

  private async writeWeights(step: Plan): Promise<void> {
    const { router } = this.discovery
    await router.write(step.weightsAfter)
    this.wrote(
      `${router.kind} ${router.arn}: ${formatWeights(this.weights)} → ${formatWeights(step.weightsAfter)}`
    )
    const readBack = await router.readBack()
    if (readBack.Blue !== step.weightsAfter.Blue || readBack.Green !== step.weightsAfter.Green) {
      throw new VerificationError(
        `Wrote ${formatWeights(step.weightsAfter)} to ${router.kind} ${router.arn}, but it reads back ` +
          `${formatWeights(readBack)}: another writer changed it. Make sure only one workflow moves ` +
          'this service at a time (a concurrency group), then run this step again.'
      )
    }
    this.weights = readBack
    this.log.info(`Verified: ${formatWeights(readBack)}`)
  }

  /** Holds the step for its bake time, checking alarms and canary targets; returns why it failed. */
  private async bake(record: StepRecord, index: number): Promise<string | undefined> {
    const canary = otherColor(this.stable)
    const pollMs = this.deps.pollMs ?? Math.min(5000, Math.max(500, Math.floor(record.bakeMs / 5)))
    const start = this.clock.now()
    const end = start + record.bakeMs
    const share = formatPercent(record.share)
    return this.log.group(
      `Bake step ${index + 1}: ${canary} at ${share}% for ${Math.round(record.bakeMs / 1000)} s`,
      async () => {
        while (this.clock.now() < end) {
          await this.sleep(Math.min(pollMs, end - this.clock.now()))
          const [alarms, health] = await Promise.all([
            this.checkAlarms(record),
            this.discovery.workload.probe(canary)
          ])
          record.bakedMs = this.clock.now() - start
          if (alarms && alarms.failing.length > 0) {
            return `Alarm during the bake of step ${index + 1} (${canary} at ${share}%): ${describeAlarms(alarms.failing)}`
          }
          const unhealthy = health.targets.notHealthy.filter((t) => t.state === 'unhealthy')
          if (unhealthy.length > 0) {
            const targets = unhealthy
              .map((t) => `${t.id}${t.reason ? ` (${t.reason})` : ''}`)
              .join(', ')
            return `Unhealthy ${canary} target(s) during the bake of step ${index + 1}: ${targets}`
          }
        }
        this.log.info(
          `Step ${index + 1} held ${Math.round(record.bakedMs / 1000)} s with every gate passing.`
        )
        return undefined
      }
    )
  }

  private async checkAlarms(record: StepRecord): Promise<AlarmCheck | undefined> {
    if (!this.alarmWatch) return undefined
    return this.keepAlarms(record, await this.alarmWatch())
  }

  /** Keeps an alarm read for the step and the summary, and reports missing data. */
  private keepAlarms(record: StepRecord, check: AlarmCheck): AlarmCheck {
    this.lastAlarms = check
    record.alarms = check.alarms
    const noData = check.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA')
    if (noData.length > 0 && !this.inputs.alarms.treatMissingDataAsFailure) {
      this.log.info(`Treated as OK: ${describeAlarms(noData)}`)
    }
    return check
  }

  private async healthGate(color: Color, fresh = false): Promise<GateOutcome> {
    if (!this.inputs.waitForHealthy) {
      this.log.warning(
        `wait-for-healthy is false: ${color} gets more traffic without a health check.`
      )
      return { kind: 'skipped', why: 'wait-for-healthy is false' }
    }
    const { workload, router } = this.discovery
    return this.log.group(`Wait for ${color} to be healthy`, async () => {
      // A load balancer health-checks only target groups a route names: a route that lacks the
      // canary (the legacy single-group forward) first gets it at weight 0, at the same split.
      const attached = await router.attach()
      if (attached.length > 0) {
        this.wrote(
          `${router.kind} ${router.arn}: added ${attached.join(', ')} at weight 0 so its targets are health-checked (traffic unchanged)`
        )
      }
      const result = await waitUntilReady(
        color,
        attached.length > 0 || fresh ? await workload.probe(color) : workload.health[color],
        () => workload.probe(color),
        this.inputs.healthTimeoutSeconds * 1000,
        this.cancellableClock(),
        (reasons) => this.log.info(`Waiting: ${reasons.join('; ')}`),
        this.deps.pollMs
      )
      this.log.info(
        `${color} is healthy (${result.checks} check(s), ${Math.round(result.waitedMs / 1000)} s).`
      )
      return { kind: 'passed', result } as const
    })
  }

  /** Testers reach the canary before customers: the test rule and listener point at it first. */
  private async syncTestTraffic(): Promise<void> {
    const { testTraffic } = this.inputs
    const canaryGroup = this.discovery.resources.targetGroups[otherColor(this.stable)]
    if (testTraffic.header || testTraffic.query) {
      const placement = this.discovery.router.placement()
      if (placement) {
        const existing = this.discovery.service.tags[this.tags.testRule]
        const { arn, wrote } = await syncTestRule(
          this.deps.clients.elb,
          placement,
          testTraffic,
          canaryGroup,
          existing
        )
        if (wrote) this.wrote(wrote)
        if (arn !== existing) {
          await writeServiceTags(this.deps.clients.ecs, this.discovery.service.arn, {
            [this.tags.testRule]: arn
          })
        }
      }
    }
    if (testTraffic.listenerArn) {
      const wrote = await pointTestListener(
        this.deps.clients.elb,
        testTraffic.listenerArn,
        canaryGroup
      )
      if (wrote) this.wrote(wrote)
    }
  }

  /** After a promote or a rollback: no test rule, and the test listener on the stable colour. */
  private async clearTestTraffic(): Promise<void> {
    const existing = this.discovery.service.tags[this.tags.testRule]
    if (existing) {
      await deleteTestRule(this.deps.clients.elb, existing)
      await removeServiceTags(this.deps.clients.ecs, this.discovery.service.arn, [
        this.tags.testRule
      ])
      this.wrote(`test rule ${existing}: deleted`)
      delete this.discovery.service.tags[this.tags.testRule]
    }
    const listener = this.inputs.testTraffic.listenerArn
    if (listener) {
      const stableGroup = this.discovery.resources.targetGroups[this.stable]
      const wrote = await pointTestListener(this.deps.clients.elb, listener, stableGroup)
      if (wrote) this.wrote(wrote)
    }
  }

  /** Sends all traffic back to the stable colour at once; no gate, no bake. */
  private async rollBackNow(): Promise<void> {
    const step = planFor({
      mode: 'rollback',
      stable: this.stable,
      weights: this.weights,
      canaryShare: 0
    })
    await this.log.group('Roll back', async () => {
      await this.apply(step)
      await this.clearTestTraffic()
    })
    this.rolledBack = true
  }

  private async failAndRollBack(record: StepRecord, reason: string): Promise<void> {
    this.log.warning(`${reason}. Rolling back to ${this.stable}.`)
    await this.rollBackNow()
    record.outcome = 'rolled back'
    this.failure = `${reason}. Rolled back: all traffic is on ${this.stable} again.`
  }

  private async cancelled(): Promise<void> {
    const last = this.steps[this.steps.length - 1]
    if (last) last.outcome = 'cancelled'
    if (this.inputs.onCancel === 'rollback') {
      await this.rollBackNow()
      this.failure = `Cancelled: rolled back, all traffic is on ${this.stable}.`
    } else {
      this.failure = `Cancelled: traffic left at ${formatWeights(this.weights)} (on-cancel: hold).`
    }
  }

  private cancelIgnored = false

  /** Once the final promote starts it is finished, not rolled back. */
  private ignoreCancelFromHere(): void {
    this.cancelIgnored = true
  }

  private checkCancelled(): void {
    if (this.deps.signal?.aborted && !this.cancelIgnored) throw new CancelledError('Cancelled.')
  }

  private async sleep(ms: number): Promise<void> {
    this.checkCancelled()
    await this.clock.sleep(ms, this.deps.signal)
    this.checkCancelled()
  }

  private cancellableClock(): GateClock {
    return { now: () => this.clock.now(), sleep: (ms) => this.sleep(ms) }
  }

  private wrote(line: string): void {
    this.writes.push(line)
    this.log.info(line)
  }
}
