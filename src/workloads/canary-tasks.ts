import {
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import { awsCall } from '../aws/call.js'
import type { Clock } from '../clock.js'
import { StateError } from '../errors.js'
import { canaryTaskTag, isOwnTask } from './canary-marker.js'

/** Where the canary tasks live and how the action knows them. */
export interface CanaryTaskScope {
  cluster: string
  /** The service's ARN: the value of each canary task's tag. */
  serviceArn: string
  /** `startedBy` of every canary task (canary-marker.ts). */
  marker: string
  tagKey: string
}

/** RunTask takes at most 10 tasks a call. */
const RUN_BATCH = 10

/**
 * The canary tasks of the service: those ListTasks finds by the marker (running or on their way)
 * that carry the action's tag naming this service. A task with the marker but not the tag is
 * someone else's and is left alone.
 */
export async function findCanaryTasks(ecs: ECSClient, scope: CanaryTaskScope): Promise<Task[]> {
  // Stopped ones too: a canary task that died may still have a target in the group.
  const listed = await Promise.all(
    (['RUNNING', 'STOPPED'] as const).map((desiredStatus) => listTasks(ecs, scope, desiredStatus))
  )
  const tasks = await describeTasks(ecs, scope.cluster, listed.flat())
  return tasks.filter((t) => isOwnTask(t.tags, scope.tagKey, scope.serviceArn))
}

async function listTasks(
  ecs: ECSClient,
  scope: CanaryTaskScope,
  desiredStatus: 'RUNNING' | 'STOPPED'
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const page = await awsCall('ecs:ListTasks', () =>
      ecs.send(
        new ListTasksCommand({
          cluster: scope.cluster,
          startedBy: scope.marker,
          desiredStatus,
          ...(nextToken ? { nextToken } : {})
        })
      )
    )
    arns.push(...(page.taskArns ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  return arns
}

/** DescribeTasks with tags, 100 ARNs a call (its limit). */
export async function describeTasks(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[]
): Promise<Task[]> {
  if (arns.length === 0) return []
  const batches: string[][] = []
  for (let i = 0; i < arns.length; i += 100) batches.push(arns.slice(i, i + 100))
  const answers = await Promise.all(
    batches.map((tasks) =>
      awsCall('ecs:DescribeTasks', () =>
        ecs.send(new DescribeTasksCommand({ cluster, tasks, include: ['TAGS'] }))
      )
    )
  )
  return answers.flatMap((a) => a.tasks ?? [])
}

/**
 * RunTask as the service would start a task, pure: its network configuration, launch type or
 * capacity providers and platform version, with the marker and the action's tag.
 */
export function runTaskInput(
  service: Service,
  scope: CanaryTaskScope,
  taskDefinition: string,
  count: number
): RunTaskCommandInput {
  const providers = service.capacityProviderStrategy ?? []
  return {
    cluster: scope.cluster,
    taskDefinition,
    count,
    startedBy: scope.marker,
    ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
    ...(providers.length > 0
      ? { capacityProviderStrategy: providers }
      : service.launchType
        ? { launchType: service.launchType }
        : {}),
    ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
    ...(service.enableECSManagedTags ? { enableECSManagedTags: true } : {}),
    tags: [{ key: canaryTaskTag(scope.tagKey), value: scope.serviceArn }]
  }
}

/** What RunTask could not start, in AWS's words. */
export class RunTaskFailure extends StateError {
  constructor(
    message: string,
    /** The tasks it did start, which the caller stops. */
    readonly started: Task[]
  ) {
    super(message)
  }
}

/** Starts `count` canary tasks; a task ECS could not place fails the call with its reason. */
export async function runCanaryTasks(ecs: ECSClient, input: RunTaskCommandInput): Promise<Task[]> {
  const started: Task[] = []
  for (let left = input.count ?? 1; left > 0; left -= RUN_BATCH) {
    const count = Math.min(left, RUN_BATCH)
    const answer = await awsCall('ecs:RunTask', () =>
      ecs.send(new RunTaskCommand({ ...input, count }))
    ).catch((error: unknown) => {
      throw new RunTaskFailure(error instanceof Error ? error.message : String(error), started)
    })
    started.push(...(answer.tasks ?? []))
    const failures = answer.failures ?? []
    if (failures.length > 0 || (answer.tasks ?? []).length < count) {
      const reasons = failures.map(
        (f) => `${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`
      )
      throw new RunTaskFailure(
        `RunTask started ${started.length} of ${input.count} canary task(s): ${reasons.join('; ') || 'no reason given'}.`,
        started
      )
    }
  }
  return started
}

/** The private IPv4 address of an awsvpc task, once its network interface is attached. */
export function privateIp(task: Task): string | undefined {
  for (const attachment of task.attachments ?? []) {
    const ip = attachment.details?.find((d) => d.name === 'privateIPv4Address')?.value
    if (ip) return ip
  }
  for (const container of task.containers ?? []) {
    const ip = container.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address
    if (ip) return ip
  }
  return undefined
}

/**
 * Waits until every task is RUNNING with a private IP. A task that stops, or the timeout, fails
 * with AWS's reason; the caller stops what was started.
 */
export async function waitForRunning(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  wait: { clock: Clock; timeoutMs: number; pollMs: number; log: (line: string) => void }
): Promise<Task[]> {
  const start = wait.clock.now()
  for (;;) {
    const tasks = await describeTasks(ecs, cluster, arns)
    const stopped = tasks.find((t) => t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED')
    if (stopped) {
      throw new StateError(
        `Canary task ${taskId(stopped)} stopped before it ran: ${stopReason(stopped)}.`
      )
    }
    const waiting = tasks.filter((t) => t.lastStatus !== 'RUNNING' || !privateIp(t))
    if (waiting.length === 0 && tasks.length === arns.length) return tasks
    const left = start + wait.timeoutMs - wait.clock.now()
    if (left <= 0) {
      const states = waiting.map((t) => `${taskId(t)} ${t.lastStatus ?? 'unknown'}`).join(', ')
      throw new StateError(
        `The canary task(s) were not RUNNING with a private IP within ` +
          `${Math.round(wait.timeoutMs / 1000)} s (${states || 'not found'}).`
      )
    }
    wait.log(`Waiting for the canary task(s) to run: ${waiting.map(taskId).join(', ')}`)
    await wait.clock.sleep(Math.min(wait.pollMs, left))
  }
}

/** Stops the tasks (StopTask on a task that has stopped already answers as usual). */
export async function stopTasks(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  reason: string
): Promise<void> {
  await Promise.all(
    arns.map((task) =>
      awsCall('ecs:StopTask', () => ecs.send(new StopTaskCommand({ cluster, task, reason })))
    )
  )
}

/** Why ECS stopped a task, in its words. */
export function stopReason(task: Task): string {
  const container = task.containers?.find((c) => c.exitCode !== undefined && c.exitCode !== 0)
  const exit = container ? `; container ${container.name} exited ${container.exitCode}` : ''
  return `${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${exit}${
    container?.reason ? ` (${container.reason})` : ''
  }`
}

export function taskId(task: Task): string {
  return (task.taskArn ?? '').split('/').pop() ?? ''
}
