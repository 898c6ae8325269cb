import { StackOutputKeys } from '../constants.js'
import { StateError } from '../errors.js'
import { waitForNewCanary } from './canary-health.js'
import type { ReplaceContext, Replacement } from './replacement.js'
import { planStackParameters } from './stack-parameters.js'
import { readStack, requireSettled, updateStack, waitForUpdate } from './stack-update.js'

/**
 * The stack-managed way: UpdateStack with the previous template and only the canary colour's
 * image parameter changed (the stable colour and the weights passed as they are live), wait for
 * UPDATE_COMPLETE, then for the canary's new task set to be healthy. The stack replaces the task
 * set and its output; a rerun finds the parameter in place and writes nothing.
 */
export async function stackReplacement(ctx: ReplaceContext): Promise<Replacement> {
  const { canary, stable, state } = ctx
  const stackName = ctx.stackName ?? ''
  const cfn = await ctx.clients.cfn()
  if (!ctx.image) {
    throw new StateError(
      `Stack "${stackName}" builds each colour's task definition from its image parameter: give ` +
        '"image", or leave out "stack-name" to deploy a task definition through the ECS API.'
    )
  }
  const stack = await readStack(cfn, stackName)
  const change = planStackParameters(stackName, stack.parameters, ctx.request.stackParameters, {
    stable,
    canary,
    split: ctx.split,
    image: ctx.image
  })
  const images = {
    container: `${canary} image parameter`,
    ...(change.oldImage ? { oldImage: change.oldImage } : {}),
    newImage: ctx.image
  }
  if (change.oldImage === ctx.image) return { diff: [], ...images }
  requireSettled(stackName, stack.status)
  const diff = change.changes.map((line) => `stack ${stackName}: ${line}`)
  return {
    diff,
    ...images,
    apply: async (write) => {
      const since = ctx.clock.now()
      let started = false
      await write(async () => {
        started = await updateStack(cfn, stackName, change.parameters, stack.capabilities)
        return started ? `stack ${stackName} updated: ${change.changes.join(', ')}` : undefined
      })
      const updated = started
        ? await waitForUpdate(cfn, stackName, since, {
            clock: ctx.clock,
            timeoutMs: ctx.timeoutMs,
            pollMs: ctx.pollMs
          })
        : stack
      const taskSetId = updated.outputs[`${canary}TaskSet` as keyof typeof StackOutputKeys]
      if (!taskSetId) {
        throw new StateError(
          `Stack "${stackName}" has no output ${canary}TaskSet after the update.`
        )
      }
      const taskSet = await waitForNewCanary(
        {
          ecs: ctx.clients.ecs,
          elb: ctx.clients.elb,
          cluster: ctx.cluster,
          service: state.service.arn,
          color: canary,
          targetGroup: state.where.targetGroups[canary],
          clock: ctx.clock,
          log: ctx.log,
          timeoutMs: ctx.timeoutMs,
          pollMs: ctx.pollMs
        },
        taskSetId
      )
      return taskSet.taskDefinition ? { taskDefinitionArn: taskSet.taskDefinition } : {}
    }
  }
}
