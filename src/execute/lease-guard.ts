import { ConcurrentRunError } from '../errors.js'
import type { Mode } from '../inputs.js'
import type { Logger } from '../logger.js'
import type { LeaseLook, RunLease } from '../shape.js'

/**
 * The executor's side of the lease: take it before the first change, look again before each
 * later change and at the end, release it when done. A rollback writes its lease beside its first
 * write and never waits for it, nor fails on it: the emergency exit needs only the route.
 */
export class LeaseGuard {
  private taking?: Promise<void>
  private held = false

  constructor(
    private readonly lease: RunLease | undefined,
    private readonly mode: Mode,
    private readonly log: Logger
  ) {}

  /** True once this run has written (or started writing) its lease. */
  get active(): boolean {
    return this.held || this.taking !== undefined
  }

  async take(now: number, durationMs: number): Promise<void> {
    const { lease } = this
    if (!lease) return
    if (this.mode === 'rollback') {
      this.taking = lease.take(this.mode, now, durationMs).then(
        (note) => this.note(note),
        (error: unknown) => {
          const why = error instanceof Error ? error.message : String(error)
          this.log.warning(
            `The rollback's lease tag was not written (${why}); rolling back anyway.`
          )
        }
      )
      return
    }
    this.note(await lease.take(this.mode, now, durationMs))
    this.held = true
    // Two runs that wrote their leases at the same moment both read the later one: one goes on.
    await this.confirm()
  }

  /** Throws ConcurrentRunError when another run holds the lease now. */
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

  /** A rollback's look at the end: who wrote last, whatever the lease says. */
  async settle(): Promise<LeaseLook | undefined> {
    if (!this.lease || !this.taking) return undefined
    await this.taking
    return this.lease.look()
  }

  async release(): Promise<void> {
    if (!this.lease || !this.held) return
    await this.lease.release()
    this.held = false
  }

  /** The lease is another run's now: this run must not remove it. */
  forfeit(): void {
    this.held = false
  }

  private note(note: string | undefined): void {
    if (note) this.log.info(`Lease: ${note}.`)
  }
}
