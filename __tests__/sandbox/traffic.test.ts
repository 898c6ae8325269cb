/**
 * The demo router over targets: a request goes to a healthy target of the group the listener
 * picks, and the task behind that IP answers with its own version. A rolling service with two
 * tasks and one registered canary task sends about a third of the requests to the canary.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs'
import { RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ROLLING_SUBNETS } from '../../sandbox/rolling-world.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import {
  sample,
  seededRandom,
  startApp,
  startRouter,
  versionServing,
  type Server
} from '../../sandbox/traffic.js'
import { clients } from './clients.js'

let sandbox: Sandbox
let c: ReturnType<typeof clients>
let apps: Server[] = []

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 150 && !done(); i++) await new Promise((r) => setTimeout(r, 20))
}

/** Runs one webapp 1.0.1 task, registers its IP in web-tg and returns the IP (target still initial). */
async function registerCanary(): Promise<string> {
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/webapp:1.0.1'
  const td = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'webapp',
      networkMode: 'awsvpc',
      containerDefinitions: [{ name: 'web', image, portMappings: [{ containerPort: 80 }] }]
    })
  )
  const out = await c.ecs.send(
    new RunTaskCommand({
      cluster: 'mycluster',
      taskDefinition: td.taskDefinition!.taskDefinitionArn,
      startedBy: 'canary',
      networkConfiguration: { awsvpcConfiguration: { subnets: ROLLING_SUBNETS } }
    })
  )
  const task = () => sandbox.world.tasks!.find((t) => t.arn === out.tasks![0].taskArn)!
  await until(() => task().lastStatus === 'RUNNING')
  const ip = task().privateIp!
  await c.elb.send(
    new RegisterTargetsCommand({
      TargetGroupArn: sandbox.world.targetGroups[0].arn,
      Targets: [{ Id: ip }]
    })
  )
  return ip
}

const webTg = () => sandbox.world.targetGroups[0]
const isHealthy = (ip: string) => () => webTg().targets.some((t) => t.id === ip && !t.phase)

beforeAll(async () => {
  sandbox = await startSandbox({ world: 'rolling', steadyDelayMs: 60 })
  c = clients(sandbox, 1)
  apps = await Promise.all(['1.0.0', '1.0.1'].map((v) => startApp(v, { errorRate: 0, delayMs: 0 })))
})
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()))
  await sandbox.stop()
})
beforeEach(() => sandbox.reset())

describe('versionServing', () => {
  it('draws uniformly over healthy targets: 1 canary of 3 targets gets about a third', async () => {
    const ip = await registerCanary()
    const random = seededRandom(33)
    // Still initial: no request reaches the canary.
    expect(versionServing(sandbox.world, webTg().arn, random)).toBe('1.0.0')
    await until(isHealthy(ip))
    let canary = 0
    for (let i = 0; i < 3000; i++) {
      if (versionServing(sandbox.world, webTg().arn, random) === '1.0.1') canary += 1
    }
    expect(canary / 3000).toBeGreaterThan(0.3)
    expect(canary / 3000).toBeLessThan(0.37)

    sandbox.schedule(0, { type: 'stop-task', startedBy: 'canary' })
    await until(() =>
      sandbox.world.tasks!.every((t) => t.startedBy !== 'canary' || t.lastStatus === 'STOPPED')
    )
    for (let i = 0; i < 200; i++) {
      expect(versionServing(sandbox.world, webTg().arn, random)).toBe('1.0.0')
    }
  })

  it('keeps a task-set group answering its task set version without a draw', async () => {
    sandbox.reset('default')
    const green = sandbox.world.targetGroups.find((tg) => tg.name === 'green-tg')!
    let draws = 0
    const counting = () => {
      draws += 1
      return 0.5
    }
    expect(versionServing(sandbox.world, green.arn, counting)).toBe('1.0.1')
    expect(draws).toBe(0)
  })
})

describe('the router over a rolling service and a canary task', () => {
  it('sends about a third of real requests to the canary task', async () => {
    const ip = await registerCanary()
    await until(isHealthy(ip))
    const router = await startRouter(
      () => sandbox.world,
      { '1.0.0': apps[0].url, '1.0.1': apps[1].url },
      seededRandom(7)
    )
    try {
      const counts = await sample(router.url, 600)
      expect(counts['1.0.0'] + counts['1.0.1']).toBe(600)
      expect(counts['1.0.1'] / 600).toBeGreaterThan(0.27)
      expect(counts['1.0.1'] / 600).toBeLessThan(0.4)
    } finally {
      await router.close()
    }
  })
})
