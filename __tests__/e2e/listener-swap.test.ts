/**
 * The listener swap end to end: the bundled action points the test listener at the canary,
 * promote swaps both listeners' target groups while real requests through the demo router (which
 * serves the production listener) follow the change, reruns write nothing, and an undo swaps back.
 */
import { describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { World } from '../../sandbox/world.js'
import {
  expectCleanFailure,
  forwardedGroupNames,
  operations,
  stableTag,
  step,
  useDemoTraffic,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const router = useDemoTraffic(sandbox, 5)

const listeners = (w: World) => ({ production: w.listeners[0].arn, test: w.listeners[1].arn })

function swapInputs(): Record<string, string> {
  const { production, test } = listeners(sandbox.world)
  return { 'production-listener-arn': production, 'test-listener-arn': test }
}

/** The target group names each listener forwards to. */
function pointing(): { production: string[]; test: string[] } {
  const w = sandbox.world
  return {
    production: forwardedGroupNames(w, w.listeners[0].defaultActions),
    test: forwardedGroupNames(w, w.listeners[1].defaultActions)
  }
}

/** The versions that answered 50 requests through the production listener. */
async function versions(): Promise<string[]> {
  const get = () =>
    new Promise<string>((resolve, reject) => {
      http
        .get(`${router.url}/`, (res) => {
          let body = ''
          res.on('data', (chunk: Buffer) => (body += chunk.toString()))
          res.on('end', () =>
            resolve(body.includes('1.0.1') ? '1.0.1' : body.includes('1.0.0') ? '1.0.0' : body)
          )
        })
        .on('error', reject)
    })
  const bodies = await Promise.all(Array.from({ length: 50 }, get))
  return [...new Set(bodies)].sort()
}

describe('listener swap', () => {
  it('canary 0 → promote swaps → undo swaps back; reruns write nothing', async () => {
    sandbox.reset('listener-swap')
    expect(await versions()).toEqual(['1.0.0'])

    const canary = await step(sandbox, { mode: 'canary', 'canary-weight': '0', ...swapInputs() })
    expect(canary.errors).toEqual([])
    expect(operations(canary.writes)).toEqual(['ModifyListener'])
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['green-tg'] })
    expect(await versions()).toEqual(['1.0.0'])

    const promote = await step(sandbox, { mode: 'promote', ...swapInputs() })
    expect(promote.errors).toEqual([])
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['blue-tg'] })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(await versions()).toEqual(['1.0.1'])

    const rerun = await step(sandbox, { mode: 'promote', ...swapInputs() })
    expect(rerun.code).toBe(0)
    expect(rerun.writes).toEqual([])
    expect(pointing()).toEqual({ production: ['green-tg'], test: ['blue-tg'] })

    const undo = await step(sandbox, {
      mode: 'rollback',
      'undo-promotion': 'true',
      ...swapInputs()
    })
    expect(undo.errors).toEqual([])
    expect(pointing()).toEqual({ production: ['blue-tg'], test: ['green-tg'] })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(await versions()).toEqual(['1.0.0'])

    const again = await step(sandbox, { mode: 'rollback', ...swapInputs() })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])
  })

  it('a share between 0 and 100 is refused as all-or-nothing; nothing is written', async () => {
    sandbox.reset('listener-swap')
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10', ...swapInputs() })
    expect(expectCleanFailure(run)).toMatch(/moves all traffic or none/)
    expect(run.allWrites).toEqual([])
  })

  it('a test listener whose default action is not a forward is refused; nothing is written', async () => {
    sandbox.reset('listener-swap')
    sandbox.world.listeners[1].defaultActions = [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }
    ]
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '0', ...swapInputs() })
    expect(expectCleanFailure(run)).toMatch(/Test listener .* has no forward action/)
    expect(run.allWrites).toEqual([])
  })
})
