/**
 * Real HTTP requests through the demo router over the `rolling` world, while the bundle runs a
 * standalone canary task: one canary task beside the service's two takes about a third of the
 * requests, a promote sends all of them to the new version on two service tasks and no canary,
 * and a rollback after it sends all of them back to the old one.
 */
import { describe, expect, it } from '@jest/globals'
import { sample } from '../../sandbox/traffic.js'
import { step, useDemoTraffic, useSandbox } from './harness.js'
import {
  canaryTargets,
  canaryTasks,
  IMAGE,
  notStopped,
  ROLLING_INPUTS,
  serviceRevisions
} from './standalone-world.js'

const sandbox = useSandbox({ resetEach: false })
const traffic = useDemoTraffic(sandbox, 33)
const run = (inputs: Record<string, string>) =>
  step(sandbox, { ...ROLLING_INPUTS, 'health-timeout-seconds': '60', ...inputs }, { bare: true })

/**
 * 600 requests: at p = 1/3 the count of 1.0.1 answers has a standard deviation of about 11.5, so
 * 27–40 % (about ±3.5 standard deviations) holds for any seed while 0 %, 50 % or 100 % fails.
 */
const REQUESTS = 600

describe('a canary task takes its share of real requests', () => {
  it('1 canary task beside 2 service tasks ≈ 33 %; promote → 100 % new; rollback → 100 % old', async () => {
    sandbox.reset('rolling')
    const before = await sample(traffic.url, REQUESTS)
    expect(before).toEqual({ '1.0.0': REQUESTS })

    const canary = await run({ mode: 'canary', image: IMAGE('1.0.1'), 'canary-weight': '33.3' })
    expect(canary.errors).toEqual([])
    expect(canary.code).toBe(0)
    expect(notStopped(canaryTasks(sandbox.world))).toHaveLength(1)
    expect(canaryTargets(sandbox.world)).toHaveLength(1)
    const split = await sample(traffic.url, REQUESTS)
    expect(Object.keys(split).sort()).toEqual(['1.0.0', '1.0.1'])
    const share = (100 * split['1.0.1']) / REQUESTS
    expect(share).toBeGreaterThan(27)
    expect(share).toBeLessThan(40)

    const promote = await run({ mode: 'promote' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    const revision = canary.outputs['task-definition-arn'].split('/').pop()!
    expect(serviceRevisions(sandbox.world)).toEqual([revision, revision])
    expect(notStopped(canaryTasks(sandbox.world))).toEqual([])
    expect(canaryTargets(sandbox.world)).toEqual([])
    expect(await sample(traffic.url, REQUESTS)).toEqual({ '1.0.1': REQUESTS })

    const rollback = await run({ mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(rollback.code).toBe(0)
    expect(serviceRevisions(sandbox.world)).toEqual(['webapp:1', 'webapp:1'])
    expect(await sample(traffic.url, REQUESTS)).toEqual({ '1.0.0': REQUESTS })
  }, 120_000)
})
