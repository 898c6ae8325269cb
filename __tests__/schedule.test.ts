import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { inputs } from '../__fixtures__/inputs.js'
import { thrown } from '../__fixtures__/thrown.js'
import { InputError } from '../src/errors.js'
import type { Color } from '../src/color.js'
import { planRun, type Intent, type PlanState, type RunPlan } from '../src/plan.js'
import { splitOfWeights } from '../src/routers/alb/weights.js'
import {
  parseDuration,
  parseSteps,
  parseStrategy,
  PRESETS,
  type Schedule
} from '../src/schedule.js'
import type { Split } from '../src/shares.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['0', 0],
    ['6h', 21_600_000]
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text, 'bake-time')).toBe(ms)
  })

  it.each(['', '5', '5 m', '1.5m', '-1s', '7h', 'm', '30s5m'])('refuses %j', (text) => {
    expect(thrown(InputError, () => parseDuration(text, 'bake-time')).message).toMatch(
      /"bake-time" is .* such as 90s, 5m/
    )
  })
})

describe('parseSteps', () => {
  it.each([
    ['5,25,50', [50, 250, 500]],
    ['5 25 50 100', [50, 250, 500, 1000]],
    ['0.5, 1', [5, 10]]
  ])('%s', (text, steps) => {
    expect(parseSteps(text)).toEqual(steps)
  })

  it.each([
    ['10,5', /must increase/],
    ['10,10', /must increase/],
    ['0,10', /"0"/],
    ['10,abc', /"abc"/],
    ['101', /"101"/],
    [',', /empty/]
  ])('refuses %j', (text, message) => {
    expect(thrown(InputError, () => parseSteps(text)).message).toMatch(message)
  })
})

describe('parseStrategy', () => {
  it.each([
    ['AllAtOnce', [1000], 0],
    ['Canary10Percent5Minutes', [100, 1000], 300_000],
    ['Canary10Percent15Minutes', [100, 1000], 900_000],
    ['Canary25Percent2Minutes', [250, 1000], 120_000],
    ['Linear10PercentEvery1Minute', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 60_000],
    ['Linear10PercentEvery3Minutes', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 180_000],
    ['Linear30PercentEvery2Minutes', [300, 600, 900, 1000], 120_000]
  ])('%s', (name, steps, bakeMs) => {
    expect(parseStrategy(name)).toEqual({ steps, bakeMs })
  })

  it('knows every listed preset', () => {
    for (const name of PRESETS) expect(parseStrategy(name).steps.at(-1)).toBe(1000)
  })

  it.each([
    'Canary0Percent5Minutes',
    'canary10percent5minutes',
    'Linear0PercentEvery1Minute',
    'Blue',
    ''
  ])('refuses %j and names the valid forms', (name) => {
    expect(thrown(InputError, () => parseStrategy(name)).message).toMatch(
      /Unknown strategy .* CanaryXPercentYMinutes .* LinearXPercentEveryYMinutes/
    )
  })

  it('linear presets always increase and end at 100 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 60 }), (x, y) => {
        const { steps } = parseStrategy(`Linear${x}PercentEvery${y}Minutes`)
        expect(steps.at(-1)).toBe(1000)
        steps.forEach((s, i) => i > 0 && expect(s).toBeGreaterThan(steps[i - 1]))
      })
    )
  })
})

/** A canary run over `schedule` as an ALB route plans it (every whole permille is reachable). */
function planCanary(stable: Color, split: Split, schedule: Schedule, over: Partial<Intent> = {}) {
  const intent: Intent = {
    mode: 'canary',
    schedule,
    undoPromotion: false,
    scaleDownAfterPromote: false,
    ...over
  }
  const state: PlanState = {
    stable,
    split,
    previousTag: 'StableStackPrevious',
    versions: { Blue: 'web:1', Green: 'web:2' },
    retired: { Blue: false, Green: false },
    recordTag: 'StableStackPromotion'
  }
  return planRun(intent, state, (share) => [share])
}

const walk = (steps: number[], bakeMs = 60_000): Schedule => ({
  steps,
  bakeMs,
  source: `steps ${steps.map((s) => s / 10).join(',')}`,
  walk: true
})
const single = (share: number): Schedule => ({
  steps: [share],
  bakeMs: 0,
  source: 'canary-weight',
  walk: false
})
const shape = (p: RunPlan) => p.steps.map((s) => [s.kind, s.split, s.tag])

describe('planRun over a schedule', () => {
  it('a walk skips the steps the canary already has and promotes at 100 %', () => {
    const p = planCanary(
      'Blue',
      splitOfWeights({ Blue: 75, Green: 25 }),
      walk([100, 250, 500, 1000])
    )
    expect(shape(p)).toEqual([
      ['shift', { Blue: 500, Green: 500 }, undefined],
      ['promote', { Blue: 0, Green: 1000 }, 'Green']
    ])
    expect(p.steps.map((s) => s.bakeMs)).toEqual([60_000, 0])
    expect(p.steps.map((s) => s.gate)).toEqual([true, true])
    expect(p).toMatchObject({ stableAfter: 'Green', openTestTraffic: true, closeTestTraffic: true })
    expect(p.reason).toBe(
      'Canary Green walks steps 10,25,50,100: 2 step(s) to go, holding each 60 s.'
    )
  })

  it('a walk from the start takes every step, each against the split the one before leaves', () => {
    const p = planCanary('Green', { Blue: 0, Green: 1000 }, walk([50, 250, 500]))
    expect(shape(p)).toEqual([
      ['shift', { Blue: 50, Green: 950 }, undefined],
      ['shift', { Blue: 250, Green: 750 }, undefined],
      ['shift', { Blue: 500, Green: 500 }, undefined]
    ])
    expect(p.steps.every((s) => s.write && s.gate)).toBe(true)
    expect(p).toMatchObject({ stableAfter: 'Green', closeTestTraffic: false })
  })

  it('a single canary-weight may lower the share and never promotes', () => {
    const lower = planCanary('Blue', { Blue: 500, Green: 500 }, single(100))
    expect(shape(lower)).toEqual([['shift', { Blue: 900, Green: 100 }, undefined]])
    expect(lower.steps[0].gate).toBe(false)
    const all = planCanary('Blue', { Blue: 1000, Green: 0 }, single(1000))
    expect(shape(all)).toEqual([['shift', { Blue: 0, Green: 1000 }, undefined]])
    expect(all.stableAfter).toBe('Blue')
    expect(all.closeTestTraffic).toBe(false)
  })

  it('AllAtOnce from 0 % promotes in one step', () => {
    const { steps, bakeMs } = parseStrategy('AllAtOnce')
    const schedule: Schedule = { steps, bakeMs, source: 'strategy AllAtOnce', walk: true }
    const p = planCanary('Blue', { Blue: 1000, Green: 0 }, schedule, {
      scaleDownAfterPromote: true
    })
    expect(p.steps).toEqual([
      {
        kind: 'promote',
        canary: 'Green',
        share: 1000,
        split: { Blue: 0, Green: 1000 },
        write: true,
        gate: true,
        bakeMs: 0,
        tag: 'Green',
        record: { promoted: 'web:2', replaced: 'web:1' },
        restore: false,
        gates: 'all',
        retire: 'Blue'
      }
    ])
    expect(p).toMatchObject({ stableAfter: 'Green', openTestTraffic: true, closeTestTraffic: true })
  })

  it('a walk that stopped after the shift to 100 % finishes with the tag only', () => {
    const p = planCanary('Blue', { Blue: 0, Green: 1000 }, walk([100, 1000]))
    expect(shape(p)).toEqual([['promote', { Blue: 0, Green: 1000 }, 'Green']])
    expect(p.steps[0]).toMatchObject({ write: false, gate: false })
  })

  it('a walk whose steps are all done plans nothing and says so', () => {
    const p = planCanary('Blue', { Blue: 500, Green: 500 }, walk([100, 250, 500]))
    expect(p.steps).toEqual([])
    expect(p).toMatchObject({
      stableAfter: 'Blue',
      openTestTraffic: false,
      closeTestTraffic: false
    })
    expect(p.reason).toBe(
      'Every step of steps 10,25,50 is done already: Green has at least the last share.'
    )
  })
})

describe('inputs for progressive runs', () => {
  it.each([
    [{ mode: 'canary', steps: '5,25', strategy: 'AllAtOnce' }, /either "steps" or "strategy"/],
    [{ mode: 'promote', steps: '5,25' }, /use it with mode canary, not promote/],
    [{ mode: 'canary', strategy: 'Fast' }, /Unknown strategy "Fast"/],
    [{ mode: 'canary', 'bake-time': '5 minutes' }, /"bake-time" is "5 minutes"/],
    [{ mode: 'canary', 'on-cancel': 'ignore' }, /"on-cancel" is "ignore"/],
    [{ mode: 'canary', 'undo-promotion': 'true' }, /"undo-promotion" goes with mode rollback/],
    [
      { mode: 'canary', 'test-header': 'X-Canary' },
      /"test-header" is "X-Canary": write it as "Name: value"/
    ],
    [
      { mode: 'canary', 'test-query': 'canary' },
      /"test-query" is "canary": write it as "key=value"/
    ],
    [{ mode: 'canary', 'test-rule-priority': '0' }, /"test-rule-priority" is "0"/],
    [{ mode: 'canary', 'test-listener-arn': 'listener-1' }, /"test-listener-arn" is "listener-1"/],
    [{ mode: 'canary', 'treat-missing-alarm-data-as-failure': 'yes' }, /must be true or false/],
    [{ mode: 'canary', 'scale-down-after-promote': '1' }, /must be true or false/]
  ])('%j is refused', (given, message) => {
    expect(thrown(InputError, () => inputs(given)).message).toMatch(message)
  })

  it('reads a strategy with a bake-time override, alarms and test traffic', () => {
    const parsed = inputs({
      mode: 'canary',
      strategy: 'Canary10Percent5Minutes',
      'bake-time': '20s',
      alarms: ' a-5xx \n b-latency, a-5xx ',
      'alarm-prefix': 'svc-',
      'test-header': 'X-Canary:  yes please',
      'test-query': 'canary=1',
      'test-rule-priority': '7'
    })
    expect(parsed.schedule).toEqual({
      steps: [100, 1000],
      bakeMs: 20_000,
      source: 'strategy Canary10Percent5Minutes',
      walk: true
    })
    expect(parsed.alarms).toEqual({
      names: ['a-5xx', 'b-latency'],
      prefix: 'svc-',
      treatMissingDataAsFailure: false
    })
    expect(parsed.testTraffic).toEqual({
      header: { name: 'X-Canary', value: 'yes please' },
      query: { key: 'canary', value: '1' },
      priority: 7
    })
  })
})
