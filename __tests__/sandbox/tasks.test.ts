/** RunTask, StopTask, DescribeTasks and ListTasks against the `rolling` world, with the real SDK. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  ClusterNotFoundException,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task
} from '@aws-sdk/client-ecs'
import { applyMutation } from '../../sandbox/mutations.js'
import { ROLLING_SECURITY_GROUP, ROLLING_SUBNETS } from '../../sandbox/rolling-world.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients, control, rejection } from './clients.js'

let sandbox: Sandbox
let ecs: ReturnType<typeof clients>['ecs']

const network = {
  awsvpcConfiguration: {
    subnets: ROLLING_SUBNETS,
    securityGroups: [ROLLING_SECURITY_GROUP],
    assignPublicIp: 'DISABLED' as const
  }
}
const run = (extra: Partial<ConstructorParameters<typeof RunTaskCommand>[0]> = {}) =>
  ecs.send(
    new RunTaskCommand({
      cluster: 'mycluster',
      taskDefinition: 'webapp:1',
      launchType: 'FARGATE',
      networkConfiguration: network,
      startedBy: 'canary-1',
      ...extra
    })
  )
const describeTask = async (arn: string): Promise<Task> =>
  (await ecs.send(new DescribeTasksCommand({ cluster: 'mycluster', tasks: [arn] }))).tasks![0]

/** Polls `read` until `done` holds (or about 2 s pass), returning the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    value = await read()
  }
  return value
}

const ipOf = (task: Task) =>
  task.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value

beforeAll(async () => {
  sandbox = await startSandbox({ world: 'rolling', steadyDelayMs: 60 })
  ecs = clients(sandbox, 1).ecs
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

describe('RunTask', () => {
  it('starts PROVISIONING without an IP; the IP appears at PENDING and the task runs later', async () => {
    const out = await run({ tags: [{ key: 'canary', value: 'web' }] })
    expect(out.failures).toEqual([])
    const task = out.tasks![0]
    expect(task).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: 'canary-1',
      group: 'family:webapp',
      launchType: 'FARGATE',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/webapp:1'
    })
    expect(task.taskArn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:task\/mycluster\/[0-9a-f]{32}$/
    )
    expect(task.attachments![0]).toMatchObject({
      type: 'ElasticNetworkInterface',
      status: 'PRECREATED'
    })
    expect(ipOf(task)).toBeUndefined()

    const running = await until(
      () => describeTask(task.taskArn!),
      (t) => t.lastStatus === 'RUNNING'
    )
    const ip = ipOf(running)
    expect(ip).toMatch(/^10\.1\.\d+\.\d+$/)
    const details = Object.fromEntries(
      running.attachments![0].details!.map((d) => [d.name, d.value])
    )
    expect(ROLLING_SUBNETS).toContain(details.subnetId)
    expect(details.networkInterfaceId).toMatch(/^eni-[0-9a-f]+$/)
    expect(running.containers![0]).toMatchObject({
      name: 'web',
      networkInterfaces: [{ privateIpv4Address: ip }]
    })
    expect(running.startedAt).toBeInstanceOf(Date)
    expect(running.tags).toBeUndefined()
    const tagged = await ecs.send(
      new DescribeTasksCommand({ cluster: 'mycluster', tasks: [task.taskArn!], include: ['TAGS'] })
    )
    expect(tagged.tasks![0].tags).toEqual([{ key: 'canary', value: 'web' }])
  })

  it('starts count tasks and answers the same tasks again for the same clientToken', async () => {
    const first = await run({ count: 3, clientToken: 'token-1' })
    expect(first.tasks).toHaveLength(3)
    const again = await run({ count: 3, clientToken: 'token-1' })
    expect(again.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn))
    expect(sandbox.world.tasks!.filter((t) => t.startedBy === 'canary-1')).toHaveLength(3)
  })

  it.each([
    [
      'no network configuration for awsvpc',
      { networkConfiguration: undefined },
      /Network Configuration must be provided/
    ],
    [
      'empty subnets',
      { networkConfiguration: { awsvpcConfiguration: { subnets: [] } } },
      /subnets/
    ],
    [
      'a malformed subnet',
      { networkConfiguration: { awsvpcConfiguration: { subnets: ['nope'] } } },
      /subnet/
    ],
    ['count 0', { count: 0 }, /count/],
    ['count 11', { count: 11 }, /count/],
    ['startedBy over 128 characters', { startedBy: 'x'.repeat(129) }, /startedBy/],
    ['startedBy with a colon', { startedBy: 'canary:1' }, /startedBy/],
    [
      'a launch type and a capacity provider strategy',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] },
      /both/
    ],
    ['an unknown task definition', { taskDefinition: 'nope:1' }, /TaskDefinition not found/]
  ])('refuses %s with InvalidParameterException', async (_name, extra, message) => {
    const error = await rejection(
      run(extra as Partial<ConstructorParameters<typeof RunTaskCommand>[0]>)
    )
    expect(error).toBeInstanceOf(InvalidParameterException)
    expect(error.message).toMatch(message)
    expect(sandbox.world.tasks!.filter((t) => !t.serviceName)).toEqual([])
  })

  it('refuses a network configuration for a bridge task definition', async () => {
    sandbox.world.taskDefinitions.push({
      ...structuredClone(sandbox.world.taskDefinitions.at(-1)!),
      family: 'bridged',
      revision: 1,
      arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/bridged:1',
      definition: { family: 'bridged', containerDefinitions: [] }
    })
    const error = await rejection(run({ taskDefinition: 'bridged:1', launchType: 'EC2' }))
    expect(error).toBeInstanceOf(InvalidParameterException)
    expect(error.message).toMatch(/not valid for the given networkMode/)
    const out = await run({
      taskDefinition: 'bridged:1',
      launchType: 'EC2',
      networkConfiguration: undefined
    })
    expect(out.tasks![0].attachments).toEqual([])
  })

  it('answers a missing cluster with ClusterNotFoundException', async () => {
    expect(await rejection(run({ cluster: 'nope' }))).toBeInstanceOf(ClusterNotFoundException)
  })

  it('answers a capacity failure in failures, for as many calls as set', async () => {
    const { status } = await control(sandbox, 'POST', 'set-run-task-failure', {
      reason: 'RESOURCE:MEMORY',
      count: 1
    })
    expect(status).toBe(200)
    const failed = await run()
    expect(failed.tasks).toEqual([])
    expect(failed.failures).toEqual([
      { arn: expect.stringContaining(':container-instance/mycluster/'), reason: 'RESOURCE:MEMORY' }
    ])
    expect((await run()).tasks).toHaveLength(1)
  })
})

describe('StopTask and tasks that stop by themselves', () => {
  it('stops a task (UserInitiated) that stays listable as STOPPED', async () => {
    const task = (await run()).tasks![0]
    await until(
      () => describeTask(task.taskArn!),
      (t) => t.lastStatus === 'RUNNING'
    )
    const stopping = await ecs.send(
      new StopTaskCommand({
        cluster: 'mycluster',
        task: task.taskArn!,
        reason: 'canary rolled back'
      })
    )
    expect(stopping.task).toMatchObject({ desiredStatus: 'STOPPED', lastStatus: 'RUNNING' })
    const stopped = await until(
      () => describeTask(task.taskArn!),
      (t) => t.lastStatus === 'STOPPED'
    )
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'canary rolled back'
    })
    expect(stopped.containers![0].exitCode).toBe(143)
    const list = (desiredStatus: 'RUNNING' | 'STOPPED') =>
      ecs.send(new ListTasksCommand({ cluster: 'mycluster', startedBy: 'canary-1', desiredStatus }))
    expect((await list('RUNNING')).taskArns).toEqual([])
    expect((await list('STOPPED')).taskArns).toEqual([task.taskArn])
  })

  it('refuses an unknown task', async () => {
    const error = await rejection(
      ecs.send(new StopTaskCommand({ cluster: 'mycluster', task: 'f'.repeat(32) }))
    )
    expect(error).toBeInstanceOf(InvalidParameterException)
  })

  it('stop-task: an OOM kill shows as EssentialContainerExited with the container reason', async () => {
    const task = (await run()).tasks![0]
    await until(
      () => describeTask(task.taskArn!),
      (t) => t.lastStatus === 'RUNNING'
    )
    sandbox.schedule(10, { type: 'stop-task', startedBy: 'canary' })
    const stopped = await until(
      () => describeTask(task.taskArn!),
      (t) => t.lastStatus === 'STOPPED'
    )
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited'
    })
    expect(stopped.containers![0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage'
    })
    // The service's own tasks keep running.
    expect(
      sandbox.world.tasks!.filter((t) => t.serviceName && t.lastStatus === 'RUNNING')
    ).toHaveLength(2)
  })

  it('stop-task with no match is accepted (it may be scheduled before the task exists), an unknown task id is not', () => {
    expect(() =>
      applyMutation(sandbox.world, { type: 'stop-task', startedBy: 'nothing' })
    ).not.toThrow()
    expect(() => applyMutation(sandbox.world, { type: 'stop-task', task: 'nope' })).toThrow(
      /no task/
    )
    expect(() =>
      applyMutation(sandbox.world, { type: 'stop-task', cause: 'bogus' as 'oom' })
    ).toThrow(/cause/)
  })
})

describe('DescribeTasks and ListTasks', () => {
  it('lists the service tasks (startedBy ecs-svc/…) with their IPs, and pages', async () => {
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'mycluster', serviceName: 'web' })
    )
    expect(taskArns).toHaveLength(2)
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'mycluster', tasks: taskArns })
    )
    for (const task of tasks!) {
      expect(task).toMatchObject({ lastStatus: 'RUNNING', group: 'service:web' })
      expect(task.startedBy).toMatch(/^ecs-svc\/\d{19}$/)
    }
    const ips = tasks!.map(ipOf).sort()
    const targets = sandbox.world.targetGroups[0].targets.map((t) => t.id).sort()
    expect(targets).toEqual(ips)

    await run({ count: 3, startedBy: 'pager' })
    const first = await ecs.send(new ListTasksCommand({ cluster: 'mycluster', maxResults: 2 }))
    expect(first.taskArns).toHaveLength(2)
    const rest = await ecs.send(
      new ListTasksCommand({ cluster: 'mycluster', maxResults: 2, nextToken: first.nextToken })
    )
    const last = await ecs.send(
      new ListTasksCommand({ cluster: 'mycluster', maxResults: 2, nextToken: rest.nextToken })
    )
    expect(last.nextToken).toBeUndefined()
    expect(new Set([...first.taskArns!, ...rest.taskArns!, ...last.taskArns!]).size).toBe(5)
    const family = await ecs.send(new ListTasksCommand({ cluster: 'mycluster', family: 'webapp' }))
    expect(family.taskArns).toHaveLength(5)
  })

  it('puts unknown tasks in failures (MISSING) and refuses startedBy with another filter', async () => {
    const arn = `arn:aws:ecs:us-east-1:123456789012:task/mycluster/${'a'.repeat(32)}`
    const out = await ecs.send(new DescribeTasksCommand({ cluster: 'mycluster', tasks: [arn] }))
    expect(out).toMatchObject({ tasks: [], failures: [{ arn, reason: 'MISSING' }] })
    const tooMany = Array.from({ length: 101 }, (_, i) => String(i))
    expect(
      await rejection(ecs.send(new DescribeTasksCommand({ cluster: 'mycluster', tasks: tooMany })))
    ).toBeInstanceOf(InvalidParameterException)
    expect(
      await rejection(
        ecs.send(new ListTasksCommand({ cluster: 'mycluster', startedBy: 'x', family: 'webapp' }))
      )
    ).toBeInstanceOf(InvalidParameterException)
  })
})
