/**
 * ECS task operations: RunTask, StopTask, DescribeTasks, ListTasks. RunTask answers a placement
 * failure in `failures` (not as an error), as ECS does; the task lifecycle is sandbox/tasks.ts.
 */
import { epochSeconds } from '../protocols/json.js'
import { launch, tasksOf } from '../tasks.js'
import { ecsArn, type TaskDefinitionState, type TaskState, type World } from '../world.js'
import {
  cluster,
  findRevision,
  includesTags,
  invalid,
  nameOf,
  required,
  tagList,
  tagsOut,
  type Input
} from './ecs-common.js'
import { AwsError, optString, stringList, type Handler } from './service.js'

const STARTED_BY = /^[A-Za-z0-9_/-]{1,128}$/

/** The task definition's network mode; the default world's revisions are awsvpc. */
function networkMode(td: TaskDefinitionState): string {
  if (!td.definition) return 'awsvpc'
  return typeof td.definition.networkMode === 'string' ? td.definition.networkMode : 'bridge'
}

interface AwsvpcConfiguration {
  subnets?: unknown
  securityGroups?: unknown
  assignPublicIp?: unknown
}

/** The subnets of an awsvpc task's network configuration, checked as ECS checks them. */
function awsvpcSubnets(input: Input, mode: string): string[] | undefined {
  const config = (input.networkConfiguration as { awsvpcConfiguration?: AwsvpcConfiguration })
    ?.awsvpcConfiguration
  if (mode !== 'awsvpc') {
    if (config) {
      throw invalid(
        'Network Configuration is not valid for the given networkMode of this task definition.'
      )
    }
    return undefined
  }
  if (!config) {
    throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
  }
  const subnets = config.subnets
  if (!Array.isArray(subnets) || subnets.length === 0) {
    throw invalid('subnets can not be empty.')
  }
  if (subnets.length > 16) throw invalid('subnets can have at most 16 items.')
  for (const subnet of subnets) {
    if (typeof subnet !== 'string' || !/^subnet-[0-9a-f]{8,17}$/.test(subnet)) {
      throw invalid(`Error retrieving subnet information for [${String(subnet)}]: subnet not found`)
    }
  }
  const groups = config.securityGroups ?? []
  if (!Array.isArray(groups) || groups.length > 5) {
    throw invalid('securityGroups can have at most 5 items.')
  }
  for (const group of groups) {
    if (typeof group !== 'string' || !/^sg-[0-9a-f]{8,17}$/.test(group)) {
      throw invalid(`Error retrieving security group information for [${String(group)}]`)
    }
  }
  const publicIp = config.assignPublicIp
  if (publicIp !== undefined && publicIp !== 'ENABLED' && publicIp !== 'DISABLED') {
    throw invalid('assignPublicIp must be ENABLED or DISABLED.')
  }
  return subnets as string[]
}

function runTask(input: Input, { world, sim, now }: Parameters<Handler>[1]) {
  const c = cluster(world, optString(input, 'cluster'))
  const ref = required(input, 'taskDefinition')
  const td = findRevision(world, ref)
  if (!td) throw invalid('TaskDefinition not found.')
  if (td.status !== 'ACTIVE') throw invalid('TaskDefinition is inactive')
  const count = input.count ?? 1
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10) {
    throw invalid('count must be between 1 and 10.')
  }
  const startedBy = optString(input, 'startedBy')
  if (startedBy !== undefined && !STARTED_BY.test(startedBy)) {
    throw invalid(
      'startedBy may contain up to 128 letters, numbers, hyphens, forward slashes and underscores.'
    )
  }
  const launchType = optString(input, 'launchType')
  const strategy = input.capacityProviderStrategy as { capacityProvider?: string }[] | undefined
  if (launchType && strategy && strategy.length > 0) {
    throw invalid(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.'
    )
  }
  if (launchType && !['EC2', 'FARGATE', 'EXTERNAL'].includes(launchType)) {
    throw invalid(`launchType must be one of EC2, FARGATE, EXTERNAL.`)
  }
  const mode = networkMode(td)
  if (launchType === 'FARGATE' && mode !== 'awsvpc') {
    throw invalid('Fargate only supports network mode ‘awsvpc’.')
  }
  const subnets = awsvpcSubnets(input, mode)
  const tags = input.tags === undefined ? [] : tagList(input)
  if (tags.length > 50) throw invalid('Tags can have at most 50 items.')
  const clientToken = optString(input, 'clientToken')
  if (clientToken && clientToken.length > 64) {
    throw invalid('clientToken can have at most 64 characters.')
  }
  // The same token within the retention window answers the same tasks.
  const again = clientToken && tasksOf(world).filter((t) => t.clientToken === clientToken)
  if (again && again.length > 0) {
    return { tasks: again.map((t) => taskOut(world, t, true)), failures: [] }
  }
  const failure = world.runTaskFailure
  if (failure) {
    if (failure.remaining !== undefined) {
      failure.remaining -= 1
      if (failure.remaining <= 0) delete world.runTaskFailure
    }
    return {
      tasks: [],
      failures: [
        {
          arn: ecsArn(
            world.region,
            world.accountId,
            `container-instance/${c.name}/${'0'.repeat(32)}`
          ),
          reason: failure.reason,
          ...(failure.detail ? { detail: failure.detail } : {})
        }
      ]
    }
  }
  const tasks = Array.from({ length: count }, (_, i) =>
    launch(
      world,
      sim,
      {
        clusterName: c.name,
        taskDefinition: td.arn,
        group: optString(input, 'group') ?? `family:${td.family}`,
        startedBy,
        launchType: strategy && strategy.length > 0 ? undefined : launchType,
        capacityProviderName: strategy?.[0]?.capacityProvider,
        platformVersion: optString(input, 'platformVersion'),
        subnetId: subnets?.[i % subnets.length],
        tags,
        clientToken
      },
      now
    )
  )
  return { tasks: tasks.map((t) => taskOut(world, t, true)), failures: [] }
}

/** A task as DescribeTasks answers it. */
function taskOut(world: World, t: TaskState, withTags: boolean) {
  const td = world.taskDefinitions.find((d) => d.arn === t.taskDefinition)
  const stopped = t.lastStatus === 'STOPPED'
  const attachment = t.eni && {
    id: t.eni.attachmentId,
    type: 'ElasticNetworkInterface',
    status: stopped ? 'DELETED' : t.lastStatus === 'PROVISIONING' ? 'PRECREATED' : 'ATTACHED',
    details: [
      { name: 'subnetId', value: t.eni.subnetId },
      ...(t.privateIp
        ? [
            { name: 'networkInterfaceId', value: t.eni.id },
            { name: 'macAddress', value: t.eni.mac },
            {
              name: 'privateDnsName',
              value: `ip-${t.privateIp.replaceAll('.', '-')}.ec2.internal`
            },
            { name: 'privateIPv4Address', value: t.privateIp }
          ]
        : [])
    ]
  }
  const definition = td?.definition as { cpu?: string; memory?: string } | undefined
  return {
    taskArn: t.arn,
    clusterArn: ecsArn(world.region, world.accountId, `cluster/${t.clusterName}`),
    taskDefinitionArn: t.taskDefinition,
    group: t.group,
    ...(t.startedBy ? { startedBy: t.startedBy } : {}),
    version: ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED'].indexOf(t.lastStatus) + 1,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    healthStatus: 'UNKNOWN',
    ...(t.capacityProviderName
      ? { capacityProviderName: t.capacityProviderName }
      : { launchType: t.launchType ?? 'FARGATE' }),
    platformVersion: t.platformVersion,
    platformFamily: 'Linux',
    cpu: definition?.cpu ?? '256',
    memory: definition?.memory ?? '512',
    availabilityZone: t.availabilityZone,
    connectivity: 'CONNECTED',
    connectivityAt: epochSeconds(t.createdAt),
    createdAt: epochSeconds(t.createdAt),
    ...(t.startedAt
      ? { pullStartedAt: epochSeconds(t.startedAt), startedAt: epochSeconds(t.startedAt) }
      : {}),
    ...(t.stoppingAt ? { stoppingAt: epochSeconds(t.stoppingAt) } : {}),
    ...(t.stoppedAt
      ? { stoppedAt: epochSeconds(t.stoppedAt), executionStoppedAt: epochSeconds(t.stoppedAt) }
      : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    attachments: attachment ? [attachment] : [],
    containers: (td?.containers ?? []).map((container, i) => ({
      containerArn: ecsArn(
        world.region,
        world.accountId,
        `container/${t.clusterName}/${t.id}/${container.name}`
      ),
      taskArn: t.arn,
      name: container.name,
      image: container.image,
      lastStatus: t.lastStatus === 'PROVISIONING' ? 'PENDING' : t.lastStatus,
      ...(stopped && i === 0 && t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
      ...(stopped && i === 0 && t.containerReason ? { reason: t.containerReason } : {}),
      ...(stopped && i > 0 ? { exitCode: 143 } : {}),
      networkInterfaces: t.privateIp
        ? [{ attachmentId: t.eni!.attachmentId, privateIpv4Address: t.privateIp }]
        : [],
      healthStatus: 'UNKNOWN',
      cpu: '0'
    })),
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    enableExecuteCommand: false,
    ephemeralStorage: { sizeInGiB: 20 },
    ...(withTags ? { tags: tagsOut(t.tags) } : {})
  }
}

/** A task of the cluster by ARN or id. */
function findTask(world: World, clusterName: string, ref: string): TaskState | undefined {
  const id = nameOf(ref)
  return tasksOf(world).find((t) => t.clusterName === clusterName && (t.arn === ref || t.id === id))
}

export const taskOperations: Record<string, Handler> = {
  RunTask: runTask,

  /** Desired status STOPPED at once; the task is STOPPED (UserInitiated) after half the delay. */
  StopTask: (input, { world, sim, now }) => {
    const c = cluster(world, optString(input, 'cluster'))
    const task = findTask(world, c.name, required(input, 'task'))
    if (!task) throw invalid('The referenced task was not found.')
    const reason = optString(input, 'reason')
    if (reason && reason.length > 255) throw invalid('reason can have at most 255 characters.')
    if (task.desiredStatus === 'RUNNING') {
      task.desiredStatus = 'STOPPED'
      task.stoppingAt = now
      task.stopCode = 'UserInitiated'
      task.stoppedReason = reason ?? 'Task stopped by user'
      task.exitCode = 143
      sim.after(Math.max(1, Math.round(sim.steadyDelayMs / 2)), () => {
        task.lastStatus = 'STOPPED'
        task.stoppedAt = Date.now()
      })
    }
    return { task: taskOut(world, task, false) }
  },

  DescribeTasks: (input, { world }) => {
    const c = cluster(world, optString(input, 'cluster'))
    const refs = stringList(input, 'tasks')
    if (!refs || refs.length === 0) throw invalid('Tasks cannot be empty.')
    if (refs.length > 100) throw invalid('tasks can have at most 100 items.')
    const tasks = []
    const failures = []
    for (const ref of refs) {
      const task = findTask(world, c.name, ref)
      if (task) tasks.push(taskOut(world, task, includesTags(input)))
      else {
        const arn = ref.startsWith('arn:')
          ? ref
          : ecsArn(world.region, world.accountId, `task/${c.name}/${ref}`)
        failures.push({ arn, reason: 'MISSING' })
      }
    }
    return { tasks, failures }
  },

  /** Newest first; the default desired status is RUNNING; stopped tasks stay listable. */
  ListTasks: (input, { world }) => {
    const c = cluster(world, optString(input, 'cluster'))
    const startedBy = optString(input, 'startedBy')
    const family = optString(input, 'family')
    const serviceName = optString(input, 'serviceName')
    if (startedBy && (family || serviceName)) {
      throw invalid('When you specify startedBy as the filter, it must be the only filter.')
    }
    const desired = optString(input, 'desiredStatus') ?? 'RUNNING'
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desired)) {
      throw invalid('desiredStatus must be one of RUNNING, PENDING, STOPPED.')
    }
    if (
      serviceName &&
      !world.services.some((s) => s.clusterName === c.name && s.name === nameOf(serviceName))
    ) {
      throw new AwsError('ServiceNotFoundException', 'Service not found.')
    }
    const maxResults = input.maxResults ?? 100
    if (typeof maxResults !== 'number' || maxResults < 1 || maxResults > 100) {
      throw invalid('maxResults must be between 1 and 100.')
    }
    const launchType = optString(input, 'launchType')
    const arns = tasksOf(world)
      .filter(
        (t) =>
          t.clusterName === c.name &&
          t.desiredStatus === desired &&
          (!startedBy || t.startedBy === startedBy) &&
          (!family || t.taskDefinition.split('/').pop()!.split(':')[0] === family) &&
          (!serviceName || t.serviceName === nameOf(serviceName)) &&
          (!launchType || t.launchType === launchType)
      )
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((t) => t.arn)
    const token = optString(input, 'nextToken')
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0
    if (!Number.isInteger(start) || start < 0 || start > arns.length) {
      throw invalid('Invalid nextToken.')
    }
    const page = arns.slice(start, start + maxResults)
    const next = start + maxResults
    return {
      taskArns: page,
      ...(next < arns.length ? { nextToken: Buffer.from(String(next)).toString('base64') } : {})
    }
  }
}
