import {
  DescribeListenersCommand,
  DescribeTagsCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { errorName, isNotFound, toActionError } from '../../aws/call.js'
import { COLORS, type PerColor } from '../../color.js'
import { listRules } from './elb-reads.js'

/**
 * The reads behind test traffic, made before any write so that a test route the action must not
 * touch is refused (or, in a rollback, left alone) before anything changes.
 */

/** The rules of the weighted route's listener, and the ELB tags of those that may be test rules. */
export interface ListenerRules {
  listenerArn: string
  rules: Rule[]
  /** Tags by rule ARN, for the rules `mayBeTestRule` accepts but the weighted one. */
  tags: Map<string, Record<string, string>>
}

/** ELB DescribeTags takes at most 20 ARNs a call. */
const TAGS_PER_CALL = 20

/** `weightedRuleArn`'s tags are not read: it is never a test rule, whatever it carries. */
export async function readListenerRules(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  targetGroups: PerColor<string>,
  weightedRuleArn?: string
): Promise<ListenerRules> {
  const rules = await listRules(elb, listenerArn)
  const arns = rules
    .filter((r) => r.RuleArn !== weightedRuleArn && mayBeTestRule(r, targetGroups))
    .map((r) => r.RuleArn ?? '')
  const chunks: string[][] = []
  for (let i = 0; i < arns.length; i += TAGS_PER_CALL) chunks.push(arns.slice(i, i + TAGS_PER_CALL))
  const described = (await Promise.all(chunks.map((chunk) => describeTags(elb, chunk)))).flat()
  const tags = new Map(described)
  // A rule deleted between the two reads (by a run racing this one) is gone for this run too.
  const gone = new Set(arns.filter((arn) => !tags.has(arn)))
  return { listenerArn, rules: rules.filter((r) => !gone.has(r.RuleArn ?? '')), tags }
}

/**
 * A rule the action could have created: not a default rule, with a forward, and every forward
 * naming only the two colours' target groups (a test rule forwards to the canary alone).
 */
export function mayBeTestRule(rule: Rule, targetGroups: PerColor<string>): boolean {
  return !rule.IsDefault && foreignGroups(rule.Actions ?? [], targetGroups) === undefined
}

/**
 * The target groups the forwards name other than the two colours'; `[]` for no forward at all
 * (nothing the action points), undefined when every forward names only the colours.
 */
export function foreignGroups(
  actions: Action[],
  targetGroups: PerColor<string>
): string[] | undefined {
  const forwards = actions.filter((a) => a.Type === 'forward')
  if (forwards.length === 0) return []
  const colors = new Set(COLORS.map((c) => targetGroups[c]))
  const named = forwards.flatMap((a) => [
    ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? ''),
    ...(a.TargetGroupArn ? [a.TargetGroupArn] : [])
  ])
  const foreign = [...new Set(named.filter((arn) => !colors.has(arn)))]
  return foreign.length > 0 || named.length === 0 ? foreign : undefined
}

/** Tags of rules by ARN. A rule deleted meanwhile fails the whole call; then ask one by one. */
async function describeTags(
  elb: ElasticLoadBalancingV2Client,
  arns: string[]
): Promise<[string, Record<string, string>][]> {
  try {
    const response = await elb.send(new DescribeTagsCommand({ ResourceArns: arns }))
    return (response.TagDescriptions ?? []).map((d) => [
      d.ResourceArn ?? '',
      Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))
    ])
  } catch (error) {
    if (!isNotFound(errorName(error), 'Rule')) {
      throw toActionError('elasticloadbalancing:DescribeTags', error)
    }
    if (arns.length === 1) return []
    return (await Promise.all(arns.map((arn) => describeTags(elb, [arn])))).flat()
  }
}

/**
 * Listeners by ARN, each read on its own; undefined for one ELB says does not exist. Callers pass
 * only ARNs of the listener form, so ELB's ValidationError never stands for a forged value.
 */
export async function readListeners(
  elb: ElasticLoadBalancingV2Client,
  arns: string[]
): Promise<Map<string, Listener | undefined>> {
  const read = async (arn: string): Promise<[string, Listener | undefined]> => {
    try {
      const response = await elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }))
      return [arn, response.Listeners?.[0]]
    } catch (error) {
      if (isNotFound(errorName(error), 'Listener')) return [arn, undefined]
      throw toActionError('elasticloadbalancing:DescribeListeners', error)
    }
  }
  return new Map(await Promise.all([...new Set(arns)].map(read)))
}
