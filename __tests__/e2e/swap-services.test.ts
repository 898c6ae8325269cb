/**
 * The listener swap between two services, run through the bundle against the sandbox: a canary
 * points the test listener at the canary service, promote swaps the two listeners' target groups
 * while real requests through the production listener follow, a rerun writes nothing and never
 * swaps back, and an undo (or a canary's rollback) points production at the stable service again.
 * A second demo router plays the test listener; target groups given the wrong way round are
 * refused, and a promote killed right after its production write finishes on rerun.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { BLUE_SERVICE, GREEN_SERVICE } from '../../sandbox/swap-world.js'
import { sample, seededRandom, startApp, startRouter, type Server } from '../../sandbox/traffic.js'
import type { World } from '../../sandbox/world.js'
import {
  expectCleanFailure,
  forwardedGroupNames,
  operations,
  step,
  targetGroupArn,
  useSandbox,
  waitFor,
  type Step
} from './harness.js'

const sandbox = useSandbox({ resetEach: false })

// Real HTTP: one demo router plays the production listener (the world's first), one the test
// listener (HTTP:8443), each forwarding as its listener does at the moment of the request.
let servers: Server[] = []
let production: Server
let testers: Server
beforeAll(async () => {
  servers = await Promise.all(['1.0.0', '1.0.1'].map((version) => startApp(version)))
  const apps = { '1.0.0': servers[0].url, '1.0.1': servers[1].url }
  sandbox.reset('swap-services')
  const testListener = sandbox.world.listeners[1].arn
  production = await startRouter(() => sandbox.world, apps, seededRandom(11))
  testers = await startRouter(() => sandbox.world, apps, seededRandom(12), {
    listenerArn: testListener
  })
})
afterAll(() => Promise.all([...servers, production, testers].map((server) => server.close())))
const answers = () => sample(production.url, 200)
const testAnswers = () => sample(testers.url, 50)

function shape(w: World): Record<string, string> {
  return {
    cluster: 'mycluster',
    service: BLUE_SERVICE,
    'blue-service': BLUE_SERVICE,
    'green-service': GREEN_SERVICE,
    'blue-target-group': targetGroupArn(w, 'blue-tg'),
    'green-target-group': targetGroupArn(w, 'green-tg'),
    'production-listener-arn': w.listeners[0].arn,
    'test-listener-arn': w.listeners[1].arn
  }
}

const run = (inputs: Record<string, string>): Promise<Step> =>
  step(sandbox, { ...shape(sandbox.world), ...inputs }, { bare: true })

/** The target group names each listener forwards to. */
function pointing(): { production: string[]; test: string[] } {
  const w = sandbox.world
  return {
    production: forwardedGroupNames(w, w.listeners[0].defaultActions),
    test: forwardedGroupNames(w, w.listeners[1].defaultActions)
  }
}

const serviceNamed = (w: World, name: string) => w.services.find((s) => s.name === name)!
const tagsOf = (w: World, name: string) =>
  Object.fromEntries(serviceNamed(w, name).tags.map((t) => [t.key, t.value]))

describe('listener swap between two services', () => {
  it('canary on the test listener → promote swaps → rerun writes nothing → undo swaps back', async () => {
    sandbox.reset('swap-services')
    expect(await answers()).toEqual({ '1.0.0': 200 })
    expect(await testAnswers()).toEqual({ '1.0.0': 50 })

    // status names the idle colour, whose service a workflow deploys to before the canary.
    const status = await run({ mode: 'status' })
    expect(status.code).toBe(0)
    expect(status.writes).toEqual([])
    expect(status.outputs).toMatchObject({ 'stable-color': 'Blue', 'canary-color': 'Green' })

    const canary = await run({ mode: 'canary', 'canary-weight': '0' })
    expect(canary.errors).toEqual([])
    expect(canary.code).toBe(0)
    expect(operations(canary.writes)).toEqual(['ModifyListener'])
    // The next step is the swap, naming the same listeners, services and target groups.
    const w = sandbox.world
    expect(canary.summary).toContain('testers reach it on the test listener')
    expect(canary.summary).toContain(
      `mode: promote\n  cluster: mycluster\n  service: ${BLUE_SERVICE}\n` +
        `  blue-target-group: ${targetGroupArn(w, 'blue-tg')}\n` +
        `  green-target-group: ${targetGroupArn(w, 'green-tg')}\n` +
        `  production-listener-arn: ${w.listeners[0].arn}\n  test-listener-arn: ${w.listeners[1].arn}\n` +
        `  blue-service: ${BLUE_SERVICE}\n  green-service: ${GREEN_SERVICE}\n`
    )
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['green-tg'] })
    // Production still answers with Blue's version; testers reach Green on the test listener.
    expect(await answers()).toEqual({ '1.0.0': 200 })
    expect(await testAnswers()).toEqual({ '1.0.1': 50 })

    const again = await run({ mode: 'canary', 'canary-weight': '0' })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])

    const promote = await run({ mode: 'promote', 'scale-down-after-promote': 'true' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['blue-tg'] })
    expect(tagsOf(sandbox.world, BLUE_SERVICE)).toMatchObject({
      StableStack: 'Green',
      StableStackPrevious: 'Blue'
    })
    expect(tagsOf(sandbox.world, GREEN_SERVICE)).toMatchObject({ StableStack: 'Green' })
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(0)
    expect(await answers()).toEqual({ '1.0.1': 200 })
    // The test listener now leads to the scaled-down Blue: no task answers there.
    await waitFor(
      'Blue to run no tasks',
      () => serviceNamed(sandbox.world, BLUE_SERVICE).runningCount === 0
    )
    expect(await testAnswers()).toEqual({ 'bad gateway': 50 })

    // Blue now runs the version the promote replaced: nothing to promote, and no swap back.
    const rerun = await run({ mode: 'promote', 'scale-down-after-promote': 'true' })
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    expect(rerun.writes).toEqual([])
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['blue-tg'] })
    expect(await answers()).toEqual({ '1.0.1': 200 })
    const after = await run({ mode: 'status' })
    expect(after.outputs).toMatchObject({ 'stable-color': 'Green', 'canary-color': 'Blue' })
    // After a swap the next canary points the test listener at the other colour: weight 0.
    expect(after.summary).toContain(
      'Deploy the next version to Blue, then point the test listener at it'
    )
    expect(after.summary).toContain('canary-weight: "0"')

    const undo = await run({ mode: 'rollback', 'undo-promotion': 'true' })
    expect(undo.errors).toEqual([])
    expect(undo.code).toBe(0)
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(2)
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['green-tg'] })
    expect(tagsOf(sandbox.world, BLUE_SERVICE)).toMatchObject({ StableStack: 'Blue' })
    await waitFor(
      'Blue to run its tasks again',
      () => serviceNamed(sandbox.world, BLUE_SERVICE).runningCount === 2
    )
    expect(await answers()).toEqual({ '1.0.0': 200 })
    expect(await testAnswers()).toEqual({ '1.0.1': 50 })

    const rerunUndo = await run({ mode: 'rollback', 'undo-promotion': 'true' })
    expect(rerunUndo.code).toBe(0)
    expect(rerunUndo.writes).toEqual([])
  })

  it('a canary rolled back leaves production on the stable service', async () => {
    sandbox.reset('swap-services')
    const canary = await run({ mode: 'canary', 'canary-weight': '0' })
    expect(canary.code).toBe(0)
    const rollback = await run({ mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(rollback.code).toBe(0)
    // Production stays on Blue; the test listener keeps leading to the idle colour.
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['green-tg'] })
    expect(tagsOf(sandbox.world, BLUE_SERVICE)).toMatchObject({ StableStack: 'Blue' })
    expect(await answers()).toEqual({ '1.0.0': 200 })
  })

  it('a share between 0 and 100 is refused as all-or-nothing; nothing is written', async () => {
    sandbox.reset('swap-services')
    const refused = await run({ mode: 'canary', 'canary-weight': '10' })
    expect(expectCleanFailure(refused)).toMatch(/moves all traffic or none/)
    expect(refused.allWrites).toEqual([])
  })

  it('target groups given the other way round are refused before any write', async () => {
    sandbox.reset('swap-services')
    const w = sandbox.world
    const refused = await run({
      mode: 'canary',
      'canary-weight': '0',
      'blue-target-group': targetGroupArn(w, 'green-tg'),
      'green-target-group': targetGroupArn(w, 'blue-tg')
    })
    expect(expectCleanFailure(refused)).toMatch(/would reach the wrong tasks/)
    expect(refused.allWrites).toEqual([])
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['blue-tg'] })
  })
})

describe('a crash part-way through a swap between two services', () => {
  it('killed right after the production listener moved: the rerun finishes the swap and never swaps back', async () => {
    sandbox.reset('swap-services')
    expect((await run({ mode: 'canary', 'canary-weight': '0' })).code).toBe(0)
    const production = sandbox.world.listeners[0].arn
    let child: ChildProcess | undefined
    sandbox.faults.afterWrite(
      'ModifyListener',
      async ({ input }) => {
        if (input.ListenerArn !== production) return
        await new Promise<void>((resolve) => {
          child!.once('exit', () => resolve())
          child!.kill('SIGKILL')
        })
      },
      5
    )
    const inputs = { ...shape(sandbox.world), mode: 'promote' }
    const crashed = await step(sandbox, inputs, { bare: true, onSpawn: (c) => (child = c) })
    expect(crashed.signal).toBe('SIGKILL')
    // Production moved, the test listener and the tag did not: both listeners lead to Green.
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['green-tg'] })
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStack).toBe('Blue')
    expect(await answers()).toEqual({ '1.0.1': 200 })
    sandbox.faults.clear()

    const rerun = await step(sandbox, inputs, { bare: true, env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    // Only the test listener and the tags are left to write; production is not touched again.
    expect(operations(rerun.writes).filter((op) => op === 'ModifyListener')).toHaveLength(1)
    expect(rerun.writes.find((w) => w.operation === 'ModifyListener')?.input).toMatchObject({
      ListenerArn: sandbox.world.listeners[1].arn
    })
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['blue-tg'] })
    expect(tagsOf(sandbox.world, BLUE_SERVICE)).toMatchObject({ StableStack: 'Green' })
    expect(tagsOf(sandbox.world, GREEN_SERVICE)).toMatchObject({ StableStack: 'Green' })
    expect(await answers()).toEqual({ '1.0.1': 200 })

    const again = await step(sandbox, inputs, { bare: true, env: { GITHUB_RUN_ATTEMPT: '3' } })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])
  }, 60_000)
})
