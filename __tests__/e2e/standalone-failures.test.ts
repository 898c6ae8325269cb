/**
 * Standalone canary tasks when things go wrong, run through the bundle against the `rolling`
 * world, each checked in the world afterwards: a run killed right after RunTask or
 * RegisterTargets is adopted by its rerun (one task, registered once); a canary task that dies
 * during the bake is deregistered and the step fails naming why; RunTask's capacity failure
 * leaves nothing behind; a promote whose rollout the circuit breaker fails says so and the service
 * is back on its old revision; and inputs no task count can serve are refused with no write.
 */
import type { ChildProcess } from 'node:child_process'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../sandbox/mutations.js'
import type { World } from '../../sandbox/world.js'
import {
  count,
  expectCleanFailure,
  operations,
  step,
  useSandbox,
  waitFor,
  type Step
} from './harness.js'
import {
  canaryTargets,
  canaryTasks,
  IMAGE,
  notStopped,
  ROLLING_INPUTS,
  serviceRevision,
  serviceRevisions
} from './standalone-world.js'

const sandbox = useSandbox({ resetEach: false })
beforeEach(() => sandbox.reset('rolling'))

const CANARY = { mode: 'canary', image: IMAGE('1.0.1'), 'canary-weight': '33.3' }
const run = (inputs: Record<string, string>, options: Parameters<typeof step>[2] = {}) =>
  step(
    sandbox,
    { ...ROLLING_INPUTS, 'health-timeout-seconds': '60', ...inputs },
    { bare: true, ...options }
  )

/** The last sentence of a message: what was and was not changed. */
const lastSentence = (message: string) =>
  message
    .trim()
    .split(/(?<=\.)\s+/)
    .pop()!

/** The service as the `rolling` world starts: two tasks of webapp:1, nothing else registered. */
function expectServiceUntouched(w: World, run: Step): void {
  expect(operations(run.writes)).not.toContain('UpdateService')
  expect(serviceRevision(w)).toBe('webapp:1')
  expect(serviceRevisions(w)).toEqual(['webapp:1', 'webapp:1'])
}

/** Runs a canary that is SIGKILLed right after the first successful `operation`, then its rerun. */
async function crashAfter(operation: string): Promise<{ crashed: Step; rerun: Step }> {
  let child: ChildProcess | undefined
  sandbox.faults.afterWrite(operation, async () => {
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve())
      child!.kill('SIGKILL')
    })
  })
  const crashed = await run(CANARY, { onSpawn: (c) => (child = c) })
  expect(crashed.signal).toBe('SIGKILL')
  sandbox.faults.clear()
  const rerun = await run(CANARY, { env: { GITHUB_RUN_ATTEMPT: '2' } })
  expect(rerun.errors).toEqual([])
  expect(rerun.code).toBe(0)
  expect(rerun.outputs['canary-weight']).toBe('33.3')
  return { crashed, rerun }
}

describe('a crashed canary run is adopted by its rerun', () => {
  it('killed right after RunTask: the rerun registers that task, starts none', async () => {
    const { crashed, rerun } = await crashAfter('RunTask')
    expect(count(crashed, 'RegisterTargets')).toBe(0)
    expect(count(rerun, 'RunTask')).toBe(0)
    expect(count(rerun, 'RegisterTargets')).toBe(1)
    const tasks = canaryTasks(sandbox.world)
    expect(tasks).toHaveLength(1)
    expect(tasks[0].lastStatus).toBe('RUNNING')
    expect(canaryTargets(sandbox.world)).toEqual([`${tasks[0].privateIp}:80`])
  }, 60_000)

  it('killed right after RegisterTargets: the rerun writes no task and no target', async () => {
    const { crashed, rerun } = await crashAfter('RegisterTargets')
    expect(count(crashed, 'RunTask')).toBe(1)
    expect(count(rerun, 'RunTask')).toBe(0)
    expect(count(rerun, 'RegisterTargets')).toBe(0)
    const tasks = canaryTasks(sandbox.world)
    expect(tasks).toHaveLength(1)
    expect(tasks[0].lastStatus).toBe('RUNNING')
    expect(canaryTargets(sandbox.world)).toEqual([`${tasks[0].privateIp}:80`])
  }, 60_000)
})

describe('a canary task that dies during the bake', () => {
  it('fails the step naming the stop reason; deregistered, stopped, the service untouched', async () => {
    // Stopped (out of memory) a while after its IP joined the group: once it is healthy and baking.
    sandbox.faults.afterWrite('RegisterTargets', () => {
      sandbox.schedule(2_000, { type: 'stop-task', cause: 'oom' })
    })
    const died = await run({
      mode: 'canary',
      image: IMAGE('1.0.1'),
      steps: '33.3,100',
      'bake-time': '10s'
    })
    expect(died.code).toBe(1)
    expect(died.errors).toHaveLength(1)
    const [message] = died.errors
    // Two seconds after its IP joined the group it is baking, unless a loaded machine kept the
    // action in its health wait that long: then the wait ends at once on the stopped task.
    expect(message).toMatch(
      /^(Unhealthy Green target\(s\) during the bake of step 1 \(Green at 33.3%\)|The canary colour Green cannot become healthy: canary task )/
    )
    expect(message).toContain(
      'stopped: Essential container in task exited; container web exited 137 (OutOfMemoryError'
    )
    expect([
      'Rolled back: all traffic is on Blue again.',
      'Traffic is now Blue 100% / Green 0%; the stable colour is Blue.'
    ]).toContain(lastSentence(message))
    expect(sandbox.scheduler.fired).toHaveLength(1)
    expect(notStopped(canaryTasks(sandbox.world))).toEqual([])
    expect(canaryTargets(sandbox.world)).toEqual([])
    expect(count(died, 'DeregisterTargets')).toBe(1)
    expectServiceUntouched(sandbox.world, died)
  }, 60_000)
})

describe('RunTask cannot place the canary', () => {
  it('exit 1 with AWS’s reason; nothing left running or registered', async () => {
    applyMutation(sandbox.world, {
      type: 'set-run-task-failure',
      reason: 'RESOURCE:MEMORY'
    })
    const failed = await run(CANARY)
    expect(failed.code).toBe(1)
    expect(failed.errors).toHaveLength(1)
    const [message] = failed.errors
    expect(message).toMatch(/^RunTask started 0 of 1 canary task\(s\): RESOURCE:MEMORY\./)
    expect(lastSentence(message)).toBe(
      'The canary colour Green carries no traffic; the stable colour Blue keeps all of it.'
    )
    expect(notStopped(canaryTasks(sandbox.world))).toEqual([])
    expect(canaryTargets(sandbox.world)).toEqual([])
    expect(count(failed, 'RegisterTargets')).toBe(0)
    expectServiceUntouched(sandbox.world, failed)
  }, 60_000)
})

describe('a promote whose rollout the circuit breaker fails', () => {
  it('fails the step saying so; the service is back on its old revision', async () => {
    const canary = await run(CANARY)
    expect(canary.code).toBe(0)
    // A canary task of a `bad` image never turns healthy, so no canary of one reaches a promote.
    // The image turns bad as the service rolls to it instead (ECR's tag `bad` moves onto the
    // canary's digest): its tasks fail as the service's, and the circuit breaker rolls it back.
    sandbox.faults.afterWrite('UpdateService', ({ world }) => {
      for (const image of world.repositories!.find((r) => r.name === 'webapp')!.images) {
        image.tags = image.tags.includes('1.0.1')
          ? ['bad', ...image.tags]
          : image.tags.filter((t) => t !== 'bad')
      }
    })
    const promote = await run({ mode: 'promote' })
    expect(promote.code).toBe(1)
    expect(promote.errors).toHaveLength(1)
    expect(promote.errors[0]).toMatch(
      /^The deployment circuit breaker rolled service web back to webapp:1: webapp:2 did not become healthy/
    )
    expect(count(promote, 'UpdateService')).toBe(1)
    // What was written is reported, with no claim that nothing was.
    expect(lastSentence(promote.errors[0])).toBe(
      'Traffic is now Blue 66.7% / Green 33.3%; the stable colour is Blue.'
    )
    expect(promote.outputs.outcome).not.toBe('failed-before-write')
    await waitFor('the circuit breaker’s rollback to complete', () =>
      (sandbox.world.services[0].deployments ?? []).every((d) => d.rolloutState === 'COMPLETED')
    )
    expect(serviceRevision(sandbox.world)).toBe('webapp:1')
    expect(serviceRevisions(sandbox.world)).toEqual(['webapp:1', 'webapp:1'])
    // The canary is left as the promote found it, and a rollback takes it away.
    expect(notStopped(canaryTasks(sandbox.world))).toHaveLength(1)
    expect(canaryTargets(sandbox.world)).toHaveLength(1)
    const rollback = await run({ mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(rollback.code).toBe(0)
    expect(operations(rollback.writes).sort()).toEqual(['DeregisterTargets', 'StopTask'])
    expect(notStopped(canaryTasks(sandbox.world))).toEqual([])
    expect(canaryTargets(sandbox.world)).toEqual([])
    expect(serviceRevisions(sandbox.world)).toEqual(['webapp:1', 'webapp:1'])
  }, 60_000)
})

describe('refused before any write', () => {
  it.each([
    ['canary-tasks 0', { ...CANARY, 'canary-tasks': '0' }, /"canary-tasks" is "0"/],
    [
      'canary-tasks above the desired count',
      { ...CANARY, 'canary-tasks': '3' },
      /desired count of 2/
    ],
    [
      'a share no task count reaches',
      { ...CANARY, 'canary-weight': '10' },
      /the nearest shares it can set are 0% and 33\.3%/
    ],
    // Task sets are found from inputs alone, before the service is read: it asks for them.
    [
      'task-sets on the rolling service',
      { ...CANARY, workload: 'task-sets' },
      /^Tell the action where Blue and Green are: set "stack-name"/
    ]
  ])(
    '%s',
    async (_, inputs, pattern) => {
      const refused = await run(inputs)
      const message = expectCleanFailure(refused)
      expect(message).toMatch(pattern)
      expect(lastSentence(message)).toBe('No traffic was moved; nothing was written.')
      expect(canaryTasks(sandbox.world)).toEqual([])
      expect(sandbox.world.taskDefinitions.filter((d) => d.family === 'webapp')).toHaveLength(1)
    },
    30_000
  )
})
