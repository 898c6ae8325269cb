import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type RuleCondition
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, toActionError } from '../aws/call.js'
import { listRules } from './discover-rule.js'
import { StateError } from '../errors.js'
import type { TestTrafficInputs } from '../inputs.js'
import { keepExistingSecrets } from './forward.js'
import type { RulePlacement } from './router.js'

/**
 * Test traffic: a rule above the weighted one that sends only requests carrying the test header
 * or query to the canary, and a second listener that points at the canary while a canary runs.
 * Pure builders first, then the few calls that apply them.
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

/** Creates or updates the test rule; returns its ARN and what was written. */
export async function syncTestRule(
  elb: ElasticLoadBalancingV2Client,
  placement: RulePlacement,
  traffic: TestTrafficInputs,
  canaryTargetGroup: string,
  existingArn: string | undefined
): Promise<{ arn: string; wrote?: string }> {
  const conditions = testConditions(placement, traffic)
  const actions = testActions(placement, canaryTargetGroup)
  const rules = await listRules(elb, placement.listenerArn)
  const existing = rules.find((r) => r.RuleArn === existingArn)
  if (existing?.RuleArn) {
    const same =
      JSON.stringify(existing.Actions?.map((a) => a.ForwardConfig?.TargetGroups)) ===
        JSON.stringify(actions.map((a) => a.ForwardConfig?.TargetGroups)) &&
      JSON.stringify((existing.Conditions ?? []).map(sendableCondition)) ===
        JSON.stringify(conditions) &&
      (traffic.priority === undefined || Number(existing.Priority) === traffic.priority)
    if (same) return { arn: existing.RuleArn }
    if (traffic.priority !== undefined && Number(existing.Priority) !== traffic.priority) {
      // A priority change is a new rule: ModifyRule cannot move it and this keeps it one call.
      await deleteTestRule(elb, existing.RuleArn)
    } else {
      await awsCall('elasticloadbalancing:ModifyRule', () =>
        elb.send(
          new ModifyRuleCommand({
            RuleArn: existing.RuleArn,
            Conditions: conditions,
            // testActions refuses OIDC, so there is no client secret to keep here.
            Actions: actions
          })
        )
      )
      return { arn: existing.RuleArn, wrote: `test rule ${existing.RuleArn}: updated` }
    }
  }
  const taken = rules.map((r) => Number(r.Priority)).filter(Number.isInteger)
  const priority = choosePriority(placement, taken, traffic.priority)
  const created = await awsCall(
    'elasticloadbalancing:CreateRule',
    () =>
      elb.send(
        new CreateRuleCommand({
          ListenerArn: placement.listenerArn,
          Priority: priority,
          Conditions: conditions,
          Actions: actions
        })
      ),
    (name) =>
      name === 'PriorityInUseException' || name === 'PriorityInUse'
        ? new StateError(
            `Priority ${priority} is taken on ${placement.listenerArn}. Set "test-rule-priority" to a free one.`
          )
        : undefined
  )
  const arn = created.Rules?.[0]?.RuleArn ?? ''
  return { arn, wrote: `test rule ${arn}: created at priority ${priority}` }
}

export async function deleteTestRule(
  elb: ElasticLoadBalancingV2Client,
  arn: string
): Promise<void> {
  try {
    await elb.send(new DeleteRuleCommand({ RuleArn: arn }))
  } catch (error) {
    // Already gone is the state we want.
    const name = (error as { name?: string }).name
    if (name === 'RuleNotFoundException' || name === 'RuleNotFound') return
    throw toActionError('elasticloadbalancing:DeleteRule', error)
  }
}

/** Points the test listener's default forward at one target group; other actions stay. */
export async function pointTestListener(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  targetGroupArn: string
): Promise<string | undefined> {
  const response = await awsCall(
    'elasticloadbalancing:DescribeListeners',
    () => elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    (name) =>
      name === 'ListenerNotFoundException' || name === 'ListenerNotFound'
        ? new StateError(`Test listener ${listenerArn} was not found. Check "test-listener-arn".`)
        : undefined
  )
  const actions = response.Listeners?.[0]?.DefaultActions ?? []
  const index = actions.findIndex((a) => a.Type === 'forward')
  if (index < 0) {
    throw new StateError(`Test listener ${listenerArn} has no forward default action to point.`)
  }
  const current = actions[index]
  const groups = current.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn) ?? [
    current.TargetGroupArn
  ]
  if (groups.length === 1 && groups[0] === targetGroupArn) return undefined
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { TargetGroupArn, ...rest } = current
  const next = actions.map((action, i) =>
    i === index
      ? {
          ...rest,
          ForwardConfig: {
            ...current.ForwardConfig,
            TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }]
          }
        }
      : action
  )
  await awsCall('elasticloadbalancing:ModifyListener', () =>
    elb.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: keepExistingSecrets(next)
      })
    )
  )
  return `test listener ${listenerArn}: forwards to ${targetGroupArn}`
}
