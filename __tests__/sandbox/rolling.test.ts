/**
 * The `rolling` world's ECS-controller service (deployments, circuit breaker with rollback) and
 * ELB target registration (initial → healthy, draining → gone, a stopped task's IP unhealthy),
 * with the real SDK clients.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type Service
} from '@aws-sdk/client-ecs'
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  InvalidTargetException,
  RegisterTargetsCommand,
  TargetGroupNotFoundException
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { ROLLING_SECURITY_GROUP, ROLLING_SUBNETS } from '../../sandbox/rolling-world.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let c: ReturnType<typeof clients>

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 150 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    value = await read()
  }
  return value
}

const web = async (): Promise<Service> =>
  (await c.ecs.send(new DescribeServicesCommand({ cluster: 'mycluster', services: ['web'] })))
    .services![0]
const tgArn = () => sandbox.world.targetGroups[0].arn
const health = async () =>
  (await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn() })))
    .TargetHealthDescriptions!

/** Registers webapp:2 with the image tag given. */
async function revision(tag: string): Promise<string> {
  const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/webapp:${tag}`
  const out = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'webapp',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'web', image, essential: true, portMappings: [{ containerPort: 80 }] }
      ]
    })
  )
  return out.taskDefinition!.taskDefinitionArn!
}

/** A canary task of webapp:REV, RUNNING, and its IP. */
async function canary(taskDefinition: string): Promise<{ arn: string; ip: string }> {
  const out = await c.ecs.send(
    new RunTaskCommand({
      cluster: 'mycluster',
      taskDefinition,
      launchType: 'FARGATE',
      startedBy: 'canary',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ROLLING_SUBNETS, securityGroups: [ROLLING_SECURITY_GROUP] }
      }
    })
  )
  const arn = out.tasks![0].taskArn!
  const task = await until(
    async () =>
      (await c.ecs.send(new DescribeTasksCommand({ cluster: 'mycluster', tasks: [arn] })))
        .tasks![0],
    (t) => t.lastStatus === 'RUNNING'
  )
  return { arn, ip: task.containers![0].networkInterfaces![0].privateIpv4Address! }
}

beforeAll(async () => {
  sandbox = await startSandbox({ world: 'rolling', steadyDelayMs: 60 })
  c = clients(sandbox, 1)
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

describe('a service of the ECS controller', () => {
  it('reports its network configuration, launch type and one COMPLETED PRIMARY deployment', async () => {
    const service = await web()
    expect(service).toMatchObject({
      deploymentController: { type: 'ECS' },
      desiredCount: 2,
      runningCount: 2,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/webapp:1',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ROLLING_SUBNETS, securityGroups: [ROLLING_SECURITY_GROUP] }
      },
      loadBalancers: [{ targetGroupArn: tgArn(), containerName: 'web', containerPort: 80 }]
    })
    expect(service.deployments).toHaveLength(1)
    expect(service.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      desiredCount: 2,
      runningCount: 2,
      failedTasks: 0
    })
    expect(service.deployments![0].id).toMatch(/^ecs-svc\/\d{19}$/)
    expect(service.deployments![0].rolloutStateReason).toMatch(/completed/)
  })

  it('rolls out a new task definition: IN_PROGRESS next to the old one, then COMPLETED alone', async () => {
    const next = await revision('1.0.1')
    const before = (await web()).deployments![0]
    const out = await c.ecs.send(
      new UpdateServiceCommand({ cluster: 'mycluster', service: 'web', taskDefinition: next })
    )
    const started = out.service!.deployments!
    expect(started.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', next],
      ['ACTIVE', 'COMPLETED', before.taskDefinition]
    ])
    const done = await until(web, (s) => s.deployments![0].rolloutState === 'COMPLETED')
    expect(done.deployments).toHaveLength(1)
    expect(done.deployments![0]).toMatchObject({ id: started[0].id, runningCount: 2 })
    expect(done.taskDefinition).toBe(next)
    // Its tasks replaced the old ones, in the target group too.
    const running = sandbox.world.tasks!.filter((t) => t.serviceName && t.lastStatus === 'RUNNING')
    expect(running.map((t) => [t.startedBy, t.taskDefinition])).toEqual([
      [started[0].id, next],
      [started[0].id, next]
    ])
    expect(sandbox.world.targetGroups[0].targets.map((t) => t.id).sort()).toEqual(
      running.map((t) => t.privateIp).sort()
    )
  })

  it('trips the circuit breaker on a bad image and rolls back to the last completed deployment', async () => {
    const bad = await revision('bad')
    const first = (await web()).deployments![0]
    await c.ecs.send(
      new UpdateServiceCommand({ cluster: 'mycluster', service: 'web', taskDefinition: bad })
    )
    const failed = await until(web, (s) =>
      (s.deployments ?? []).some((d) => d.rolloutState === 'FAILED')
    )
    const failure = failed.deployments!.find((d) => d.rolloutState === 'FAILED')!
    expect(failure).toMatchObject({
      taskDefinition: bad,
      status: 'ACTIVE',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
    })
    expect(failure.failedTasks).toBeGreaterThan(0)
    expect(failed.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: first.taskDefinition
    })
    expect(failed.taskDefinition).toBe(first.taskDefinition)
    expect(failed.events!.map((e) => e.message).join('\n')).toMatch(
      /deployment failed: tasks failed to start/
    )
    const back = await until(web, (s) => s.deployments!.length === 1)
    expect(back.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      taskDefinition: first.taskDefinition
    })
  })
})

describe('target registration', () => {
  it('reports the target type and the deregistration delay', async () => {
    const groups = await c.elb.send(new DescribeTargetGroupsCommand({ Names: ['web-tg'] }))
    expect(groups.TargetGroups![0].TargetType).toBe('ip')
    const attributes = await c.elb.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn() })
    )
    expect(attributes.Attributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: '5'
    })
  })

  it('registers a canary IP: initial, then healthy; deregistered: draining, then gone', async () => {
    const { ip } = await canary('webapp:1')
    await c.elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn(), Targets: [{ Id: ip, Port: 80 }] })
    )
    const stateOf = async () => (await health()).find((d) => d.Target!.Id === ip)?.TargetHealth
    expect(await stateOf()).toMatchObject({ State: 'initial', Reason: 'Elb.InitialHealthChecking' })
    expect(await until(stateOf, (h) => h?.State === 'healthy')).toEqual({ State: 'healthy' })
    expect(await health()).toHaveLength(3)

    await c.elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: tgArn(), Targets: [{ Id: ip, Port: 80 }] })
    )
    expect(await stateOf()).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress'
    })
    expect(await until(stateOf, (h) => h === undefined)).toBeUndefined()
    expect(await health()).toHaveLength(2)
  })

  it('keeps a registered target when the service rolls, and reports a stopped task unhealthy', async () => {
    const { ip } = await canary('webapp:1')
    await c.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn(), Targets: [{ Id: ip }] }))
    await c.ecs.send(
      new UpdateServiceCommand({ cluster: 'mycluster', service: 'web', desiredCount: 3 })
    )
    await until(web, (s) => s.runningCount === 3)
    const stateOf = async () => (await health()).find((d) => d.Target!.Id === ip)?.TargetHealth
    expect(await until(stateOf, (h) => h?.State === 'healthy')).toEqual({ State: 'healthy' })
    expect(await health()).toHaveLength(4)
    sandbox.schedule(0, { type: 'stop-task', startedBy: 'canary', cause: 'exit' })
    expect(await until(stateOf, (h) => h?.State === 'unhealthy')).toMatchObject({
      State: 'unhealthy',
      Reason: 'Target.Timeout'
    })
  })

  it('reports a canary of a bad version unhealthy', async () => {
    const { ip } = await canary(await revision('bad'))
    await c.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn(), Targets: [{ Id: ip }] }))
    const stateOf = async () => (await health()).find((d) => d.Target!.Id === ip)?.TargetHealth
    expect(await until(stateOf, (h) => h?.State !== 'initial')).toMatchObject({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch'
    })
  })

  it('refuses targets that do not fit the group, and unknown groups', async () => {
    const register = (Id: string, TargetGroupArn = tgArn()) =>
      c.elb.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id }] }))
    const notIp = await rejection(register('i-0123456789abcdef0'))
    expect(notIp.name).toBe('ValidationError')
    const missing = await rejection(register('10.1.0.9', `${tgArn().slice(0, -4)}ffff`))
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException)
    const group = sandbox.world.targetGroups[0]
    group.targetType = 'instance'
    expect(await rejection(register('i-nope'))).toBeInstanceOf(InvalidTargetException)
    await register('i-0123456789abcdef0')
    group.targetType = 'lambda'
    expect((await rejection(register('10.1.0.9'))).name).toBe('ValidationError')
  })
})
