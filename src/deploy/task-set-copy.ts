import { createHash } from 'node:crypto'
import {
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  type CreateTaskSetCommandInput,
  type ECSClient,
  type TaskSet
} from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'

/**
 * The canary colour's new task set: a copy of its current one (network, load balancer, launch
 * type or capacity providers, platform version, external id, scale) running `taskDefinition`.
 * The client token makes a retried create (a rerun after a lost answer) return the same task set.
 * Pure.
 */
export function copyTaskSet(
  current: TaskSet,
  where: { cluster: string; service: string },
  taskDefinition: string
): CreateTaskSetCommandInput {
  const providers = current.capacityProviderStrategy ?? []
  const token = createHash('sha256')
    .update(`${current.taskSetArn ?? current.id ?? ''} ${taskDefinition}`)
    .digest('hex')
    .slice(0, 32)
  return {
    cluster: where.cluster,
    service: where.service,
    taskDefinition,
    ...(current.externalId ? { externalId: current.externalId } : {}),
    ...(current.networkConfiguration ? { networkConfiguration: current.networkConfiguration } : {}),
    ...(current.loadBalancers?.length ? { loadBalancers: current.loadBalancers } : {}),
    ...(current.serviceRegistries?.length ? { serviceRegistries: current.serviceRegistries } : {}),
    ...(providers.length > 0
      ? { capacityProviderStrategy: providers }
      : current.launchType
        ? { launchType: current.launchType }
        : {}),
    ...(current.platformVersion ? { platformVersion: current.platformVersion } : {}),
    scale: { unit: 'PERCENT', value: current.scale?.value ?? 100 },
    clientToken: token
  }
}

export async function createTaskSet(
  ecs: ECSClient,
  input: CreateTaskSetCommandInput
): Promise<TaskSet> {
  const response = await awsCall('ecs:CreateTaskSet', () =>
    ecs.send(new CreateTaskSetCommand(input))
  )
  if (!response.taskSet) throw new Error('CreateTaskSet answered without a task set.')
  return response.taskSet
}

/** Deletes a task set; one that is already gone is what was asked. */
export async function deleteTaskSet(
  ecs: ECSClient,
  where: { cluster: string; service: string },
  taskSet: string
): Promise<boolean> {
  let gone = false
  await awsCall(
    'ecs:DeleteTaskSet',
    () =>
      ecs.send(
        new DeleteTaskSetCommand({ cluster: where.cluster, service: where.service, taskSet })
      ),
    (name) => {
      gone = name === 'TaskSetNotFoundException'
      return undefined
    }
  ).catch((error: unknown) => {
    if (!gone) throw error
  })
  return !gone
}
