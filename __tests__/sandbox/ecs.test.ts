import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  ClientException,
  ClusterNotFoundException,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTaskSetsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ServiceNotFoundException,
  TagResourceCommand,
  TaskSetNotFoundException,
  UntagResourceCommand,
  UpdateTaskSetCommand
} from '@aws-sdk/client-ecs'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { BLUE_TASK_SET_ID, GREEN_TASK_SET_ID } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/mycluster/myservice'

let sandbox: Sandbox
let ecs: ReturnType<typeof clients>['ecs']

beforeAll(async () => {
  sandbox = await startSandbox({ steadyDelayMs: 20 })
  ecs = clients(sandbox, 1).ecs
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

describe('DescribeServices', () => {
  it('returns the EXTERNAL service with full task sets, and tags only when asked', async () => {
    const out = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'mycluster',
        services: ['myservice'],
        include: ['TAGS']
      })
    )
    const service = out.services![0]
    expect(service.serviceArn).toBe(SERVICE_ARN)
    expect(service.status).toBe('ACTIVE')
    expect(service.deploymentController).toEqual({ type: 'EXTERNAL' })
    expect(service.tags).toEqual([{ key: 'StableStack', value: 'Blue' }])
    expect(service.taskSets!.map((ts) => [ts.id, ts.status, ts.stabilityStatus])).toEqual([
      [BLUE_TASK_SET_ID, 'PRIMARY', 'STEADY_STATE'],
      [GREEN_TASK_SET_ID, 'ACTIVE', 'STEADY_STATE']
    ])
    const green = service.taskSets![1]
    expect(green).toMatchObject({
      taskSetArn: `arn:aws:ecs:us-east-1:123456789012:task-set/mycluster/myservice/${GREEN_TASK_SET_ID}`,
      computedDesiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:2',
      scale: { value: 100, unit: 'PERCENT' },
      externalId: 'myservice-green',
      loadBalancers: [
        {
          targetGroupArn: sandbox.world.targetGroups[1].arn,
          containerName: 'app',
          containerPort: 80
        }
      ]
    })
    expect(green.createdAt).toBeInstanceOf(Date)

    const untagged = await ecs.send(
      new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] })
    )
    expect(untagged.services![0].tags).toBeUndefined()
  })

  it('accepts cluster and service ARNs', async () => {
    const out = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/mycluster',
        services: [SERVICE_ARN]
      })
    )
    expect(out.services![0].serviceName).toBe('myservice')
  })

  it('reports a missing service in failures, not as an exception', async () => {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: 'mycluster', services: ['nope'] })
    )
    expect(out.services).toEqual([])
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/mycluster/nope', reason: 'MISSING' }
    ])
  })

  it('raises ClusterNotFoundException for a missing cluster', async () => {
    const err = await rejection(
      ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['myservice'] }))
    )
    expect(err).toBeInstanceOf(ClusterNotFoundException)
  })

  it('shows the rolling-update controller with deployments and no task sets', async () => {
    sandbox.reset('rolling-update')
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] })
    )
    expect(out.services![0].deploymentController).toEqual({ type: 'ECS' })
    expect(out.services![0].taskSets).toBeUndefined()
    expect(out.services![0].deployments).toHaveLength(1)
  })
})

describe('task sets', () => {
  it('DescribeTaskSets by id and ARN, with failures for unknown ones', async () => {
    const out = await ecs.send(
      new DescribeTaskSetsCommand({
        cluster: 'mycluster',
        service: 'myservice',
        taskSets: [BLUE_TASK_SET_ID, sandbox.world.services[0].taskSets[1].arn, 'ecs-svc/0']
      })
    )
    expect(out.taskSets!.map((ts) => ts.id)).toEqual([BLUE_TASK_SET_ID, GREEN_TASK_SET_ID])
    expect(out.failures).toEqual([{ arn: 'ecs-svc/0', reason: 'MISSING' }])
  })

  it('raises ServiceNotFoundException for an unknown service', async () => {
    const err = await rejection(
      ecs.send(new DescribeTaskSetsCommand({ cluster: 'mycluster', service: 'nope' }))
    )
    expect(err).toBeInstanceOf(ServiceNotFoundException)
  })

  it('rejects task set calls on a rolling-update service', async () => {
    sandbox.reset('rolling-update')
    const err = await rejection(
      ecs.send(new DescribeTaskSetsCommand({ cluster: 'mycluster', service: 'myservice' }))
    )
    expect(err).toBeInstanceOf(InvalidParameterException)
  })

  it('UpdateTaskSet changes the scale and starts stabilising', async () => {
    const out = await ecs.send(
      new UpdateTaskSetCommand({
        cluster: 'mycluster',
        service: 'myservice',
        taskSet: GREEN_TASK_SET_ID,
        scale: { value: 50, unit: 'PERCENT' }
      })
    )
    expect(out.taskSet).toMatchObject({
      scale: { value: 50, unit: 'PERCENT' },
      computedDesiredCount: 1,
      stabilityStatus: 'STABILIZING'
    })
  })

  it('UpdateTaskSet rejects an unknown task set and a bad scale', async () => {
    const update = (taskSet: string, value: number) =>
      ecs.send(
        new UpdateTaskSetCommand({
          cluster: 'mycluster',
          service: 'myservice',
          taskSet,
          scale: { value, unit: 'PERCENT' }
        })
      )
    expect(await rejection(update('ecs-svc/0', 50))).toBeInstanceOf(TaskSetNotFoundException)
    expect(await rejection(update(GREEN_TASK_SET_ID, 101))).toBeInstanceOf(
      InvalidParameterException
    )
  })
})

describe('task definitions and clusters', () => {
  it('DescribeTaskDefinition by family:revision, ARN and bare family (latest)', async () => {
    const byRevision = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'myapp:1' })
    )
    expect(byRevision.taskDefinition).toMatchObject({
      family: 'myapp',
      revision: 1,
      containerDefinitions: [{ name: 'app', image: 'myapp:1.0.0' }]
    })
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:2'
      })
    )
    expect(byArn.taskDefinition!.containerDefinitions![0].image).toBe('myapp:1.0.1')
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'myapp' }))
    expect(latest.taskDefinition!.revision).toBe(2)
    const err = await rejection(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'other:1' }))
    )
    expect(err).toBeInstanceOf(ClientException)
  })

  it('DescribeClusters reports found clusters and MISSING ones', async () => {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: ['mycluster', 'nope'] }))
    expect(out.clusters).toMatchObject([
      { clusterName: 'mycluster', status: 'ACTIVE', activeServicesCount: 1, runningTasksCount: 4 }
    ])
    expect(out.failures![0].reason).toBe('MISSING')
  })
})

describe('tags', () => {
  it('tags, lists and untags the service by its long ARN', async () => {
    await ecs.send(
      new TagResourceCommand({
        resourceArn: SERVICE_ARN,
        tags: [
          { key: 'StableStack', value: 'Green' },
          { key: 'Owner', value: 'team' }
        ]
      })
    )
    let out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: SERVICE_ARN }))
    expect(out.tags).toEqual([
      { key: 'StableStack', value: 'Green' },
      { key: 'Owner', value: 'team' }
    ])
    await ecs.send(new UntagResourceCommand({ resourceArn: SERVICE_ARN, tagKeys: ['Owner'] }))
    out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: SERVICE_ARN }))
    expect(out.tags).toEqual([{ key: 'StableStack', value: 'Green' }])
  })

  it('rejects the short service ARN and unknown ARNs with InvalidParameterException', async () => {
    const short = 'arn:aws:ecs:us-east-1:123456789012:service/myservice'
    const tag = (resourceArn: string) =>
      ecs.send(
        new TagResourceCommand({ resourceArn, tags: [{ key: 'StableStack', value: 'Green' }] })
      )
    const shortErr = await rejection(tag(short))
    expect(shortErr).toBeInstanceOf(InvalidParameterException)
    expect(shortErr.message).toMatch(/Long arn format/)
    expect(await rejection(tag(`${SERVICE_ARN}-nope`))).toBeInstanceOf(InvalidParameterException)
    expect(
      await rejection(ecs.send(new ListTagsForResourceCommand({ resourceArn: short })))
    ).toBeInstanceOf(InvalidParameterException)
    expect(sandbox.world.services[0].tags).toEqual([{ key: 'StableStack', value: 'Blue' }])
  })
})
