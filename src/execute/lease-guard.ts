import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import { ConcurrentRunError, messageOf } from '../errors.js'
import type { Mode } from '../inputs.js'
import type { Logger } from '../logger.js'
import type { LeaseLook, RunLease } from '../shape.js'

/**
 * The executor's side of the lease: take it before the first change, look again right before
 * each write and at the end, release it when done. A rollback writes its lease beside its first
 * write and never waits for it, nor fails on it: the emergency exit needs only the route.
 */
export class LeaseGuard {
  private taking?: Promise<void>
  private held = false
  private started = false
  /** True once a rollback's lease write has succeeded: only then is there one to mark done. */
  private written = false

  constructor(
    private readonly lease: RunLease | undefined,
    private readonly mode: Mode,
    private readonly log: Logger
  ) {}

  /** True once this run has written (or started writing) its lease. */
  get active(): boolean {
    return this.held || this.started
  }

  async take(now: number, durationMs: number): Promise<void> {
    const { lease } = this
    if (!lease) return
    if (this.mode === 'rollback') {
      this.started = true
      this.taking = lease.take(this.mode, now, durationMs).then(
        (note) => {
          this.written = true
          this.note(note)
        },
        (error: unknown) => {
          const why = messageOf(error)
          this.log.warning(
            `The rollback's lease tag was not written (${why}); rolling back anyway.`
          )
        }
      )
      return
    }
    this.note(await lease.take(this.mode, now, durationMs))
    this.held = true
  }

  /**
   * Throws ConcurrentRunError when another run holds the lease now. The executor asks right
   * before each write: two runs that wrote their leases at the same moment both read the later
   * one, so one goes on, and a run whose gates waited learns whether it is still the one.
   */
  async confirm(): Promise<LeaseLook | undefined> {
    if (!this.lease || !this.held) return undefined
    const look = await this.lease.look()
    if (!look.ours) {
      const who = look.holder ?? 'its lease tag was removed by someone else'
      throw new ConcurrentRunError(
        `Another run took over this service while this run was working: ${who}.`,
        look.byRollback ?? false
      )
    }
    return look
  }

  /** The service's tags as they are now, whoever holds the lease. */
  async look(): Promise<LeaseLook | undefined> {
    return this.lease?.look()
  }

  /** A rollback's look at the end: who wrote last, whatever the lease says. */
  async settle(): Promise<LeaseLook | undefined> {
    if (!this.lease || !this.taking) return undefined
    await this.taking
    return this.lease.look()
  }

  /**
   * A rollback's end: its lease stays, expired, so no new run waits for it while a run that
   * started before it still sees that a rollback came, and which colour it `left` all traffic on
   * (when it did). Never fails the rollback; returns false when the lease could not be marked
   * done (it then blocks other runs until it expires).
   */
  async expire(now: number, left?: Color): Promise<boolean> {
    if (!this.lease || !this.taking) return true
    await this.taking
    if (!this.written) return true
    try {
      await this.lease.take(this.mode, now, 0, left)
      this.taking = undefined
      return true
    } catch (error) {
      const why = messageOf(error)
      this.log.warning(`The rollback's lease was not marked done (${why}).`)
      return false
    }
  }

  async release(): Promise<void> {
    if (!this.lease || !this.held) return
    await this.lease.release()
    this.held = false
  }

  /**
   * Releases the lease at the end of a failed run. Says, when that fails too, what the lease left
   * behind means for the next run; undefined when there is nothing to say.
   */
  async releaseOrExplain(now: number, left?: Color): Promise<string | undefined> {
    if (this.taking) {
      const done = await this.expire(now, left)
      return done || !this.lease
        ? undefined
        : `Marking the lease done failed. ${this.lease.leftBehind()}.`
    }
    try {
      await this.release()
      return undefined
    } catch (error) {
      const why = messageOf(error)
      this.log.warning(`The lease tag was not removed: ${why}`)
      return this.lease ? `Removing the lease failed. ${this.lease.leftBehind()}.` : undefined
    }
  }

  /**
   * After losing the service to a rollback: waits until that rollback has finished and returns
   * the colour it left all traffic on. Undefined when it has not said within `limitMs` (or its
   * lease ran out first: it died), or when its lease is gone or no longer a rollback's.
   */
  async rollbackOutcome(clock: Clock, limitMs: number, pollMs = 200): Promise<Color | undefined> {
    if (!this.lease) return undefined
    try {
      for (let waited = 0; ; waited += pollMs) {
        const look = await this.lease.look()
        if (!look.byRollback || look.left) return look.left
        if (waited >= limitMs || (look.until !== undefined && clock.now() >= look.until)) {
          return undefined
        }
        await clock.sleep(pollMs)
      }
    } catch {
      // A look that fails (or a cancel while waiting) leaves the decision to what the route shows.
      return undefined
    }
  }

  /** The lease is another run's now: this run must not remove it. */
  forfeit(): void {
    this.held = false
  }

  private note(note: string | undefined): void {
    if (note) this.log.info(`Lease: ${note}.`)
  }
}
