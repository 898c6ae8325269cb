import {
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  type TaskSet
} from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'
import { NotFoundError } from '../errors.js'

/** What the action needs to know about the ECS service, from one DescribeServices call. */
export interface ServiceState {
  arn: string
  name: string
  clusterArn: string
  deploymentController: string
  tags: Record<string, string>
  taskSets: TaskSet[]
  /** The whole description: a rolling service's network, load balancers and deployments. */
  described?: Service
}

/**
 * DescribeServices with TAGS returns the tags and every task set of an EXTERNAL service, so the
 * tag, the controller and both task sets cost a single round trip.
 */
export async function readService(
  ecs: ECSClient,
  cluster: string,
  service: string
): Promise<ServiceState> {
  const response = await awsCall(
    'ecs:DescribeServices',
    () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    (name) =>
      name === 'ClusterNotFoundException'
        ? new NotFoundError(
            `ECS cluster "${cluster}" was not found. Check "cluster" and "aws-region".`
          )
        : undefined
  )
  const found = response.services?.find((s) => s.status !== 'INACTIVE')
  if (!found?.serviceArn) {
    throw new NotFoundError(
      `ECS service "${service}" was not found in cluster "${cluster}". Check "service", "cluster" and "aws-region".`
    )
  }
  const tags: Record<string, string> = {}
  for (const tag of found.tags ?? []) if (tag.key) tags[tag.key] = tag.value ?? ''
  return {
    arn: found.serviceArn,
    name: found.serviceName ?? service,
    clusterArn: found.clusterArn ?? cluster,
    deploymentController: found.deploymentController?.type ?? 'ECS',
    tags,
    taskSets: found.taskSets ?? [],
    described: found
  }
}
