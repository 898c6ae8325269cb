import type {
  Action,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Color, PerColor } from '../../color.js'
import { StateError } from '../../errors.js'
import type { Permille, Split } from '../../shares.js'
import type { TrafficRouter } from '../router.js'
import {
  keepExistingSecrets,
  missingColors,
  readForwardWeights,
  rewriteForwardWeights
} from './forward.js'
import type { RulePlacement } from './placement.js'
import { albWeightsFor, splitOfWeights } from './weights.js'

/**
 * Shared behaviour of routers whose weights live in an ALB forward action: a listener rule's
 * actions or a listener's default actions. Subclasses only fetch and put the action list.
 */
export abstract class AlbForwardRouter implements TrafficRouter {
  abstract readonly kind: string
  protected snapshot?: Action[]

  constructor(
    protected readonly elb: ElasticLoadBalancingV2Client,
    readonly id: string,
    protected readonly targetGroups: PerColor<string>
  ) {}

  protected abstract fetchActions(): Promise<Action[]>
  /** Writes the actions; returns them as the write's response shows them, when it does. */
  protected abstract putActions(actions: Action[]): Promise<Action[] | undefined>
  protected abstract get label(): string
  /** Where a test-traffic rule that shadows this route goes; undefined when it cannot have one. */
  abstract placement(): RulePlacement | undefined

  /** The actions before the forward in what `read` saw (authentication a test rule must keep). */
  protected preActions(): Action[] {
    const actions = this.snapshot ?? []
    const forward = actions.findIndex((a) => a.Type === 'forward')
    return forward < 0 ? [] : actions.slice(0, forward)
  }

  async read(): Promise<Split> {
    this.snapshot = await this.fetchActions()
    return splitOfWeights(readForwardWeights(this.snapshot, this.targetGroups, this.label))
  }

  /** Weights out of 1000 express every whole permille exactly. */
  reachable(share: Permille): Permille[] {
    return Number.isInteger(share) && share >= 0 && share <= 1000
      ? [share]
      : [Math.floor(share), Math.ceil(share)]
  }

  /**
   * Writes the split and returns it as ELB stored it, from the write's own response: that proves
   * the weights are live without a second round trip. Only an endpoint that answers without the
   * actions costs a read-back.
   */
  async shift(split: Split): Promise<Split> {
    const stored = (await this.put(albWeightsFor(split))) ?? (await this.fetchActions())
    return splitOfWeights(readForwardWeights(stored, this.targetGroups, this.label))
  }

  async exposeForHealthChecks(color: Color): Promise<string | undefined> {
    const missing = missingColors(this.actions(), this.targetGroups)
    if (!missing.includes(color)) return undefined
    // Writing the weights it has rewrites the forward to name both colours, at the same split.
    await this.put(readForwardWeights(this.actions(), this.targetGroups, this.label))
    return `${this.kind} ${this.id}: added ${missing.join(', ')} at weight 0 so its targets are health-checked (traffic unchanged)`
  }

  /** The raw weights `read` (or the last write) saw, to write back exactly as they were. */
  rawWeights(): PerColor<number> {
    return readForwardWeights(this.actions(), this.targetGroups, this.label)
  }

  /** Writes raw weights (ones `rawWeights` returned): a lockstep set undoing a partial write. */
  async writeWeights(weights: PerColor<number>): Promise<void> {
    await this.put(weights)
  }

  async verify(): Promise<Split> {
    return splitOfWeights(
      readForwardWeights(await this.fetchActions(), this.targetGroups, this.label)
    )
  }

  private actions(): Action[] {
    if (!this.snapshot) throw new StateError(`${this.label} was written before it was read.`)
    return this.snapshot
  }

  private async put(weights: PerColor<number>): Promise<Action[] | undefined> {
    const rewritten = rewriteForwardWeights(this.actions(), this.targetGroups, weights)
    const stored = await this.putActions(keepExistingSecrets(rewritten))
    this.snapshot = rewritten
    return stored
  }
}
