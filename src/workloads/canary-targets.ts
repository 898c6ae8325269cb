import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  type TargetDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../aws/call.js'
import type { Clock } from '../clock.js'
import { CancelledError } from '../errors.js'

/** `10.0.1.7:8080`, as target health reports name a target. */
export function targetId(target: TargetDescription): string {
  return `${target.Id}:${target.Port}`
}

export async function registerTargets(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string,
  targets: TargetDescription[]
): Promise<void> {
  if (targets.length === 0) return
  await awsCall('elasticloadbalancing:RegisterTargets', () =>
    elb.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroup, Targets: targets }))
  )
}

/** How a drain ended: after how long, and whether a cancel ended the wait with targets draining. */
export interface Drained {
  waitedMs: number
  cancelled: boolean
}

/**
 * Deregisters the targets, then waits while the load balancer drains them (finishes the requests
 * they have), up to the target group's deregistration delay and at most `capMs`: traffic never
 * goes to a task stopped after this. A cancel ends the wait (the targets take no new request
 * already); the caller then must not stop their tasks.
 */
export async function deregisterAndDrain(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string,
  targets: TargetDescription[],
  wait: { clock: Clock; capMs: number; pollMs: number; log: (line: string) => void }
): Promise<Drained> {
  if (targets.length === 0) return { waitedMs: 0, cancelled: false }
  const [, delayMs] = await Promise.all([
    awsCall('elasticloadbalancing:DeregisterTargets', () =>
      elb.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroup, Targets: targets }))
    ),
    deregistrationDelayMs(elb, targetGroup)
  ])
  const limit = Math.min(delayMs, wait.capMs)
  const start = wait.clock.now()
  const ids = new Set(targets.map(targetId))
  for (;;) {
    const read = await awsCall('elasticloadbalancing:DescribeTargetHealth', () =>
      elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup }))
    )
    const draining = (read.TargetHealthDescriptions ?? []).filter(
      (d) => d.Target && ids.has(targetId(d.Target)) && d.TargetHealth?.State === 'draining'
    )
    const waited = wait.clock.now() - start
    if (draining.length === 0) return { waitedMs: waited, cancelled: false }
    const left = limit - waited
    if (left <= 0) {
      wait.log(
        `Stopped waiting for ${draining.length} target(s) to drain after ${Math.round(waited / 1000)} s (deregistration-timeout-seconds).`
      )
      return { waitedMs: waited, cancelled: false }
    }
    wait.log(`Draining ${draining.map((d) => targetId(d.Target!)).join(', ')}`)
    const cancelled = await wait.clock.sleep(Math.min(wait.pollMs, left)).then(
      () => false,
      (error: unknown) => {
        if (error instanceof CancelledError) return true
        throw error
      }
    )
    if (cancelled) return { waitedMs: wait.clock.now() - start, cancelled }
  }
}

/** The group's `deregistration_delay.timeout_seconds` (ELB's default, 300 s, when unread). */
async function deregistrationDelayMs(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string
): Promise<number> {
  const read = await awsCall('elasticloadbalancing:DescribeTargetGroupAttributes', () =>
    elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroup }))
  )
  const value = read.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')
  const seconds = Number(value?.Value ?? 300)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000
}
