/**
 * ECS tasks, started by RunTask or by a service's deployment. RunTask's go PROVISIONING → PENDING
 * → RUNNING on the simulation's timers, each step half the steady delay; their ENI has a subnet
 * and an id at once and a private IP from PENDING on, as Fargate's does. A service's tasks start
 * RUNNING when its deployment settles. A task stops by StopTask, by a deployment replacing it, or
 * by itself (the `stop-task` mutation); a stopped task stays in the world (listable as STOPPED).
 */
import { randomBytes } from 'node:crypto'
import type { SimulationTimers } from './timers.js'
import { ecsArn, type ServiceState, type TaskState, type World } from './world.js'

/** The subnets tasks land in when no network configuration names any. */
export const DEFAULT_SUBNETS = ['subnet-0a1b2c3d', 'subnet-4e5f6a7b']
export const DEFAULT_SECURITY_GROUP = 'sg-0123456789abcdef0'

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

export interface NewTask {
  clusterName: string
  taskDefinition: string
  group: string
  startedBy?: string
  serviceName?: string
  launchType?: string
  capacityProviderName?: string
  platformVersion?: string
  /** awsvpc tasks: the subnet their ENI is in. Absent: no ENI (bridge or host networking). */
  subnetId?: string
  tags?: TaskState['tags']
  clientToken?: string
}

/** A task record, PROVISIONING, with no IP yet. */
export function newTask(world: World, fields: NewTask, now: number): TaskState {
  const id = hex(16)
  const subnets = fields.subnetId ? [fields.subnetId] : DEFAULT_SUBNETS
  const zone = `${world.region}${subnets[0].charCodeAt(subnets[0].length - 1) % 2 === 0 ? 'b' : 'a'}`
  const task: TaskState = {
    arn: ecsArn(world.region, world.accountId, `task/${fields.clusterName}/${id}`),
    id,
    clusterName: fields.clusterName,
    taskDefinition: fields.taskDefinition,
    group: fields.group,
    ...(fields.startedBy ? { startedBy: fields.startedBy } : {}),
    ...(fields.serviceName ? { serviceName: fields.serviceName } : {}),
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    ...(fields.capacityProviderName
      ? { capacityProviderName: fields.capacityProviderName }
      : { launchType: fields.launchType ?? 'FARGATE' }),
    platformVersion: fields.platformVersion ?? '1.4.0',
    ...(fields.subnetId
      ? {
          eni: {
            attachmentId: `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
            id: `eni-${hex(8).slice(0, 17)}`,
            subnetId: fields.subnetId,
            mac: `0a:${hex(5).match(/../g)!.join(':')}`
          }
        }
      : {}),
    availabilityZone: zone,
    createdAt: now,
    tags: fields.tags ?? [],
    ...(fields.clientToken ? { clientToken: fields.clientToken } : {})
  }
  ;(world.tasks ??= []).push(task)
  return task
}

/** The next private IP: 10.1.x.y, unique in the world. */
function nextIp(world: World): string {
  const n = world.taskCounter ?? 0
  world.taskCounter = n + 1
  return `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`
}

/** PENDING: the ENI is attached and has its private IP. */
export function toPending(world: World, task: TaskState): void {
  task.lastStatus = 'PENDING'
  if (task.eni && !task.privateIp) task.privateIp = nextIp(world)
}

export function toRunning(world: World, task: TaskState, now: number): void {
  if (task.lastStatus === 'PROVISIONING') toPending(world, task)
  task.lastStatus = 'RUNNING'
  task.startedAt = now
}

/** RunTask's task: PROVISIONING now, PENDING and RUNNING later, unless stopped first. */
export function launch(
  world: World,
  sim: SimulationTimers,
  fields: NewTask,
  now: number
): TaskState {
  const task = newTask(world, fields, now)
  const step = Math.max(1, Math.round(sim.steadyDelayMs / 2))
  sim.after(step, () => {
    if (task.desiredStatus !== 'RUNNING') return
    toPending(sim.world(), task)
    sim.after(step, () => {
      if (task.desiredStatus === 'RUNNING') toRunning(sim.world(), task, Date.now())
    })
  })
  return task
}

export interface StopCause {
  stopCode: NonNullable<TaskState['stopCode']>
  stoppedReason: string
  exitCode?: number
  containerReason?: string
}

/** Stopped at once: lastStatus and desiredStatus STOPPED, with the cause ECS reports. */
export function stopNow(task: TaskState, cause: StopCause, now: number): void {
  task.desiredStatus = 'STOPPED'
  task.lastStatus = 'STOPPED'
  task.stoppingAt ??= now
  task.stoppedAt = now
  task.stopCode ??= cause.stopCode
  task.stoppedReason ??= cause.stoppedReason
  if (cause.exitCode !== undefined) task.exitCode ??= cause.exitCode
  if (cause.containerReason) task.containerReason ??= cause.containerReason
}

/** Why a task stopped by itself, as the `stop-task` mutation names it. */
export const SELF_STOPS = {
  oom: {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 137,
    containerReason: 'OutOfMemoryError: Container killed due to memory usage'
  },
  exit: {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 1
  },
  'failed-to-start': {
    stopCode: 'TaskFailedToStart',
    stoppedReason:
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref: not found',
    containerReason: 'CannotPullContainerError: failed to resolve ref: not found'
  }
} satisfies Record<string, StopCause>

export type SelfStop = keyof typeof SELF_STOPS

/** Tasks in the world, stopped ones included. */
export const tasksOf = (world: World): TaskState[] => world.tasks ?? []

/** The task whose ENI has this IP and is not stopped, else the latest one that had it. */
export function taskAt(world: World, ip: string): TaskState | undefined {
  const holders = tasksOf(world).filter((t) => t.privateIp === ip)
  return holders.find((t) => t.lastStatus !== 'STOPPED') ?? holders.at(-1)
}

/** A service's subnets, from its network configuration (else the default ones). */
export function serviceSubnets(service: ServiceState): string[] {
  const config = service.networkConfiguration as
    { awsvpcConfiguration?: { subnets?: string[] } } | undefined
  const subnets = config?.awsvpcConfiguration?.subnets
  return subnets && subnets.length > 0 ? subnets : DEFAULT_SUBNETS
}

/**
 * Makes a service's running tasks match its deployments: each deployment runs `runningCount`
 * tasks of its task definition, started by its id; tasks of a deployment that is gone, or beyond
 * the count, stop (ServiceSchedulerInitiated). New tasks run at once (the deployment's delay has
 * passed when this is called).
 */
export function syncServiceTasks(world: World, service: ServiceState, now: number): void {
  const deployments = service.deployments ?? []
  const mine = tasksOf(world).filter(
    (t) =>
      t.serviceName === service.name &&
      t.clusterName === service.clusterName &&
      t.desiredStatus === 'RUNNING'
  )
  const subnets = serviceSubnets(service)
  for (const task of mine) {
    const deployment = deployments.find((d) => d.id === task.startedBy)
    if (deployment && deployment.status !== 'INACTIVE') continue
    stopNow(task, replaced(task.startedBy), now)
  }
  for (const deployment of deployments) {
    if (deployment.status === 'INACTIVE') continue
    const running = mine.filter(
      (t) => t.startedBy === deployment.id && t.desiredStatus === 'RUNNING'
    )
    for (const extra of running.slice(deployment.runningCount)) {
      stopNow(extra, replaced(deployment.id), now)
    }
    for (let i = running.length; i < deployment.runningCount; i++) {
      const capacity = (service.capacityProviderStrategy as { capacityProvider?: string }[])?.[0]
      const task = newTask(
        world,
        {
          clusterName: service.clusterName,
          taskDefinition: deployment.taskDefinition,
          group: `service:${service.name}`,
          startedBy: deployment.id,
          serviceName: service.name,
          launchType: service.launchType,
          capacityProviderName: capacity?.capacityProvider,
          platformVersion: service.platformVersion,
          subnetId: subnets[i % subnets.length]
        },
        now
      )
      toRunning(world, task, now)
    }
  }
}

const replaced = (deploymentId: string | undefined): StopCause => ({
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: `Scaling activity initiated by (deployment ${deploymentId ?? 'unknown'})`
})
