import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../aws/call.js'
import { NotFoundError } from '../errors.js'
import type { TargetHealthSummary } from './workload.js'

/**
 * Draining targets are on their way out (a replaced task, the deregistration delay) and get no
 * new requests, so they neither count as healthy nor block the gate.
 */
export async function readTargetHealth(
  elb: ElasticLoadBalancingV2Client,
  targetGroupArn: string
): Promise<TargetHealthSummary> {
  const response = await awsCall(
    'elasticloadbalancing:DescribeTargetHealth',
    () => elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    whenNotFound(
      'TargetGroup',
      () => new NotFoundError(`Target group ${targetGroupArn} was not found.`)
    )
  )
  const summary: TargetHealthSummary = { targetGroupArn, total: 0, healthy: 0, notHealthy: [] }
  for (const description of response.TargetHealthDescriptions ?? []) {
    const state = description.TargetHealth?.State ?? 'unknown'
    if (state === 'draining') continue
    summary.total += 1
    if (state === 'healthy') {
      summary.healthy += 1
    } else {
      const target = description.Target
      summary.notHealthy.push({
        id: `${target?.Id ?? '?'}${target?.Port ? `:${target.Port}` : ''}`,
        state,
        reason: description.TargetHealth?.Reason
      })
    }
  }
  return summary
}

/** What keeps a target group's targets from taking traffic; empty when they are ready. Pure. */
export function targetBlockers(targets: TargetHealthSummary): string[] {
  const reasons = targets.total === 0 ? ['no targets registered in its target group'] : []
  for (const target of targets.notHealthy) {
    reasons.push(
      `target ${target.id} is ${target.state}${target.reason ? ` (${target.reason})` : ''}`
    )
  }
  return reasons
}

/** A target group whose health was not read (a plain rollback does not wait for it). */
export function unreadTargets(targetGroupArn: string): TargetHealthSummary {
  return { targetGroupArn, total: 0, healthy: 0, notHealthy: [], unread: true }
}
