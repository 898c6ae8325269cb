/**
 * A rerun never moves production back to an old version. Every promote records on the service
 * which task definition it made stable and which it replaced (`StableStackPromotion`); a canary
 * or promote whose canary colour runs the replaced version (or an older revision) writes nothing
 * and says so, and finishes only what the promote left undone.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { findService } from '../../sandbox/world.js'
import {
  operations,
  ruleWeights,
  serviceTags,
  stableTag,
  step,
  taskSetOf,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const WALK = { mode: 'canary', steps: '10,100' }
const RECORD = /^myapp:2 replaced myapp:1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

/** Registers myapp:3 and runs it in the colour's task set, as a stack update would. */
function deployNewVersion(color: 'Blue' | 'Green'): void {
  const world = sandbox.world
  const arn = world.taskDefinitions[0].arn.replace(/myapp:\d+$/, 'myapp:3')
  world.taskDefinitions.push({ ...world.taskDefinitions[0], revision: 3, arn })
  taskSetOf(world, color).taskDefinition = arn
}

describe('after a walk that promoted', () => {
  it('the walk records what it promoted; running it again writes nothing, exit 0', async () => {
    const first = await step(sandbox, WALK)
    expect(first.code).toBe(0)
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(serviceTags(sandbox.world).StableStackPromotion).toMatch(RECORD)

    const again = await step(sandbox, WALK)
    expect(again.code).toBe(0)
    expect(operations(again.allWrites)).toEqual([])
    expect(again.stdout).toContain(
      'Nothing to deploy: the canary colour Blue runs myapp:1, the version that myapp:2 replaced on'
    )
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(again.outputs.changed).toBe('false')
  })

  it('a canary of the old colour is refused until a new version is deployed to it', async () => {
    expect((await step(sandbox, WALK)).code).toBe(0)

    const old = await step(sandbox, { mode: 'canary', 'canary-weight': '20' })
    expect(old.code).toBe(0)
    expect(operations(old.allWrites)).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })

    deployNewVersion('Blue')
    const fresh = await step(sandbox, { mode: 'canary', 'canary-weight': '20' })
    expect(fresh.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 20, Green: 80 })
  })

  it('undo-promotion records the version it brought back, so the undone one is not walked again', async () => {
    expect((await step(sandbox, WALK)).code).toBe(0)
    const undo = await step(sandbox, { mode: 'rollback', 'undo-promotion': 'true' })
    expect(undo.code).toBe(0)
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(serviceTags(sandbox.world).StableStackPromotion).toMatch(/^myapp:1 replaced myapp:2 at /)

    const again = await step(sandbox, WALK)
    expect(again.code).toBe(0)
    expect(operations(again.allWrites)).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })
})

describe('a crash right after the promote of a walk with scale-down', () => {
  it('the rerun frees the old colour and gives it no traffic', async () => {
    const inputs = { ...WALK, 'scale-down-after-promote': 'true' }
    let child: ChildProcess | undefined
    // The stable tag is written; the runner dies before the scale-down.
    sandbox.faults.afterWrite(
      'ecs:TagResource',
      async ({ input }) => {
        const keys = ((input.tags ?? []) as { key: string }[]).map((t) => t.key)
        if (!keys.includes('StableStack')) return
        await new Promise<void>((resolve) => {
          child!.once('exit', () => resolve())
          child!.kill('SIGKILL')
        })
      },
      2
    )
    const crashed = await step(sandbox, inputs, { onSpawn: (c) => (child = c) })
    expect(crashed.signal).toBe('SIGKILL')
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(taskSetOf(sandbox.world, 'Blue').scale.value).toBe(100)
    sandbox.faults.clear()

    const rerun = await step(sandbox, inputs, { env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.code).toBe(0)
    expect(operations(rerun.writes)).toEqual(['UpdateTaskSet'])
    expect(taskSetOf(sandbox.world, 'Blue').scale.value).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(serviceTags(sandbox.world).StableStackLease).toBeUndefined()
  })
})

describe('a service set up before the record existed', () => {
  it('deploys as before and warns how to record the stable version', async () => {
    expect(findService(sandbox.world)?.tags.some((t) => t.key === 'StableStackPromotion')).toBe(
      false
    )
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(run.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(run.stdout).toContain(
      '::warning::The service has no StableStackPromotion tag, so this run cannot tell whether the ' +
        'canary runs a version an earlier promote replaced. The next promote records it; to record ' +
        'the stable version now, tag the service with StableStackPromotion=myapp:1.'
    )
  })
})
