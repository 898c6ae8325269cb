import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { inputs } from '../__fixtures__/inputs.js'
import { thrown } from '../__fixtures__/thrown.js'
import { InputError } from '../src/errors.js'
import { planSchedule } from '../src/plan.js'
import { parseDuration, parseSteps, parseStrategy, PRESETS } from '../src/schedule.js'

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

describe('planSchedule', () => {
  it('a walk skips the steps the canary already has and promotes at 100 %', () => {
    const plans = planSchedule('Blue', { Blue: 75, Green: 25 }, [100, 250, 500, 1000], true)
    expect(plans.map((p) => [p.mode, p.weightsAfter])).toEqual([
      ['canary', { Blue: 50, Green: 50 }],
      ['promote', { Blue: 0, Green: 100 }]
    ])
    expect(plans[1].tagAfter).toBe('Green')
  })

  it('a single canary-weight may lower the share and never promotes', () => {
    expect(planSchedule('Blue', { Blue: 50, Green: 50 }, [100], false)[0].weightsAfter).toEqual({
      Blue: 90,
      Green: 10
    })
    expect(planSchedule('Blue', { Blue: 100, Green: 0 }, [1000], false)[0].tagAfter).toBeUndefined()
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
