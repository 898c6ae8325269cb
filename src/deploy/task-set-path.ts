import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type TaskSet
} from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'
import { NotFoundError, StateError } from '../errors.js'
import { versionOf } from '../promotion-record.js'
import { taskSetInGroup } from '../workloads/task-sets.js'
import { waitForNewCanary } from './canary-health.js'
import { chooseRevision, type RevisionChoice } from './choose-revision.js'
import type { ReplaceContext, Replacement, Write } from './replacement.js'
import { familyOfReference, revisionOf, type Revision } from './revision.js'
import { copyTaskSet, createTaskSet, deleteTaskSet } from './task-set-copy.js'

/**
 * The API-managed way: register the revision (built from the stable colour's), create the canary
 * colour's new task set as a copy of its current one, wait until it is steady and healthy, then
 * delete the old one. Every prefix is a state a rerun finishes: the revision is found identical,
 * the newest task set in the canary's group is the colour, and the old one is deleted then.
 */
export async function taskSetReplacement(ctx: ReplaceContext): Promise<Replacement> {
  const { state, canary, stable, request } = ctx
  const ecs = ctx.clients.ecs
  const service = state.service
  const current = taskSetInGroup(service, state.where.targetGroups[canary])
  const canaryArn = state.health[canary].unit.taskDefinitionArn
  const stableArn = state.health[stable].unit.taskDefinitionArn
  if (!current || !canaryArn || !stableArn) {
    throw new StateError(
      `The ${canary} colour has no task set to replace in service ${service.name}.`
    )
  }
  const reference =
    request.taskDefinition && 'reference' in request.taskDefinition
      ? request.taskDefinition.reference
      : undefined
  const [stableRead, canaryRead, referenced] = await Promise.all([
    describe(ecs, stableArn),
    describe(ecs, canaryArn),
    reference ? describe(ecs, reference) : Promise.resolve(undefined)
  ])
  const file =
    request.taskDefinition && 'file' in request.taskDefinition
      ? request.taskDefinition.revision
      : undefined
  const base = file ?? referenced?.revision ?? stableRead.revision
  const container =
    request.containerName ?? current.loadBalancers?.find((lb) => lb.containerName)?.containerName
  if (ctx.image && !container) {
    throw new StateError(
      `The ${canary} task set names no container in its load balancer entry: set "container-name".`
    )
  }
  const choice = chooseRevision({
    base,
    ...(referenced ? { baseArn: referenced.arn } : {}),
    stableFamily: familyOfReference(stableArn),
    ...(ctx.image ? { image: ctx.image } : {}),
    ...(container ? { container } : {}),
    canary: { arn: canaryRead.arn, revision: canaryRead.revision }
  })
  const where = { cluster: ctx.cluster, service: service.arn }
  const leftovers = service.taskSets.filter(
    (t) =>
      t !== current &&
      t.status !== 'DRAINING' &&
      (t.loadBalancers ?? []).some((lb) => lb.targetGroupArn === state.where.targetGroups[canary])
  )
  const images = {
    ...(choice.container ? { container: choice.container } : {}),
    ...(choice.oldImage ? { oldImage: choice.oldImage } : {}),
    ...(choice.newImage ? { newImage: choice.newImage } : {})
  }
  const imageLine = choice.newImage
    ? ` (${choice.container}: ${choice.oldImage ?? '?'} → ${choice.newImage})`
    : ''
  if (choice.inPlace && leftovers.length === 0) return { diff: [], ...images }
  const diff = choice.inPlace
    ? leftovers.map((t) => `${canary}: delete the old task set ${t.id ?? t.taskSetArn}`)
    : [
        `${canary}: task definition ${versionOf(canaryArn)} → ${
          choice.use ? versionOf(choice.use) : `a new revision of ${choice.register?.family}`
        }${imageLine}`,
        `${canary}: new task set replaces ${current.id}`
      ]
  const watch = {
    ecs,
    elb: ctx.clients.elb,
    cluster: ctx.cluster,
    service: service.arn,
    color: canary,
    targetGroup: state.where.targetGroups[canary],
    clock: ctx.clock,
    log: ctx.log,
    timeoutMs: ctx.timeoutMs,
    pollMs: ctx.pollMs
  }
  return {
    diff,
    ...images,
    apply: async (write) => {
      const arn = await revisionToRun(ecs, choice, imageLine, write)
      let fresh: TaskSet = current
      const old = choice.inPlace ? leftovers : [current, ...leftovers]
      if (!choice.inPlace) {
        await write(async () => {
          fresh = await createTaskSet(ecs, copyTaskSet(current, where, arn))
          return `task set ${fresh.id} created in ${canary} with ${versionOf(arn)}`
        })
      }
      await waitForNewCanary(watch, fresh.taskSetArn ?? fresh.id ?? '')
      for (const taskSet of old) {
        const id = taskSet.taskSetArn ?? taskSet.id ?? ''
        await write(async () =>
          (await deleteTaskSet(ecs, where, id))
            ? `task set ${taskSet.id} (${canary}, ${versionOf(taskSet.taskDefinition ?? '')}) deleted`
            : undefined
        )
      }
      return { taskDefinitionArn: arn }
    }
  }
}

export async function describe(
  ecs: ECSClient,
  reference: string
): Promise<{ arn: string; revision: Revision; active: boolean }> {
  const response = await awsCall(
    'ecs:DescribeTaskDefinition',
    () =>
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] })),
    (name) =>
      name === 'ClientException'
        ? new NotFoundError(
            `Task definition ${reference} was not found. Check "task-definition" (family:revision or ARN).`
          )
        : undefined
  )
  const definition = response.taskDefinition
  if (!definition?.taskDefinitionArn) {
    throw new NotFoundError(`Task definition ${reference} was not found.`)
  }
  return {
    arn: definition.taskDefinitionArn,
    revision: revisionOf(definition, response.tags),
    active: definition.status !== 'INACTIVE' && definition.status !== 'DELETE_IN_PROGRESS'
  }
}

export async function register(ecs: ECSClient, revision: Revision): Promise<string> {
  const response = await awsCall('ecs:RegisterTaskDefinition', () =>
    ecs.send(new RegisterTaskDefinitionCommand(revision))
  )
  const arn = response.taskDefinition?.taskDefinitionArn
  if (!arn) throw new Error('RegisterTaskDefinition answered without an ARN.')
  return arn
}

/** The revision the canary runs: the one chosen, or the new one, registered as one write. */
export async function revisionToRun(
  ecs: ECSClient,
  choice: RevisionChoice,
  imageLine: string,
  write: Write
): Promise<string> {
  const revision = choice.register
  if (!revision) return choice.use ?? ''
  let arn = ''
  await write(async () => {
    arn = await register(ecs, revision)
    return `task definition ${versionOf(arn)} registered${imageLine}`
  })
  return arn
}
