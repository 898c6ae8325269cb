/**
 * Amazon ECS (awsJson1_1, target prefix AmazonEC2ContainerServiceV20141113): the operations a
 * blue/green task-set deployment reads and writes, with ECS's own answers for missing things —
 * a missing cluster is an exception, missing services and task sets are `failures` entries.
 */
import { epochSeconds } from '../protocols/json.js'
import { deploymentsOf } from '../rolling.js'
import { syncTargets } from '../simulation.js'
import type { Simulation } from '../simulation.js'
import { DEFAULT_SECURITY_GROUP, DEFAULT_SUBNETS } from '../tasks.js'
import { taskOperations } from './ecs-tasks.js'
import {
  ecsArn,
  type ServiceState,
  type Tag,
  type TaskDefinitionState,
  type TaskSetState,
  type World
} from '../world.js'
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
import { AwsError, optString, stringList, type ServiceModule } from './service.js'

export { findRevision }

/** Accepts a name, the long ARN (service/CLUSTER/NAME) or the old short ARN (service/NAME). */
function findService(world: World, clusterName: string, ref: string): ServiceState | undefined {
  return world.services.find(
    (s) =>
      s.clusterName === clusterName && (s.name === ref || s.arn === ref || nameOf(ref) === s.name)
  )
}

function activeService(world: World, input: Input): ServiceState {
  const clusterName = cluster(world, optString(input, 'cluster')).name
  const service = findService(world, clusterName, required(input, 'service'))
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  if (service.status !== 'ACTIVE') {
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
  }
  if (service.deploymentController !== 'EXTERNAL') {
    throw invalid(
      'Amazon ECS only supports task set management on services configured to use external deployment controllers.'
    )
  }
  return service
}

function taskSetOut(world: World, service: ServiceState, ts: TaskSetState, withTags: boolean) {
  return {
    id: ts.id,
    taskSetArn: ts.arn,
    serviceArn: service.arn,
    clusterArn: ecsArn(world.region, world.accountId, `cluster/${service.clusterName}`),
    externalId: ts.externalId,
    status: ts.status,
    taskDefinition: ts.taskDefinition,
    computedDesiredCount: ts.computedDesiredCount,
    pendingCount: ts.pendingCount,
    runningCount: ts.runningCount,
    createdAt: epochSeconds(ts.createdAt),
    updatedAt: epochSeconds(ts.updatedAt),
    ...(ts.capacityProviderStrategy
      ? { capacityProviderStrategy: ts.capacityProviderStrategy }
      : { launchType: ts.launchType ?? 'FARGATE' }),
    platformVersion: ts.platformVersion ?? '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: ts.networkConfiguration ?? {
      awsvpcConfiguration: {
        subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroups: ['sg-0123456789abcdef0'],
        assignPublicIp: 'DISABLED'
      }
    },
    loadBalancers: ts.loadBalancers,
    serviceRegistries: [],
    scale: ts.scale,
    stabilityStatus: ts.stabilityStatus,
    stabilityStatusAt: epochSeconds(ts.stabilityStatusAt),
    ...(withTags ? { tags: [] } : {})
  }
}

function serviceOut(world: World, s: ServiceState, withTags: boolean) {
  const taskSets = s.taskSets.map((ts) => taskSetOut(world, s, ts, false))
  const sum = (key: 'runningCount' | 'pendingCount') => s.taskSets.reduce((n, ts) => n + ts[key], 0)
  const rolling = s.deploymentController === 'ECS'
  const placement = rolling ? rollingPlacement(s) : { launchType: 'FARGATE' }
  return {
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: ecsArn(world.region, world.accountId, `cluster/${s.clusterName}`),
    loadBalancers: rolling ? (s.loadBalancers ?? []) : [],
    serviceRegistries: [],
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: rolling ? (s.runningCount ?? s.desiredCount) : sum('runningCount'),
    pendingCount: rolling ? 0 : sum('pendingCount'),
    ...placement,
    ...(s.taskDefinition ? { taskDefinition: s.taskDefinition } : {}),
    // Task sets exist only under the EXTERNAL (and CODE_DEPLOY) controllers; ECS has deployments.
    ...(rolling ? {} : { taskSets }),
    deployments: rolling
      ? deploymentsOf(s).map((d) => ({
          id: d.id,
          status: d.status,
          taskDefinition: d.taskDefinition,
          desiredCount: d.desiredCount,
          pendingCount: 0,
          runningCount: d.runningCount,
          failedTasks: d.failedTasks,
          createdAt: epochSeconds(d.createdAt),
          updatedAt: epochSeconds(d.updatedAt),
          ...placement,
          rolloutState: d.rolloutState,
          rolloutStateReason: d.rolloutStateReason
        }))
      : [],
    ...(rolling
      ? {
          deploymentConfiguration: {
            deploymentCircuitBreaker: { enable: true, rollback: true },
            maximumPercent: 200,
            minimumHealthyPercent: 100
          }
        }
      : {}),
    events: (s.events ?? []).map((e) => ({
      id: e.id,
      createdAt: epochSeconds(e.createdAt),
      message: e.message
    })),
    createdAt: epochSeconds(s.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: s.deploymentController },
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    ...(withTags ? { tags: tagsOut(s.tags) } : {})
  }
}

/** Where a service of the ECS controller runs its tasks, as DescribeServices reports it. */
function rollingPlacement(s: ServiceState) {
  return {
    ...(s.capacityProviderStrategy
      ? { capacityProviderStrategy: s.capacityProviderStrategy }
      : { launchType: s.launchType ?? 'FARGATE' }),
    platformVersion: s.platformVersion ?? 'LATEST',
    platformFamily: 'Linux',
    networkConfiguration: s.networkConfiguration ?? {
      awsvpcConfiguration: {
        subnets: DEFAULT_SUBNETS,
        securityGroups: [DEFAULT_SECURITY_GROUP],
        assignPublicIp: 'DISABLED'
      }
    }
  }
}

/** Tagging needs the long ARN form: AWS rejects the short service/NAME form outright. */
function taggable(world: World, arn: string): { tags: Tag[] } {
  const isShortServiceArn = /^arn:aws:ecs:[^:]+:\d+:service\/[^/]+$/.test(arn)
  if (isShortServiceArn) throw invalid('Long arn format must be used for tagging operations')
  const resource =
    world.services.find((s) => s.arn === arn) ??
    world.clusters.find((c) => c.arn === arn) ??
    world.taskDefinitions.find((td) => td.arn === arn)
  if (!resource) throw invalid('The specified resource is not valid.')
  return resource
}

export const ecs: ServiceModule = {
  name: 'ecs',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations: {
    DescribeClusters: (input, { world }) => {
      const refs = stringList(input, 'clusters') ?? ['default']
      const clusters = []
      const failures = []
      for (const ref of refs) {
        const c = world.clusters.find((x) => x.name === nameOf(ref))
        if (!c) {
          failures.push({
            arn: ecsArn(world.region, world.accountId, `cluster/${nameOf(ref)}`),
            reason: 'MISSING'
          })
          continue
        }
        const services = world.services.filter(
          (s) => s.clusterName === c.name && s.status === 'ACTIVE'
        )
        clusters.push({
          clusterArn: c.arn,
          clusterName: c.name,
          status: c.status,
          registeredContainerInstancesCount: 0,
          runningTasksCount:
            services.flatMap((s) => s.taskSets).reduce((n, ts) => n + ts.runningCount, 0) +
            (world.tasks ?? []).filter(
              (t) => t.clusterName === c.name && t.lastStatus === 'RUNNING'
            ).length,
          pendingTasksCount: (world.tasks ?? []).filter(
            (t) => t.clusterName === c.name && ['PROVISIONING', 'PENDING'].includes(t.lastStatus)
          ).length,
          activeServicesCount: services.length,
          statistics: [],
          settings: [{ name: 'containerInsights', value: 'disabled' }],
          capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
          defaultCapacityProviderStrategy: [],
          ...(includesTags(input) ? { tags: tagsOut(c.tags) } : {})
        })
      }
      return { clusters, failures }
    },

    DescribeServices: (input, { world }) => {
      const refs = stringList(input, 'services')
      if (!refs || refs.length === 0) throw invalid('Services cannot be empty.')
      if (refs.length > 10) throw invalid('services can have at most 10 items.')
      const c = cluster(world, optString(input, 'cluster'))
      const services = []
      const failures = []
      for (const ref of refs) {
        const s = findService(world, c.name, ref)
        if (s) services.push(serviceOut(world, s, includesTags(input)))
        else {
          const arn = ref.startsWith('arn:')
            ? ref
            : ecsArn(world.region, world.accountId, `service/${c.name}/${ref}`)
          failures.push({ arn, reason: 'MISSING' })
        }
      }
      return { services, failures }
    },

    /**
     * Desired count and task definition of a service. Under the ECS controller the change starts a
     * deployment (IN_PROGRESS until steady); task sets of other controllers follow the new count.
     */
    UpdateService: (input, { world, sim, now }) => {
      const clusterName = cluster(world, optString(input, 'cluster')).name
      const service = findService(world, clusterName, required(input, 'service'))
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
      if (service.status !== 'ACTIVE') {
        throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
      }
      const desired = input.desiredCount
      if (desired !== undefined) {
        if (typeof desired !== 'number' || !Number.isInteger(desired) || desired < 0) {
          throw invalid('desiredCount must be a whole number of 0 or more.')
        }
        service.desiredCount = desired
      }
      const taskDefinition = optString(input, 'taskDefinition')
      let changed: string | undefined
      if (taskDefinition) {
        if (service.deploymentController !== 'ECS') {
          throw invalid(
            'Cannot update the task definition of a service that uses an external deployment controller.'
          )
        }
        const found = world.taskDefinitions.find(
          (td) => td.arn === taskDefinition || `${td.family}:${td.revision}` === taskDefinition
        )
        if (!found) throw new AwsError('ClientException', 'TaskDefinition not found.')
        changed = found.arn
      }
      const force = input.forceNewDeployment === true
      if (service.deploymentController === 'ECS') {
        sim.serviceChanged(service, { taskDefinition: changed, force }, now)
      } else for (const ts of service.taskSets) sim.taskSetChanged(service, ts)
      return { service: serviceOut(world, service, false) }
    },

    DescribeTaskSets: (input, { world }) => {
      const service = activeService(world, input)
      const refs = stringList(input, 'taskSets')
      const withTags = includesTags(input)
      if (!refs || refs.length === 0) {
        return {
          taskSets: service.taskSets.map((ts) => taskSetOut(world, service, ts, withTags)),
          failures: []
        }
      }
      const taskSets = []
      const failures = []
      for (const ref of refs) {
        const ts = service.taskSets.find((t) => t.id === ref || t.arn === ref)
        if (ts) taskSets.push(taskSetOut(world, service, ts, withTags))
        else failures.push({ arn: ref, reason: 'MISSING' })
      }
      return { taskSets, failures }
    },

    UpdateTaskSet: (input, { world, sim, now }) => {
      const service = activeService(world, input)
      const ref = required(input, 'taskSet')
      const scale = input.scale as { value?: unknown; unit?: unknown } | undefined
      if (typeof scale?.value !== 'number' || scale.value < 0 || scale.value > 100) {
        throw invalid('Scale value must be between 0 and 100.')
      }
      if (scale.unit !== undefined && scale.unit !== 'PERCENT')
        throw invalid('Scale unit must be PERCENT.')
      const ts = service.taskSets.find((t) => t.id === ref || t.arn === ref)
      if (!ts)
        throw new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.')
      ts.scale = { value: scale.value, unit: 'PERCENT' }
      sim.taskSetChanged(service, ts, now)
      return { taskSet: taskSetOut(world, service, ts, false) }
    },

    DescribeTaskDefinition: (input, { world }) => {
      const ref = required(input, 'taskDefinition')
      const [family, revision] = nameOf(ref).split(':')
      const candidates = world.taskDefinitions.filter(
        (td) =>
          td.family === family &&
          (revision ? td.revision === Number(revision) : td.status === 'ACTIVE')
      )
      // A bare family means its latest ACTIVE revision.
      const td = candidates.sort((a, b) => b.revision - a.revision)[0]
      if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.')
      if (td.definition) {
        return {
          taskDefinition: {
            ...td.definition,
            taskDefinitionArn: td.arn,
            family: td.family,
            revision: td.revision,
            status: td.status,
            requiresAttributes: [],
            compatibilities: ['EC2', 'FARGATE'],
            registeredAt: epochSeconds(td.registeredAt),
            registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/session'
          },
          ...(includesTags(input) ? { tags: tagsOut(td.tags) } : {})
        }
      }
      return {
        taskDefinition: {
          taskDefinitionArn: td.arn,
          family: td.family,
          revision: td.revision,
          status: td.status,
          containerDefinitions: td.containers.map((c) => ({
            name: c.name,
            image: c.image,
            cpu: 0,
            essential: true,
            portMappings: [{ containerPort: c.port, hostPort: c.port, protocol: 'tcp' }],
            environment: [],
            mountPoints: [],
            volumesFrom: []
          })),
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          compatibilities: ['EC2', 'FARGATE'],
          cpu: '256',
          memory: '512',
          volumes: [],
          placementConstraints: [],
          registeredAt: epochSeconds(td.registeredAt)
        },
        ...(includesTags(input) ? { tags: tagsOut(td.tags) } : {})
      }
    },

    RegisterTaskDefinition: (input, { world, now }) => {
      const td = registerRevision(world, input, now)
      return {
        taskDefinition: { ...td.definition, taskDefinitionArn: td.arn, revision: td.revision },
        tags: tagsOut(td.tags)
      }
    },

    CreateTaskSet: (input, { world, sim, now }) => {
      const service = activeService(world, input)
      const again = optString(input, 'clientToken')
      const existing = again && service.taskSets.find((t) => t.clientToken === again)
      if (existing) return { taskSet: taskSetOut(world, service, existing, false) }
      const reference = required(input, 'taskDefinition')
      const td = findRevision(world, reference)
      if (!td) throw new AwsError('ClientException', 'TaskDefinition not found.')
      const scale = input.scale as { value?: number } | undefined
      const ts = addTaskSet(
        world,
        sim,
        service,
        {
          taskDefinition: td.arn,
          externalId: optString(input, 'externalId'),
          loadBalancers: (input.loadBalancers ?? []) as TaskSetState['loadBalancers'],
          scale: typeof scale?.value === 'number' ? scale.value : 100,
          launchType: optString(input, 'launchType'),
          capacityProviderStrategy: input.capacityProviderStrategy as unknown[] | undefined,
          platformVersion: optString(input, 'platformVersion'),
          networkConfiguration: input.networkConfiguration,
          clientToken: again
        },
        now
      )
      return { taskSet: taskSetOut(world, service, ts, false) }
    },

    DeleteTaskSet: (input, { world }) => {
      const service = activeService(world, input)
      const ref = required(input, 'taskSet')
      const ts = service.taskSets.find((t) => t.id === ref || t.arn === ref)
      if (!ts) {
        throw new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.')
      }
      const out = taskSetOut(world, service, { ...ts, status: 'DRAINING' }, false)
      removeTaskSet(world, service, ts)
      return { taskSet: out }
    },

    ...taskOperations,

    ListTagsForResource: (input, { world }) => {
      return { tags: tagsOut(taggable(world, required(input, 'resourceArn')).tags) }
    },

    TagResource: (input, { world }) => {
      const resource = taggable(world, required(input, 'resourceArn'))
      for (const tag of tagList(input)) {
        const existing = resource.tags.find((t) => t.key === tag.key)
        if (existing) existing.value = tag.value
        else resource.tags.push(tag)
      }
      return {}
    },

    UntagResource: (input, { world }) => {
      const resource = taggable(world, required(input, 'resourceArn'))
      const keys = stringList(input, 'tagKeys')
      if (!keys) throw invalid('tagKeys must not be null')
      resource.tags = resource.tags.filter((t) => !keys.includes(t.key))
      return {}
    }
  }
}

/** RegisterTaskDefinition: the family's next revision, keeping the input as it was given. */
export function registerRevision(world: World, input: Input, now: number): TaskDefinitionState {
  const family = required(input, 'family')
  const containers = input.containerDefinitions
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new AwsError('ClientException', 'Container list cannot be empty.')
  }
  for (const key of ['taskDefinitionArn', 'revision', 'status', 'registeredAt']) {
    if (key in input) {
      throw new AwsError('ClientException', `Unknown parameter in input: "${key}"`)
    }
  }
  const revision =
    world.taskDefinitions
      .filter((td) => td.family === family)
      .reduce((max, td) => Math.max(max, td.revision), 0) + 1
  const { tags, ...definition } = input
  const td: TaskDefinitionState = {
    family,
    revision,
    arn: ecsArn(world.region, world.accountId, `task-definition/${family}:${revision}`),
    status: 'ACTIVE',
    containers: (
      containers as { name?: string; image?: string; portMappings?: { containerPort?: number }[] }[]
    ).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      port: c.portMappings?.[0]?.containerPort ?? 80
    })),
    tags: Array.isArray(tags) ? tagList({ tags }) : [],
    registeredAt: now,
    definition
  }
  world.taskDefinitions.push(td)
  return td
}

let taskSetCounter = 0

/** A new task set: STABILIZING, its tasks start and register in its target groups after the delay. */
export function addTaskSet(
  world: World,
  sim: Simulation,
  service: ServiceState,
  fields: {
    taskDefinition: string
    externalId?: string
    loadBalancers: TaskSetState['loadBalancers']
    scale: number
    launchType?: string
    capacityProviderStrategy?: unknown[]
    platformVersion?: string
    networkConfiguration?: unknown
    clientToken?: string
  },
  now: number
): TaskSetState {
  taskSetCounter += 1
  const digits = `${now.toFixed(0)}${String(taskSetCounter).padStart(6, '0')}`.slice(-19)
  const id = `ecs-svc/${digits.padStart(19, '1')}`
  const ts: TaskSetState = {
    id,
    arn: ecsArn(
      world.region,
      world.accountId,
      `task-set/${service.clusterName}/${service.name}/${id}`
    ),
    ...(fields.externalId ? { externalId: fields.externalId } : {}),
    status: 'ACTIVE',
    taskDefinition: fields.taskDefinition,
    scale: { value: fields.scale, unit: 'PERCENT' },
    computedDesiredCount: 0,
    runningCount: 0,
    pendingCount: 0,
    stabilityStatus: 'STABILIZING',
    stabilityStatusAt: now,
    loadBalancers: fields.loadBalancers,
    createdAt: now,
    updatedAt: now,
    ...(fields.launchType ? { launchType: fields.launchType } : {}),
    ...(fields.capacityProviderStrategy
      ? { capacityProviderStrategy: fields.capacityProviderStrategy }
      : {}),
    ...(fields.platformVersion ? { platformVersion: fields.platformVersion } : {}),
    ...(fields.networkConfiguration ? { networkConfiguration: fields.networkConfiguration } : {}),
    ...(fields.clientToken ? { clientToken: fields.clientToken } : {})
  }
  service.taskSets.push(ts)
  sim.taskSetChanged(service, ts, now)
  return ts
}

/** Deletes a task set: its tasks stop and leave their target groups at once. */
export function removeTaskSet(world: World, service: ServiceState, ts: TaskSetState): void {
  service.taskSets = service.taskSets.filter((t) => t !== ts)
  syncTargets(world)
}
