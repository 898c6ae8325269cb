import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type RunTaskCommandInput,
  type Service,
  type Task,
  type TaskDefinition
} from '@aws-sdk/client-ecs'
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import type { AwsClients } from '../src/aws/clients.js'

/**
 * An in-memory rolling (ECS controller) service with one target group, for the standalone canary
 * tests: RunTask starts tasks that run at once with a private IP, targets become healthy when
 * registered and drain for one read when deregistered, UpdateService completes at once (or fails
 * as `rollout` says). Reads after writes see the writes, as on AWS.
 */
export const RARN = {
  cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
  service: 'arn:aws:ecs:us-east-1:123456789012:service/c/web',
  tg: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/1111',
  td: (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`
}

export interface RollingWorld {
  service: Service
  tags: Record<string, string>
  definitions: Map<string, TaskDefinition>
  tasks: Task[]
  targets: { Id: string; Port: number; State: string }[]
  targetType: string
  networkMode: string
  /** What UpdateService's rollout ends in. */
  rollout: 'COMPLETED' | 'FAILED' | 'CIRCUIT_BREAKER'
  /** RunTask answers with these failures and starts one task fewer. */
  runFailure?: string
  /** Tasks RunTask starts do not get an IP (never leave PROVISIONING). */
  noIp?: boolean
  /** How many DescribeServices reads a rollout stays IN_PROGRESS before it ends (0: at once). */
  rolloutReads?: number
}

export function rollingWorld(over: Partial<RollingWorld> = {}): RollingWorld {
  const definitions = new Map<string, TaskDefinition>()
  definitions.set(RARN.td(1), definition(1, 'web:1.0'))
  return {
    service: {
      serviceArn: RARN.service,
      serviceName: 'web',
      clusterArn: RARN.cluster,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      deploymentController: { type: 'ECS' },
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: RARN.td(1),
      loadBalancers: [{ targetGroupArn: RARN.tg, containerName: 'web', containerPort: 8080 }],
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] }
      },
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: RARN.td(1) }]
    },
    tags: {},
    definitions,
    tasks: [],
    targets: [
      { Id: '10.0.0.1', Port: 8080, State: 'healthy' },
      { Id: '10.0.0.2', Port: 8080, State: 'healthy' }
    ],
    targetType: 'ip',
    networkMode: 'awsvpc',
    rollout: 'COMPLETED',
    ...over
  }
}

function definition(revision: number, image: string): TaskDefinition {
  return {
    taskDefinitionArn: RARN.td(revision),
    family: 'web',
    revision,
    networkMode: 'awsvpc',
    containerDefinitions: [{ name: 'web', image }]
  }
}

export interface MockRolling {
  world: RollingWorld
  clients: AwsClients
  calls(): string[]
  writes(): string[]
  restore(): void
}

const WRITES = /^(Tag|Untag|Update|Register|Deregister|Run|Stop)/

export function mockRolling(world: RollingWorld = rollingWorld()): MockRolling {
  const ecs = mockClient(ECSClient)
  const elb = mockClient(ElasticLoadBalancingV2Client)
  const log: string[] = []
  const record = (name: string) => log.push(name)
  let ip = 10

  let rolloutLeft = 0
  ecs.on(DescribeServicesCommand).callsFake(() => {
    record('DescribeServices')
    const primary = world.service.deployments?.[0]
    if (primary?.rolloutState === 'IN_PROGRESS' && world.rollout !== 'CIRCUIT_BREAKER') {
      if (rolloutLeft > 0) rolloutLeft -= 1
      else primary.rolloutState = world.rollout
    }
    return {
      services: [
        {
          ...world.service,
          tags: Object.entries(world.tags).map(([key, value]) => ({ key, value }))
        }
      ]
    }
  })
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input) => {
    record('DescribeTaskDefinition')
    const ref = String(input.taskDefinition)
    const found = [...world.definitions.values()].find(
      (d) => d.taskDefinitionArn === ref || `${d.family}:${d.revision}` === ref.split('/').pop()
    )
    if (!found)
      throw Object.assign(new Error('Unable to describe task definition.'), {
        name: 'ClientException'
      })
    return { taskDefinition: { ...found, networkMode: world.networkMode }, tags: [] }
  })
  ecs.on(RegisterTaskDefinitionCommand).callsFake((input) => {
    record('RegisterTaskDefinition')
    const revision = world.definitions.size + 1
    const td = { ...input, taskDefinitionArn: RARN.td(revision), revision } as TaskDefinition
    world.definitions.set(RARN.td(revision), td)
    return { taskDefinition: td }
  })
  ecs.on(ListTasksCommand).callsFake((input) => {
    record('ListTasks')
    const wanted = input.desiredStatus ?? 'RUNNING'
    return {
      taskArns: world.tasks
        .filter((t) => t.startedBy === input.startedBy && t.desiredStatus === wanted)
        .map((t) => t.taskArn)
    }
  })
  ecs.on(DescribeTasksCommand).callsFake((input) => {
    record('DescribeTasks')
    return { tasks: world.tasks.filter((t) => input.tasks?.includes(t.taskArn ?? '')) }
  })
  ecs.on(RunTaskCommand).callsFake((input: RunTaskCommandInput) => {
    record('RunTask')
    const count = (input.count ?? 1) - (world.runFailure ? 1 : 0)
    const started: Task[] = []
    for (let i = 0; i < count; i += 1) {
      const arn = `${RARN.cluster.replace(':cluster/', ':task/')}/t${world.tasks.length + 1}`
      const task: Task = {
        taskArn: arn,
        taskDefinitionArn: input.taskDefinition,
        startedBy: input.startedBy,
        lastStatus: world.noIp ? 'PROVISIONING' : 'RUNNING',
        desiredStatus: 'RUNNING',
        tags: input.tags,
        attachments: world.noIp
          ? []
          : [
              {
                type: 'ElasticNetworkInterface',
                details: [{ name: 'privateIPv4Address', value: `10.0.1.${ip++}` }]
              }
            ]
      }
      world.tasks.push(task)
      started.push(task)
    }
    return {
      tasks: started,
      failures: world.runFailure ? [{ reason: world.runFailure }] : []
    }
  })
  ecs.on(StopTaskCommand).callsFake((input) => {
    record('StopTask')
    const task = world.tasks.find((t) => t.taskArn === input.task)
    if (task)
      Object.assign(task, {
        desiredStatus: 'STOPPED',
        lastStatus: 'STOPPED',
        stoppedReason: input.reason
      })
    return { task }
  })
  ecs.on(UpdateServiceCommand).callsFake((input) => {
    record('UpdateService')
    const previous = world.service.taskDefinition ?? ''
    const wanted = String(input.taskDefinition)
    const arn = wanted.startsWith('arn:') ? wanted : RARN.td(Number(wanted.split(':').pop()))
    world.service.taskDefinition = arn
    world.service.deployments =
      world.rollout === 'CIRCUIT_BREAKER'
        ? [
            { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: previous },
            {
              status: 'ACTIVE',
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
              taskDefinition: arn
            }
          ]
        : [
            {
              status: 'PRIMARY',
              rolloutState: world.rolloutReads ? 'IN_PROGRESS' : world.rollout,
              taskDefinition: arn
            }
          ]
    rolloutLeft = world.rolloutReads ?? 0
    return { service: world.service }
  })
  ecs.on(TagResourceCommand).callsFake((input) => {
    record('TagResource')
    for (const tag of input.tags ?? []) world.tags[tag.key ?? ''] = tag.value ?? ''
    return {}
  })
  ecs.on(UntagResourceCommand).callsFake((input) => {
    record('UntagResource')
    for (const key of input.tagKeys ?? []) delete world.tags[key]
    return {}
  })
  ecs.on(ListTagsForResourceCommand).callsFake(() => {
    record('ListTagsForResource')
    return { tags: Object.entries(world.tags).map(([key, value]) => ({ key, value })) }
  })

  elb.on(DescribeTargetHealthCommand).callsFake(() => {
    record('DescribeTargetHealth')
    const answer = world.targets.map((t) => ({
      Target: { Id: t.Id, Port: t.Port },
      TargetHealth: { State: t.State }
    }))
    // A draining target is gone at the next read.
    world.targets = world.targets.filter((t) => t.State !== 'draining')
    return { TargetHealthDescriptions: answer }
  })
  elb.on(RegisterTargetsCommand).callsFake((input) => {
    record('RegisterTargets')
    for (const t of input.Targets ?? []) {
      if (!world.targets.some((x) => x.Id === t.Id && x.Port === t.Port)) {
        world.targets.push({ Id: t.Id ?? '', Port: t.Port ?? 0, State: 'healthy' })
      }
    }
    return {}
  })
  elb.on(DeregisterTargetsCommand).callsFake((input) => {
    record('DeregisterTargets')
    for (const t of input.Targets ?? []) {
      const found = world.targets.find((x) => x.Id === t.Id && x.Port === t.Port)
      if (found) found.State = 'draining'
    }
    return {}
  })
  elb.on(DescribeTargetGroupsCommand).callsFake(() => {
    record('DescribeTargetGroups')
    return { TargetGroups: [{ TargetGroupArn: RARN.tg, TargetType: world.targetType }] }
  })
  elb.on(DescribeTargetGroupAttributesCommand).callsFake(() => {
    record('DescribeTargetGroupAttributes')
    return { Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }
  })

  const clients: AwsClients = {
    ecs: new ECSClient({ region: 'us-east-1' }),
    elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    cfn: () => Promise.reject(new Error('no stack in the rolling world')),
    cloudwatch: () => Promise.reject(new Error('no alarms in the rolling world'))
  }
  return {
    world,
    clients,
    calls: () => [...log],
    writes: () => log.filter((name) => WRITES.test(name)),
    restore: () => {
      ecs.restore()
      elb.restore()
    }
  }
}
