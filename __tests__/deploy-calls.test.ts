/**
 * The AWS call sequences of a deploy, against aws-sdk-client-mock: the ECR check and retag, the
 * stack update and its wait, and the task set replacement in order.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type DescribeStacksCommandOutput,
  type StackStatus
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
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type TaskSet
} from '@aws-sdk/client-ecs'
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import { findImage, tagImage } from '../src/aws/ecr.js'
import { promotedImages, tagPromotedImages } from '../src/deploy/promote-tag.js'
import type { AwsClients } from '../src/aws/clients.js'
import type { Clock } from '../src/clock.js'
import { parameterNames } from '../src/deploy/deploy-inputs.js'
import type { ReplaceContext } from '../src/deploy/replacement.js'
import { stackReplacement } from '../src/deploy/stack-path.js'
import { taskSetReplacement } from '../src/deploy/task-set-path.js'
import type { Discovery } from '../src/discover/discover.js'
import { NotFoundError, StateError } from '../src/errors.js'
import type { Workload } from '../src/workloads/workload.js'
import { MemoryLogger } from '../src/logger.js'

const ecr = mockClient(ECRClient)
const ecs = mockClient(ECSClient)
const elb = mockClient(ElasticLoadBalancingV2Client)
const cfn = mockClient(CloudFormationClient)
afterEach(() => {
  ecr.reset()
  ecs.reset()
  elb.reset()
  cfn.reset()
})

const WHERE = { registryId: '123456789012', region: 'us-east-1', repository: 'web' }
const DIGEST = `sha256:${'b'.repeat(64)}`

describe('ECR', () => {
  it('finds the digest of a tag', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['1.2'] }] })
    expect(await findImage(new ECRClient({}), WHERE, { tag: '1.2' })).toEqual({
      digest: DIGEST,
      tags: ['1.2']
    })
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'web',
      imageIds: [{ imageTag: '1.2' }]
    })
  })

  it('a missing tag: names the repository and its most recent tags', async () => {
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: '9' }] })
      .rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }))
      .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
      .resolves({
        imageDetails: [
          { imageTags: ['1.0'], imagePushedAt: new Date(1000) },
          { imageTags: ['1.2'], imagePushedAt: new Date(3000) },
          { imageTags: ['1.1'], imagePushedAt: new Date(2000) }
        ]
      })
    const error = await findImage(new ECRClient({}), WHERE, { tag: '9' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as Error).message).toBe(
      'Image tag 9 is not in ECR repository web (registry 123456789012, us-east-1). Its most ' +
        'recent tags: 1.2, 1.1, 1.0. Push it first, or check "image".'
    )
  })

  it('a missing repository: says so', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'no', $metadata: {} }))
    const error = await findImage(new ECRClient({}), WHERE, { tag: '1' }).catch((e: unknown) => e)
    expect((error as Error).message).toContain(
      'ECR repository web (registry 123456789012, us-east-1) was not found'
    )
  })

  it('retag: BatchGetImage, then PutImage with the same manifest; an existing tag is success', async () => {
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageManifest: '{"m":1}', imageManifestMediaType: 'x' }] })
    ecr.on(PutImageCommand).resolves({})
    expect(await tagImage(new ECRClient({}), WHERE, DIGEST, 'production')).toBe(
      `ECR web: tag production → ${DIGEST}`
    )
    expect(ecr.commandCalls(PutImageCommand)[0].args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'web',
      imageManifest: '{"m":1}',
      imageManifestMediaType: 'x',
      imageTag: 'production',
      imageDigest: DIGEST
    })
    ecr
      .on(PutImageCommand)
      .rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }))
    expect(await tagImage(new ECRClient({}), WHERE, DIGEST, 'production')).toBeUndefined()
  })
})

const SERVICE = 'arn:aws:ecs:us-east-1:123456789012:service/c/s'
const TG = { Blue: 'arn:tg/blue', Green: 'arn:tg/green' }
const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`

function taskSet(
  id: string,
  color: 'Blue' | 'Green',
  td: number,
  extra: Partial<TaskSet> = {}
): TaskSet {
  return {
    id,
    taskSetArn: `arn:ts/${id}`,
    status: 'ACTIVE',
    taskDefinition: TD(td),
    externalId: `s-${color}`,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['sn-1'] } },
    loadBalancers: [{ targetGroupArn: TG[color], containerName: 'app', containerPort: 80 }],
    scale: { unit: 'PERCENT', value: 100 },
    computedDesiredCount: 2,
    runningCount: 2,
    stabilityStatus: 'STEADY_STATE',
    createdAt: new Date(0),
    ...extra
  }
}

function context(taskSets: TaskSet[], extra: Partial<ReplaceContext> = {}): ReplaceContext {
  const unit = (color: 'Blue' | 'Green', td: number) => ({
    unit: {
      color,
      arn: '',
      label: '',
      status: 'ACTIVE',
      stability: 'STEADY_STATE',
      running: 2,
      desired: 2,
      taskDefinitionArn: TD(td)
    },
    targets: { targetGroupArn: TG[color], total: 2, healthy: 2, notHealthy: [] },
    blockers: [],
    retired: false
  })
  const state = {
    service: {
      arn: SERVICE,
      name: 's',
      clusterArn: 'c',
      deploymentController: 'EXTERNAL',
      tags: {},
      taskSets
    },
    stable: 'Blue',
    split: { Blue: 1000, Green: 0 },
    where: { taskSets: {}, targetGroups: TG },
    health: { Blue: unit('Blue', 1), Green: unit('Green', 2) },
    route: { kind: 'listener-rule', id: 'r' }
  } as unknown as Discovery
  let now = 0
  const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) }
  return {
    clients: {
      ecs: new ECSClient({}),
      elb: new ElasticLoadBalancingV2Client({}),
      cfn: async () => new CloudFormationClient({})
    } as unknown as AwsClients,
    cluster: 'c',
    request: { replaceLiveCanary: false, stackParameters: parameterNames('') },
    state,
    workload: {} as Workload,
    stable: 'Blue',
    canary: 'Green',
    split: { Blue: 1000, Green: 0 },
    image: 'web:3',
    clock,
    log: new MemoryLogger(),
    timeoutMs: 60_000,
    pollMs: 1000,
    ...extra
  }
}

const definition = (n: number, image: string) => ({
  taskDefinition: {
    taskDefinitionArn: TD(n),
    family: 'web',
    revision: n,
    status: 'ACTIVE' as const,
    containerDefinitions: [{ name: 'app', image }],
    cpu: '256'
  },
  tags: [{ key: 'team', value: 'pay' }]
})

describe('promote-image-tag', () => {
  const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web'
  /** Runs each write at once and returns its line, as the executor's journal does. */
  const write = (run: () => Promise<string | undefined>) => run()

  it('tags the promoted ECR image; images outside ECR or unreadable are notes, not writes', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['1.2'] }] })
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: '{}' }] })
    ecr.on(PutImageCommand).resolves({})
    const result = await tagPromotedImages(
      [`${REPO}@${DIGEST}`, 'docker.io/library/nginx:1.27', 'not an image!'],
      'production',
      write
    )
    expect(result.writes).toEqual([`ECR web: tag production → ${DIGEST}`])
    expect(result.notes).toEqual([
      'docker.io/library/nginx:1.27 is not in Amazon ECR; not tagged production.',
      'not an image! is not an image reference this action reads; not tagged production.'
    ])
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input.imageIds).toEqual([
      { imageDigest: DIGEST }
    ])
    expect(ecr.commandCalls(PutImageCommand)[0].args[0].input).toMatchObject({
      imageTag: 'production',
      imageDigest: DIGEST
    })
  })

  it('an image the tag names already is left alone: a rerun writes nothing', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['1.2', 'production'] }] })
    const result = await tagPromotedImages([`${REPO}:1.2`], 'production', write)
    expect(result).toEqual({ writes: [], notes: [] })
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0)
  })

  it.each([
    [
      'the image the deploy pinned',
      [`${REPO}@${DIGEST}`, 'sidecar:1'],
      DIGEST,
      [`${REPO}@${DIGEST}`]
    ],
    [
      'every image without a deploy record',
      [`${REPO}:1.2`, 'sidecar:1'],
      undefined,
      [`${REPO}:1.2`, 'sidecar:1']
    ],
    ['every image when the pinned digest is not among them', ['sidecar:1'], DIGEST, ['sidecar:1']]
  ])('promotedImages: %s', (_, images, digest, expected) => {
    expect(promotedImages(images, digest)).toEqual(expected)
  })
})

describe('task set replacement', () => {
  const blue = taskSet('ts-blue', 'Blue', 1)
  const green = taskSet('ts-green', 'Green', 2)

  it('registers from the stable revision, creates a copy, waits, then deletes the old one, in that order', async () => {
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: TD(1) })
      .resolves(definition(1, 'web:1'))
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: TD(2) })
      .resolves(definition(2, 'web:2'))
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD(3) } })
    const fresh = taskSet('ts-new', 'Green', 3, { stabilityStatus: 'STABILIZING', runningCount: 0 })
    ecs.on(CreateTaskSetCommand).resolves({ taskSet: fresh })
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [{ serviceArn: SERVICE, taskSets: [blue, green, fresh] }] })
      .resolves({
        services: [
          {
            serviceArn: SERVICE,
            taskSets: [blue, green, { ...fresh, stabilityStatus: 'STEADY_STATE', runningCount: 2 }]
          }
        ]
      })
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [{ Target: { Id: '10.0.0.1' }, TargetHealth: { State: 'healthy' } }]
    })
    ecs.on(DeleteTaskSetCommand).resolves({})

    const replacement = await taskSetReplacement(context([blue, green]))
    expect(replacement).toMatchObject({ container: 'app', oldImage: 'web:2', newImage: 'web:3' })
    const lines: string[] = []
    const result = await replacement.apply!(async (run) => {
      const line = await run()
      if (line) lines.push(line)
    })
    expect(result).toEqual({ taskDefinitionArn: TD(3) })
    expect(lines).toEqual([
      'task definition web:3 registered (app: web:2 → web:3)',
      'task set ts-new created in Green with web:3',
      'task set ts-green (Green, web:2) deleted'
    ])
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'web:3' }],
      cpu: '256',
      tags: [{ key: 'team', value: 'pay' }]
    })
    expect(ecs.commandCalls(CreateTaskSetCommand)[0].args[0].input).toMatchObject({
      cluster: 'c',
      service: SERVICE,
      taskDefinition: TD(3),
      externalId: 's-Green',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: green.networkConfiguration,
      loadBalancers: green.loadBalancers,
      scale: { unit: 'PERCENT', value: 100 }
    })
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2)
    expect(ecs.commandCalls(DeleteTaskSetCommand)[0].args[0].input.taskSet).toBe('arn:ts/ts-green')
  })

  it('the canary runs the same revision already: nothing to apply', async () => {
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: TD(1) })
      .resolves(definition(1, 'web:1'))
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: TD(2) })
      .resolves(definition(2, 'web:3'))
    const replacement = await taskSetReplacement(context([blue, green]))
    expect(replacement.apply).toBeUndefined()
    expect(replacement.diff).toEqual([])
  })
})

describe('stack update', () => {
  const stack = (status: string, extra = {}): DescribeStacksCommandOutput => ({
    $metadata: {},
    Stacks: [
      {
        StackName: 'st',
        StackId: 'arn:stack/st',
        StackStatus: status as StackStatus,
        CreationTime: new Date(0),
        Capabilities: ['CAPABILITY_IAM' as const],
        Parameters: [
          'BlueImage=web:1',
          'GreenImage=web:2',
          'StableColor=Blue',
          'BlueWeight=100',
          'GreenWeight=0'
        ].map((p) => {
          const [ParameterKey, ParameterValue] = p.split('=')
          return { ParameterKey, ParameterValue }
        }),
        Outputs: [{ OutputKey: 'GreenTaskSet', OutputValue: 'ts-new' }],
        ...extra
      }
    ]
  })

  it('a failed update names the first failed resource, from the events', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolves(stack('UPDATE_ROLLBACK_COMPLETE'))
    cfn.on(UpdateStackCommand).resolves({ StackId: 'arn:stack/st' })
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        {
          StackId: 's',
          EventId: '3',
          StackName: 'st',
          LogicalResourceId: 'st',
          ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
          Timestamp: new Date(3000)
        },
        {
          StackId: 's',
          EventId: '2',
          StackName: 'st',
          LogicalResourceId: 'GreenService',
          ResourceType: 'AWS::ECS::TaskSet',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'second',
          Timestamp: new Date(2000)
        },
        {
          StackId: 's',
          EventId: '1',
          StackName: 'st',
          LogicalResourceId: 'GreenTaskDefinition',
          ResourceType: 'AWS::ECS::TaskDefinition',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'first',
          Timestamp: new Date(1000)
        }
      ]
    })
    const replacement = await stackReplacement(context([], { stackName: 'st' }))
    expect(replacement.diff).toEqual(['stack st: GreenImage: web:2 → web:3'])
    const error = await replacement.apply!(async (run) => void (await run())).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(StateError)
    expect((error as Error).message).toBe(
      'The update of stack "st" failed: it is UPDATE_ROLLBACK_COMPLETE; the first failure was ' +
        'GreenTaskDefinition (AWS::ECS::TaskDefinition): first.'
    )
    expect(cfn.commandCalls(UpdateStackCommand)[0].args[0].input).toMatchObject({
      StackName: 'st',
      UsePreviousTemplate: true,
      Capabilities: ['CAPABILITY_IAM']
    })
  })

  it('a stack being updated now is refused, naming its status', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS'))
    const error = await stackReplacement(context([], { stackName: 'st' })).catch((e: unknown) => e)
    expect((error as Error).message).toContain('Stack "st" is UPDATE_IN_PROGRESS')
    expect(cfn.commandCalls(UpdateStackCommand)).toHaveLength(0)
  })

  it('the image in place already: nothing to apply', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'))
    const replacement = await stackReplacement(context([], { stackName: 'st', image: 'web:2' }))
    expect(replacement.apply).toBeUndefined()
  })
})
