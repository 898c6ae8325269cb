/**
 * The sandbox operations a deploy uses, through the real SDK clients: ECR's image reads and
 * retag, ECS's revisions and task sets, CloudFormation's UpdateStack with the previous template.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand
} from '@aws-sdk/client-cloudformation'
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  PutImageCommand,
  RepositoryNotFoundException
} from '@aws-sdk/client-ecr'
import {
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  TaskSetNotFoundException
} from '@aws-sdk/client-ecs'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { findService, findTargetGroup } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let ecr: ECRClient
let aws: ReturnType<typeof clients>

beforeAll(async () => {
  sandbox = await startSandbox({ steadyDelayMs: 400 })
  aws = clients(sandbox, 1)
  ecr = new ECRClient({
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1
  })
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('ECR', () => {
  it('DescribeImages finds a tag; its digest is the sha256 of the manifest BatchGetImage returns', async () => {
    const out = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'myapp', imageIds: [{ imageTag: '1.0.2' }] })
    )
    const detail = out.imageDetails![0]
    expect(detail.imageTags).toEqual(['1.0.2'])
    expect(detail.imagePushedAt).toBeInstanceOf(Date)
    const got = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'myapp',
        imageIds: [{ imageDigest: detail.imageDigest }]
      })
    )
    const { createHash } = await import('node:crypto')
    const manifest = got.images![0].imageManifest!
    expect(`sha256:${createHash('sha256').update(manifest).digest('hex')}`).toBe(detail.imageDigest)
  })

  it('missing image and repository: the SDK classes', async () => {
    const image = await rejection(
      ecr.send(
        new DescribeImagesCommand({ repositoryName: 'myapp', imageIds: [{ imageTag: 'x' }] })
      )
    )
    expect(image).toBeInstanceOf(ImageNotFoundException)
    const repo = await rejection(ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })))
    expect(repo).toBeInstanceOf(RepositoryNotFoundException)
  })

  it('PutImage adds a tag to the manifest; again is ImageAlreadyExistsException', async () => {
    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'myapp', imageIds: [{ imageTag: '1.0.1' }] })
    )
    const digest = described.imageDetails![0].imageDigest!
    const got = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'myapp', imageIds: [{ imageDigest: digest }] })
    )
    const put = () =>
      ecr.send(
        new PutImageCommand({
          repositoryName: 'myapp',
          imageManifest: got.images![0].imageManifest,
          imageTag: 'production',
          imageDigest: digest
        })
      )
    await put()
    const tagged = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'myapp', imageIds: [{ imageTag: 'production' }] })
    )
    expect(tagged.imageDetails![0]).toMatchObject({
      imageDigest: digest,
      imageTags: ['1.0.1', 'production']
    })
    expect(await rejection(put())).toBeInstanceOf(ImageAlreadyExistsException)
  })
})

describe('ECS revisions and task sets', () => {
  it('RegisterTaskDefinition gives the next revision; DescribeTaskDefinition returns it as given', async () => {
    const registered = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'myapp',
        containerDefinitions: [
          { name: 'app', image: 'myapp:2.0', environment: [{ name: 'A', value: '1' }] }
        ],
        cpu: '256',
        tags: [{ key: 'team', value: 'pay' }]
      })
    )
    expect(registered.taskDefinition?.taskDefinitionArn).toMatch(/task-definition\/myapp:3$/)
    const described = await aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'myapp:3', include: ['TAGS'] })
    )
    expect(described.taskDefinition).toMatchObject({
      family: 'myapp',
      revision: 3,
      status: 'ACTIVE',
      cpu: '256',
      containerDefinitions: [
        { name: 'app', image: 'myapp:2.0', environment: [{ name: 'A', value: '1' }] }
      ]
    })
    expect(described.tags).toEqual([{ key: 'team', value: 'pay' }])
  })

  it('CreateTaskSet: stabilizing, then steady with its tasks in the target group; DeleteTaskSet removes them', async () => {
    const green = findTargetGroup(sandbox.world, 'green-tg')!
    const input = {
      cluster: 'mycluster',
      service: 'myservice',
      taskDefinition: 'myapp:1',
      loadBalancers: [{ targetGroupArn: green.arn, containerName: 'app', containerPort: 80 }],
      scale: { unit: 'PERCENT' as const, value: 100 },
      clientToken: 'token-1'
    }
    const created = await aws.ecs.send(new CreateTaskSetCommand(input))
    expect(created.taskSet).toMatchObject({ stabilityStatus: 'STABILIZING', runningCount: 0 })
    const again = await aws.ecs.send(new CreateTaskSetCommand(input))
    expect(again.taskSet?.id).toBe(created.taskSet?.id)
    expect(green.targets).toHaveLength(2)
    await sleep(1000)
    const ts = findService(sandbox.world)!.taskSets.find((t) => t.id === created.taskSet?.id)!
    expect(ts).toMatchObject({ stabilityStatus: 'STEADY_STATE', runningCount: 2 })
    expect(green.targets).toHaveLength(4)
    await aws.ecs.send(
      new DeleteTaskSetCommand({ cluster: 'mycluster', service: 'myservice', taskSet: ts.arn })
    )
    expect(green.targets).toHaveLength(2)
    const gone = await rejection(
      aws.ecs.send(
        new DeleteTaskSetCommand({ cluster: 'mycluster', service: 'myservice', taskSet: ts.arn })
      )
    )
    expect(gone).toBeInstanceOf(TaskSetNotFoundException)
  })
})

describe('CloudFormation UpdateStack', () => {
  const update = (
    parameters: { ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }[]
  ) =>
    aws.cfn.send(
      new UpdateStackCommand({
        StackName: 'myservice-canary',
        UsePreviousTemplate: true,
        Parameters: parameters,
        Capabilities: ['CAPABILITY_IAM']
      })
    )

  it('a new GreenImage replaces the Green task set and its output once UPDATE_COMPLETE', async () => {
    const before = sandbox.world.stacks[0].outputs.find(
      (o) => o.OutputKey === 'GreenTaskSet'
    )!.OutputValue
    await update([{ ParameterKey: 'GreenImage', ParameterValue: 'myapp:9' }])
    const stack = async () =>
      (await aws.cfn.send(new DescribeStacksCommand({ StackName: 'myservice-canary' }))).Stacks![0]
    expect((await stack()).StackStatus).toBe('UPDATE_IN_PROGRESS')
    expect(
      await rejection(update([{ ParameterKey: 'GreenImage', ParameterValue: 'myapp:10' }]))
    ).toMatchObject({
      message: expect.stringContaining('UPDATE_IN_PROGRESS state and can not be updated')
    })
    await sleep(1000)
    const done = await stack()
    expect(done.StackStatus).toBe('UPDATE_COMPLETE')
    const after = done.Outputs!.find((o) => o.OutputKey === 'GreenTaskSet')!.OutputValue
    expect(after).not.toBe(before)
    expect(done.Parameters).toContainEqual({
      ParameterKey: 'GreenImage',
      ParameterValue: 'myapp:9'
    })
    const ts = findService(sandbox.world)!.taskSets.find((t) => t.id === after)!
    const td = sandbox.world.taskDefinitions.find((d) => d.arn === ts.taskDefinition)!
    expect(td.containers[0].image).toBe('myapp:9')
    const events = await aws.cfn.send(
      new DescribeStackEventsCommand({ StackName: 'myservice-canary' })
    )
    expect(events.StackEvents![0]).toMatchObject({
      LogicalResourceId: 'myservice-canary',
      ResourceStatus: 'UPDATE_COMPLETE'
    })
  })

  it('refuses no change, unknown parameters and missing capabilities', async () => {
    expect(
      await rejection(update([{ ParameterKey: 'GreenImage', UsePreviousValue: true }]))
    ).toMatchObject({
      message: 'No updates are to be performed.'
    })
    expect(await rejection(update([{ ParameterKey: 'Nope', ParameterValue: 'x' }]))).toMatchObject({
      message: expect.stringContaining('[Nope] do not exist')
    })
    const noCaps = await rejection(
      aws.cfn.send(
        new UpdateStackCommand({
          StackName: 'myservice-canary',
          UsePreviousTemplate: true,
          Parameters: [{ ParameterKey: 'GreenImage', ParameterValue: 'x:1' }]
        })
      )
    )
    expect(noCaps.name).toBe('InsufficientCapabilitiesException')
  })
})
