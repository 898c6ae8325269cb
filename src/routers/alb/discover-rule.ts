import {
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import type { PerColor } from '../../color.js'
import { NotFoundError, RuleDiscoveryError } from '../../errors.js'
import { listListeners, listRules } from './elb-reads.js'

export type DiscoveredRoute =
  { kind: 'listener-rule'; arn: string; rule: Rule } | { kind: 'listener'; arn: string }

/**
 * Finds every rule on the target groups' load balancers whose forward names both colours, in
 * the order ELB lists them. A default rule that matches means the weighted forward is the
 * listener's default action. More than one means routes that move in lockstep.
 */
export async function discoverWeightedRoutes(
  elb: ElasticLoadBalancingV2Client,
  targetGroups: PerColor<string>
): Promise<DiscoveredRoute[]> {
  const groups = await awsCall(
    'elasticloadbalancing:DescribeTargetGroups',
    () =>
      elb.send(
        new DescribeTargetGroupsCommand({
          TargetGroupArns: [targetGroups.Blue, targetGroups.Green]
        })
      ),
    whenNotFound(
      'TargetGroup',
      () =>
        new NotFoundError(
          `Target group ${targetGroups.Blue} or ${targetGroups.Green} was not found. Check the ` +
            'BlueTargetGroup/GreenTargetGroup stack outputs or the target group inputs.'
        )
    )
  )
  const loadBalancers = [
    ...new Set((groups.TargetGroups ?? []).flatMap((g) => g.LoadBalancerArns ?? []))
  ]
  if (loadBalancers.length === 0) {
    throw new RuleDiscoveryError(
      'The Blue and Green target groups are not attached to any load balancer, so there is no ' +
        'weighted rule to find. Set "listener-rule-arn" or "listener-arn".'
    )
  }
  const listeners = (await Promise.all(loadBalancers.map((lb) => listListeners(elb, lb)))).flat()
  const rules = (
    await Promise.all(listeners.map((l) => listRules(elb, l.ListenerArn ?? '')))
  ).flat()
  const candidates = rules.filter((rule) => forwardsToBoth(rule, targetGroups))
  if (candidates.length === 0) {
    const searched = listeners.map((l) => l.ListenerArn).join(', ') || 'none'
    throw new RuleDiscoveryError(
      `No rule forwards to both ${targetGroups.Blue} and ${targetGroups.Green} on the listeners ` +
        `${searched}. Set "listener-rule-arn" (or "listener-arn"), or add the ListenerRule stack output.`
    )
  }
  // Several routes (HTTP and HTTPS listeners, `/api/*` and `/*` rules) move together.
  return candidates.map((rule): DiscoveredRoute => {
    if (rule.IsDefault) {
      const listener = listeners.find((l) => (rule.RuleArn ?? '').startsWith(listenerPrefix(l)))
      return { kind: 'listener', arn: listener?.ListenerArn ?? '' }
    }
    return { kind: 'listener-rule', arn: rule.RuleArn ?? '', rule }
  })
}

function forwardsToBoth(rule: Rule, targetGroups: PerColor<string>): boolean {
  return (rule.Actions ?? []).some((action) => {
    const arns = (action.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn)
    return (
      action.Type === 'forward' &&
      arns.includes(targetGroups.Blue) &&
      arns.includes(targetGroups.Green)
    )
  })
}

/** A listener's rules have ARNs that extend its own: `…:listener-rule/app/lb/x/<listener id>/…`. */
function listenerPrefix(listener: Listener): string {
  return `${(listener.ListenerArn ?? '').replace(':listener/', ':listener-rule/')}/`
}
