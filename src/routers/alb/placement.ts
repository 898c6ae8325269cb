import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'

/** The listener, priority, conditions and authentication of a weighted ALB route. */
export interface RulePlacement {
  listenerArn: string
  /** The weighted rule's priority; undefined when the route is a listener's default action. */
  priority?: number
  conditions: RuleCondition[]
  /** The actions before the forward (authentication), which a test rule must keep as well. */
  preActions: Action[]
}
