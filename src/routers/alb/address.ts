import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../../aws/call.js'
import { StateError } from '../../errors.js'

/**
 * `http://DNS-NAME:PORT`: where a path on a listener is reached from outside, read from the
 * listener (scheme and port) and its load balancer (DNS name). Two reads, made only when a path
 * must be resolved (a smoke check given as a path).
 */
export async function listenerAddress(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string
): Promise<string> {
  const listeners = await awsCall('elasticloadbalancing:DescribeListeners', () =>
    elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))
  )
  const listener = listeners.Listeners?.[0]
  if (!listener?.LoadBalancerArn || !listener.Port) {
    throw new StateError(`Listener ${listenerArn} has no load balancer or port.`)
  }
  const balancers = await awsCall('elasticloadbalancing:DescribeLoadBalancers', () =>
    elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn!] }))
  )
  const dns = balancers.LoadBalancers?.[0]?.DNSName
  if (!dns) throw new StateError(`Load balancer ${listener.LoadBalancerArn} has no DNS name.`)
  const scheme = listener.Protocol === 'HTTPS' ? 'https' : 'http'
  const port =
    (scheme === 'https' && listener.Port === 443) || (scheme === 'http' && listener.Port === 80)
      ? ''
      : `:${listener.Port}`
  return `${scheme}://${dns}${port}`
}
