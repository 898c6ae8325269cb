import { UntagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'
import { CancelledError, NotFoundError, StateError, messageOf } from '../errors.js'
import { versionOf } from '../promotion-record.js'
import { tagNames } from '../service-tags.js'
import { previousRevisionTag } from '../workloads/canary-marker.js'
import {
  runCanaryTasks,
  runTaskInput,
  RunTaskFailure,
  stopTasks,
  taskId,
  waitForRunning
} from '../workloads/canary-tasks.js'
import { sameVersion } from '../workloads/standalone-colors.js'
import { StandaloneTaskWorkload } from '../workloads/standalone-task.js'
import { chooseRevision } from './choose-revision.js'
import type { ReplaceContext, Replacement } from './replacement.js'
import { parseDeployRecord } from './deploy-record.js'
import { familyOfReference, imageOf, sameRevision, type Revision } from './revision.js'
import { describe, revisionToRun } from './task-set-path.js'

/**
 * A rolling service's canary: the revision built from the service's own (only the container's
 * image replaced), then `canaryTasks` standalone tasks started with RunTask as the service would
 * start them, and awaited until RUNNING with a private IP. They take no traffic yet: the router
 * registers them. Canary tasks that run the revision already are adopted, never started twice.
 */
export async function standaloneReplacement(
  ctx: ReplaceContext,
  canaryTasks: number
): Promise<Replacement> {
  const { workload, request, canary } = ctx
  if (!(workload instanceof StandaloneTaskWorkload)) {
    throw new StateError('Standalone canary tasks need the standalone-task workload.')
  }
  const ecs = ctx.clients.ecs
  const service = workload.serviceDescription
  if (workload.serviceColor !== workload.stable) {
    throw new StateError(
      `Service ${service.serviceName} runs the canary's revision already: a promote has not ` +
        'finished. Run mode promote to finish it (or rollback), then deploy. Nothing was written.'
    )
  }
  const serviceRevision = ctx.state.health[workload.stable].unit.taskDefinitionArn ?? ''
  const live = workload.liveTasks()
  const reference =
    request.taskDefinition && 'reference' in request.taskDefinition
      ? request.taskDefinition.reference
      : undefined
  // Without canary tasks, the revision the last deploy registered for the canary colour is the
  // colour's own: run it again when it is what is asked for, rather than register a copy.
  const liveRevision =
    live[0]?.taskDefinitionArn ?? recordedRevision(ctx, workload.options.tagKey, serviceRevision)
  const [stableRead, canaryRead, referenced] = await Promise.all([
    describe(ecs, serviceRevision),
    liveRevision ? describeActive(ecs, liveRevision) : Promise.resolve(undefined),
    reference ? describe(ecs, reference) : Promise.resolve(undefined)
  ])
  const file =
    request.taskDefinition && 'file' in request.taskDefinition
      ? request.taskDefinition.revision
      : undefined
  const container = request.containerName ?? workload.entry.containerName
  const choice = chooseRevision({
    base: file ?? referenced?.revision ?? stableRead.revision,
    ...(referenced ? { baseArn: referenced.arn } : {}),
    stableFamily: familyOfReference(serviceRevision),
    ...(ctx.image ? { image: ctx.image } : {}),
    ...(container ? { container } : {}),
    ...(canaryRead ? { canary: canaryRead } : {})
  })
  const inService =
    (choice.use !== undefined && sameVersion(choice.use, serviceRevision)) ||
    (choice.register !== undefined && sameRevision(choice.register, stableRead.revision))
  // Without canary tasks, the image replaced is the one the service runs.
  const oldImage =
    live.length > 0 ? choice.oldImage : container && imageOf(stableRead.revision, container)
  const images = {
    ...(choice.container ? { container: choice.container } : {}),
    ...(oldImage ? { oldImage } : {}),
    ...(choice.newImage ? { newImage: choice.newImage } : {})
  }
  if (inService) {
    return {
      diff: [],
      ...images,
      current: `service ${service.serviceName} runs this version already (${versionOf(serviceRevision)})`
    }
  }
  const imageLine = choice.newImage
    ? ` (${choice.container}: ${oldImage ?? '?'} → ${choice.newImage})`
    : ''
  const missing = choice.inPlace ? Math.max(0, canaryTasks - live.length) : canaryTasks
  if (choice.inPlace && missing === 0) return { diff: [], ...images }
  const what = choice.use ? versionOf(choice.use) : `a new revision of ${choice.register?.family}`
  const diff = [
    ...(!choice.inPlace && live.length > 0
      ? [`${canary}: stop ${live.length} canary task(s) of ${versionOf(liveRevision ?? '')}`]
      : []),
    `${canary}: start ${missing} canary task(s) with ${what}${imageLine} beside service ${service.serviceName}`
  ]
  const wait = {
    clock: ctx.clock,
    timeoutMs: ctx.timeoutMs,
    pollMs: ctx.pollMs,
    log: (line: string) => ctx.log.info(line)
  }
  return {
    diff,
    ...images,
    apply: async (write) => {
      const arn = await revisionToRun(ecs, choice, imageLine, write)
      // A new canary supersedes the last promote: a rollback must not undo it any more.
      await write(() => forgetUndo(ctx, workload.options.tagKey))
      if (!choice.inPlace)
        await write(async () => (await workload.release(canary)).join('; ') || undefined)
      let arns: string[] = []
      await write(async () => {
        const input = runTaskInput(service, workload.scope, arn, missing)
        const started = await runCanaryTasks(ecs, input).catch(async (error: unknown) => {
          if (error instanceof RunTaskFailure && error.started.length > 0) {
            await stopStarted(
              ctx,
              error.started.map((t) => t.taskArn ?? '')
            )
            throw new StateError(
              `${error.message} The ${error.started.length} started were stopped.`
            )
          }
          throw error
        })
        arns = started.map((t) => t.taskArn ?? '')
        return `canary task(s) started with ${versionOf(arn)}: ${started.map(taskId).join(', ')} (startedBy ${workload.scope.marker})`
      })
      await waitForRunning(ecs, ctx.cluster, arns, wait).catch(async (error: unknown) => {
        // Cancelled, the tasks are left as the task-set path leaves its new task set: marked,
        // tagged and without traffic, so the next canary adopts them and a rollback stops them.
        if (error instanceof CancelledError) {
          throw new CancelledError(
            `Cancelled while the canary task(s) started: they keep running without traffic ` +
              `(startedBy ${workload.scope.marker}); the next canary run adopts them and mode rollback stops them.`
          )
        }
        await stopStarted(ctx, arns)
        throw new StateError(`${messageOf(error)} The canary task(s) started were stopped.`)
      })
      return { taskDefinitionArn: arn }
    }
  }
}

/**
 * The canary colour's revision as the action's deploy record names it, unless the service runs
 * it. It is run only when identical to what is asked for (family included: `sameRevision`).
 */
function recordedRevision(
  ctx: ReplaceContext,
  tagKey: string,
  serviceRevision: string
): string | undefined {
  const record = parseDeployRecord(ctx.state.service.tags[tagNames(tagKey).deploy])
  if (!record || record.color !== ctx.canary) return undefined
  return sameVersion(record.version, serviceRevision) ? undefined : record.version
}

/** A revision new tasks can run (ACTIVE); a deregistered or deleted one is none. */
async function describeActive(
  ecs: ECSClient,
  reference: string
): Promise<{ arn: string; revision: Revision } | undefined> {
  const read = await describe(ecs, reference).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined
    throw error
  })
  return read?.active ? read : undefined
}

async function stopStarted(ctx: ReplaceContext, arns: string[]): Promise<void> {
  await stopTasks(ctx.clients.ecs, ctx.cluster, arns, 'canary start failed (ecs-canary-action)')
}

/** Removes the record an undo would read (the colour and revision before the last promote). */
async function forgetUndo(ctx: ReplaceContext, tagKey: string): Promise<string | undefined> {
  const keys = [tagNames(tagKey).previous, previousRevisionTag(tagKey)].filter(
    (key) => ctx.state.service.tags[key] !== undefined
  )
  if (keys.length === 0) return undefined
  await awsCall('ecs:UntagResource', () =>
    ctx.clients.ecs.send(
      new UntagResourceCommand({ resourceArn: ctx.state.service.arn, tagKeys: keys })
    )
  )
  return `service tags removed: ${keys.join(', ')} (a new canary replaces the undo of the last promote)`
}
