/**
 * Progressive delivery in one run: `strategy` and `steps` walk the canary through its shares,
 * holding each for `bake-time` (seconds here) while the alarm gates are watched; an alarm that
 * fires during a bake sends all traffic back to the stable colour and fails the step. Alarms go to
 * ALARM through sandbox.schedule, armed from an after-write hook on the shift it should follow, so
 * "the middle of the bake" does not depend on how fast the process starts.
 */
import { describe, expect, it } from '@jest/globals'
import {
  chartOf,
  count,
  expectCleanFailure,
  operations,
  ruleWeights,
  serviceTags,
  stableTag,
  step,
  type Step,
  STEPS_TABLE_HEADER,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const ALARM = 'myservice-5xx'
const REASON =
  'Threshold Crossed: 1 datapoint [12.0 (01/01/26 00:05:00)] was greater than or equal to the threshold (5.0).'

/** Makes ALARM go to ALARM `delayMs` after the `nth` successful ModifyRule (the shift to bake). */
function alarmAfterShift(nth: number, delayMs: number): void {
  let seen = 0
  sandbox.faults.afterWrite(
    'ModifyRule',
    () => {
      seen += 1
      if (seen === nth) {
        sandbox.schedule(delayMs, {
          type: 'set-alarm',
          name: ALARM,
          state: 'ALARM',
          reason: REASON
        })
      }
    },
    nth
  )
}

const modifies = (run: Step) => run.requests.filter((r) => r.operation === 'ModifyRule')

describe('strategy Canary10Percent5Minutes with bake-time 2s and an alarm gate', () => {
  const INPUTS = {
    mode: 'canary',
    strategy: 'Canary10Percent5Minutes',
    'bake-time': '2s',
    alarms: ALARM
  }

  it('alarm stays OK: shifts to 10 %, bakes 2 s, promotes; exit 0', async () => {
    sandbox.reset('alarms')
    const run = await step(sandbox, INPUTS)

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(serviceTags(sandbox.world).StableStackPrevious).toBe('Blue')
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule', 'TagResource'])

    // The 10 % step was held for the bake time, with the alarm read during it.
    const [shift, promote] = modifies(run)
    expect(promote.start - shift.end).toBeGreaterThanOrEqual(2000)
    const alarmReadsDuringBake = run.requests.filter(
      (r) => r.operation === 'DescribeAlarms' && r.start > shift.end && r.end < promote.start
    )
    expect(alarmReadsDuringBake.length).toBeGreaterThanOrEqual(3)

    expect(run.outputs).toMatchObject({
      'steps-completed': '2',
      'rolled-back': 'false',
      changed: 'true',
      'stable-color': 'Green',
      'previous-stable-color': 'Blue',
      weights: JSON.stringify({ Blue: 0, Green: 100 })
    })

    expect(run.summary).toContain('## ✅ myservice: canary — changed')
    expect(run.summary).toContain('### Steps (strategy Canary10Percent5Minutes)')
    expect(chartOf(run.summary)).toEqual({
      labels: ['start', 'step 1', 'step 2'],
      points: [0, 10, 100]
    })
    expect(run.summary).toContain(STEPS_TABLE_HEADER)
    expect(run.summary).toMatch(
      /\| 1 \| 10% \| \d\d:\d\d:\d\d \| 2 \/ 2 s \| healthy \| myservice-5xx OK \| shifted \|/
    )
    expect(run.summary).toMatch(
      /\| 2 \| 100% \| \d\d:\d\d:\d\d \| 0 \/ 0 s \| healthy \| myservice-5xx OK \| promoted \|/
    )
    expect(run.summary).toContain('### Alarms (last read)')
  })

  it('alarm fires mid-bake: all traffic back to Blue, exit 1 naming the alarm', async () => {
    sandbox.reset('alarms')
    alarmAfterShift(1, 1000)
    const run = await step(sandbox, INPUTS)

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [message] = run.errors
    expect(message).toContain(ALARM)
    expect(message).toContain('ALARM')
    expect(message).toContain(REASON)
    expect(message).toContain('step 1')
    expect(message).toMatch(/Rolled back/i)

    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(serviceTags(sandbox.world).StableStackPrevious).toBeUndefined()
    // The shift, then the rollback; no promote, no tag.
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule'])

    // The alarm fired inside the bake, and the rollback followed within a poll (500 ms), well
    // before the 2 s bake would have ended.
    const [shift, rollback] = modifies(run)
    const [fired] = sandbox.scheduler.fired
    expect(fired.error).toBeUndefined()
    expect(fired.firedAt).toBeGreaterThan(shift.end)
    expect(rollback.start).toBeGreaterThan(fired.firedAt)
    expect(rollback.start - fired.firedAt).toBeLessThan(1000)
    expect(rollback.start - shift.end).toBeLessThan(2000)

    expect(run.outputs).toMatchObject({
      'rolled-back': 'true',
      'steps-completed': '0',
      'stable-color': 'Blue',
      weights: JSON.stringify({ Blue: 100, Green: 0 })
    })
    expect(run.summary).toContain('## ❌ myservice: canary — failed, rolled back')
    expect(chartOf(run.summary)).toEqual({
      labels: ['start', 'step 1', 'rollback'],
      points: [0, 10, 0]
    })
    expect(run.summary).toMatch(/\| 1 \| 10% \| .* \| myservice-5xx ALARM \| rolled back \|/)
  })
})

describe('steps 10,50,100', () => {
  it('an alarm in the middle of the second bake rolls back and fails; one step completed', async () => {
    sandbox.reset('alarms')
    alarmAfterShift(2, 1000)
    const run = await step(sandbox, {
      mode: 'canary',
      steps: '10,50,100',
      'bake-time': '2s',
      alarms: ALARM
    })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [message] = run.errors
    expect(message).toContain('step 2')
    expect(message).toContain('Green at 50%')
    expect(message).toContain(`${ALARM} is ALARM (${REASON})`)

    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    // 10 %, 50 %, then the rollback.
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule', 'ModifyRule'])
    const [first, second, rollback] = modifies(run)
    expect(second.start - first.end).toBeGreaterThanOrEqual(2000)
    expect(rollback.start - second.end).toBeLessThan(2000)

    expect(run.outputs).toMatchObject({
      'steps-completed': '1',
      'rolled-back': 'true',
      weights: JSON.stringify({ Blue: 100, Green: 0 })
    })
    expect(run.summary).toContain('## ❌ myservice: canary — failed, rolled back')
    expect(chartOf(run.summary)).toEqual({
      labels: ['start', 'step 1', 'step 2', 'rollback'],
      points: [0, 10, 50, 0]
    })
  })

  it('every gate passing: three steps, ends promoted', async () => {
    const run = await step(sandbox, { mode: 'canary', steps: '10,50,100', 'bake-time': '1s' })

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(operations(run.writes)).toEqual([
      'ModifyRule',
      'ModifyRule',
      'ModifyRule',
      'TagResource'
    ])
    const [first, second, promote] = modifies(run)
    expect(second.start - first.end).toBeGreaterThanOrEqual(1000)
    expect(promote.start - second.end).toBeGreaterThanOrEqual(1000)
    expect(count(run, 'DescribeAlarms')).toBe(0)

    expect(run.outputs).toMatchObject({
      'steps-completed': '3',
      'rolled-back': 'false',
      'stable-color': 'Green',
      weights: JSON.stringify({ Blue: 0, Green: 100 })
    })
    expect(run.summary).toContain('### Steps (steps 10,50,100)')
    expect(chartOf(run.summary)).toEqual({
      labels: ['start', 'step 1', 'step 2', 'step 3'],
      points: [0, 10, 50, 100]
    })
  })
})

describe('bad inputs', () => {
  const CASES: [string, Record<string, string>, string][] = [
    [
      'strategy Canary0Percent5Minutes',
      { mode: 'canary', strategy: 'Canary0Percent5Minutes' },
      'Unknown strategy "Canary0Percent5Minutes"'
    ],
    ['steps that go down', { mode: 'canary', steps: '10,5' }, '"steps" must increase'],
    [
      'steps with mode promote',
      { mode: 'promote', steps: '10,50' },
      '"steps" walks a canary through its steps: use it with mode canary, not promote'
    ],
    [
      'bake-time in words',
      { mode: 'canary', steps: '10,50', 'bake-time': '5 minutes' },
      '"bake-time" is "5 minutes"'
    ]
  ]

  it.each(CASES)('%s: exit 1, one error, no AWS request', async (_name, inputs, fragment) => {
    const run = await step(sandbox, inputs)
    expect(expectCleanFailure(run)).toContain(fragment)
    expect(run.requests).toEqual([])
    expect(sandbox.log).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })

  it('an alarm that does not exist: exit 1 naming it, nothing written', async () => {
    sandbox.reset('alarms')
    const run = await step(sandbox, {
      mode: 'canary',
      strategy: 'Canary10Percent5Minutes',
      'bake-time': '2s',
      alarms: 'does-not-exist'
    })
    const message = expectCleanFailure(run)
    expect(message).toContain('does-not-exist')
    expect(message).toContain('"alarms"')
    expect(count(run, 'DescribeAlarms')).toBeGreaterThan(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
  })
})
