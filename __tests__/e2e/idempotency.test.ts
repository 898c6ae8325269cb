/**
 * Every writing mode run twice: the second run finds the target state, writes nothing and says so.
 */
import { describe, expect, it } from '@jest/globals'
import { operations, ruleWeights, setRuleWeights, stableTag, step, useSandbox } from './harness.js'

const sandbox = useSandbox()

interface Case {
  inputs: Record<string, string>
  /** Puts the world where the first run has something to do. */
  setup: () => void
  firstWrites: string[]
  rule: { Blue: number; Green: number }
  shares: { Blue: number; Green: number }
  stable: 'Blue' | 'Green'
}

const CASES: [string, Case][] = [
  [
    'canary 10',
    {
      inputs: { mode: 'canary', 'canary-weight': '10' },
      setup: () => undefined,
      firstWrites: ['ModifyRule'],
      rule: { Blue: 90, Green: 10 },
      shares: { Blue: 90, Green: 10 },
      stable: 'Blue'
    }
  ],
  [
    'promote',
    {
      inputs: { mode: 'promote' },
      setup: () => setRuleWeights(sandbox, 90, 10),
      firstWrites: ['ModifyRule', 'TagResource'],
      rule: { Blue: 0, Green: 100 },
      shares: { Blue: 0, Green: 100 },
      stable: 'Green'
    }
  ],
  [
    'rollback',
    {
      inputs: { mode: 'rollback' },
      setup: () => setRuleWeights(sandbox, 50, 50),
      firstWrites: ['ModifyRule'],
      rule: { Blue: 100, Green: 0 },
      shares: { Blue: 100, Green: 0 },
      stable: 'Blue'
    }
  ]
]

describe('idempotent reruns', () => {
  it.each(CASES)('%s twice: the second run writes nothing', async (_name, c) => {
    c.setup()
    const first = await step(sandbox, c.inputs)
    expect(first.code).toBe(0)
    expect(first.outputs.changed).toBe('true')
    expect(operations(first.writes)).toEqual(c.firstWrites)

    const second = await step(sandbox, c.inputs)
    expect(second.code).toBe(0)
    expect(second.errors).toEqual([])
    expect(second.outputs.changed).toBe('false')
    expect(JSON.parse(second.outputs.weights)).toEqual(c.shares)
    expect(second.outputs['stable-color']).toBe(c.stable)
    // The request log shows reads only for the second run.
    expect(second.requests.length).toBeGreaterThan(0)
    expect(operations(second.writes)).toEqual([])
    expect(second.summary).toContain(`## ✅ myservice: ${c.inputs.mode} — no change`)
    expect(second.summary).toContain('No change.')

    expect(ruleWeights(sandbox.world)).toEqual(c.rule)
    expect(stableTag(sandbox.world)).toBe(c.stable)
  })
})
