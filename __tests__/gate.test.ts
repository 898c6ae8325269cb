/**
 * src/gate.ts: why a colour is not ready, and the wait for it with an injected clock.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { HealthTimeoutError } from '../src/errors.js'
import { notReadyReasons, POLL_INTERVAL_MS, waitUntilReady, type GateClock } from '../src/gate.js'
import type { ColorHealth } from '../src/workloads/workload.js'

function health(
  unit: Partial<ColorHealth['unit']> = {},
  targets: Partial<ColorHealth['targets']> = {}
): ColorHealth {
  return {
    unit: {
      color: 'Green',
      arn: 'arn:aws:ecs:us-east-1:123456789012:task-set/mycluster/myservice/ecs-svc/2000',
      label: 'ecs-svc/2000',
      status: 'ACTIVE',
      stability: 'STEADY_STATE',
      running: 2,
      desired: 2,
      scale: 100,
      ...unit
    },
    targets: {
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2222',
      total: 2,
      healthy: 2,
      notHealthy: [],
      ...targets
    }
  }
}

const READY = health()
const NOT_READY = health({ running: 1 })

describe('notReadyReasons', () => {
  it.each<[string, ColorHealth, string[]]>([
    ['all good', READY, []],
    ['PRIMARY status is good too', health({ status: 'PRIMARY' }), []],
    ['a DRAINING task set', health({ status: 'DRAINING' }), ['task set ecs-svc/2000 is DRAINING']],
    ['a STABILIZING task set', health({ stability: 'STABILIZING' }), ['task set is STABILIZING']],
    [
      'a task set that wants 0 tasks',
      health({ desired: 0, running: 0 }),
      ['task set wants 0 tasks (scale it up first)']
    ],
    ['fewer running tasks than desired', health({ running: 1, desired: 3 }), ['1/3 tasks running']],
    [
      'no targets registered',
      health({}, { total: 0, healthy: 0 }),
      ['no targets registered in its target group']
    ],
    [
      'an unhealthy target with a reason',
      health(
        {},
        {
          healthy: 1,
          notHealthy: [{ id: '10.0.0.5:8080', state: 'unhealthy', reason: 'Target.Timeout' }]
        }
      ),
      ['target 10.0.0.5:8080 is unhealthy (Target.Timeout)']
    ],
    [
      'an initial target without a reason',
      health({}, { healthy: 1, notHealthy: [{ id: '10.0.0.6:8080', state: 'initial' }] }),
      ['target 10.0.0.6:8080 is initial']
    ],
    [
      'everything wrong at once, in order',
      health(
        { status: 'DRAINING', stability: 'STABILIZING', desired: 0, running: 0 },
        {
          total: 0,
          healthy: 0,
          notHealthy: [{ id: 'i-1', state: 'unhealthy', reason: 'Target.FailedHealthChecks' }]
        }
      ),
      [
        'task set ecs-svc/2000 is DRAINING',
        'task set is STABILIZING',
        'task set wants 0 tasks (scale it up first)',
        'no targets registered in its target group',
        'target i-1 is unhealthy (Target.FailedHealthChecks)'
      ]
    ]
  ])('%s', (_name, given, expected) => {
    expect(notReadyReasons(given)).toEqual(expected)
  })

  it('does not report running < desired when more tasks run than desired', () => {
    expect(notReadyReasons(health({ running: 5, desired: 2 }))).toEqual([])
  })
})

/** A clock whose sleeps advance time instantly and are recorded with the time left then. */
function fakeClock(start = 1_000_000) {
  let now = start
  const sleeps: { ms: number; at: number }[] = []
  const clock: GateClock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push({ ms, at: now })
      now += ms
    }
  }
  return { clock, sleeps, elapsed: () => now - start }
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
    const result = await waitUntilReady('Green', READY, probe, 60_000, clock)
    expect(result).toEqual({ color: 'Green', waitedMs: 0, checks: 1, health: READY })
    expect(sleeps).toEqual([])
    expect(calls()).toBe(0)
  })

  it.each([1, 2, 5, 11])('becomes ready after %i probes', async (k) => {
    const { clock, sleeps, elapsed } = fakeClock()
    const { probe, calls } = probeReadyAfter(k - 1)
    const waits: string[][] = []
    const result = await waitUntilReady('Green', NOT_READY, probe, 600_000, clock, (r) =>
      waits.push(r)
    )
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
    await waitUntilReady('Blue', NOT_READY, probe, 10_000, clock, undefined, 250)
    expect(sleeps.map((s) => s.ms)).toEqual([250, 250, 250])
  })

  it('times out with a HealthTimeoutError listing the reasons', async () => {
    const { clock, elapsed } = fakeClock()
    const stuck = health(
      { stability: 'STABILIZING', running: 0 },
      { notHealthy: [{ id: 'i-9', state: 'unhealthy', reason: 'Target.Timeout' }] }
    )
    const probe = async () => stuck
    const error = await waitUntilReady('Green', stuck, probe, 12_000, clock).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(HealthTimeoutError)
    const message = (error as Error).message
    expect(message).toContain('The canary colour Green was not healthy after 12 s')
    expect(message).toContain(
      'task set is STABILIZING; 0/2 tasks running; target i-9 is unhealthy (Target.Timeout)'
    )
    expect(message).toContain('No traffic was moved')
    expect(message).toContain('"health-timeout-seconds"')
    expect(elapsed()).toBe(12_000)
  })

  it('reports the reasons of the last probe, not the first', async () => {
    const { clock } = fakeClock()
    let calls = 0
    const probe = async () => {
      calls += 1
      return health({}, { total: 0, healthy: 0 })
    }
    await expect(
      waitUntilReady('Blue', health({ stability: 'STABILIZING' }), probe, 6_000, clock)
    ).rejects.toThrow(/not healthy after 6 s: no targets registered in its target group\./)
    expect(calls).toBeGreaterThan(0)
  })

  it('a zero timeout fails at once for a colour that is not ready', async () => {
    const { clock, sleeps } = fakeClock()
    const { probe, calls } = probeReadyAfter(0)
    await expect(waitUntilReady('Green', NOT_READY, probe, 0, clock)).rejects.toBeInstanceOf(
      HealthTimeoutError
    )
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
          let outcome: 'ready' | 'timeout'
          try {
            const result = await waitUntilReady(
              'Green',
              NOT_READY,
              probe,
              timeoutMs,
              clock,
              undefined,
              pollMs
            )
            outcome = 'ready'
            expect(result.checks).toBe(calls() + 1)
            expect(result.waitedMs).toBe(elapsed())
          } catch (error) {
            expect(error).toBeInstanceOf(HealthTimeoutError)
            outcome = 'timeout'
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
          expect(outcome).toBe(k + 1 <= probesInTime ? 'ready' : 'timeout')
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe('realClock', () => {
  it('returns at once from a sleep whose signal has already fired', async () => {
    const { realClock } = await import('../src/gate.js')
    const cancel = new AbortController()
    cancel.abort()
    const started = Date.now()
    await realClock.sleep(60_000, cancel.signal)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('ends a sleep early when the signal fires during it', async () => {
    const { realClock } = await import('../src/gate.js')
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 10)
    const started = Date.now()
    await realClock.sleep(60_000, cancel.signal)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
