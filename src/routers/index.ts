import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { ColorResources } from '../discover/resources.js'
import { discoverWeightedRoute } from './discover-rule.js'
import { ListenerRouter } from './listener.js'
import { ListenerRuleRouter } from './listener-rule.js'
import type { TrafficRouter } from './router.js'

/** Picks the router for the resolved resources: a given rule or listener, else discovery. */
export async function createRouter(
  elb: ElasticLoadBalancingV2Client,
  resources: ColorResources
): Promise<TrafficRouter> {
  const { targetGroups } = resources
  if (resources.listenerArn) return new ListenerRouter(elb, resources.listenerArn, targetGroups)
  if (resources.listenerRuleArn) {
    return new ListenerRuleRouter(elb, resources.listenerRuleArn, targetGroups)
  }
  const found = await discoverWeightedRoute(elb, targetGroups)
  return found.kind === 'listener'
    ? new ListenerRouter(elb, found.arn, targetGroups)
    : new ListenerRuleRouter(elb, found.arn, targetGroups).withPreloaded(found.rule)
}

export type { TrafficRouter } from './router.js'
