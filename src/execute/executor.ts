import { cancellable, type Clock } from '../clock.js'
import {
  CancelledError,
  ConcurrentRunError,
  GateFailure,
  InterruptedWaitError,
  VerificationError,
  messageOf,
  sentence,
  writtenBefore
} from '../errors.js'
import type { Gate, GateContext } from '../gates/gate.js'
import type { Logger } from '../logger.js'
import type { RunPlan, StepPlan } from '../plan.js'
import { recordTime } from '../promotion-record.js'
import { formatSplit } from '../shares.js'
import type { Shape } from '../shape.js'
import { bake, mergeReadings } from './bake.js'
import { checkAtEnd, lookAfterRelease, settledOn, yieldTo, type RunContext } from './contention.js'
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
  /** True when a deploy before the plan holds this run's lease: the run takes it over and releases it. */
  leaseHeld?: boolean
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
  /** Set once this run has written the route. */
  private wroteRoute = false

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
      if (mayWrite(this.plan, this.shape) || this.options.leaseHeld) {
        await this.guard.take(this.options.clock.now(), this.options.leaseMs ?? 3_600_000)
      }
      if (this.plan.openTestTraffic && testTraffic) {
        await this.guard.confirm()
        await testTraffic.open(this.plan.canaryBefore, this.wrote)
      }
      for (const [index, step] of this.plan.steps.entries()) await this.runStep(step, index)
      if (this.plan.steps.length === 0 && this.plan.closeTestTraffic && testTraffic) {
        await testTraffic.close(this.journal.stable, this.wrote)
      }
      if (this.plan.forgetPrevious) this.wrote(await this.shape.marker.forget())
      await checkAtEnd(this.context())
      const held = this.guard.active
      await this.guard.release()
      if (held && this.plan.mode !== 'rollback') await lookAfterRelease(this.context())
      return this.journal.seal()
    } catch (error) {
      const execution = await this.fail(error)
      const stated = this.journal.state()
      // A run that failed still gives the service back, unless another run has taken it; when
      // that fails too, the message's last sentence says so.
      const left = await this.guard.releaseOrExplain(
        this.options.clock.now(),
        settledOn(this.journal)
      )
      if (!left || execution.failure === undefined) return execution
      const failure = execution.failure.endsWith(stated)
        ? `${execution.failure.slice(0, -stated.length)}${this.journal.state(left)}`
        : `${execution.failure} ${left}`
      return Object.freeze({ ...execution, failure })
    }
  }

  private async runStep(step: StepPlan, index: number): Promise<void> {
    this.checkCancelled()
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
    if (step.write || step.tag || step.retire) await this.guard.confirm()
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
    if (step.kind === 'shift' && step.gate) await this.settle(step, index, record)
  }

  /** Gates that hold a step until they have a verdict (analysis, hooks) give it at its end. */
  private async settle(step: StepPlan, index: number, record: StepRecord): Promise<void> {
    const gates = this.gates.filter((g) => g.settle && step.gates === 'all')
    const context: GateContext = {
      color: step.canary,
      step: index,
      share: this.journal.split[step.canary],
      fresh: true,
      clock: this.clock,
      log: this.options.log
    }
    for (const gate of gates) {
      const reading = await gate.settle!(context)
      record.readings = mergeReadings(record.readings, [reading])
      if (reading.failure) throw new GateFailure(reading.failure)
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
      this.wroteRoute = true
      const wrote = (line: string) => this.journal.wrote(line)
      this.journal.split = await shiftAndVerify(router, this.journal.split, step.split, wrote)
      this.options.log.info(`Verified: ${formatSplit(this.journal.split)}`)
    }
    const last = index === this.plan.steps.length - 1
    if (last && this.plan.closeTestTraffic && testTraffic) {
      await testTraffic.close(step.tag ?? this.journal.stable, this.wrote)
    }
    // Before the tag: a promote's tag stays its last word, so a rerun finds what is left.
    if (releases(step) && workload.releasable(step.canary)) {
      this.journal.wrote(...(await workload.release(step.canary)))
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
    // Writes a failed change made before it failed are the run's writes too (logged already).
    this.journal.writes.push(...writtenBefore(error))
    const cancelled = error instanceof CancelledError
    const last = this.journal.steps.at(-1)
    const interrupted = error instanceof InterruptedWaitError
    if (last) last.outcome = cancelled || interrupted ? 'cancelled' : 'failed'
    // A cancel during a wait AWS carries on by itself (a promote's rollout): rolling back over it
    // would undo a promote that has started; the message says what goes on and what to run.
    if (interrupted) return this.journal.seal(error.message, error)
    if (cancelled && this.options.onCancel === 'hold') {
      const split = formatSplit(this.journal.split)
      return this.journal.seal(`Cancelled: traffic left at ${split} (on-cancel: hold).`)
    }
    // A read-back that disagrees has told us what is live; report that, not what we meant.
    if (error instanceof VerificationError) {
      this.journal.split = error.live
      // Someone else wrote the route: if it was a run that took the lease, say who, and follow
      // a rollback's lead.
      const lost = await this.guard.confirm().then(
        () => undefined,
        (lookError: unknown) => (lookError instanceof ConcurrentRunError ? lookError : undefined)
      )
      if (lost) return yieldTo(this.context(), lost)
    }
    // A rollback that found another run's tag at its end has already followed it; say so.
    if (error instanceof ConcurrentRunError && this.plan.mode === 'rollback') {
      return this.journal.seal(`${sentence(error.message)} ${this.journal.state()}`, error)
    }
    if (error instanceof ConcurrentRunError) return yieldTo(this.context(), error)
    if (!cancelled && !(error instanceof GateFailure)) {
      // AWS refused or answered something unexpected: say so, and what is true now, but do not
      // write more into a system that is failing. Rollback stays one step away.
      const message = messageOf(error)
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
      const why = messageOf(rollbackError)
      // The rollback's writes are made; AWS carries on what the cancel stopped waiting for.
      if (rollbackError instanceof InterruptedWaitError) {
        return this.journal.seal(`${sentence(reason)} ${why}`, rollbackError)
      }
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

  private context(): RunContext {
    const { plan, shape, journal, guard, wroteRoute } = this
    return { plan, shape, journal, guard, wroteRoute, log: this.options.log, clock: this.clock }
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

/** True when the plan may write anything: only then does the run take the lease. */
function mayWrite(plan: RunPlan, shape: Shape): boolean {
  const testRoute =
    shape.testTraffic !== undefined && (plan.openTestTraffic || plan.closeTestTraffic)
  return (
    testRoute ||
    plan.forgetPrevious ||
    plan.steps.some(
      (s) =>
        s.write ||
        s.tag !== undefined ||
        s.retire !== undefined ||
        s.restore ||
        (releases(s) && shape.workload.releasable(s.canary))
    )
  )
}

/**
 * A step after which the canary colour's leftover units are released: it has all traffic through
 * the colour's main unit (promote, undo) or none (rollback).
 */
function releases(step: StepPlan): boolean {
  return step.kind === 'promote' || step.kind === 'undo' || step.kind === 'rollback'
}

function isLine(line: string | undefined): line is string {
  return line !== undefined
}
