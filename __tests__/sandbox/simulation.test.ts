import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeTaskSetsCommand,
  InvalidParameterException,
  UpdateTaskSetCommand
} from '@aws-sdk/client-ecs'
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { setTimeout as sleep } from 'node:timers/promises'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { computedDesiredCount } from '../../sandbox/simulation.js'
import { GREEN_TASK_SET_ID } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

// Long enough that a loaded machine's scheduling delays stay well inside each check's margin.
const STEADY_MS = 1000
const MARGIN = STEADY_MS / 4

let sandbox: Sandbox
let aws: ReturnType<typeof clients>

beforeAll(async () => {
  sandbox = await startSandbox({ steadyDelayMs: STEADY_MS })
  aws = clients(sandbox, 1)
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const green = async () => {
  const out = await aws.ecs.send(
    new DescribeTaskSetsCommand({
      cluster: 'mycluster',
      service: 'myservice',
      taskSets: [GREEN_TASK_SET_ID]
    })
  )
  return out.taskSets![0]
}
const targetsOf = async (index: number) => {
  const out = await aws.elb.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: sandbox.world.targetGroups[index].arn })
  )
  return out.TargetHealthDescriptions!.map((d) => d.Target!.Id)
}
const greenTargets = () => targetsOf(1)
const scaleGreen = (value: number) =>
  aws.ecs.send(
    new UpdateTaskSetCommand({
      cluster: 'mycluster',
      service: 'myservice',
      taskSet: GREEN_TASK_SET_ID,
      scale: { value, unit: 'PERCENT' }
    })
  )

describe('task set stabilisation', () => {
  it('is STABILIZING after a change and STEADY_STATE after the delay, then registers targets', async () => {
    await scaleGreen(0)
    await sleep(STEADY_MS + MARGIN)
    expect(await green()).toMatchObject({ stabilityStatus: 'STEADY_STATE', runningCount: 0 })
    expect(await greenTargets()).toEqual([])

    await scaleGreen(100)
    expect(await green()).toMatchObject({
      stabilityStatus: 'STABILIZING',
      computedDesiredCount: 2,
      runningCount: 0,
      pendingCount: 2
    })
    expect(await greenTargets()).toEqual([])
    await sleep(STEADY_MS + MARGIN)
    expect(await green()).toMatchObject({
      stabilityStatus: 'STEADY_STATE',
      runningCount: 2,
      pendingCount: 0
    })
    expect(await greenTargets()).toEqual(['10.0.2.1', '10.0.2.2'])
  })

  it('a second change restarts the wait', async () => {
    await scaleGreen(50)
    await sleep(STEADY_MS / 2)
    await scaleGreen(100)
    // Past the first change's deadline, before the second's.
    await sleep(STEADY_MS * 0.75)
    expect((await green()).stabilityStatus).toBe('STABILIZING')
    await sleep(STEADY_MS * 0.25 + MARGIN)
    expect((await green()).stabilityStatus).toBe('STEADY_STATE')
  })

  it('the slow-canary variant starts STABILIZING with no targets and settles on its own delay', async () => {
    sandbox.reset('slow-canary')
    sandbox.world.services[0].taskSets[1].stabilizeDelayMs = 3 * STEADY_MS
    sandbox.reset({ ...sandbox.world })
    expect(await green()).toMatchObject({ stabilityStatus: 'STABILIZING', runningCount: 0 })
    expect(await greenTargets()).toEqual([])
    await sleep(STEADY_MS + MARGIN)
    expect((await green()).stabilityStatus).toBe('STABILIZING')
    await sleep(2 * STEADY_MS + MARGIN)
    expect((await green()).stabilityStatus).toBe('STEADY_STATE')
    expect(await greenTargets()).toHaveLength(2)
  })
})

describe('UpdateTaskSet scale', () => {
  it('computedDesiredCount is ceil(desiredCount × scale / 100), without float noise', () => {
    expect(computedDesiredCount(2, 50)).toBe(1)
    expect(computedDesiredCount(3, 50)).toBe(2)
    expect(computedDesiredCount(3, 33.3)).toBe(1)
    expect(computedDesiredCount(2, 0)).toBe(0)
    // 250 × 64.4 / 100 computes as 161.00000000000003 in floating point.
    expect(computedDesiredCount(250, 64.4)).toBe(161)
  })

  it('scale 0 then 50 then 100: running count and targets follow after the steady delay', async () => {
    sandbox.world.services[0].desiredCount = 3
    const out = await scaleGreen(0)
    expect(out.taskSet).toMatchObject({
      scale: { value: 0, unit: 'PERCENT' },
      computedDesiredCount: 0,
      stabilityStatus: 'STABILIZING'
    })
    // Within the delay nothing has stopped yet.
    await sleep(STEADY_MS / 2)
    expect(await green()).toMatchObject({ stabilityStatus: 'STABILIZING', runningCount: 2 })
    expect(await greenTargets()).toHaveLength(2)
    await sleep(STEADY_MS / 2 + MARGIN)
    expect(await green()).toMatchObject({
      stabilityStatus: 'STEADY_STATE',
      computedDesiredCount: 0,
      runningCount: 0,
      pendingCount: 0
    })
    expect(await greenTargets()).toEqual([])

    await scaleGreen(50)
    expect(await green()).toMatchObject({ computedDesiredCount: 2, pendingCount: 2 })
    await sleep(STEADY_MS + MARGIN)
    expect(await green()).toMatchObject({ stabilityStatus: 'STEADY_STATE', runningCount: 2 })
    expect(await greenTargets()).toEqual(['10.0.2.1', '10.0.2.2'])

    await scaleGreen(100)
    expect(await green()).toMatchObject({
      computedDesiredCount: 3,
      runningCount: 2,
      pendingCount: 1
    })
    await sleep(STEADY_MS + MARGIN)
    expect(await green()).toMatchObject({ stabilityStatus: 'STEADY_STATE', runningCount: 3 })
    expect(await greenTargets()).toEqual(['10.0.2.1', '10.0.2.2', '10.0.2.3'])
    // Blue was not touched.
    expect(await targetsOf(0)).toEqual(['10.0.1.1', '10.0.1.2'])
  })

  it('rejects a scale outside 0–100 and leaves the task set alone', async () => {
    const err = await rejection(scaleGreen(101))
    expect(err).toBeInstanceOf(InvalidParameterException)
    expect(await green()).toMatchObject({
      scale: { value: 100, unit: 'PERCENT' },
      stabilityStatus: 'STEADY_STATE'
    })
  })
})
