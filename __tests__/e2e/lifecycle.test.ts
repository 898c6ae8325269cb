/**
 * The whole canary lifecycle against the sandbox, one bundled-action run per step, the way a
 * workflow runs it: status → canary 10 → canary 50 → rollback → canary 25 → promote.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  operations,
  pieOf,
  ruleWeights,
  stableTag,
  step,
  useSandbox,
  type Step
} from './harness.js'

const sandbox = useSandbox({ resetEach: false })

interface Expected {
  inputs: Record<string, string>
  /** Percent per colour after the step (the `weights` output). */
  shares: { Blue: number; Green: number }
  /** Raw ALB weights in the rule after the step. */
  rule: { Blue: number; Green: number }
  canaryWeight: string
  previousCanaryWeight: string
  stable: 'Blue' | 'Green'
  previousStable: 'Blue' | 'Green'
  changed: boolean
  writes: string[]
  tag: 'Blue' | 'Green'
}

const LIFECYCLE: [string, Expected][] = [
  [
    'status',
    {
      inputs: { mode: 'status' },
      shares: { Blue: 100, Green: 0 },
      rule: { Blue: 100, Green: 0 },
      canaryWeight: '0',
      previousCanaryWeight: '0',
      stable: 'Blue',
      previousStable: 'Blue',
      changed: false,
      writes: [],
      tag: 'Blue'
    }
  ],
  [
    'canary 10',
    {
      inputs: { mode: 'canary', 'canary-weight': '10' },
      shares: { Blue: 90, Green: 10 },
      rule: { Blue: 90, Green: 10 },
      canaryWeight: '10',
      previousCanaryWeight: '0',
      stable: 'Blue',
      previousStable: 'Blue',
      changed: true,
      writes: ['ModifyRule'],
      tag: 'Blue'
    }
  ],
  [
    'canary 50',
    {
      inputs: { mode: 'canary', 'canary-weight': '50' },
      shares: { Blue: 50, Green: 50 },
      rule: { Blue: 50, Green: 50 },
      canaryWeight: '50',
      previousCanaryWeight: '10',
      stable: 'Blue',
      previousStable: 'Blue',
      changed: true,
      writes: ['ModifyRule'],
      tag: 'Blue'
    }
  ],
  [
    'rollback',
    {
      inputs: { mode: 'rollback' },
      shares: { Blue: 100, Green: 0 },
      rule: { Blue: 100, Green: 0 },
      canaryWeight: '0',
      previousCanaryWeight: '50',
      stable: 'Blue',
      previousStable: 'Blue',
      changed: true,
      writes: ['ModifyRule'],
      tag: 'Blue'
    }
  ],
  [
    'canary 25',
    {
      inputs: { mode: 'canary', 'canary-weight': '25' },
      shares: { Blue: 75, Green: 25 },
      rule: { Blue: 75, Green: 25 },
      canaryWeight: '25',
      previousCanaryWeight: '0',
      stable: 'Blue',
      previousStable: 'Blue',
      changed: true,
      writes: ['ModifyRule'],
      tag: 'Blue'
    }
  ],
  [
    'promote',
    {
      inputs: { mode: 'promote' },
      shares: { Blue: 0, Green: 100 },
      rule: { Blue: 0, Green: 100 },
      // After promote the canary colour is Blue, with no traffic.
      canaryWeight: '0',
      previousCanaryWeight: '25',
      stable: 'Green',
      previousStable: 'Blue',
      changed: true,
      writes: ['ModifyRule', 'TagResource'],
      tag: 'Green'
    }
  ]
]

describe('lifecycle: status → canary 10 → canary 50 → rollback → canary 25 → promote', () => {
  // One world for the whole sequence: each step starts where the previous one left off.
  beforeAll(() => sandbox.reset())

  const runs: Step[] = []

  it.each(LIFECYCLE)('%s', async (name, expected) => {
    const run = await step(sandbox, expected.inputs)
    runs.push(run)
    expect({
      name,
      code: run.code,
      errors: run.errors,
      stderr: run.code ? run.stderr : ''
    }).toEqual({ name, code: 0, errors: [], stderr: '' })

    const canary = expected.stable === 'Blue' ? 'Green' : 'Blue'
    expect(JSON.parse(run.outputs.weights)).toEqual(expected.shares)
    expect(run.outputs).toMatchObject({
      'canary-weight': expected.canaryWeight,
      'previous-canary-weight': expected.previousCanaryWeight,
      'stable-color': expected.stable,
      'canary-color': canary,
      'previous-stable-color': expected.previousStable,
      'blue-weight': String(expected.shares.Blue),
      'green-weight': String(expected.shares.Green),
      changed: String(expected.changed),
      'listener-rule-arn': sandbox.world.rules[0].arn
    })

    // The sandbox agrees with the outputs, and only the expected writes were made.
    expect(ruleWeights(sandbox.world)).toEqual(expected.rule)
    expect(stableTag(sandbox.world)).toBe(expected.tag)
    expect(operations(run.writes)).toEqual(expected.writes)
    expect(run.writes.every((w) => w.status === 200)).toBe(true)

    // The job summary: heading, one table per colour, the pie of the split after the step.
    const outcome = expected.changed ? 'changed' : 'no change'
    const mode = expected.inputs.mode
    expect(run.summary).toContain(`## ✅ myservice: ${mode} — ${outcome}`)
    expect(run.summary).toContain(`### ${expected.stable} (stable)\n| | |\n|---|---|\n`)
    expect(run.summary).toContain(`### ${canary} (canary)\n| | |\n|---|---|\n`)
    // The pie leaves out a colour with 0 %.
    const slices = Object.entries(expected.shares).filter(([, share]) => share > 0)
    expect(pieOf(run.summary)).toEqual(Object.fromEntries(slices))
    expect(run.summary).toContain(expected.changed ? '### What was written' : 'No change.')
    expect(run.stdout).toContain(
      `::notice::${mode}: myservice ${expected.changed ? 'now' : 'unchanged at'} ` +
        `Blue ${expected.shares.Blue}%25 / Green ${expected.shares.Green}%25, stable ${expected.stable}.`
    )
  })

  it('promote left the StableStack tag on Green and the rule fully on Green', () => {
    expect(runs).toHaveLength(LIFECYCLE.length)
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    const promote = runs[runs.length - 1]
    // The tag is written only after the rule write has answered with the new weights.
    const ops = operations(promote.writes)
    expect(ops.indexOf('ModifyRule')).toBeGreaterThan(-1)
    expect(ops.indexOf('TagResource')).toBeGreaterThan(ops.indexOf('ModifyRule'))
    const rule = promote.writes.find((r) => r.operation === 'ModifyRule')!
    const tag = promote.writes.find((r) => r.operation === 'TagResource')!
    expect(tag.start).toBeGreaterThanOrEqual(rule.end)
  })
})
