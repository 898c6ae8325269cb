import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import type { ActionError } from '../../errors.js'

/** The ELB reads every ALB module shares: listeners and rules, each written once. */

/** Follows ELB's Marker pagination to the end. */
async function allPages<T>(
  fetch: (marker: string | undefined) => Promise<{ items?: T[]; next?: string }>
): Promise<T[]> {
  const items: T[] = []
  let marker: string | undefined
  do {
    const page = await fetch(marker)
    items.push(...(page.items ?? []))
    marker = page.next
  } while (marker)
  return items
}

export function listListeners(
  elb: ElasticLoadBalancingV2Client,
  loadBalancerArn: string
): Promise<Listener[]> {
  return allPages(async (Marker) => {
    const page = await awsCall('elasticloadbalancing:DescribeListeners', () =>
      elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker }))
    )
    return { items: page.Listeners, next: page.NextMarker }
  })
}

export function listRules(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  return allPages(async (Marker) => {
    const page = await awsCall('elasticloadbalancing:DescribeRules', () =>
      elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker }))
    )
    return { items: page.Rules, next: page.NextMarker }
  })
}

/** One listener's default actions; `notFound` makes the error a missing listener raises. */
export async function describeListenerActions(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  notFound: () => ActionError
): Promise<Action[]> {
  const response = await awsCall(
    'elasticloadbalancing:DescribeListeners',
    () => elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    whenNotFound('Listener', notFound)
  )
  const listener = response.Listeners?.[0]
  if (!listener) throw notFound()
  return listener.DefaultActions ?? []
}
