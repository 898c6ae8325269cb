/**
 * A typo in an input a mode does not use never blocks it: a rollback after a canary, given the
 * malformed canary inputs a shared workflow passes to every mode, rolls back and warns about each.
 */
import { describe, expect, it } from '@jest/globals'
import {
  operations,
  ruleWeights,
  stableTag,
  step,
  unescapeCommand,
  useSandbox,
  type Step
} from './harness.js'

const sandbox = useSandbox()

/** The `::warning::` messages of a run, unescaped. */
function warnings(run: Step): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => unescapeCommand(line.slice('::warning::'.length)))
}

describe('inputs a mode ignores', () => {
  it('rollback with canary-weight 10% and bake-time 5x rolls back, warning about both', async () => {
    const canary = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(canary.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })

    const run = await step(sandbox, { mode: 'rollback', 'canary-weight': '10%', 'bake-time': '5x' })

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^"canary-weight" is "10%": mode rollback ignores it.*e\.g\. 10/),
      expect.stringMatching(/^"bake-time" is "5x": mode rollback ignores it.*90s, 5m/)
    ])
    expect(operations(run.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(run.outputs['weights']).toBe('{"Blue":100,"Green":0}')
  })

  it('the same inputs still fail a canary, with nothing written', async () => {
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10%' })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining('"canary-weight" is "10%"')])
    expect(run.requests).toEqual([])
  })
})
