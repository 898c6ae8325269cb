/**
 * The `result` output of the bundled action, for every mode and way a step ends. step() checks
 * every result against docs/result.schema.json and the result file; these tests check what the
 * result says, and that a run on Node 20 prints no SDK warning about Node versions.
 */
import { describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../sandbox/mutations.js'
import { setRuleWeights, step, useSandbox, type Step } from './harness.js'

const sandbox = useSandbox()

function resultOf(run: Step): Record<string, unknown> {
  expect(run.outputs.result).toBeDefined()
  expect(run.resultFile).toBeDefined()
  return JSON.parse(run.outputs.result) as Record<string, unknown>
}

describe('result, one per mode', () => {
  it.each([
    ['status', { mode: 'status' }, 'unchanged', 0],
    ['canary', { mode: 'canary', 'canary-weight': '10' }, 'changed', 1],
    ['dry run', { mode: 'canary', 'canary-weight': '30', 'dry-run': 'true' }, 'dry-run', 0],
    ['promote', { mode: 'promote' }, 'changed', 2],
    ['rollback', { mode: 'rollback' }, 'changed', 1],
    ['steps', { mode: 'canary', steps: '5,20', 'bake-time': '1s' }, 'changed', 2]
  ])('%s (%j): outcome %s, with its writes', async (_, inputs, outcome, writes) => {
    if (inputs.mode !== 'status' && inputs.mode !== 'canary') setRuleWeights(sandbox, 80, 20)
    const run = await step(sandbox, inputs)
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(result).toMatchObject({ schemaVersion: 1, mode: inputs.mode, outcome })
    expect(result.writes).toHaveLength(writes)
    expect(run.outputs.outcome).toBe(outcome)
    // The SDK's Node-version notice is not printed on every run.
    expect(run.stderr).not.toContain('NodeVersionSupportWarning')
  })

  it('steps: each with its start time, bake and gate readings', async () => {
    const run = await step(sandbox, { mode: 'canary', steps: '5,20', 'bake-time': '1s' })
    const steps = resultOf(run).steps as {
      share: number
      startedAt: string
      bakeSeconds: number
      bakedSeconds: number
      gates: { gate: string; text: string }[]
    }[]
    expect(steps.map((s) => s.share)).toEqual([5, 20])
    expect(steps.map((s) => s.bakeSeconds)).toEqual([1, 1])
    for (const s of steps) {
      expect(s.bakedSeconds).toBeGreaterThanOrEqual(1)
      expect(s.gates).toContainEqual({ gate: 'health gate', text: 'healthy' })
    }
    expect(Date.parse(steps[1].startedAt)).toBeGreaterThan(Date.parse(steps[0].startedAt))
  })

  it('a gate that fails after a shift: rolled-back, with the message', async () => {
    sandbox.reset('unhealthy-canary')
    setRuleWeights(sandbox, 90, 10)
    const run = await step(sandbox, { mode: 'promote', 'health-timeout-seconds': '1' })
    expect(run.code).toBe(1)
    const result = resultOf(run)
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      message: expect.stringMatching(/Rolled back: all traffic is on Blue again\.$/),
      after: { stable: 'Blue', weights: { Blue: 100, Green: 0 } }
    })
  })

  it('bad input: failed-before-write, and the outputs that are known', async () => {
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': 'ten' })
    expect(run.code).toBe(1)
    expect(resultOf(run)).toMatchObject({ outcome: 'failed-before-write', writes: [] })
    expect(run.outputs).toMatchObject({
      outcome: 'failed-before-write',
      changed: 'false',
      'rolled-back': 'false'
    })
    expect(run.outputs['stable-color']).toBeUndefined()
  })

  it('a refusal after reading the service: failed-before-write with the live state', async () => {
    setRuleWeights(sandbox, 70, 30)
    // Another live run holds the service.
    const until = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    applyMutation(sandbox.world, {
      type: 'set-tag',
      key: 'StableStackLease',
      value: `run 77 attempt 1 job deploy canary until ${until} id 0123456789ab`
    })
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '50' })
    expect(run.code).toBe(1)
    expect(resultOf(run)).toMatchObject({
      outcome: 'failed-before-write',
      before: { stable: 'Blue', weights: { Blue: 70, Green: 30 } }
    })
    expect(run.outputs).toMatchObject({
      outcome: 'failed-before-write',
      'stable-color': 'Blue',
      weights: JSON.stringify({ Blue: 70, Green: 30 })
    })
  })
})
