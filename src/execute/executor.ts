import { cancellable, type Clock } from '../clock.js'
import { CancelledError, ConcurrentRunError, GateFailure, VerificationError } from '../errors.js'
import type { Gate, GateContext } from '../gates/gate.js'
import type { Logger } from '../logger.js'
import type { RunPlan, StepPlan } from '../plan.js'
import { recordTime } from '../promotion-record.js'
import { formatSplit, FULL, sameSplit, splitFor, type Split } from '../shares.js'
import type { Shape } from '../shape.js'
import { bake, mergeReadings } from './bake.js'
import { Journal, type Execution, type StepRecord } from './journal.js'
import { LeaseGuard } from './lease-guard.js'
import { rollBack } from './rollback.js'
import { routeUnchanged, shiftAndVerify } from './shift.js'

export interface ExecutorOptions {
  log: Logger
  clock: Clock
  /** Aborted when the runner cancels the job. */
  signal?: AbortSignal
  /** Overrides the poll interval of health waits and bakes (tests). */
  pollMs?: number
  onCancel: 'rollback' | 'hold'
  /** How long the lease holds if this run dies without releasing it. */
  leaseMs?: number
}

/**
 * Walks a plan: for each step, expose the canary to health checks, ask the gates, shift, verify,
 * write the tag, bake while watching the gates. Every failed gate and every cancel goes through
 * one channel with one policy: send all traffic back to the stable colour and take test traffic
 * away, unless there is nothing to take back. Never throws: what happened is in the Execution.
 */
export async function execute(
  plan: RunPlan,
  shape: Shape,
  gates: readonly Gate[],
  options: ExecutorOptions
): Promise<Execution> {
  return new Executor(plan, shape, gates, options).run()
}

/**
 * One class because its phases share the journal and the point past which a cancel no longer
 * undoes a promote; each method is one phase and short.
 */
class Executor {
  private readonly journal: Journal
  private readonly clock: Clock
  private readonly guard: LeaseGuard
  /** Records one write in the journal as soon as it is made. */
  private readonly wrote = (line: string) => this.journal.wrote(line)
  /** Set once a promote's write starts: from then on a cancel lets it finish. */
  private committed = false

  constructor(
    private readonly plan: RunPlan,
    private readonly shape: Shape,
    private readonly gates: readonly Gate[],
    private readonly options: ExecutorOptions
  ) {
    this.journal = new Journal(plan, options.log)
    this.clock = cancellable(options.clock, options.signal)
    this.guard = new LeaseGuard(shape.lease, plan.mode, options.log)
  }

  async run(): Promise<Execution> {
    try {
      this.checkCancelled()
      const { testTraffic } = this.shape
      if (mayWrite(this.plan, this.shape)) {
        await this.guard.take(this.options.clock.now(), this.options.leaseMs ?? 3_600_000)
      }
      if (this.plan.openTestTraffic && testTraffic) {
        await testTraffic.open(this.plan.canaryBefore, this.wrote)
      }
      for (const [index, step] of this.plan.steps.entries()) await this.runStep(step, index)
      if (this.plan.steps.length === 0 && this.plan.closeTestTraffic && testTraffic) {
        await testTraffic.close(this.journal.stable, this.wrote)
      }
      await this.checkAtEnd()
      await this.guard.release()
      return this.journal.seal()
    } catch (error) {
      const execution = await this.fail(error)
      // A run that failed still gives the service back, unless another run has taken it.
      await this.guard.release().catch((releaseError: unknown) => {
        const why = releaseError instanceof Error ? releaseError.message : String(releaseError)
        this.options.log.warning(`The lease tag was not removed: ${why}`)
      })
      return execution
    }
  }

  private async runStep(step: StepPlan, index: number): Promise<void> {
    this.checkCancelled()
    if (index > 0) await this.guard.confirm()
    const record: StepRecord = {
      kind: step.kind,
      share: step.share,
      startedAt: this.options.clock.now(),
      bakeMs: step.bakeMs,
      bakedMs: 0,
      readings: [],
      outcome: 'pending'
    }
    this.journal.steps.push(record)
    if (step.gate || step.restore) await this.judge(step, index, record)
    // A cancel up to here rolls back; once a promote's write starts, it is finished.
    this.checkCancelled()
    if (step.tag) this.committed = true
    await this.options.log.group(`Apply step ${index + 1}`, () => this.apply(step, index))
    record.outcome = outcomeOf(step)
    if (step.kind === 'undo') this.journal.rolledBack = true
    // A cancel that came during the write is honoured once the write has returned.
    this.checkCancelled()
    if (step.bakeMs > 0) {
      const failed = await bake(record, index, step.canary, this.gates, {
        clock: this.clock,
        log: this.options.log,
        pollMs: this.options.pollMs,
        checkRoute: () => routeUnchanged(this.shape.router, this.journal.split)
      })
      if (failed?.failure) throw new GateFailure(failed.failure)
    }
  }

  /** Brings the canary back if it was retired, then asks each gate in turn. */
  private async judge(step: StepPlan, index: number, record: StepRecord): Promise<void> {
    const restored = step.restore ? await this.shape.workload.restore(step.canary) : undefined
    if (restored) this.journal.wrote(restored)
    if (!step.gate && !restored) return
    const context: GateContext = {
      color: step.canary,
      step: index,
      share: this.journal.split[step.canary],
      fresh: index > 0 || restored !== undefined,
      clock: this.clock,
      log: this.options.log
    }
    const gates = this.gates.filter((g) => step.gates === 'all' || g.judges === 'readiness')
    for (const gate of gates) {
      const reading = await gate.before(context)
      this.journal.wrote(...(reading.wrote ?? []))
      record.readings = mergeReadings(record.readings, [reading])
      if (reading.failure) throw new GateFailure(reading.failure)
    }
  }

  /**
   * The shift, then test traffic, then the tag, then the old colour's capacity. Test traffic goes
   * before the tag so that the tag is a promote's last word: a promote that stops before it is
   * run again, and that run finds whatever test route is left.
   */
  private async apply(step: StepPlan, index: number): Promise<void> {
    const { router, marker, testTraffic, workload } = this.shape
    if (step.write) {
      const wrote = (line: string) => this.journal.wrote(line)
      this.journal.split = await shiftAndVerify(router, this.journal.split, step.split, wrote)
      this.options.log.info(`Verified: ${formatSplit(this.journal.split)}`)
    }
    const last = index === this.plan.steps.length - 1
    if (last && this.plan.closeTestTraffic && testTraffic) {
      await testTraffic.close(step.tag ?? this.journal.stable, this.wrote)
    }
    if (step.tag && step.tag !== this.journal.stable) {
      const from = this.journal.stable
      const record = step.record && { ...step.record, at: recordTime(this.options.clock.now()) }
      const line =
        step.kind === 'undo'
          ? await marker.undo(from, step.tag, record)
          : await marker.promote(from, step.tag, record)
      this.journal.wrote(line)
      this.journal.stable = step.tag
    }
    if (step.retire) this.journal.wrote(...[await workload.retire(step.retire)].filter(isLine))
  }

  /** The one failure channel: a gate's verdict, a cancel, or any other error. */
  private async fail(error: unknown): Promise<Execution> {
    const cancelled = error instanceof CancelledError
    const last = this.journal.steps.at(-1)
    if (last) last.outcome = cancelled ? 'cancelled' : 'failed'
    if (cancelled && this.options.onCancel === 'hold') {
      const split = formatSplit(this.journal.split)
      return this.journal.seal(`Cancelled: traffic left at ${split} (on-cancel: hold).`)
    }
    // A read-back that disagrees has told us what is live; report that, not what we meant.
    if (error instanceof VerificationError) this.journal.split = error.live
    if (error instanceof VerificationError) {
      // Someone else wrote the route: if it was a run that took the lease, say who, and follow
      // a rollback's lead.
      const lost = await this.guard.confirm().then(
        () => undefined,
        (lookError: unknown) => (lookError instanceof ConcurrentRunError ? lookError : undefined)
      )
      if (lost) return this.yieldTo(lost)
    }
    if (error instanceof ConcurrentRunError) return this.yieldTo(error)
    if (!cancelled && !(error instanceof GateFailure)) {
      // AWS refused or answered something unexpected: say so, and what is true now, but do not
      // write more into a system that is failing. Rollback stays one step away.
      const message = error instanceof Error ? error.message : String(error)
      return this.journal.seal(`${sentence(message)} ${this.journal.state()}`, error)
    }
    const reason = cancelled ? 'Cancelled' : (error as GateFailure).message
    let rolledBack: boolean
    try {
      rolledBack = await rollBack(
        this.shape,
        this.journal,
        this.options.log,
        this.plan.openTestTraffic
      )
    } catch (rollbackError) {
      const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError)
      return this.journal.seal(
        `${sentence(reason)} Rolling back failed: ${why} ${this.journal.state()} Run mode rollback to finish.`,
        rollbackError
      )
    }
    // A cancelled step stays `cancelled` in the summary; the message says it was rolled back.
    if (rolledBack && last && !cancelled) last.outcome = 'rolled back'
    if (cancelled && rolledBack) {
      return this.journal.seal(`Cancelled: rolled back, all traffic is on ${this.journal.stable}.`)
    }
    return this.journal.seal(`${sentence(reason)} ${this.journal.state()}`)
  }

  /**
   * The last look: the lease is still this run's, and the route and the tag are what this run
   * left. A rollback instead makes sure traffic follows the stable tag, whoever wrote last.
   */
  private async checkAtEnd(): Promise<void> {
    if (!this.guard.active) return
    if (this.plan.mode === 'rollback') return this.settleRollback()
    const [look, live] = await Promise.all([this.guard.confirm(), this.shape.router.read()])
    if (
      sameSplit(live, this.journal.split) &&
      (look?.stable ?? this.journal.stable) === this.journal.stable
    ) {
      return
    }
    this.journal.split = live
    if (look?.stable) this.journal.stable = look.stable
    throw new ConcurrentRunError(
      'Another writer changed the route or the stable tag while this run was working.',
      false
    )
  }

  private async settleRollback(): Promise<void> {
    const [look, live] = await Promise.all([this.guard.settle(), this.shape.router.read()])
    const stable = look?.stable ?? this.journal.stable
    const target = splitFor(stable, FULL)
    if (stable === this.journal.stable && sameSplit(live, target)) return
    const changedStable = stable !== this.journal.stable
    const before = this.journal.stable
    this.journal.stable = stable
    this.journal.split = await this.shift(live, target)
    this.journal.rolledBack = true
    if (changedStable) {
      throw new ConcurrentRunError(
        `Another run made ${stable} stable while this rollback ran, so all traffic now follows the ` +
          `stable tag to ${stable}. To make ${before} stable again, run rollback with undo-promotion.`,
        false
      )
    }
    this.options.log.info(
      `Another run moved traffic while this rollback ran; all traffic is on ${stable} again.`
    )
  }

  /**
   * Another run took the service. A rollback's lease means the emergency exit was pulled: this
   * run rolls back too (and undoes its own promote). Any other run owns the service now: this run
   * writes nothing more and says what is live.
   */
  private async yieldTo(error: ConcurrentRunError): Promise<Execution> {
    this.guard.forfeit()
    const last = this.journal.steps.at(-1)
    if (last) last.outcome = 'failed'
    if (!error.byRollback) {
      await this.shape.router.read().then(
        (live) => (this.journal.split = live),
        () => undefined
      )
      return this.journal.seal(
        `${sentence(error.message)} This run stopped and wrote nothing more. ${this.journal.state()}`,
        error
      )
    }
    try {
      const before = this.plan.stableBefore
      if (this.journal.stable !== before) {
        this.journal.wrote(await this.shape.marker.undo(this.journal.stable, before))
        this.journal.stable = before
      }
      await rollBack(this.shape, this.journal, this.options.log, this.plan.openTestTraffic)
      this.journal.rolledBack = true
    } catch (rollbackError) {
      const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError)
      return this.journal.seal(
        `${sentence(error.message)} Rolling back failed: ${why} ${this.journal.state()} Run mode rollback to finish.`,
        rollbackError
      )
    }
    return this.journal.seal(
      `${sentence(error.message)} It is a rollback, so this run rolled back too. ${this.journal.state()}`
    )
  }

  private shift(from: Split, to: Split): Promise<Split> {
    return shiftAndVerify(this.shape.router, from, to, (line) => this.journal.wrote(line))
  }

  private checkCancelled(): void {
    if (this.options.signal?.aborted && !this.committed) throw new CancelledError('Cancelled.')
  }
}

/**
 * What a step that went through did. A rollback or an undo is not a shift of the walk, so it
 * does not count in `steps-completed`.
 */
function outcomeOf(step: StepPlan): StepRecord['outcome'] {
  if (step.kind === 'rollback' || step.kind === 'undo') {
    return step.write || step.tag ? 'rolled back' : 'unchanged'
  }
  return step.tag ? 'promoted' : step.write ? 'shifted' : 'unchanged'
}

/** A message as a sentence: a full stop added unless it ends in one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`
}

/** True when the plan may write anything: only then does the run take the lease. */
function mayWrite(plan: RunPlan, shape: Shape): boolean {
  const testRoute =
    shape.testTraffic !== undefined && (plan.openTestTraffic || plan.closeTestTraffic)
  return (
    testRoute ||
    plan.steps.some((s) => s.write || s.tag !== undefined || s.retire !== undefined || s.restore)
  )
}

function isLine(line: string | undefined): line is string {
  return line !== undefined
}
