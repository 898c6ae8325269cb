import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { StateError } from '../../errors.js'
import type { TestTrafficInputs } from '../../inputs.js'
import type { RulePlacement } from './placement.js'

/**
 * Pure builders of the test-traffic rule: the weighted rule's conditions plus the test header or
 * query, its authentication, a forward to the canary alone, and a free priority above it.
 */

/** DescribeRules echoes some conditions in both the legacy `Values` and the typed form; send one. */
export function sendableCondition(condition: RuleCondition): RuleCondition {
  const typed =
    condition.HostHeaderConfig ??
    condition.PathPatternConfig ??
    condition.HttpHeaderConfig ??
    condition.QueryStringConfig ??
    condition.HttpRequestMethodConfig ??
    condition.SourceIpConfig
  if (!typed) return condition
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { Values, ...rest } = condition
  return rest
}

/** The weighted rule's conditions plus the test header / query conditions. */
export function testConditions(
  placement: RulePlacement,
  traffic: TestTrafficInputs
): RuleCondition[] {
  const conditions = placement.conditions.map(sendableCondition)
  if (traffic.header) {
    conditions.push({
      Field: 'http-header',
      HttpHeaderConfig: { HttpHeaderName: traffic.header.name, Values: [traffic.header.value] }
    })
  }
  if (traffic.query) {
    conditions.push({
      Field: 'query-string',
      QueryStringConfig: { Values: [{ Key: traffic.query.key, Value: traffic.query.value }] }
    })
  }
  return conditions
}

/** The weighted rule's authentication, then a forward to the canary group alone. */
export function testActions(placement: RulePlacement, canaryTargetGroup: string): Action[] {
  if (placement.preActions.some((a) => a.Type === 'authenticate-oidc')) {
    throw new StateError(
      'The weighted rule authenticates with OIDC, and ELB needs the client secret (which it never ' +
        'returns) to create a rule with it, so the action cannot create a test rule that keeps ' +
        'that authentication. Create the test rule yourself, or drop "test-header"/"test-query".'
    )
  }
  const order = Math.max(0, ...placement.preActions.map((a) => a.Order ?? 0)) + 1
  return [
    ...placement.preActions,
    {
      Type: 'forward',
      Order: order,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: canaryTargetGroup, Weight: 1 }] }
    }
  ]
}

/** The requested priority, else the first free one above the weighted rule (or from 1). */
export function choosePriority(
  placement: RulePlacement,
  taken: number[],
  requested?: number
): number {
  if (requested !== undefined) return requested
  const used = new Set(taken)
  if (placement.priority !== undefined) {
    for (let p = placement.priority - 1; p >= 1; p--) if (!used.has(p)) return p
    throw new StateError(
      `No free priority above the weighted rule (priority ${placement.priority}) for the test rule. ` +
        'Set "test-rule-priority".'
    )
  }
  let p = 1
  while (used.has(p)) p += 1
  return p
}
