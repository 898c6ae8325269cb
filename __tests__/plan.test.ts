/**
 * src/plan.ts: the decision for each mode as a pure function of the stable tag, the split read
 * from the route, the record of the last promote and what was asked; shares the router cannot
 * set are refused before anything is written.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { thrown } from '../__fixtures__/thrown.js'
import { COLORS, otherColor, type Color } from '../src/color.js'
import { PlanError } from '../src/errors.js'
import { MODES, type Mode } from '../src/inputs.js'
import {
  planRun,
  type Intent,
  type PlanState,
  type Reachable,
  type RunPlan,
  type StepPlan
} from '../src/plan.js'
import { albWeightsFor, splitOfWeights } from '../src/routers/alb/weights.js'
import { parseStrategy, PRESETS, type Schedule } from '../src/schedule.js'
import { FULL, isEmpty, sameSplit, splitFor, type Permille, type Split } from '../src/shares.js'

/** An ALB route sets every whole permille exactly. */
const alb: Reachable = (share) => [share]

/** A route that can only set whole percents, as a router with coarser units would. */
const wholePercents: Reachable = (share) =>
  share % 10 === 0 ? [share] : [Math.floor(share / 10) * 10, Math.ceil(share / 10) * 10]

const PREVIOUS_TAG = 'StableStackPrevious'
const RECORD_TAG = 'StableStackPromotion'

function single(share: Permille): Schedule {
  return { steps: [share], bakeMs: 0, source: 'canary-weight', walk: false }
}

function intent(mode: Mode, over: Partial<Intent> = {}): Intent {
  return {
    mode,
    schedule: single(100),
    undoPromotion: false,
    scaleDownAfterPromote: false,
    ...over
  }
}

/** Blue runs web:1 and Green web:2; no promotion record. */
const VERSIONS = { Blue: 'web:1', Green: 'web:2' }
const NOT_RETIRED = { Blue: false, Green: false }

function state(stable: Color, split: Split, previousStable?: string): PlanState {
  return {
    stable,
    split,
    ...(previousStable === undefined ? {} : { previousStable }),
    previousTag: PREVIOUS_TAG,
    versions: VERSIONS,
    retired: NOT_RETIRED,
    recordTag: RECORD_TAG
  }
}

/** True when carrying out the plan writes the route, the tag or the old colour's capacity. */
const writesAnything = (p: RunPlan) =>
  p.steps.some(
    (s) => s.write || (s.tag !== undefined && s.tag !== p.stableBefore) || s.retire !== undefined
  )

describe('planRun per mode', () => {
  it('canary raise: writes the share and gates on the canary', () => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      state('Blue', { Blue: 1000, Green: 0 }),
      alb
    )
    expect(p).toMatchObject({
      mode: 'canary',
      stableBefore: 'Blue',
      canaryBefore: 'Green',
      stableAfter: 'Blue',
      splitAfter: { Blue: 900, Green: 100 },
      openTestTraffic: true,
      closeTestTraffic: false
    })
    expect(p.steps).toEqual([
      {
        kind: 'shift',
        canary: 'Green',
        share: 100,
        split: { Blue: 900, Green: 100 },
        write: true,
        gate: true,
        bakeMs: 0,
        restore: false,
        gates: 'all'
      }
    ])
    expect(p.steps[0].tag).toBeUndefined()
    expect(p.steps[0].retire).toBeUndefined()
    expect(p.reason).toContain('Green is the canary colour')
    expect(p.reason).not.toContain('already has the target weights')
  })

  it('canary with a tenth of a percent: written as weights out of 1000', () => {
    const p = planRun(
      intent('canary', { schedule: single(5) }),
      state('Green', { Blue: 0, Green: 1000 }),
      alb
    )
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ canary: 'Blue', share: 5, write: true, gate: true })
    expect(p.steps[0].split).toEqual({ Blue: 5, Green: 995 })
    expect(albWeightsFor(p.steps[0].split)).toEqual({ Blue: 5, Green: 995 })
  })

  it('canary lower: writes without a gate', () => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      state('Blue', { Blue: 500, Green: 500 }),
      alb
    )
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ kind: 'shift', write: true, gate: false })
    expect(p.steps[0].split).toEqual({ Blue: 900, Green: 100 })
    expect(p.splitAfter).toEqual({ Blue: 900, Green: 100 })
  })

  it.each([
    { Blue: 900, Green: 100 },
    { Blue: 90, Green: 10 },
    { Blue: 9, Green: 1 },
    { Blue: 450, Green: 50 }
  ])('canary at the same share in other units (weights %j for 10%%): no write', (weights) => {
    const split = splitOfWeights(weights)
    const p = planRun(intent('canary', { schedule: single(100) }), state('Blue', split), alb)
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ write: false, gate: false })
    expect(p.steps[0].tag).toBeUndefined()
    expect(p.splitAfter).toEqual(split)
    expect(p.stableAfter).toBe('Blue')
    expect(writesAnything(p)).toBe(false)
    expect(p.reason).toContain('already has the target weights')
  })

  it('canary from a route that sends nothing anywhere writes and gates', () => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      state('Blue', { Blue: 0, Green: 0 }),
      alb
    )
    expect(p.steps[0]).toMatchObject({ write: true, gate: true })
    expect(p.steps[0].split).toEqual({ Blue: 900, Green: 100 })
  })

  it('canary 0 from a route that sends nothing anywhere writes but does not gate', () => {
    const p = planRun(
      intent('canary', { schedule: single(0) }),
      state('Blue', { Blue: 0, Green: 0 }),
      alb
    )
    expect(p.steps[0]).toMatchObject({ write: true, gate: false })
    expect(p.steps[0].split).toEqual({ Blue: 1000, Green: 0 })
  })

  it.each([
    { Blue: 90, Green: 10 },
    { Blue: 0, Green: 100 },
    { Blue: 1, Green: 999 },
    { Blue: 0, Green: 0 }
  ])('rollback from weights %j: all traffic to the stable colour, never gated', (weights) => {
    const p = planRun(intent('rollback'), state('Blue', splitOfWeights(weights)), alb)
    const rollback: StepPlan = {
      kind: 'rollback',
      canary: 'Green',
      share: 0,
      split: { Blue: 1000, Green: 0 },
      write: true,
      gate: false,
      gates: 'all',
      bakeMs: 0,
      restore: false
    }
    expect(p.steps).toEqual([rollback])
    expect(p.rollback).toEqual(rollback)
    expect(p.steps[0].tag).toBeUndefined()
    expect(p.stableAfter).toBe('Blue')
    expect(p.splitAfter).toEqual({ Blue: 1000, Green: 0 })
    expect(p.openTestTraffic).toBe(false)
    expect(p.closeTestTraffic).toBe(true)
    expect(p.reason).toContain('Rollback')
    expect(p.reason).not.toContain('already has the target weights')
  })

  it('rollback when the stable colour already has everything: no write, test traffic closed', () => {
    const p = planRun(
      intent('rollback'),
      state('Green', splitOfWeights({ Blue: 0, Green: 7 })),
      alb
    )
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ kind: 'rollback', write: false, gate: false })
    expect(p.steps[0].tag).toBeUndefined()
    expect(writesAnything(p)).toBe(false)
    expect(p.closeTestTraffic).toBe(true)
    expect(p.reason).toContain('already has the target weights')
  })

  it.each([
    { Blue: 100, Green: 0 },
    { Blue: 1, Green: 0 },
    { Blue: 999, Green: 0 }
  ])('promote from 100%% stable (weights %j): nothing to promote', (weights) => {
    const p = planRun(intent('promote'), state('Blue', splitOfWeights(weights)), alb)
    expect(p.steps).toEqual([])
    expect(writesAnything(p)).toBe(false)
    expect(p.stableAfter).toBe('Blue')
    // A promote takes test traffic away even when it has nothing left to promote (a rerun).
    expect(p.closeTestTraffic).toBe(true)
    expect(p.reason).toContain('Nothing to promote')
    expect(p.reason).toContain('mode canary')
  })

  it('promote from a canary share: all traffic to the canary, tag it, gate on it', () => {
    const p = planRun(intent('promote'), state('Blue', { Blue: 900, Green: 100 }), alb)
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
        restore: false,
        gates: 'all',
        // The tag write records which version became stable and which it replaced.
        record: { promoted: 'web:2', replaced: 'web:1' }
      }
    ])
    expect(p.steps[0].retire).toBeUndefined()
    expect(p).toMatchObject({
      stableAfter: 'Green',
      splitAfter: { Blue: 0, Green: 1000 },
      openTestTraffic: false,
      closeTestTraffic: true
    })
    expect(p.reason).toContain('Green becomes the stable colour')
  })

  it('promote with scale-down retires the old stable colour', () => {
    const p = planRun(
      intent('promote', { scaleDownAfterPromote: true }),
      state('Green', { Blue: 250, Green: 750 }),
      alb
    )
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ kind: 'promote', tag: 'Blue', retire: 'Green' })
  })

  it('promote interrupted (canary at 100%, tag still old): tag only, no write, no gate', () => {
    const split = { Blue: 0, Green: 1000 }
    const p = planRun(intent('promote'), state('Blue', split), alb)
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({ kind: 'promote', write: false, gate: false, tag: 'Green' })
    expect(p.splitAfter).toEqual(split)
    expect(p.stableAfter).toBe('Green')
    expect(writesAnything(p)).toBe(true)
  })

  it.each(COLORS)('status with %s stable plans nothing', (stable) => {
    const split = splitOfWeights({ Blue: 3, Green: 7 })
    const canary = otherColor(stable)
    const p = planRun(
      intent('status', { schedule: single(FULL) }),
      state(stable, split, canary),
      alb
    )
    expect(p).toEqual({
      mode: 'status',
      stableBefore: stable,
      canaryBefore: canary,
      splitBefore: split,
      steps: [],
      stableAfter: stable,
      splitAfter: split,
      openTestTraffic: false,
      closeTestTraffic: false,
      forgetPrevious: false,
      rollback: {
        kind: 'rollback',
        canary,
        share: 0,
        split: splitFor(stable, FULL),
        write: true,
        gate: false,
        bakeMs: 0,
        restore: false,
        gates: 'all'
      },
      reason: 'Status only: nothing is written.',
      warnings: []
    })
    expect(writesAnything(p)).toBe(false)
  })
})

describe('planRun: undo of the last promotion', () => {
  const undo = (stable: Color, split: Split, previousStable?: string) =>
    planRun(intent('rollback', { undoPromotion: true }), state(stable, split, previousStable), alb)

  it('gives the traffic and the tag back to the colour stable before the promote', () => {
    const p = undo('Green', { Blue: 0, Green: 1000 }, 'Blue')
    expect(p.steps).toEqual([
      {
        kind: 'undo',
        canary: 'Blue',
        share: 1000,
        split: { Blue: 1000, Green: 0 },
        write: true,
        gate: true,
        bakeMs: 0,
        tag: 'Blue',
        restore: true,
        gates: 'readiness',
        // An undo records that the version it brings back replaced the one it takes away.
        record: { promoted: 'web:1', replaced: 'web:2' }
      }
    ])
    expect(p.steps[0].retire).toBeUndefined()
    expect(p).toMatchObject({
      mode: 'rollback',
      stableBefore: 'Green',
      stableAfter: 'Blue',
      splitAfter: { Blue: 1000, Green: 0 },
      openTestTraffic: false,
      closeTestTraffic: true
    })
    expect(p.reason).toContain('Undo the last promotion')
    expect(p.reason).toContain('back to Blue')
  })

  it('interrupted after the shift (traffic back, tag not): tag and restore only', () => {
    const p = undo('Green', { Blue: 1000, Green: 0 }, 'Blue')
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toMatchObject({
      kind: 'undo',
      write: false,
      gate: false,
      tag: 'Blue',
      restore: true,
      gates: 'readiness'
    })
    expect(p.stableAfter).toBe('Blue')
  })

  it.each<[string, string | undefined, string]>([
    [
      'no record of a promote',
      undefined,
      `No promotion to undo: the service has no ${PREVIOUS_TAG} tag`
    ],
    [
      // An undo that stopped between its tag write and removing the record.
      'a record naming the stable colour itself',
      'Green',
      `No promotion to undo: an undo already gave Green the tag; its record ${PREVIOUS_TAG}=Green is removed.`
    ],
    [
      'a record that is not a colour',
      'Purple',
      `No promotion to undo: ${PREVIOUS_TAG}=Purple does not name the other colour.`
    ]
  ])('%s: nothing to undo, nothing written', (_name, previousStable, reason) => {
    const split = { Blue: 0, Green: 1000 }
    const p = undo('Green', split, previousStable)
    expect(p.steps).toEqual([])
    expect(writesAnything(p)).toBe(false)
    expect(p.stableAfter).toBe('Green')
    expect(p.splitAfter).toBe(split)
    expect(p.closeTestTraffic).toBe(false)
    expect(p.forgetPrevious).toBe(previousStable === 'Green')
    expect(p.reason.startsWith(reason)).toBe(true)
  })
})

/** Green stable after a promote that replaced web:1 (Blue) with web:2 (Green). */
function promoted(split: Split, over: Partial<PlanState> = {}): PlanState {
  return {
    ...state('Green', split),
    previousStable: 'Blue',
    record: { promoted: 'web:2', replaced: 'web:1', at: '2026-11-20T09:30:00Z' },
    recordText: 'web:2 replaced web:1 at 2026-11-20T09:30:00Z',
    ...over
  }
}

const walkTo100: Schedule = {
  steps: [100, 500, FULL],
  bakeMs: 0,
  source: 'steps 10,50,100',
  walk: true
}

describe('planRun never gives traffic back to a replaced version', () => {
  const done = { Blue: 0, Green: FULL }
  it.each([
    ['a single canary share', intent('canary', { schedule: single(200) })],
    ['a rerun of the walk that promoted', intent('canary', { schedule: walkTo100 })],
    ['a promote from a share the old version got by hand', intent('promote')]
  ])('%s: nothing to deploy, nothing written', (_, asked) => {
    const s = asked.mode === 'promote' ? promoted({ Blue: 100, Green: 900 }) : promoted(done)
    const p = planRun(asked, s, alb)
    expect(p.steps).toEqual([])
    expect(p.reason).toBe(
      'Nothing to deploy: the canary colour Blue runs web:1, the version that web:2 replaced on ' +
        '2026-11-20 09:30 UTC. A rerun never gives traffic back to a replaced version: deploy a new ' +
        'version to Blue first (or use mode rollback with undo-promotion to go back to it on purpose).'
    )
    expect(p.openTestTraffic).toBe(false)
    expect(p.closeTestTraffic).toBe(true)
    expect(p.warnings).toEqual([])
  })

  it('refuses an older revision of the promoted family too', () => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      promoted(done, { versions: { Blue: 'web:0', Green: 'web:2' } }),
      alb
    )
    expect(p.steps).toEqual([])
    expect(p.reason).toContain(
      'Blue runs web:0, older than web:2, which was promoted on 2026-11-20'
    )
  })

  it.each([
    ['a newer revision', { Blue: 'web:3', Green: 'web:2' }],
    ['the version that is stable', { Blue: 'web:2', Green: 'web:2' }],
    ['another family', { Blue: 'api:1', Green: 'web:2' }]
  ])('lets the canary walk when it runs %s', (_, versions) => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      promoted(done, { versions }),
      alb
    )
    expect(p.steps.map((step) => [step.kind, step.share, step.write])).toEqual([
      ['shift', 100, true]
    ])
    expect(p.warnings).toEqual([])
  })

  it('lets a canary share go down on a replaced version: it gives it no traffic', () => {
    const p = planRun(
      intent('canary', { schedule: single(0) }),
      promoted({ Blue: 100, Green: 900 }),
      alb
    )
    expect(p.steps.map((step) => [step.kind, step.share, step.write])).toEqual([['shift', 0, true]])
  })

  it('a rerun after a crash between the promote and its scale-down finishes the scale-down', () => {
    const asked = intent('canary', { schedule: walkTo100, scaleDownAfterPromote: true })
    const p = planRun(asked, promoted(done), alb)
    expect(p.steps).toEqual([
      {
        kind: 'promote',
        canary: 'Green',
        share: FULL,
        split: done,
        write: false,
        gate: false,
        gates: 'all',
        bakeMs: 0,
        restore: false,
        retire: 'Blue'
      }
    ])
    expect(p.reason).toMatch(/^Nothing to deploy/)
    const retired = planRun(asked, promoted(done, { retired: { Blue: true, Green: false } }), alb)
    expect(retired.steps).toEqual([])
  })

  it('promote with nothing to promote finishes the scale-down of the promote the record names', () => {
    const asked = intent('promote', { scaleDownAfterPromote: true })
    expect(planRun(asked, promoted(done), alb).steps.map((step) => step.retire)).toEqual(['Blue'])
    // Without a record of that promote, the other colour may be a new canary: left alone.
    const unrecorded = { ...state('Green', done) }
    expect(planRun(asked, unrecorded, alb).steps).toEqual([])
  })

  it('without a record the plan stands, with a warning that says how to record one', () => {
    const p = planRun(
      intent('canary', { schedule: single(100) }),
      state('Blue', { Blue: FULL, Green: 0 }),
      alb
    )
    expect(p.steps).toHaveLength(1)
    expect(p.warnings).toEqual([
      'The service has no StableStackPromotion tag, so this run cannot tell whether the canary ' +
        'runs a version an earlier promote replaced. The next promote records it; to record the ' +
        'stable version now, tag the service with StableStackPromotion=web:1.'
    ])
  })

  it('a record it cannot read is named in the warning and does not block', () => {
    const s = { ...state('Blue', { Blue: FULL, Green: 0 }), recordText: 'whatever' }
    const p = planRun(intent('canary', { schedule: single(100) }), s, alb)
    expect(p.steps).toHaveLength(1)
    expect(p.warnings[0]).toMatch(
      /^StableStackPromotion="whatever" is not a record this action reads/
    )
  })
})

describe('planRun refuses shares the router cannot reach', () => {
  it('names the share and the nearest ones the route can set', () => {
    const error = thrown(PlanError, () =>
      planRun(
        intent('canary', { schedule: single(105) }),
        state('Blue', { Blue: 1000, Green: 0 }),
        wholePercents
      )
    )
    expect(error.message).toBe(
      'This route cannot give the canary exactly 10.5%: the nearest shares it can set are 10% ' +
        'and 11%. Use one of those.'
    )
  })

  it('refuses a walk before its first step when any step is out of reach', () => {
    const schedule: Schedule = { steps: [100, 255, 1000], bakeMs: 0, source: 'steps', walk: true }
    expect(
      thrown(PlanError, () =>
        planRun(
          intent('canary', { schedule }),
          state('Blue', { Blue: 1000, Green: 0 }),
          wholePercents
        )
      ).message
    ).toContain('exactly 25.5%')
  })

  it('asks the router about every step of the schedule', () => {
    const asked: Permille[] = []
    const recording: Reachable = (share) => {
      asked.push(share)
      return [share]
    }
    const schedule: Schedule = { steps: [50, 250, 1000], bakeMs: 0, source: 'steps', walk: true }
    planRun(intent('canary', { schedule }), state('Blue', { Blue: 1000, Green: 0 }), recording)
    expect(asked).toEqual([50, 250, 1000])
  })

  it('plans shares the route can set, and modes that only move all traffic', () => {
    const from = state('Blue', { Blue: 900, Green: 100 }, 'Green')
    expect(
      planRun(intent('canary', { schedule: single(250) }), from, wholePercents).steps
    ).toHaveLength(1)
    for (const mode of MODES.filter((m) => m !== 'canary')) {
      expect(() => planRun(intent(mode), from, wholePercents)).not.toThrow()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over every stable colour, split read from a route, record of a promote and intent.

const rawWeight = fc.integer({ min: 0, max: 999 })
const permille = fc.integer({ min: 0, max: FULL })

const arbitrarySplit: fc.Arbitrary<Split> = fc.oneof(
  // Whatever raw weights a route can have, fractional shares included.
  fc.record({ Blue: rawWeight, Green: rawWeight }).map(splitOfWeights),
  // Shares that match a target exactly, so the no-write branches are exercised often.
  fc
    .record({
      Blue: fc.constantFrom(0, 1, 10, 100, 900, 999),
      Green: fc.constantFrom(0, 1, 10, 100, 900, 999)
    })
    .map(splitOfWeights),
  fc.tuple(fc.constantFrom<Color>(...COLORS), permille).map(([c, s]) => splitFor(c, s))
)

const walkSteps = fc
  .uniqueArray(fc.oneof(fc.integer({ min: 1, max: FULL }), fc.constantFrom(100, 500, FULL)), {
    minLength: 1,
    maxLength: 6
  })
  .map((steps) => [...steps].sort((a, b) => a - b))

const arbitrarySchedule: fc.Arbitrary<Schedule> = fc.oneof(
  fc.oneof(permille, fc.constantFrom(0, 100, 900, FULL)).map(single),
  fc
    .record({
      steps: fc.oneof(
        walkSteps,
        walkSteps.map((steps) => (steps.includes(FULL) ? steps : [...steps, FULL])),
        fc.constantFrom(...PRESETS).map((name) => parseStrategy(name).steps)
      ),
      bakeMs: fc.constantFrom(0, 20_000, 300_000)
    })
    .map(({ steps, bakeMs }) => ({ steps, bakeMs, source: `steps ${steps.join(',')}`, walk: true }))
)

const arbitraryIntent: fc.Arbitrary<Intent> = fc.record({
  mode: fc.constantFrom<Mode>(...MODES),
  schedule: arbitrarySchedule,
  undoPromotion: fc.boolean(),
  scaleDownAfterPromote: fc.boolean()
})

const arbitraryState: fc.Arbitrary<PlanState> = fc.record(
  {
    stable: fc.constantFrom<Color>(...COLORS),
    split: arbitrarySplit,
    previousStable: fc.constantFrom('Blue', 'Green', 'Purple'),
    previousTag: fc.constant(PREVIOUS_TAG),
    versions: fc.constant(VERSIONS),
    retired: fc.constant(NOT_RETIRED),
    recordTag: fc.constant(RECORD_TAG)
  },
  { requiredKeys: ['stable', 'split', 'previousTag', 'versions', 'retired', 'recordTag'] }
)

const arbitraryCase = fc.record({ intent: arbitraryIntent, state: arbitraryState })

/** The canary's share after each step the mode asks for, from this state. */
function expectedShares(i: Intent, s: PlanState): Permille[] {
  const canary = otherColor(s.stable)
  switch (i.mode) {
    case 'status':
    case 'deploy':
      return []
    case 'rollback':
      if (!i.undoPromotion) return [0]
      return s.previousStable === canary ? [FULL] : []
    case 'promote':
      return s.split[s.stable] === FULL ? [] : [FULL]
    case 'canary':
      return i.schedule.walk
        ? i.schedule.steps.filter((share) => share > s.split[canary] || share === FULL)
        : i.schedule.steps
  }
}

/** The state once the plan is carried out: its final split and tag, and the promote record. */
function apply(s: PlanState, p: RunPlan): PlanState {
  const kinds = p.steps.filter((step) => step.tag).map((step) => step.kind)
  const record = [...p.steps].reverse().find((step) => step.record)?.record ?? s.record
  const previousStable = kinds.includes('promote')
    ? p.stableBefore
    : kinds.includes('undo')
      ? undefined
      : s.previousStable
  return {
    stable: p.stableAfter,
    split: p.splitAfter,
    ...(previousStable === undefined ? {} : { previousStable }),
    previousTag: s.previousTag,
    versions: s.versions,
    retired: {
      Blue: s.retired.Blue || p.steps.some((step) => step.retire === 'Blue'),
      Green: s.retired.Green || p.steps.some((step) => step.retire === 'Green')
    },
    ...(record ? { record } : {}),
    recordTag: s.recordTag
  }
}

/** Each step with the split the route has before it. */
function withBefore(p: RunPlan): { step: StepPlan; before: Split }[] {
  return p.steps.map((step, i) => ({
    step,
    before: i === 0 ? p.splitBefore : p.steps[i - 1].split
  }))
}

const runs = { numRuns: 300 }

describe('planRun properties', () => {
  it('(a) plans steps of the canary colour only, with the fields a step has', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun(i, s, alb)
        const canary = otherColor(s.stable)
        expect(p.mode).toBe(i.mode)
        expect(p.stableBefore).toBe(s.stable)
        expect(p.canaryBefore).toBe(canary)
        expect(p.splitBefore).toBe(s.split)
        expect(p.stableAfter).toBe(p.steps.at(-1)?.tag ?? s.stable)
        if (p.steps.length === 0) expect(p.splitAfter).toBe(s.split)
        else expect(p.splitAfter).toEqual(p.steps.at(-1)?.split)
        expect(p.reason.length).toBeGreaterThan(0)
        const allowed = [
          'bakeMs',
          'canary',
          'gate',
          'gates',
          'kind',
          'record',
          'restore',
          'retire',
          'share',
          'split',
          'tag',
          'write'
        ]
        for (const step of p.steps) {
          for (const key of Object.keys(step)) expect(allowed).toContain(key)
          // Finishing an earlier promote (its scale-down) is a step of the colour it made stable.
          const finishesPromote = step.kind === 'promote' && !step.write && !step.tag
          expect(step.canary).toBe(finishesPromote ? s.stable : canary)
          expect(step.split).toEqual(splitFor(canary, step.share))
          if (step.tag !== undefined) {
            expect(['promote', 'undo']).toContain(step.kind)
            expect(step.tag).toBe(canary)
          } else {
            expect(['promote', 'undo']).not.toContain(step.kind)
          }
          expect(step.restore).toBe(step.kind === 'undo')
          if (step.retire !== undefined) {
            expect(step.kind).toBe('promote')
            expect(i.scaleDownAfterPromote).toBe(true)
            expect(step.retire).toBe(s.stable)
          }
          if (step.kind === 'promote') {
            expect(step.retire).toBe(i.scaleDownAfterPromote ? s.stable : undefined)
          }
          expect(step.bakeMs).toBe(step.kind === 'shift' ? i.schedule.bakeMs : 0)
        }
        // A promote or an undo ends the plan: nothing follows a tag change.
        p.steps.slice(0, -1).forEach((step) => expect(step.tag).toBeUndefined())
        const kinds = p.steps.map((step) => step.kind)
        switch (i.mode) {
          case 'status':
            expect(kinds).toEqual([])
            break
          case 'rollback':
            expect([[], ['rollback'], ['undo']]).toContainEqual(kinds)
            expect(kinds.includes('undo')).toBe(i.undoPromotion && kinds.length > 0)
            break
          case 'promote':
            expect([[], ['promote']]).toContainEqual(kinds)
            break
          case 'canary':
            kinds.slice(0, -1).forEach((kind) => expect(kind).toBe('shift'))
            if (!i.schedule.walk) expect(kinds).toEqual(['shift'])
            break
        }
        // Every kind but a canary's shift ends the canary, and takes test traffic away.
        // A promote, and a rerun that finds nothing to deploy, take it away even with no step.
        const refused = p.reason.startsWith('Nothing to deploy')
        expect(p.closeTestTraffic).toBe(
          i.mode === 'promote' || refused || kinds.some((k) => k !== 'shift')
        )
        expect(p.openTestTraffic).toBe(i.mode === 'canary' && !refused && kinds.length > 0)
        expect(p.rollback).toMatchObject({
          kind: 'rollback',
          canary,
          share: 0,
          gate: false,
          bakeMs: 0,
          restore: false,
          gates: 'all'
        })
        expect(p.rollback.split).toEqual(splitFor(s.stable, FULL))
        expect(p.rollback.write).toBe(!sameSplit(s.split, splitFor(s.stable, FULL)))
      }),
      runs
    )
  })

  it('(b) written splits give the canary exactly the requested share, as valid ALB weights', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun(i, s, alb)
        expect(p.steps.map((step) => step.share)).toEqual(expectedShares(i, s))
        for (const { step, before } of withBefore(p)) {
          expect(step.write).toBe(!sameSplit(before, step.split))
          const weights = albWeightsFor(step.split)
          for (const c of COLORS) {
            expect(Number.isInteger(weights[c])).toBe(true)
            expect(weights[c]).toBeGreaterThanOrEqual(0)
            expect(weights[c]).toBeLessThanOrEqual(999)
          }
          expect(splitOfWeights(weights)).toEqual(step.split)
        }
      }),
      runs
    )
  })

  it('(c) gates iff the canary share goes up; a rollback never gates', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun(i, s, alb)
        for (const { step, before } of withBefore(p)) {
          const raises = step.share > 0 && (isEmpty(before) || step.share > before[step.canary])
          expect(step.gate).toBe(raises)
          // A gate only ever stands before a write: nothing is judged for a step that moves nothing.
          if (step.gate) expect(step.write).toBe(true)
          if (step.kind === 'rollback') expect(step.gate).toBe(false)
        }
        expect(p.rollback.gate).toBe(false)
      }),
      runs
    )
  })

  it('(d) is idempotent: planning again after applying the plan writes nothing', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const first = planRun(i, s, alb)
        // Even a walk that promoted: the record says the other colour runs the replaced version.
        const after = apply(s, first)
        const again = planRun(i, after, alb)
        expect(writesAnything(again)).toBe(false)
        for (const step of again.steps) {
          expect(step.write).toBe(false)
          expect(step.gate).toBe(false)
          expect(step.tag).toBeUndefined()
          expect(step.retire).toBeUndefined()
          expect(step.restore).toBe(false)
        }
        expect(again.stableAfter).toBe(first.stableAfter)
        expect(sameSplit(again.splitAfter, first.splitAfter)).toBe(true)
      }),
      runs
    )
  })

  it('(e) promote ends with the canary as the stable colour unless there is nothing to promote', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun({ ...i, mode: 'promote' }, s, alb)
        if (s.split[s.stable] === FULL) {
          expect(p.stableAfter).toBe(s.stable)
          expect(writesAnything(p)).toBe(false)
          expect(p.reason).toContain('Nothing to promote')
        } else {
          expect(p.stableAfter).toBe(otherColor(s.stable))
          expect(p.steps.at(-1)?.tag).toBe(otherColor(s.stable))
          expect(p.splitAfter).toEqual(splitFor(otherColor(s.stable), FULL))
        }
      }),
      runs
    )
  })

  it('(f) a walk resumes past done steps: stopping after any step and planning again plans the rest', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const walk: Intent = { ...i, mode: 'canary', schedule: { ...i.schedule, walk: true } }
        const p = planRun(walk, s, alb)
        for (let done = 1; done < p.steps.length; done++) {
          const resumed = planRun(walk, { ...s, split: p.steps[done - 1].split }, alb)
          expect(resumed.steps).toEqual(p.steps.slice(done))
        }
        // Steps at or below the canary's share are never planned again, except a promote.
        const current = s.split[otherColor(s.stable)]
        for (const step of p.steps) {
          if (step.kind !== 'promote') expect(step.share).toBeGreaterThan(current)
        }
      }),
      runs
    )
  })

  it('(g) a step of 100 % in a walk is a promote with the tag; a single share never promotes', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun({ ...i, mode: 'canary' }, s, alb)
        const canary = otherColor(s.stable)
        for (const step of p.steps) {
          const promotes = i.schedule.walk && step.share === FULL
          expect(step.kind).toBe(promotes ? 'promote' : 'shift')
          expect(step.tag).toBe(promotes ? canary : undefined)
        }
        const last = i.schedule.steps.at(-1)
        if (i.schedule.walk && last === FULL) {
          expect(p.steps.at(-1)?.kind).toBe('promote')
          expect(p.stableAfter).toBe(canary)
          expect(p.closeTestTraffic).toBe(true)
        } else {
          expect(p.stableAfter).toBe(s.stable)
          expect(p.closeTestTraffic).toBe(false)
        }
      }),
      runs
    )
  })

  it('(h) undo plans one undo step exactly when the record names the other colour', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const p = planRun({ ...i, mode: 'rollback', undoPromotion: true }, s, alb)
        const canary = otherColor(s.stable)
        if (s.previousStable === canary) {
          expect(p.steps).toHaveLength(1)
          expect(p.steps[0]).toMatchObject({
            kind: 'undo',
            canary,
            share: FULL,
            tag: canary,
            restore: true,
            gates: 'readiness'
          })
          expect(p.steps[0].retire).toBeUndefined()
          expect(p.stableAfter).toBe(canary)
          expect(p.closeTestTraffic).toBe(true)
        } else {
          expect(p.steps).toEqual([])
          expect(p.reason.startsWith('No promotion to undo')).toBe(true)
          expect(p.reason).toContain(PREVIOUS_TAG)
          expect(p.closeTestTraffic).toBe(false)
          expect(p.forgetPrevious).toBe(s.previousStable === s.stable)
        }
      }),
      runs
    )
  })

  it('(i) refuses a canary share the route cannot reach, and nothing else', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ intent: i, state: s }) => {
        const unreachable = i.schedule.steps.filter((share) => share % 10 !== 0)
        const run = () => planRun(i, s, wholePercents)
        if (i.mode === 'canary' && unreachable.length > 0) {
          const error = thrown(PlanError, run)
          expect(error.message).toContain(`exactly ${unreachable[0] / 10}%`)
        } else {
          expect(run()).toEqual(planRun(i, s, alb))
        }
      }),
      runs
    )
  })
})
