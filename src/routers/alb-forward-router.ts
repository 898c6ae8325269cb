import type {
  Action,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Color, PerColor } from '../color.js'
import { StateError } from '../errors.js'
import {
  keepExistingSecrets,
  missingColors,
  readForwardWeights,
  rewriteForwardWeights
} from './forward.js'
import type { RulePlacement, TrafficRouter } from './router.js'

/**
 * Shared behaviour of routers whose weights live in an ALB forward action: a listener rule's
 * actions or a listener's default actions. Subclasses only fetch and put the action list.
 */
export abstract class AlbForwardRouter implements TrafficRouter {
  abstract readonly kind: string
  protected snapshot?: Action[]

  constructor(
    protected readonly elb: ElasticLoadBalancingV2Client,
    readonly arn: string,
    protected readonly targetGroups: PerColor<string>
  ) {}

  protected abstract fetchActions(): Promise<Action[]>
  protected abstract putActions(actions: Action[]): Promise<void>
  protected abstract get label(): string
  abstract placement(): RulePlacement | undefined

  /** The actions before the forward in what `read` saw. */
  protected preActions(): Action[] {
    const actions = this.snapshot ?? []
    const forward = actions.findIndex((a) => a.Type === 'forward')
    return forward < 0 ? [] : actions.slice(0, forward)
  }

  async read(): Promise<PerColor<number>> {
    this.snapshot = await this.fetchActions()
    return readForwardWeights(this.snapshot, this.targetGroups, this.label)
  }

  async write(weights: PerColor<number>): Promise<void> {
    if (!this.snapshot) throw new StateError(`${this.label} was written before it was read.`)
    const rewritten = rewriteForwardWeights(this.snapshot, this.targetGroups, weights)
    await this.putActions(keepExistingSecrets(rewritten))
    this.snapshot = rewritten
  }

  async attach(): Promise<Color[]> {
    if (!this.snapshot) throw new StateError(`${this.label} was attached before it was read.`)
    const missing = missingColors(this.snapshot, this.targetGroups)
    // Writing the weights it has rewrites the forward to name both colours, at the same split.
    if (missing.length > 0) {
      await this.write(readForwardWeights(this.snapshot, this.targetGroups, this.label))
    }
    return missing
  }

  async readBack(): Promise<PerColor<number>> {
    return readForwardWeights(await this.fetchActions(), this.targetGroups, this.label)
  }
}
