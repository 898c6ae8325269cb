/**
 * Standalone canary tasks beside a rolling service, run through the bundle against the sandbox's
 * `rolling` world: a canary task joins web-tg at 33.3 %, a rerun writes nothing, rollback drains
 * and stops it, promote rolls the service to the canary's revision, and a plain rollback after it
 * rolls the service back.
 */
import { describe, expect, it } from '@jest/globals'
import { operations, step, useSandbox, type Step } from './harness.js'

const sandbox = useSandbox({ resetEach: false })
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/webapp:1.0.1'
const base = { cluster: 'mycluster', service: 'web', 'health-timeout-seconds': '60' }
const run = (inputs: Record<string, string>) =>
  step(sandbox, { ...base, ...inputs }, { bare: true })

const service = () => sandbox.world.services.find((s) => s.name === 'web')!

const writesOf = (run: Step) => operations(run.writes).sort()

describe('standalone canary task on the rolling service', () => {
  it('canary 33.3 % → rerun writes nothing → rollback → promote → undo', async () => {
    sandbox.reset('rolling')
    const canary = await run({ mode: 'canary', image: IMAGE, 'canary-weight': '33.3' })
    expect(canary.errors).toEqual([])
    expect(canary.code).toBe(0)
    expect(canary.outputs['canary-weight']).toBe('33.3')
    expect(writesOf(canary)).toEqual(
      ['RegisterTaskDefinition', 'RegisterTargets', 'RunTask', 'TagResource'].sort()
    )

    const again = await run({ mode: 'canary', image: IMAGE, 'canary-weight': '33.3' })
    expect(again.code).toBe(0)
    expect(writesOf(again)).toEqual([])

    const rollback = await run({ mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    const ops = rollback.requests.map((r) => r.operation)
    expect(ops.indexOf('DeregisterTargets')).toBeGreaterThan(-1)
    expect(ops.indexOf('DeregisterTargets')).toBeLessThan(ops.indexOf('StopTask'))

    // The second canary runs the revision the first registered: no identical copy.
    const second = await run({ mode: 'canary', image: IMAGE, 'canary-weight': '33.3' })
    const revision = second.outputs['task-definition-arn']
    expect(revision).toMatch(/webapp:\d+$/)
    expect(revision).toBe(canary.outputs['task-definition-arn'])
    expect(writesOf(second)).toEqual(['RegisterTargets', 'RunTask', 'TagResource'].sort())
    const promote = await run({ mode: 'promote' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    expect(service().taskDefinition).toBe(revision)
    const rerun = await run({ mode: 'promote' })
    expect(writesOf(rerun)).toEqual([])
    // A canary of the image the service now runs is a quiet no-op.
    const canaryAgain = await run({ mode: 'canary', image: IMAGE, 'canary-weight': '33.3' })
    expect(canaryAgain.code).toBe(0)
    expect(canaryAgain.errors).toEqual([])
    expect(writesOf(canaryAgain)).toEqual([])
    expect(canaryAgain.stdout).toContain('Nothing to canary: service web runs this version already')

    const undo = await run({ mode: 'rollback' })
    expect(undo.errors).toEqual([])
    expect(service().taskDefinition).toMatch(/webapp:1$/)
    const undoAgain = await run({ mode: 'rollback' })
    expect(writesOf(undoAgain)).toEqual([])
  }, 180_000)
})
