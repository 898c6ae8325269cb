/**
 * Canary analysis end to end: the bundled action judges the canary from GetMetricData, served by
 * the sandbox from what the demo router recorded while real requests flowed through it. No alarm
 * is configured: a bad release (1.0.2: 5 % 500s, slower) is rolled back by analysis alone within
 * one bake, with both colours' numbers in the summary; a good one (1.0.1) passes its steps.
 *
 * Windows are seconds long here (`window: 5s`, the sandbox publishes after 1 s) so that a run
 * takes seconds; the defaults (2 minutes, 1 minute's delay) work the same way on real CloudWatch.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  sample,
  seededRandom,
  startApp,
  startLoad,
  startRouter,
  type Server
} from '../../sandbox/traffic.js'
import { count, ruleWeights, step, useSandbox } from './harness.js'

const sandbox = useSandbox()

const ANALYSIS = 'window: 5s\ndelay: 1s\nmin-requests: 20\nmax-wait: 15s'
const BAKE_S = 20

let apps: Server[] = []
let router: Server

beforeAll(async () => {
  apps = await Promise.all(['1.0.0', '1.0.1', '1.0.2'].map((v) => startApp(v)))
  router = await startRouter(
    () => sandbox.world,
    { '1.0.0': apps[0].url, '1.0.1': apps[1].url, '1.0.2': apps[2].url },
    seededRandom(12)
  )
  // Warm: a new process's first answers are slow, which is not what these tests are about.
  await Promise.all(apps.map((app) => sample(`${app.url}/`, 50, 4)))
})

afterAll(async () => {
  await Promise.all([router.close(), ...apps.map((a) => a.close())])
})

/** Green's task definition runs `version` from now on. */
function greenRuns(version: string): void {
  const definition = sandbox.world.taskDefinitions.find((d) => d.arn.endsWith('myapp:2'))
  if (!definition) throw new Error('no myapp:2 in the world')
  definition.containers[0].image = `myapp:${version}`
}

/** Runs the action while about 100 requests a second flow through the router. */
async function underLoad(inputs: Record<string, string>) {
  const load = startLoad(`${router.url}/`, 100)
  try {
    return await step(sandbox, inputs)
  } finally {
    await load.stop()
  }
}

describe('canary analysis', () => {
  it('rolls back a bad canary by analysis alone, within one bake, and says why with numbers', async () => {
    greenRuns('1.0.2')
    const run = await underLoad({
      mode: 'canary',
      'canary-weight': '20',
      'bake-time': `${BAKE_S}s`,
      analysis: ANALYSIS
    })
    expect(run.code).toBe(1)
    expect(run.outputs['rolled-back']).toBe('true')
    expect(run.outputs['analysis-verdict']).toBe('fail')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(count(run, 'DescribeAlarms')).toBe(0)
    expect(count(run, 'GetMetricData')).toBeGreaterThan(0)
    const [error] = run.errors
    expect(error).toMatch(
      /^Canary analysis during the bake of step 1 \(Green at 20%\): the canary is worse than stable: /
    )
    expect(error).toMatch(/Green: \d+ requests, [\d.]+% errors, p99 \d+ ms; Blue: \d+ requests/)
    expect(error).toMatch(/Rolled back: all traffic is on Blue again\.$/)
    // Within one bake: the step did not hold its whole bake time.
    const baked = /\| 1 \| 20% \| [\d:]+ \| (\d+) \/ 20 s \|/.exec(run.summary)
    expect(Number(baked?.[1])).toBeLessThan(BAKE_S)
    expect(run.summary).toContain('### Canary analysis (Green against Blue)')
    expect(run.summary).toMatch(
      /\| 1 \| [\d:]+–[\d:]+ UTC \| \d+ \| [\d.]+% \| \d+ ms \| \d+ \| 0\.00% \| \d+ ms \| \*\*fail\*\* \|/
    )
  }, 60_000)

  it('passes a good canary through every step, holding each for a verdict', async () => {
    greenRuns('1.0.1')
    const run = await underLoad({
      mode: 'canary',
      steps: '20,50',
      'bake-time': '8s',
      analysis: ANALYSIS
    })
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs['analysis-verdict']).toBe('pass')
    expect(run.outputs['steps-completed']).toBe('2')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 50, Green: 50 })
    expect(run.summary).toMatch(/\| 1 \| [\d:]+–[\d:]+ UTC \| \d+ \|.*\*\*pass\*\*/)
    expect(run.summary).toMatch(/\| 2 \| [\d:]+–[\d:]+ UTC \| \d+ \|.*\*\*pass\*\*/)
  }, 90_000)

  it('with no requests at all, holds the step up to max-wait and then follows on-inconclusive', async () => {
    greenRuns('1.0.1')
    const failed = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '20',
      analysis: 'window: 1s\ndelay: 1s\nmax-wait: 3s'
    })
    expect(failed.code).toBe(1)
    expect(failed.outputs['analysis-verdict']).toBe('inconclusive')
    expect(failed.errors[0]).toContain('no verdict after holding the step 3 s')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })

    sandbox.reset()
    const passed = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '20',
      analysis: 'window: 1s\ndelay: 1s\nmax-wait: 2s\non-inconclusive: pass'
    })
    expect(passed.code).toBe(0)
    expect(passed.outputs['analysis-verdict']).toBe('inconclusive')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 80, Green: 20 })
  }, 60_000)

  it.each([
    [
      'p99-ratio: fast',
      '"analysis" has p99-ratio "fast": it must be a number of at least 1, e.g. 1.5.'
    ],
    [
      'error-rate-points: 250',
      '"analysis" has error-rate-points "250": it must be a number of percentage points from 0 to 100, e.g. 1.'
    ]
  ])('refuses %j with one message, exit 1 and no AWS call', async (analysis, message) => {
    const run = await step(sandbox, { mode: 'canary', analysis })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([`${message} No traffic was moved; nothing was written.`])
    expect(run.requests).toEqual([])
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})
