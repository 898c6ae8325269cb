import type { ECSClient, TaskSet } from '@aws-sdk/client-ecs'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import { readService } from '../discover/service.js'
import { StateError } from '../errors.js'
import { waitUntilReady } from '../gates/health.js'
import type { Logger } from '../logger.js'
import { readTargetHealth } from '../workloads/target-health.js'
import { taskSetBlockers, toUnit } from '../workloads/task-sets.js'
import type { ColorHealth } from '../workloads/workload.js'

export interface CanaryWatch {
  ecs: ECSClient
  elb: ElasticLoadBalancingV2Client
  cluster: string
  service: string
  color: Color
  targetGroup: string
  clock: Clock
  log: Logger
  timeoutMs: number
  pollMs: number
}

/**
 * Waits until the canary's new task set is steady and every target in the colour's group is
 * healthy. It carries no traffic meanwhile; on timeout it stays where it is, at 0 %.
 */
export async function waitForNewCanary(watch: CanaryWatch, taskSetId: string): Promise<TaskSet> {
  let found: TaskSet | undefined
  const probe = async (): Promise<ColorHealth> => {
    const [service, targets] = await Promise.all([
      readService(watch.ecs, watch.cluster, watch.service),
      readTargetHealth(watch.elb, watch.targetGroup)
    ])
    found = service.taskSets.find((t) => t.id === taskSetId || t.taskSetArn === taskSetId)
    if (!found) throw new StateError(`The new ${watch.color} task set ${taskSetId} is gone.`)
    const unit = toUnit(watch.color, found)
    return { unit, targets, blockers: taskSetBlockers(unit, targets), retired: false }
  }
  const waited = await waitUntilReady(
    await probe(),
    probe,
    watch.timeoutMs,
    watch.clock,
    (reasons) =>
      watch.log.info(`Waiting for the new ${watch.color} task set: ${reasons.join('; ')}`),
    watch.pollMs
  )
  if (!waited.ready) {
    throw new StateError(
      `The new ${watch.color} task set ${taskSetId} was not healthy within ` +
        `${Math.round(watch.timeoutMs / 1000)} s (${waited.blockers.join('; ')}). It stays in ` +
        `${watch.color} at 0 % of traffic; fix it and run this step again, or deploy another version.`
    )
  }
  return found as TaskSet
}
