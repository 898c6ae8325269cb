import type { Color } from '../../color.js'
import { LockstepWriteError, StateError, messageOf, sentence } from '../../errors.js'
import { formatSplit, type Permille, type Split } from '../../shares.js'
import type { RouteSplit, TrafficRouter } from '../router.js'
import type { AlbForwardRouter } from './alb-forward-router.js'
import { describeRoutes, lockstepSplit } from './lockstep.js'
import type { RulePlacement } from './placement.js'

/**
 * Several ALB routes (rules, or listeners' default actions) that forward to the same two target
 * groups and move together: read, written and read back in parallel. A write that fails on some
 * routes puts the ones it changed back to the weights they had, so the set never stays split
 * because of this run. The first route is the primary one: test traffic, the smoke check and
 * analysis use its listener and load balancer.
 */
export class LockstepRouter implements TrafficRouter {
  readonly kind = 'listener-rules'
  readonly id: string
  private seen?: Split[]

  constructor(private readonly members: readonly AlbForwardRouter[]) {
    if (members.length < 2) throw new StateError('A lockstep set needs at least two routes.')
    this.id = members[0].id
  }

  /** The route test traffic and the checks that need one listener go through. */
  get primary(): AlbForwardRouter {
    return this.members[0]
  }

  async read(): Promise<Split> {
    return this.remember(await Promise.all(this.members.map((m) => m.read())))
  }

  /** Every route has the same units (ALB weights), so the first one answers for all. */
  reachable(share: Permille): Permille[] {
    return this.members[0].reachable(share)
  }

  async exposeForHealthChecks(color: Color): Promise<string | undefined> {
    const settled = await Promise.allSettled(
      this.members.map((m) => m.exposeForHealthChecks(color))
    )
    const lines = settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []))
    const failed = settled.find((s) => s.status === 'rejected')
    if (failed) {
      // A colour at weight 0 carries no traffic, so what was added stays; the message says it.
      const done = lines.length > 0 ? ` Written before the failure: ${lines.join('; ')}.` : ''
      throw new LockstepWriteError(`${sentence(messageOf(failed.reason))}${done}`, failed.reason)
    }
    return lines.length > 0 ? lines.join('; ') : undefined
  }

  /**
   * Writes every route at once. When some writes fail, the routes that were written get their
   * previous raw weights back (in parallel too) and the error says what each route holds.
   */
  async shift(split: Split): Promise<Split> {
    const before = this.members.map((m) => m.rawWeights())
    const settled = await Promise.allSettled(this.members.map((m) => m.shift(split)))
    const failedAt = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []))
    if (failedAt.length === 0) {
      return this.remember(settled.map((s) => (s as PromiseFulfilledResult<Split>).value))
    }
    const first = (settled[failedAt[0]] as PromiseRejectedResult).reason
    const failedIds = failedAt.map((i) => this.members[i].id).join(', ')
    const written = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []))
    const head =
      `Writing ${formatSplit(split)} to the routes that move together failed on ${failedIds}: ` +
      sentence(messageOf(first))
    if (written.length === 0) {
      throw new LockstepWriteError(`${head} No route was changed.`, first)
    }
    const undone = await Promise.allSettled(
      written.map((i) => this.members[i].writeWeights(before[i]))
    )
    const stuck = written.filter((_, k) => undone[k].status === 'rejected')
    const writtenIds = written.map((i) => this.members[i].id).join(', ')
    if (stuck.length === 0) {
      throw new LockstepWriteError(
        `${head} ${writtenIds} had been written and got its previous weights back, so every ` +
          'route holds what it held before this write.',
        first
      )
    }
    const live = await Promise.allSettled(this.members.map((m) => m.verify()))
    const now = live
      .map((s, i) =>
        s.status === 'fulfilled'
          ? `${this.members[i].kind} ${this.members[i].id} holds ${formatSplit(s.value)}`
          : undefined
      )
      .filter((line) => line !== undefined)
      .join('; ')
    throw new LockstepWriteError(
      `${head} Putting back ${stuck.map((i) => this.members[i].id).join(', ')} failed too, so the ` +
        `routes disagree${now ? `: ${now}` : ''}. Run mode rollback: it puts every route back on ` +
        'the stable colour.',
      first
    )
  }

  async verify(): Promise<Split> {
    return this.remember(await Promise.all(this.members.map((m) => m.verify())))
  }

  placement(): RulePlacement | undefined {
    return this.primary.placement()
  }

  routes(): readonly RouteSplit[] {
    const seen = this.seen
    if (!seen) throw new StateError('The lockstep routes were listed before they were read.')
    return this.members.map((m, i) => ({ kind: m.kind, id: m.id, split: seen[i] }))
  }

  /** `describeRoutes` of what was last seen, for messages. */
  describe(): string {
    return describeRoutes(this.routes())
  }

  private remember(splits: Split[]): Split {
    this.seen = splits
    return lockstepSplit(splits)
  }
}
