/**
 * src/workloads/task-sets.ts and target-health.ts: why a colour is not ready.
 * src/gates/health.ts: the wait for it with an injected clock, and the health gate.
 * src/gates/alarms.ts: the alarm gate. src/clock.ts: the real and the cancellable clock.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { Color, PerColor } from '../src/color.js'
import { cancellable, realClock, type Clock } from '../src/clock.js'
import { CancelledError } from '../src/errors.js'
import { AlarmGate, judgeAlarms, type AlarmState } from '../src/gates/alarms.js'
import type { GateContext } from '../src/gates/gate.js'
import { HealthGate, POLL_INTERVAL_MS, waitUntilReady } from '../src/gates/health.js'
import type { AlarmInputs } from '../src/inputs.js'
import { MemoryLogger } from '../src/logger.js'
import { targetBlockers } from '../src/workloads/target-health.js'
import { taskSetBlockers } from '../src/workloads/task-sets.js'
import type {
  ColorHealth,
  TargetHealthSummary,
  Workload,
  WorkloadUnit
} from '../src/workloads/workload.js'

function unitOf(over: Partial<WorkloadUnit> = {}): WorkloadUnit {
  return {
    color: 'Green',
    arn: 'arn:aws:ecs:us-east-1:123456789012:task-set/mycluster/myservice/ecs-svc/2000',
    label: 'ecs-svc/2000',
    status: 'ACTIVE',
    stability: 'STEADY_STATE',
    running: 2,
    desired: 2,
    ...over
  }
}

function targetsOf(over: Partial<TargetHealthSummary> = {}): TargetHealthSummary {
  return {
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2222',
    total: 2,
    healthy: 2,
    notHealthy: [],
    ...over
  }
}

/** A colour as a task-set workload reports it: its blockers are the task set's. */
function health(
  unit: Partial<WorkloadUnit> = {},
  targets: Partial<TargetHealthSummary> = {}
): ColorHealth {
  const u = unitOf(unit)
  const t = targetsOf(targets)
  return { unit: u, targets: t, blockers: taskSetBlockers(u, t), retired: false }
}

const READY = health()
const NOT_READY = health({ running: 1 })

describe('taskSetBlockers', () => {
  it.each<[string, WorkloadUnit, TargetHealthSummary, string[]]>([
    ['all good', unitOf(), targetsOf(), []],
    ['PRIMARY status is good too', unitOf({ status: 'PRIMARY' }), targetsOf(), []],
    [
      'a DRAINING task set',
      unitOf({ status: 'DRAINING' }),
      targetsOf(),
      ['task set ecs-svc/2000 is DRAINING']
    ],
    [
      'a STABILIZING task set',
      unitOf({ stability: 'STABILIZING' }),
      targetsOf(),
      ['task set is STABILIZING']
    ],
    [
      'a task set that wants 0 tasks',
      unitOf({ desired: 0, running: 0 }),
      targetsOf(),
      ['task set wants 0 tasks (scale it up first)']
    ],
    [
      'fewer running tasks than desired',
      unitOf({ running: 1, desired: 3 }),
      targetsOf(),
      ['1/3 tasks running']
    ],
    [
      'no targets registered',
      unitOf(),
      targetsOf({ total: 0, healthy: 0 }),
      ['no targets registered in its target group']
    ],
    [
      'an unhealthy target with a reason',
      unitOf(),
      targetsOf({
        healthy: 1,
        notHealthy: [{ id: '10.0.0.5:8080', state: 'unhealthy', reason: 'Target.Timeout' }]
      }),
      ['target 10.0.0.5:8080 is unhealthy (Target.Timeout)']
    ],
    [
      'an initial target without a reason',
      unitOf(),
      targetsOf({ healthy: 1, notHealthy: [{ id: '10.0.0.6:8080', state: 'initial' }] }),
      ['target 10.0.0.6:8080 is initial']
    ],
    [
      'everything wrong at once, in order',
      unitOf({ status: 'DRAINING', stability: 'STABILIZING', desired: 0, running: 0 }),
      targetsOf({
        total: 0,
        healthy: 0,
        notHealthy: [{ id: 'i-1', state: 'unhealthy', reason: 'Target.FailedHealthChecks' }]
      }),
      [
        'task set ecs-svc/2000 is DRAINING',
        'task set is STABILIZING',
        'task set wants 0 tasks (scale it up first)',
        'no targets registered in its target group',
        'target i-1 is unhealthy (Target.FailedHealthChecks)'
      ]
    ]
  ])('%s', (_name, unit, targets, expected) => {
    expect(taskSetBlockers(unit, targets)).toEqual(expected)
  })

  it('does not report running < desired when more tasks run than desired', () => {
    expect(taskSetBlockers(unitOf({ running: 5, desired: 2 }), targetsOf())).toEqual([])
  })

  it("ends with the target group's blockers, after the task set's own", () => {
    const unit = unitOf({ stability: 'STABILIZING', running: 0 })
    const targets = targetsOf({ notHealthy: [{ id: 'i-2', state: 'draining' }] })
    expect(taskSetBlockers(unit, targets)).toEqual([
      'task set is STABILIZING',
      '0/2 tasks running',
      ...targetBlockers(targets)
    ])
    expect(targetBlockers(targets)).toEqual(['target i-2 is draining'])
  })
})

describe('targetBlockers', () => {
  it.each<[string, TargetHealthSummary, string[]]>([
    ['all healthy', targetsOf(), []],
    [
      'an empty target group',
      targetsOf({ total: 0, healthy: 0 }),
      ['no targets registered in its target group']
    ],
    [
      'targets not healthy, in order, with and without a reason',
      targetsOf({
        total: 3,
        healthy: 1,
        notHealthy: [
          { id: 'i-1:80', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' },
          { id: 'i-2:80', state: 'initial' },
          { id: 'i-3:80', state: 'unused', reason: 'Target.NotInUse' }
        ]
      }),
      [
        'target i-1:80 is unhealthy (Target.ResponseCodeMismatch)',
        'target i-2:80 is initial',
        'target i-3:80 is unused (Target.NotInUse)'
      ]
    ]
  ])('%s', (_name, targets, expected) => {
    expect(targetBlockers(targets)).toEqual(expected)
  })
})

/** A clock whose sleeps advance time instantly and are recorded with the time then. */
function fakeClock(start = 1_000_000) {
  let now = start
  const sleeps: { ms: number; at: number }[] = []
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push({ ms, at: now })
      now += ms
    }
  }
  return { clock, sleeps, elapsed: () => now - start, advance: (ms: number) => (now += ms) }
}

/** A probe that reports not ready `k` times, then ready. */
function probeReadyAfter(k: number, notReady: ColorHealth = NOT_READY) {
  let calls = 0
  const probe = async () => {
    calls += 1
    return calls > k ? READY : notReady
  }
  return { probe, calls: () => calls }
}

describe('waitUntilReady', () => {
  it('returns at once for a ready colour: no sleep, one check, no probe', async () => {
    const { clock, sleeps } = fakeClock()
    const { probe, calls } = probeReadyAfter(0)
    const outcome = await waitUntilReady(READY, probe, 60_000, clock)
    expect(outcome).toEqual({
      ready: true,
      result: { color: 'Green', waitedMs: 0, checks: 1, health: READY }
    })
    expect(sleeps).toEqual([])
    expect(calls()).toBe(0)
  })

  it('ends at once on a blocker no wait clears, without sleeping out the timeout', async () => {
    const { clock, sleeps } = fakeClock()
    const stopped = 'canary task abc stopped: Essential container in task exited'
    const dead = { ...health({ color: 'Green' }), blockers: [stopped], fatal: [stopped] }
    const { probe, calls } = probeReadyAfter(3)
    const outcome = await waitUntilReady(dead, probe, 600_000, clock)
    expect(outcome).toEqual({ ready: false, blockers: [stopped], fatal: true })
    expect(sleeps).toEqual([])
    expect(calls()).toBe(0)
  })

  it('names the colour of the health it was given', async () => {
    const { clock } = fakeClock()
    const blue = health({ color: 'Blue' })
    const outcome = await waitUntilReady(blue, async () => blue, 60_000, clock)
    expect(outcome.ready && outcome.result.color).toBe('Blue')
  })

  it.each([1, 2, 5, 11])('becomes ready after %i probes', async (k) => {
    const { clock, sleeps, elapsed } = fakeClock()
    const { probe, calls } = probeReadyAfter(k - 1)
    const waits: string[][] = []
    const outcome = await waitUntilReady(NOT_READY, probe, 600_000, clock, (r) => waits.push(r))
    if (!outcome.ready) throw new Error('expected the colour to become ready')
    const { result } = outcome
    expect(calls()).toBe(k)
    expect(result.checks).toBe(k + 1)
    expect(result.health).toBe(READY)
    expect(sleeps.map((s) => s.ms)).toEqual(Array(k).fill(POLL_INTERVAL_MS))
    expect(result.waitedMs).toBe(k * POLL_INTERVAL_MS)
    expect(elapsed()).toBe(result.waitedMs)
    expect(waits).toEqual(Array(k).fill(['1/2 tasks running']))
  })

  it('uses the given poll interval', async () => {
    const { clock, sleeps } = fakeClock()
    const { probe } = probeReadyAfter(2)
    await waitUntilReady(
      health({ color: 'Blue', running: 0 }),
      probe,
      10_000,
      clock,
      undefined,
      250
    )
    expect(sleeps.map((s) => s.ms)).toEqual([250, 250, 250])
  })

  it('gives up at the timeout with the blockers it saw last', async () => {
    const { clock, elapsed } = fakeClock()
    const stuck = health(
      { stability: 'STABILIZING', running: 0 },
      { notHealthy: [{ id: 'i-9', state: 'unhealthy', reason: 'Target.Timeout' }] }
    )
    const outcome = await waitUntilReady(stuck, async () => stuck, 12_000, clock)
    expect(outcome).toEqual({
      ready: false,
      blockers: [
        'task set is STABILIZING',
        '0/2 tasks running',
        'target i-9 is unhealthy (Target.Timeout)'
      ]
    })
    expect(elapsed()).toBe(12_000)
  })

  it('reports the blockers of the last probe, not the first', async () => {
    const { clock } = fakeClock()
    let calls = 0
    const probe = async () => {
      calls += 1
      return health({}, { total: 0, healthy: 0 })
    }
    const outcome = await waitUntilReady(health({ stability: 'STABILIZING' }), probe, 6_000, clock)
    expect(outcome).toEqual({
      ready: false,
      blockers: ['no targets registered in its target group']
    })
    expect(calls).toBeGreaterThan(0)
  })

  it('a zero timeout gives up at once for a colour that is not ready', async () => {
    const { clock, sleeps } = fakeClock()
    const { probe, calls } = probeReadyAfter(0)
    const outcome = await waitUntilReady(NOT_READY, probe, 0, clock)
    expect(outcome).toEqual({ ready: false, blockers: ['1/2 tasks running'] })
    expect(sleeps).toEqual([])
    expect(calls()).toBe(0)
  })

  it('never sleeps longer than the time left, nor longer than the poll interval', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 40 }),
        async (timeoutMs, pollMs, k) => {
          const { clock, sleeps, elapsed } = fakeClock()
          const start = clock.now()
          const { probe, calls } = probeReadyAfter(k)
          const outcome = await waitUntilReady(
            NOT_READY,
            probe,
            timeoutMs,
            clock,
            undefined,
            pollMs
          )
          if (outcome.ready) {
            expect(outcome.result.checks).toBe(calls() + 1)
            expect(outcome.result.waitedMs).toBe(elapsed())
            expect(outcome.result.health).toBe(READY)
          } else {
            expect(outcome.blockers).toEqual(NOT_READY.blockers)
          }
          for (const sleep of sleeps) {
            const left = start + timeoutMs - sleep.at
            expect(sleep.ms).toBeGreaterThan(0)
            expect(sleep.ms).toBeLessThanOrEqual(left)
            expect(sleep.ms).toBeLessThanOrEqual(pollMs)
          }
          expect(elapsed()).toBeLessThanOrEqual(timeoutMs)
          expect(sleeps).toHaveLength(calls())
          // Ready on probe k+1 unless the time runs out first.
          const probesInTime = Math.ceil(timeoutMs / pollMs)
          expect(outcome.ready).toBe(k + 1 <= probesInTime)
        }
      ),
      { numRuns: 200 }
    )
  })
})

// ---------------------------------------------------------------------------------------------
// The gates, over a fake workload and a fake clock.

/** A workload whose probes answer from `answers` in turn (the last one repeats). */
function fakeWorkload(discovered: PerColor<ColorHealth>, answers: ColorHealth[] = [READY]) {
  const probed: Color[] = []
  const workload: Workload = {
    kind: 'fake',
    discovered,
    probe: async (color) => {
      probed.push(color)
      return answers[Math.min(probed.length, answers.length) - 1]
    },
    retire: async () => undefined,
    restore: async () => undefined,
    details: async () => ({ Blue: undefined, Green: undefined }),
    releasable: () => false,
    release: async () => [],
    undoOnRollback: false
  }
  return { workload, probed }
}

function context(clock: Clock, over: Partial<GateContext> = {}) {
  const log = new MemoryLogger()
  const ctx: GateContext = { color: 'Green', step: 0, share: 0, fresh: false, clock, log, ...over }
  return { ctx, log }
}

/** Records which colours were exposed to health checks, answering with `line`. */
function exposer(line?: string) {
  const exposed: Color[] = []
  const expose = async (color: Color) => {
    exposed.push(color)
    return line
  }
  return { expose, exposed }
}

describe('HealthGate.before', () => {
  const discovered = (green: ColorHealth) => ({ Blue: health({ color: 'Blue' }), Green: green })

  it('passes at once on what discovery read, without probing, when it is not stale', async () => {
    const { clock, sleeps } = fakeClock()
    const { workload, probed } = fakeWorkload(discovered(READY), [NOT_READY])
    const { expose, exposed } = exposer()
    const gate = new HealthGate(workload, { enabled: true, timeoutMs: 60_000, expose })
    const { ctx, log } = context(clock)
    const reading = await gate.before(ctx)
    expect(reading).toEqual({ label: 'health gate', text: 'healthy', wrote: [] })
    expect(reading.failure).toBeUndefined()
    expect(gate.label).toBe('health gate')
    expect(probed).toEqual([])
    expect(exposed).toEqual(['Green'])
    expect(sleeps).toEqual([])
    expect(gate.last).toEqual({ color: 'Green', waitedMs: 0, checks: 1, health: READY })
    expect(log.lines).toEqual([
      '## Wait for Green to be healthy',
      'Green is healthy (1 check(s), 0 s).'
    ])
  })

  it('probes first when what discovery read may be stale', async () => {
    const { clock, sleeps } = fakeClock()
    const { workload, probed } = fakeWorkload(discovered(READY), [NOT_READY, READY])
    const gate = new HealthGate(workload, {
      enabled: true,
      timeoutMs: 60_000,
      pollMs: 1000,
      expose: exposer().expose
    })
    const reading = await gate.before(context(clock, { fresh: true }).ctx)
    expect(reading.text).toBe('healthy')
    expect(probed).toEqual(['Green', 'Green'])
    expect(sleeps.map((s) => s.ms)).toEqual([1000])
    expect(gate.last?.checks).toBe(2)
  })

  it('probes first, and reports the write, when the route had to be exposed to health checks', async () => {
    const { clock } = fakeClock()
    const line = 'listener-rule r1: added Green at weight 0 so its targets are health-checked'
    const { workload, probed } = fakeWorkload(discovered(NOT_READY), [READY])
    const { expose, exposed } = exposer(line)
    const gate = new HealthGate(workload, { enabled: true, timeoutMs: 60_000, expose })
    const reading = await gate.before(context(clock).ctx)
    expect(reading).toEqual({ label: 'health gate', text: 'healthy', wrote: [line] })
    expect(exposed).toEqual(['Green'])
    expect(probed).toEqual(['Green'])
    expect(gate.last?.checks).toBe(1)
  })

  it('waits and probes again until the canary is ready, saying why it waits', async () => {
    const { clock, sleeps, elapsed } = fakeClock()
    const { workload, probed } = fakeWorkload(discovered(NOT_READY), [NOT_READY, READY])
    const gate = new HealthGate(workload, {
      enabled: true,
      timeoutMs: 60_000,
      pollMs: 2000,
      expose: exposer().expose
    })
    const { ctx, log } = context(clock)
    const reading = await gate.before(ctx)
    expect(reading.text).toBe('healthy')
    expect(reading.failure).toBeUndefined()
    expect(probed).toEqual(['Green', 'Green'])
    expect(sleeps.map((s) => s.ms)).toEqual([2000, 2000])
    expect(elapsed()).toBe(4000)
    expect(gate.last).toEqual({ color: 'Green', waitedMs: 4000, checks: 3, health: READY })
    expect(log.lines.filter((l) => l === 'Waiting: 1/2 tasks running')).toHaveLength(2)
    expect(log.lines).toContain('Green is healthy (3 check(s), 4 s).')
  })

  it('times out: a failing reading naming the colour, the time and the last blockers', async () => {
    const { clock, elapsed } = fakeClock()
    const stuck = health(
      { stability: 'STABILIZING', running: 0 },
      { notHealthy: [{ id: 'i-9', state: 'unhealthy', reason: 'Target.Timeout' }] }
    )
    const { workload } = fakeWorkload(discovered(NOT_READY), [stuck])
    const gate = new HealthGate(workload, {
      enabled: true,
      timeoutMs: 12_000,
      expose: exposer().expose
    })
    const reading = await gate.before(context(clock).ctx)
    expect(reading.label).toBe('health gate')
    expect(reading.text).toBe('timed out')
    expect(reading.failure).toContain(
      'The canary colour Green was not healthy after 12 s: task set is STABILIZING; ' +
        '0/2 tasks running; target i-9 is unhealthy (Target.Timeout).'
    )
    expect(reading.failure).toContain('"health-timeout-seconds"')
    expect(gate.last).toBeUndefined()
    expect(elapsed()).toBe(12_000)
  })

  it('disabled: skipped with a warning, without probing or exposing anything', async () => {
    const { clock } = fakeClock()
    const { workload, probed } = fakeWorkload(discovered(NOT_READY), [NOT_READY])
    const { expose, exposed } = exposer('written')
    const gate = new HealthGate(workload, { enabled: false, timeoutMs: 60_000, expose })
    const { ctx, log } = context(clock, { fresh: true })
    const reading = await gate.before(ctx)
    expect(reading).toEqual({ label: 'health gate', text: 'skipped' })
    expect(log.lines).toEqual([
      'warning: wait-for-healthy is false: Green gets more traffic without a health check.'
    ])
    expect(probed).toEqual([])
    expect(exposed).toEqual([])
  })
})

describe('HealthGate.during', () => {
  const gateOver = (answer: ColorHealth) => {
    const { workload, probed } = fakeWorkload({ Blue: READY, Green: READY }, [answer])
    const gate = new HealthGate(workload, {
      enabled: true,
      timeoutMs: 60_000,
      expose: exposer().expose
    })
    return { gate, probed }
  }

  it('fails on targets the load balancer marks unhealthy, naming them, the step and the share', async () => {
    const { clock } = fakeClock()
    const { gate, probed } = gateOver(
      health(
        {},
        {
          total: 4,
          healthy: 1,
          notHealthy: [
            { id: '10.0.0.5:8080', state: 'unhealthy', reason: 'Target.Timeout' },
            { id: '10.0.0.6:8080', state: 'initial' },
            { id: '10.0.0.7:8080', state: 'unhealthy' }
          ]
        }
      )
    )
    const reading = await gate.during(context(clock, { step: 1, share: 105, fresh: true }).ctx)
    expect(reading).toEqual({
      label: 'health gate',
      text: 'unhealthy',
      failure:
        'Unhealthy Green target(s) during the bake of step 2 (Green at 10.5%): ' +
        '10.0.0.5:8080 (Target.Timeout), 10.0.0.7:8080'
    })
    expect(probed).toEqual(['Green'])
  })

  it.each(['initial', 'draining', 'unused'])(
    'does not fail on a target that is %s, nor on task set blockers',
    async (state) => {
      const { clock } = fakeClock()
      const { gate, probed } = gateOver(
        health(
          { stability: 'STABILIZING' },
          { healthy: 1, notHealthy: [{ id: '10.0.0.6:8080', state }] }
        )
      )
      const reading = await gate.during(context(clock, { step: 0, share: 100 }).ctx)
      expect(reading).toEqual({ label: 'health gate', text: 'healthy' })
      expect(probed).toEqual(['Green'])
    }
  )
})

// ---------------------------------------------------------------------------------------------

const OK: AlarmState = { name: 'svc-5xx', state: 'OK', reason: 'Threshold not crossed' }
const ALARM: AlarmState = { name: 'svc-5xx', state: 'ALARM', reason: 'Threshold Crossed' }
const LATENCY_OK: AlarmState = { name: 'svc-latency', state: 'OK', reason: '' }
const NO_DATA: AlarmState = {
  name: 'svc-latency',
  state: 'INSUFFICIENT_DATA',
  reason: 'Insufficient Data'
}

function alarmConfig(treatMissingDataAsFailure = false): AlarmInputs {
  return { names: ['svc-5xx', 'svc-latency'], treatMissingDataAsFailure }
}

/** A watch that answers from `reads` in turn (the last one repeats), judged as configured. */
function fakeWatch(reads: AlarmState[][], config: AlarmInputs) {
  let calls = 0
  const watch = async () => {
    calls += 1
    return judgeAlarms(reads[Math.min(calls, reads.length) - 1], config.treatMissingDataAsFailure)
  }
  return { watch, calls: () => calls }
}

describe('AlarmGate', () => {
  it('reuses the discovery read for a first step that is not stale and younger than 1 s', async () => {
    const { clock, advance } = fakeClock()
    const config = alarmConfig()
    const { watch, calls } = fakeWatch(
      [
        [OK, LATENCY_OK],
        [ALARM, LATENCY_OK]
      ],
      config
    )
    const gate = new AlarmGate(watch, config)
    const primed = await gate.prime(clock.now())
    expect(primed.alarms).toEqual([OK, LATENCY_OK])
    advance(999)
    const reading = await gate.before(context(clock).ctx)
    expect(calls()).toBe(1)
    expect(reading).toEqual({
      label: 'alarms seen',
      text: 'svc-5xx OK, svc-latency OK',
      seen: [OK, LATENCY_OK]
    })
    expect(gate.label).toBe('alarms seen')
  })

  it.each<[string, number, boolean]>([
    ['a read 1 s old', 1000, false],
    ['a read 5 s old', 5000, false],
    ['a stale context (a later step, or a write since)', 0, true]
  ])('reads again instead of reusing %s', async (_name, age, fresh) => {
    const { clock, advance } = fakeClock()
    const config = alarmConfig()
    const { watch, calls } = fakeWatch(
      [
        [OK, LATENCY_OK],
        [ALARM, LATENCY_OK]
      ],
      config
    )
    const gate = new AlarmGate(watch, config)
    await gate.prime(clock.now())
    advance(age)
    const reading = await gate.before(context(clock, { fresh }).ctx)
    expect(calls()).toBe(2)
    expect(reading.seen).toEqual([ALARM, LATENCY_OK])
    expect(reading.failure).toBe('Alarm before step 1: svc-5xx is ALARM (Threshold Crossed)')
  })

  it('uses the discovery read once: a second look reads again', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig()
    const { watch, calls } = fakeWatch([[OK], [ALARM]], config)
    const gate = new AlarmGate(watch, config)
    await gate.prime(clock.now())
    expect((await gate.before(context(clock).ctx)).failure).toBeUndefined()
    const again = await gate.before(context(clock).ctx)
    expect(calls()).toBe(2)
    expect(again.failure).toBe('Alarm before step 1: svc-5xx is ALARM (Threshold Crossed)')
  })

  it('reads when discovery did not', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig()
    const { watch, calls } = fakeWatch([[ALARM, LATENCY_OK]], config)
    const reading = await new AlarmGate(watch, config).before(context(clock, { step: 2 }).ctx)
    expect(calls()).toBe(1)
    expect(reading.text).toBe('svc-5xx ALARM, svc-latency OK')
    expect(reading.failure).toBe('Alarm before step 3: svc-5xx is ALARM (Threshold Crossed)')
  })

  it('during a bake, reads every time and names the alarm, the step and the share', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig()
    const { watch, calls } = fakeWatch(
      [
        [OK, LATENCY_OK],
        [ALARM, LATENCY_OK]
      ],
      config
    )
    const gate = new AlarmGate(watch, config)
    await gate.prime(clock.now())
    const reading = await gate.during(context(clock, { step: 1, share: 250 }).ctx)
    expect(calls()).toBe(2)
    expect(reading).toEqual({
      label: 'alarms seen',
      text: 'svc-5xx ALARM, svc-latency OK',
      seen: [ALARM, LATENCY_OK],
      failure:
        'Alarm during the bake of step 2 (Green at 25%): svc-5xx is ALARM (Threshold Crossed)'
    })
  })

  it('INSUFFICIENT_DATA passes, and is logged as treated as OK, unless configured to fail', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig(false)
    const { watch } = fakeWatch([[OK, NO_DATA]], config)
    const { ctx, log } = context(clock)
    const reading = await new AlarmGate(watch, config).before(ctx)
    expect(reading.failure).toBeUndefined()
    expect(reading.text).toBe('svc-5xx OK, svc-latency INSUFFICIENT_DATA')
    expect(log.lines).toEqual([
      'Treated as OK: svc-latency is INSUFFICIENT_DATA (Insufficient Data)'
    ])
  })

  it('INSUFFICIENT_DATA fails when missing data counts as failure', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig(true)
    const { watch } = fakeWatch([[OK, NO_DATA]], config)
    const { ctx, log } = context(clock, { step: 0 })
    const reading = await new AlarmGate(watch, config).before(ctx)
    expect(reading.failure).toBe(
      'Alarm before step 1: svc-latency is INSUFFICIENT_DATA (Insufficient Data)'
    )
    expect(log.lines).toEqual([])
    const during = await new AlarmGate(watch, config).during(
      context(clock, { step: 3, share: 5 }).ctx
    )
    expect(during.failure).toBe(
      'Alarm during the bake of step 4 (Green at 0.5%): svc-latency is INSUFFICIENT_DATA (Insufficient Data)'
    )
  })

  it('names every failing alarm, and shows none when nothing is watched', async () => {
    const { clock } = fakeClock()
    const config = alarmConfig(true)
    const both = fakeWatch([[ALARM, NO_DATA]], config)
    expect((await new AlarmGate(both.watch, config).before(context(clock).ctx)).failure).toBe(
      'Alarm before step 1: svc-5xx is ALARM (Threshold Crossed); ' +
        'svc-latency is INSUFFICIENT_DATA (Insufficient Data)'
    )
    const none = fakeWatch([[]], config)
    expect(await new AlarmGate(none.watch, config).before(context(clock).ctx)).toEqual({
      label: 'alarms seen',
      text: 'none',
      seen: []
    })
  })
})

// ---------------------------------------------------------------------------------------------

describe('realClock', () => {
  it('returns at once from a sleep whose signal has already fired', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const started = Date.now()
    await realClock.sleep(60_000, cancel.signal)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('ends a sleep early when the signal fires during it', async () => {
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 10)
    const started = Date.now()
    await realClock.sleep(60_000, cancel.signal)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('sleeps about as long as asked without a signal', async () => {
    const started = Date.now()
    await realClock.sleep(30)
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    expect(Math.abs(realClock.now() - Date.now())).toBeLessThan(1000)
  })
})

describe('cancellable', () => {
  it('passes time and sleeps through while the signal has not fired', async () => {
    const { clock, sleeps, elapsed } = fakeClock()
    const cancel = new AbortController()
    const wrapped = cancellable(clock, cancel.signal)
    await wrapped.sleep(1500)
    expect(sleeps.map((s) => s.ms)).toEqual([1500])
    expect(wrapped.now()).toBe(clock.now())
    expect(elapsed()).toBe(1500)
    await cancellable(clock, undefined).sleep(500)
    expect(elapsed()).toBe(2000)
  })

  it('throws a CancelledError without sleeping once the signal has fired', async () => {
    const { clock, sleeps } = fakeClock()
    const cancel = new AbortController()
    cancel.abort()
    await expect(cancellable(clock, cancel.signal).sleep(1000)).rejects.toBeInstanceOf(
      CancelledError
    )
    expect(sleeps).toEqual([])
  })

  it('throws a CancelledError when the signal fires during the sleep', async () => {
    const cancel = new AbortController()
    const inner: Clock = {
      now: () => 0,
      sleep: async () => {
        cancel.abort()
      }
    }
    await expect(cancellable(inner, cancel.signal).sleep(1000)).rejects.toBeInstanceOf(
      CancelledError
    )
  })
})
