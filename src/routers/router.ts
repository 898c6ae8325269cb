import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Color, PerColor } from '../color.js'

/**
 * Moves traffic between the two colours. The pipeline computes weights and never asks which
 * kind of router it is talking to; each kind (weighted listener rule, listener default action,
 * and later Route 53 records or a listener swap) is one module implementing this.
 */
export interface TrafficRouter {
  /** Short kind name for logs and the summary, e.g. `listener-rule`. */
  readonly kind: string
  /** Identifier reported in the `listener-rule-arn` output. */
  readonly arn: string
  /** Reads the current weights and checks that the route is one the action may change. */
  read(): Promise<PerColor<number>>
  /** Writes the weights, changing nothing else of what `read` saw. Call `read` first. */
  write(weights: PerColor<number>): Promise<void>
  /**
   * Makes the route name both colours without moving traffic (a colour it lacks joins at weight
   * 0), so the load balancer starts health-checking that colour's targets. Returns the colours it
   * added; writes nothing when the route already names both. Call `read` first.
   */
  attach(): Promise<Color[]>
  /** Reads the weights again after a write, to catch another writer. */
  readBack(): Promise<PerColor<number>>
  /** Where a test-traffic rule that shadows this route goes; undefined when the router has none. */
  placement(): RulePlacement | undefined
}

/** The listener, priority, conditions and authentication of a weighted ALB route. */
export interface RulePlacement {
  listenerArn: string
  /** The weighted rule's priority; undefined when the route is a listener's default action. */
  priority?: number
  conditions: RuleCondition[]
  /** The actions before the forward (authentication), which a test rule must keep as well. */
  preActions: Action[]
}
