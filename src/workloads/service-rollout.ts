import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service
} from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'
import type { Clock } from '../clock.js'
import {
  CancelledError,
  InterruptedWaitError,
  messageOf,
  PartialWriteError,
  StateError
} from '../errors.js'
import { versionOf } from '../promotion-record.js'
import { sameVersion } from './standalone-colors.js'

export interface RolloutWait {
  clock: Clock
  timeoutMs: number
  pollMs: number
  log: (line: string) => void
}

/** The primary deployment's state, or why the rollout failed, pure. */
export function rolloutVerdict(
  service: Service,
  taskDefinition: string
): { done: true } | { done: false; failure?: string; state: string } {
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY')
  const state = primary?.rolloutState ?? 'UNKNOWN'
  const reason = primary?.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''
  if (!primary?.taskDefinition || !sameVersion(primary.taskDefinition, taskDefinition)) {
    // The primary deployment is the rollback's now; why the rollout failed is on its own.
    const failed = service.deployments?.find(
      (d) => d.taskDefinition && sameVersion(d.taskDefinition, taskDefinition)
    )
    const why = failed?.rolloutStateReason ? ` (${failed.rolloutStateReason})` : ''
    return {
      done: false,
      state,
      failure:
        `The deployment circuit breaker rolled service ${service.serviceName} back to ` +
        `${versionOf(primary?.taskDefinition ?? 'another revision')}: ${versionOf(taskDefinition)} did not become healthy${why}.`
    }
  }
  if (state === 'FAILED') {
    return {
      done: false,
      state,
      failure: `The rollout of ${versionOf(taskDefinition)} on service ${service.serviceName} FAILED${reason}.`
    }
  }
  return state === 'COMPLETED' ? { done: true } : { done: false, state }
}

/**
 * Rolls the service to `taskDefinition` with UpdateService (unless it runs it already) and waits
 * until its PRIMARY deployment is COMPLETED. A FAILED rollout, a circuit-breaker rollback or the
 * timeout fails, saying which; a cancel ends the wait (InterruptedWaitError), never the rollout.
 * Returns what was written, or undefined when nothing was.
 */
export async function rollService(
  ecs: ECSClient,
  where: { cluster: string; service: Service },
  taskDefinition: string,
  wait: RolloutWait
): Promise<string | undefined> {
  const { cluster, service } = where
  const arn = service.serviceArn ?? ''
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY')
  const current = primary?.taskDefinition ?? service.taskDefinition ?? ''
  let wrote: string | undefined
  if (!sameVersion(current, taskDefinition)) {
    await awsCall('ecs:UpdateService', () =>
      ecs.send(new UpdateServiceCommand({ cluster, service: arn, taskDefinition }))
    )
    wrote = `service ${service.serviceName}: task definition ${versionOf(current)} → ${versionOf(taskDefinition)}`
    wait.log(wrote)
  }
  try {
    await awaitRollout(ecs, where, taskDefinition, wait)
  } catch (error) {
    // After UpdateService the run has written: a failure says so, so it is reported, not lost.
    if (!wrote) throw error
    if (error instanceof InterruptedWaitError)
      throw new InterruptedWaitError(error.message, [wrote])
    throw new PartialWriteError(messageOf(error), [wrote])
  }
  return wrote
}

/** Polls until the PRIMARY deployment runs `taskDefinition` COMPLETED, or fails saying why. */
async function awaitRollout(
  ecs: ECSClient,
  where: { cluster: string; service: Service },
  taskDefinition: string,
  wait: RolloutWait
): Promise<void> {
  const { cluster, service } = where
  const arn = service.serviceArn ?? ''
  const start = wait.clock.now()
  for (;;) {
    const read = await awsCall('ecs:DescribeServices', () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [arn] }))
    )
    const now = read.services?.[0]
    if (!now) throw new StateError(`Service ${service.serviceName} is gone.`)
    const verdict = rolloutVerdict(now, taskDefinition)
    if (verdict.done) return
    if (verdict.failure) throw new StateError(verdict.failure)
    const left = start + wait.timeoutMs - wait.clock.now()
    if (left <= 0) {
      throw new StateError(
        `The rollout of ${versionOf(taskDefinition)} on service ${service.serviceName} was not ` +
          `COMPLETED within ${Math.round(wait.timeoutMs / 1000)} s (it is ${verdict.state}).`
      )
    }
    wait.log(
      `Waiting for service ${service.serviceName} to roll out ${versionOf(taskDefinition)}: ${verdict.state}`
    )
    await wait.clock.sleep(Math.min(wait.pollMs, left)).catch((error: unknown) => {
      if (!(error instanceof CancelledError)) throw error
      // ECS owns the rollout: it goes on without this run.
      throw new InterruptedWaitError(
        `The cancel ended the wait for service ${service.serviceName}'s rollout to ` +
          `${versionOf(taskDefinition)} (${verdict.state}); ECS carries it on.`
      )
    })
  }
}
