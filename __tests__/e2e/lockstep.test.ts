/**
 * Routes that move in lockstep, end to end: the bundled action finds both rules that forward to
 * the colours (`/api/*` and `/*`), moves them together through canary, promote and an undo while
 * real requests through the demo router follow each change on both paths, refuses rules set
 * apart by hand (rollback realigns them), and a rerun after a crash between the two writes
 * converges.
 */
import type { ChildProcess } from 'node:child_process'
import { describe, expect, it } from '@jest/globals'
import http from 'node:http'
import {
  expectCleanFailure,
  operations,
  ruleWeights,
  stableTag,
  step,
  useDemoTraffic,
  useSandbox
} from './harness.js'
import { newRunId, runEnv } from './reliability/run-env.js'

const sandbox = useSandbox()

const router = useDemoTraffic(sandbox, 11)

/** Discovery finds the rules: neither the input nor the stack names one. */
const DISCOVERED = 'api-rule+no-listener-rule-output'

/** Both rules' raw weights: the `/*` rule (index 0) and the `/api/*` rule (index 1). */
function bothRules() {
  return [ruleWeights(sandbox.world, 0), ruleWeights(sandbox.world, 1)]
}

function get(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`${router.url}${path}`, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve(body))
      })
      .on('error', reject)
  })
}

/** The share of `count` requests to `path` that the Green version (1.0.1) answered. */
async function greenShare(path: string, count = 200): Promise<number> {
  const bodies = await Promise.all(Array.from({ length: count }, () => get(path)))
  const green = bodies.filter((b) => b.includes('1.0.1')).length
  expect(bodies.filter((b) => !b.includes('1.0.1') && !b.includes('1.0.0'))).toEqual([])
  return green / count
}

describe('routes in lockstep', () => {
  it('canary → promote → undo move both rules together; reruns write nothing', async () => {
    sandbox.reset(DISCOVERED)
    expect([await greenShare('/api/orders'), await greenShare('/shop')]).toEqual([0, 0])

    const canary = await step(sandbox, { mode: 'canary', 'canary-weight': '50' })
    expect(canary.errors).toEqual([])
    expect(operations(canary.writes)).toEqual(['ModifyRule', 'ModifyRule'])
    expect(bothRules()).toEqual([
      { Blue: 50, Green: 50 },
      { Blue: 50, Green: 50 }
    ])
    expect(canary.summary).toContain('Routes that move together')
    for (const path of ['/api/orders', '/shop']) {
      const share = await greenShare(path)
      expect(share).toBeGreaterThan(0.3)
      expect(share).toBeLessThan(0.7)
    }
    const result = JSON.parse(canary.outputs.result) as {
      route: { kind: string; routes: unknown[] }
    }
    expect(result.route.kind).toBe('listener-rules')
    expect(result.route.routes).toHaveLength(2)

    const again = await step(sandbox, { mode: 'canary', 'canary-weight': '50' })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])

    const promote = await step(sandbox, { mode: 'promote' })
    expect(promote.errors).toEqual([])
    expect(operations(promote.writes)).toEqual(['ModifyRule', 'ModifyRule', 'TagResource'])
    expect(stableTag(sandbox.world)).toBe('Green')
    expect([await greenShare('/api/orders'), await greenShare('/shop')]).toEqual([1, 1])

    const rerun = await step(sandbox, { mode: 'promote' })
    expect(rerun.code).toBe(0)
    expect(rerun.writes).toEqual([])

    const undo = await step(sandbox, { mode: 'rollback', 'undo-promotion': 'true' })
    expect(undo.errors).toEqual([])
    expect(operations(undo.writes).filter((op) => op === 'ModifyRule')).toHaveLength(2)
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect([await greenShare('/api/orders'), await greenShare('/shop')]).toEqual([0, 0])

    const undoAgain = await step(sandbox, { mode: 'rollback', 'undo-promotion': 'true' })
    expect(undoAgain.code).toBe(0)
    expect(undoAgain.writes).toEqual([])
  })

  it('rules set apart by hand are refused before any write; rollback realigns them', async () => {
    sandbox.reset('api-rule-apart+no-listener-rule-output')
    const refused = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    const message = expectCleanFailure(refused)
    expect(message).toMatch(
      /routes that move together disagree: .*7a1c3e5f2b4d6e80 holds Blue 90% \/ Green 10%; .*holds Blue 100% \/ Green 0%/
    )
    expect(message).toContain('Run mode rollback')
    expect(refused.allWrites).toEqual([])

    const rollback = await step(sandbox, { mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(bothRules()).toEqual([
      { Blue: 100, Green: 0 },
      { Blue: 100, Green: 0 }
    ])
    expect(await greenShare('/api/orders')).toBe(0)
  })

  it('a crash between the two writes converges when the job is run again', async () => {
    sandbox.reset(DISCOVERED)
    const runId = newRunId()
    let child: ChildProcess | undefined
    // The first rule's write is applied; the process dies before the second reaches AWS.
    sandbox.faults.afterWrite('ModifyRule', async () => {
      sandbox.faults.failWritesFrom(1)
      await new Promise<void>((resolve) => {
        child!.once('exit', () => resolve())
        child!.kill('SIGKILL')
      })
    })
    const crashed = await step(
      sandbox,
      { mode: 'canary', 'canary-weight': '20' },
      { env: runEnv(runId, 1), onSpawn: (spawned) => (child = spawned) }
    )
    sandbox.faults.clear()
    expect(crashed.signal).toBe('SIGKILL')
    const apart = bothRules()
    expect(apart).toContainEqual({ Blue: 80, Green: 20 })
    expect(apart).toContainEqual({ Blue: 100, Green: 0 })

    const rerun = await step(
      sandbox,
      { mode: 'canary', 'canary-weight': '20' },
      { env: runEnv(runId, 2) }
    )
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    expect(bothRules()).toEqual([
      { Blue: 80, Green: 20 },
      { Blue: 80, Green: 20 }
    ])
    const last = await step(sandbox, { mode: 'canary', 'canary-weight': '20' })
    expect(last.writes).toEqual([])
  })
})
