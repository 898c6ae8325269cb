/**
 * Cancel: the runner cancels a job with SIGINT (then SIGTERM). A canary run catches it and sends
 * all traffic back to the stable colour before it exits (`on-cancel: rollback`, the default);
 * `on-cancel: hold` leaves the weights and lets the signal end the process. The bake is long
 * (20 s and more), so a run that exits quickly did not simply finish its bake.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import {
  operations,
  ruleWeights,
  stableTag,
  step,
  useSandbox,
  waitForRequest,
  type Step
} from './harness.js'

const sandbox = useSandbox()

interface Watched {
  run: Promise<Step>
  child: () => ChildProcess
  /** Epoch ms of the child's exit, and the rule's weights at that moment. */
  exit: { at?: number; weights?: ReturnType<typeof ruleWeights> }
}

/** Starts the action and records when it exits and what the rule says at that moment. */
function start(inputs: Record<string, string>): Watched {
  let spawned: ChildProcess | undefined
  const exit: Watched['exit'] = {}
  const run = step(sandbox, inputs, {
    onSpawn: (child) => {
      spawned = child
      child.on('exit', () => {
        exit.at = Date.now()
        exit.weights = ruleWeights(sandbox.world)
      })
    }
  })
  return { run, child: () => spawned!, exit }
}

const CANARY = { mode: 'canary', steps: '10,50', 'bake-time': '20s' }

describe('on-cancel: rollback (default)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s during the bake: traffic back to Blue before exit, exit 1 within 5 s',
    async (signal) => {
      const watched = start(CANARY)
      const shift = await waitForRequest(sandbox, 'ModifyRule')
      expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
      // Past the read-back of the shift, so the signal lands in the bake's sleep (the next test
      // covers a signal that arrives earlier).
      await waitForRequest(sandbox, 'DescribeRules', { from: sandbox.log.indexOf(shift) + 1 })
      await new Promise((resolve) => setTimeout(resolve, 100))
      const signalledAt = Date.now()
      watched.child().kill(signal)
      const run = await watched.run

      expect(watched.exit.at! - signalledAt).toBeLessThan(5000)
      expect(run.code).toBe(1)
      expect(run.signal).toBeNull()
      expect(watched.exit.weights).toEqual({ Blue: 100, Green: 0 })
      expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
      expect(stableTag(sandbox.world)).toBe('Blue')
      // The shift, then the rollback; the 50 % step never started.
      expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule'])
      const rollback = run.requests.filter((r) => r.operation === 'ModifyRule')[1]
      expect(rollback.start).toBeGreaterThanOrEqual(signalledAt)

      expect(run.stdout).toContain(`${signal} received`)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(/cancel/i)
      expect(run.errors[0]).toMatch(/rolled back/i)
      expect(run.errors[0]).toContain('Blue')
      expect(run.outputs['rolled-back']).toBe('true')
      expect(run.summary).toContain('## ❌ myservice: canary — failed, rolled back')
    }
  )

  it('SIGINT while the shift is being written (before the bake starts) is not missed', async () => {
    // The signal arrives while ModifyRule is in flight: the after-write hook sends it and holds
    // the response a little so the process has handled the signal before its bake begins. The
    // bake (30 s) polls every 5 s; the cancel must not wait for the first poll to end.
    let signalledAt = 0
    const watched = start({ ...CANARY, 'bake-time': '30s' })
    sandbox.faults.afterWrite('ModifyRule', async () => {
      signalledAt = Date.now()
      watched.child().kill('SIGINT')
      await new Promise((resolve) => setTimeout(resolve, 200))
    })
    const run = await watched.run

    expect(signalledAt).toBeGreaterThan(0)
    expect(run.code).toBe(1)
    expect(watched.exit.weights).toEqual({ Blue: 100, Green: 0 })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/cancel/i)
    expect(run.errors[0]).toMatch(/rolled back/i)
    // The rollback needs no waiting: it starts as soon as the held response is handled.
    const rollback = run.requests.filter((r) => r.operation === 'ModifyRule')[1]
    expect(rollback.start - signalledAt).toBeLessThan(1000)
    expect(watched.exit.at! - signalledAt).toBeLessThan(5000)
  })
})

describe('on-cancel: hold', () => {
  it('SIGINT during the bake: the weights stay at 90/10', async () => {
    const watched = start({ ...CANARY, 'on-cancel': 'hold' })
    await waitForRequest(sandbox, 'ModifyRule')
    const signalledAt = Date.now()
    watched.child().kill('SIGINT')
    const run = await watched.run

    expect(watched.exit.at! - signalledAt).toBeLessThan(5000)
    // The signal ends the process (or, were it caught, exit 1): never success.
    expect(run.signal === 'SIGINT' || run.code === 1).toBe(true)
    expect(run.code).not.toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(operations(run.writes)).toEqual(['ModifyRule'])
  })
})

describe('a signal during the write of a single step', () => {
  it('is honoured once the write returns: the canary goes back to 0 and the run fails', async () => {
    let signalledAt = 0
    const watched = start({ mode: 'canary', 'canary-weight': '10' })
    sandbox.faults.afterWrite('ModifyRule', async () => {
      signalledAt = Date.now()
      watched.child().kill('SIGINT')
      await new Promise((resolve) => setTimeout(resolve, 100))
    })
    const run = await watched.run

    expect(signalledAt).toBeGreaterThan(0)
    expect(run.code).toBe(1)
    expect(watched.exit.at! - signalledAt).toBeLessThan(5000)
    expect(watched.exit.weights).toEqual({ Blue: 100, Green: 0 })
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule'])
    expect(run.errors).toEqual(['Cancelled: rolled back, all traffic is on Blue.'])
    // The lease was given back: the next run is not refused.
    expect(operations(run.leaseWrites)).toEqual(['TagResource', 'UntagResource'])
  })
})
