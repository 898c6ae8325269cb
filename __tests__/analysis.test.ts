/**
 * Canary analysis: the `analysis` input (src/analysis-input.ts), the pure judgement and window
 * (src/gates/analysis-judge.ts), the GetMetricData reader against a mocked CloudWatch
 * (src/gates/analysis-metrics.ts) and the gate with a fake clock (src/gates/analysis.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import fc from 'fast-check'
import { ANALYSIS_DEFAULTS, parseAnalysis, type AnalysisInputs } from '../src/analysis-input.js'
import type { Clock } from '../src/clock.js'
import { AccessDeniedError, InputError } from '../src/errors.js'
import { AnalysisGate } from '../src/gates/analysis.js'
import {
  judgeCanary,
  metricWindow,
  type ColorMetrics,
  type MetricWindow
} from '../src/gates/analysis-judge.js'
import {
  createMetricsRead,
  loadBalancerDimension,
  targetGroupDimension,
  type MetricsRead
} from '../src/gates/analysis-metrics.js'
import type { GateContext } from '../src/gates/gate.js'
import { MemoryLogger } from '../src/logger.js'

const WINDOW: MetricWindow = { start: 0, end: 120_000 }
const T = ANALYSIS_DEFAULTS

const m = (requests: number, errors: number, p99Ms?: number): ColorMetrics => ({
  requests,
  errors,
  ...(p99Ms !== undefined ? { p99Ms, p50Ms: p99Ms / 2 } : {})
})

describe('parseAnalysis', () => {
  it.each([
    ['false', undefined],
    ['', undefined],
    ['true', ANALYSIS_DEFAULTS],
    ['TRUE', ANALYSIS_DEFAULTS],
    ['p99-ratio: 2', { ...ANALYSIS_DEFAULTS, p99Ratio: 2 }],
    ['p99-min-increase: 20ms', { ...ANALYSIS_DEFAULTS, p99MinIncreaseMs: 20 }],
    ['p99-min-increase: 1s', { ...ANALYSIS_DEFAULTS, p99MinIncreaseMs: 1000 }],
    [
      'error-rate-points: 0.5\nerror-rate-ratio: 3 # comment\nwindow: 5m\ndelay: 90s',
      {
        ...ANALYSIS_DEFAULTS,
        errorRatePoints: 0.5,
        errorRateRatio: 3,
        windowMs: 300_000,
        delayMs: 90_000
      }
    ],
    [
      '{"min-requests": 10, "on-inconclusive": "pass", "window": "10s", "max-wait": "0"}',
      {
        ...ANALYSIS_DEFAULTS,
        minRequests: 10,
        onInconclusive: 'pass',
        windowMs: 10_000,
        maxWaitMs: 0
      }
    ],
    [
      'min-requests: "20", on-inconclusive: PASS',
      { ...ANALYSIS_DEFAULTS, minRequests: 20, onInconclusive: 'pass' }
    ]
  ])('%j', (text, expected) => {
    expect(parseAnalysis(text)).toEqual(expected)
  })

  it.each([
    ['error-rate-points: lots', 'error-rate-points "lots"'],
    ['error-rate-points: 101', 'from 0 to 100'],
    ['error-rate-points: -1', 'from 0 to 100'],
    ['error-rate-ratio: 0.5', 'at least 1'],
    ['p99-ratio: NaN', 'at least 1'],
    ['min-requests: 0', 'whole number'],
    ['p99-min-increase: 90000ms', 'up to 1m'],
    ['p99-min-increase: fast', 'up to 1m'],
    ['min-requests: 2.5', 'whole number'],
    ['window: 7s', '1s, 5s, 10s, 30s or whole minutes'],
    ['window: 90s', 'whole minutes'],
    ['window: 2h', 'whole minutes up to 1h'],
    ['delay: soon', 'up to 15m'],
    ['on-inconclusive: maybe', 'fail or pass'],
    ['threshold: 3', 'unknown key "threshold"'],
    ['just words', 'not "key: value"'],
    ['{"p99-ratio": ', 'not a JSON object'],
    ['[1, 2]', 'not "key: value"']
  ])('%j is refused with one message', (text, fragment) => {
    expect(() => parseAnalysis(text)).toThrow(InputError)
    expect(() => parseAnalysis(text)).toThrow(fragment)
  })
})

describe('judgeCanary', () => {
  it.each([
    // canary, stable, result, why
    [m(10, 5), m(1000, 0), 'inconclusive', 'fewer than the 50 needed'],
    [m(49, 0), m(1000, 0), 'inconclusive', '49 request(s)'],
    [m(1000, 50, 100), m(9000, 9, 100), 'fail', "error rate 5.00% against stable's 0.10%"],
    // 1.5 points above but not 2×: a noisy stable does not fail the canary.
    [m(1000, 65, 100), m(9000, 450, 100), 'pass', 'error rate 6.50%'],
    // 2× but not 1 point above: a rare error does not fail it either.
    [m(1000, 4, 100), m(9000, 9, 100), 'pass', '0.40%'],
    [m(1000, 0, 200), m(9000, 0, 100), 'fail', "p99 200 ms against stable's 100 ms"],
    [m(1000, 0, 150), m(9000, 0, 100), 'pass', 'p99 150 ms against 100 ms'],
    // Twice as slow, but by 4 ms: jitter on a fast service is no regression.
    [m(1000, 0, 8), m(9000, 0, 4), 'pass', 'p99 8 ms against 4 ms'],
    [m(1000, 0, 2500), m(9000, 0, 1000), 'fail', "p99 2.50 s against stable's 1.00 s"],
    // Stable served nothing: errors are judged against 0, latency is not compared.
    [m(1000, 20, 900), m(0, 0), 'fail', "against stable's 0.00%"],
    [m(1000, 5, 900), m(0, 0), 'pass', 'stable served nothing to compare'],
    [m(1000, 0), m(9000, 0), 'pass', 'p99 not published']
  ] as const)('%j against %j: %s', (canary, stable, result, why) => {
    const verdict = judgeCanary(canary, stable, WINDOW, T)
    expect(verdict.result).toBe(result)
    expect(verdict.reason).toContain(why)
    expect(verdict.window).toEqual(WINDOW)
  })

  const metrics = fc
    .record({
      requests: fc.integer({ min: 0, max: 100_000 }),
      p99Ms: fc.double({ min: 1, max: 10_000, noNaN: true })
    })
    .chain(({ requests, p99Ms }) =>
      fc.record({
        requests: fc.constant(requests),
        errors: fc.integer({ min: 0, max: requests }),
        p99Ms: fc.constant(p99Ms)
      })
    )
  const thresholds = fc.record({
    errorRatePoints: fc.double({ min: 0, max: 100, noNaN: true }),
    errorRateRatio: fc.double({ min: 1, max: 10, noNaN: true }),
    p99Ratio: fc.double({ min: 1, max: 10, noNaN: true }),
    p99MinIncreaseMs: fc.integer({ min: 0, max: 1000 }),
    minRequests: fc.integer({ min: 1, max: 1000 })
  })

  it('is inconclusive exactly when the canary has fewer requests than the minimum', () => {
    fc.assert(
      fc.property(metrics, metrics, thresholds, (canary, stable, t) => {
        const verdict = judgeCanary(canary, stable, WINDOW, t)
        expect(verdict.result === 'inconclusive').toBe(canary.requests < t.minRequests)
      })
    )
  })

  it('never fails a canary that does exactly as well as stable', () => {
    fc.assert(
      fc.property(metrics, thresholds, (same, t) => {
        expect(judgeCanary(same, same, WINDOW, t).result).not.toBe('fail')
      })
    )
  })

  it('fails a canary no better when it has more errors or a higher p99 than one that failed', () => {
    fc.assert(
      fc.property(
        metrics,
        metrics,
        thresholds,
        fc.nat(),
        fc.nat(),
        (canary, stable, t, more, slower) => {
          fc.pre(judgeCanary(canary, stable, WINDOW, t).result === 'fail')
          const worse = {
            requests: canary.requests,
            errors: Math.min(canary.requests, canary.errors + more),
            p99Ms: canary.p99Ms + slower
          }
          expect(judgeCanary(worse, stable, WINDOW, t).result).toBe('fail')
        }
      )
    )
  })

  it('passes whenever the error rate and p99 are within the thresholds, and says why it fails', () => {
    fc.assert(
      fc.property(metrics, metrics, thresholds, (canary, stable, t) => {
        const verdict = judgeCanary(canary, stable, WINDOW, t)
        if (verdict.result !== 'fail') return
        expect(verdict.reason).toMatch(/error rate|p99/)
      })
    )
  })
})

describe('metricWindow', () => {
  it('ends the delay before now on a boundary, and is as long as asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        fc.constantFrom(1000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 3_600_000),
        fc.integer({ min: 0, max: 900 }).map((s) => s * 1000),
        (now, windowMs, delayMs) => {
          const window = metricWindow(now, { windowMs, delayMs })
          const align = Math.min(windowMs, 60_000)
          expect(window.end - window.start).toBe(windowMs)
          expect(window.end).toBeLessThanOrEqual(now - delayMs)
          expect(now - delayMs - window.end).toBeLessThan(align)
          expect(window.end % align).toBe(0)
        }
      )
    )
  })

  it('stays the same window until a new period is due', () => {
    const config = { windowMs: 120_000, delayMs: 60_000 }
    const at = Date.UTC(2026, 10, 23, 10, 5, 0)
    expect(metricWindow(at, config)).toEqual({ start: at - 180_000, end: at - 60_000 })
    expect(metricWindow(at + 59_999, config)).toEqual(metricWindow(at, config))
    expect(metricWindow(at + 60_000, config).end).toBe(at)
  })
})

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/myalb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee'
const BLUE_TG =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue-tg/73e2d6bc24d8a067'
const GREEN_TG =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green-tg/2453ed029918f21f'

describe('the ALB dimensions', () => {
  it('come from the route and the target groups', () => {
    expect(loadBalancerDimension(LISTENER)).toBe('app/myalb/50dc6c495c0c9188')
    expect(
      loadBalancerDimension(
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/myalb/50dc6c495c0c9188/f2f7dc8efc522ab2'
      )
    ).toBe('app/myalb/50dc6c495c0c9188')
    expect(targetGroupDimension(BLUE_TG)).toBe('targetgroup/blue-tg/73e2d6bc24d8a067')
    expect(targetGroupDimension(GREEN_TG)).toBe('targetgroup/green-tg/2453ed029918f21f')
    expect(
      loadBalancerDimension('arn:aws:elasticloadbalancing:us-east-1:1:listener/net/x/1/2')
    ).toBe(undefined)
  })
})

describe('createMetricsRead', () => {
  const dimensions = {
    loadBalancer: 'app/myalb/50dc6c495c0c9188',
    targetGroups: { Blue: 'targetgroup/blue-tg/1', Green: 'targetgroup/green-tg/2' }
  }
  const window = { start: Date.UTC(2026, 10, 23, 10, 0), end: Date.UTC(2026, 10, 23, 10, 2) }

  it('asks for both colours in one call, the window as one period, and sums what comes back', async () => {
    const cloudwatch = mockClient(CloudWatchClient)
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'green_requests', Values: [600] },
          { Id: 'green_target5xx', Values: [30] },
          { Id: 'green_connectionErrors', Values: [2] },
          { Id: 'green_p99', Values: [0.25] },
          { Id: 'green_p50', Values: [0.05] }
        ],
        NextToken: 'more'
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'blue_requests', Values: [5400] },
          { Id: 'blue_target5xx', Values: [] },
          { Id: 'blue_p99', Values: [0.1] }
        ]
      })
    const read = createMetricsRead(
      async () => cloudwatch as unknown as CloudWatchClient,
      dimensions
    )
    expect(await read(window)).toEqual({
      Green: { requests: 600, errors: 32, p50Ms: 50, p99Ms: 250 },
      Blue: { requests: 5400, errors: 0, p99Ms: 100 }
    })
    const calls = cloudwatch.commandCalls(GetMetricDataCommand)
    expect(calls).toHaveLength(2)
    const input = calls[0].args[0].input
    expect(input.StartTime).toEqual(new Date(window.start))
    expect(input.EndTime).toEqual(new Date(window.end))
    expect(calls[1].args[0].input.NextToken).toBe('more')
    expect(input.MetricDataQueries).toHaveLength(10)
    const greenP99 = input.MetricDataQueries?.find((q) => q.Id === 'green_p99')
    expect(greenP99?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'TargetResponseTime',
        Dimensions: [
          { Name: 'LoadBalancer', Value: 'app/myalb/50dc6c495c0c9188' },
          { Name: 'TargetGroup', Value: 'targetgroup/green-tg/2' }
        ]
      },
      Period: 120,
      Stat: 'p99'
    })
  })

  it('names the IAM action when CloudWatch refuses', async () => {
    const cloudwatch = mockClient(CloudWatchClient)
    cloudwatch
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
    const read = createMetricsRead(
      async () => cloudwatch as unknown as CloudWatchClient,
      dimensions
    )
    const error = await read(window).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AccessDeniedError)
    expect((error as Error).message).toContain('cloudwatch:GetMetricData')
  })
})

/** A clock that starts at `start` and whose sleeps only move time on. */
function fakeClock(start: number): Clock & { slept: number[] } {
  let now = start
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    }
  }
}

function contextOf(clock: Clock, over: Partial<GateContext> = {}): GateContext {
  return {
    color: 'Green',
    step: 0,
    share: 100,
    fresh: true,
    clock,
    log: new MemoryLogger(),
    ...over
  }
}

/** A read that answers from a list of per-call results, counting calls. */
function scriptedRead(answers: { Green: ColorMetrics; Blue: ColorMetrics }[]) {
  const windows: MetricWindow[] = []
  const read: MetricsRead = async (window) => {
    windows.push(window)
    return answers[Math.min(windows.length - 1, answers.length - 1)]
  }
  return { read, windows }
}

describe('AnalysisGate', () => {
  const config: AnalysisInputs = { ...ANALYSIS_DEFAULTS, maxWaitMs: 60_000 }
  const good = { Green: m(600, 0, 100), Blue: m(5400, 0, 100) }
  const bad = { Green: m(600, 60, 300), Blue: m(5400, 5, 100) }
  const quiet = { Green: m(3, 0, 100), Blue: m(5400, 0, 100) }
  const start = Date.UTC(2026, 10, 23, 10, 0, 30)

  it('probes the newest window once, judging nothing', async () => {
    const { read, windows } = scriptedRead([bad])
    const gate = new AnalysisGate(read, config)
    await gate.probe(start)
    expect(windows).toEqual([metricWindow(start, config)])
    expect(gate.last).toBeUndefined()
  })

  it('has nothing to judge before the canary has production traffic', async () => {
    const { read, windows } = scriptedRead([bad])
    const gate = new AnalysisGate(read, config)
    const reading = await gate.before(contextOf(fakeClock(start), { share: 0 }))
    expect(reading).toEqual({ label: 'analysis', text: 'no canary traffic yet' })
    expect(windows).toEqual([])
  })

  /** The run asks before its first shift, then time passes until a window lies wholly after. */
  async function begun(gate: AnalysisGate, clock: Clock): Promise<void> {
    await gate.before(contextOf(clock, { share: 0 }))
    await clock.sleep(240_000)
  }

  it('judges no window that starts before the run began: the group may have served another version', async () => {
    const clock = fakeClock(start)
    const { read, windows } = scriptedRead([bad])
    const gate = new AnalysisGate(read, config)
    await gate.before(contextOf(clock, { share: 0 }))
    await clock.sleep(150_000)
    const reading = await gate.during(contextOf(clock))
    expect(reading).toMatchObject({ text: 'inconclusive' })
    expect(reading.verdict?.reason).toBe(
      'no published window starts after this run began (10:00:30 UTC) yet'
    )
    expect(windows).toEqual([])
    await clock.sleep(60_000)
    expect((await gate.during(contextOf(clock))).text).toBe('fail')
    expect(windows).toEqual([
      { start: Date.UTC(2026, 10, 23, 10, 1), end: Date.UTC(2026, 10, 23, 10, 3) }
    ])
  })

  it('fails a bake look with both colours numbers and the window judged', async () => {
    const { read } = scriptedRead([bad])
    const gate = new AnalysisGate(read, config)
    const clock = fakeClock(start)
    await begun(gate, clock)
    const reading = await gate.during(contextOf(clock, { step: 1 }))
    expect(reading.text).toBe('fail')
    expect(reading.failure).toBe(
      "Canary analysis during the bake of step 2 (Green at 10%): the canary is worse than stable: error rate 10.0% against stable's 0.09%: more than 1 point(s) and 2× above it, in 10:01:00–10:03:00 UTC (Green: 600 requests, 10.0% errors, p99 300 ms; Blue: 5400 requests, 0.09% errors, p99 100 ms)"
    )
    expect(gate.last?.result).toBe('fail')
  })

  it('reads once per window however often the bake looks', async () => {
    const clock = fakeClock(start)
    const { read, windows } = scriptedRead([good])
    const gate = new AnalysisGate(read, config)
    await begun(gate, clock)
    for (let i = 0; i < 10; i += 1) {
      expect((await gate.during(contextOf(clock))).failure).toBeUndefined()
      await clock.sleep(3000)
    }
    expect(windows).toHaveLength(1)
    await clock.sleep(60_000)
    await gate.during(contextOf(clock))
    expect(windows).toHaveLength(2)
  })

  it('holds a step while inconclusive and passes once a verdict comes', async () => {
    const clock = fakeClock(start)
    const { read, windows } = scriptedRead([quiet, quiet, good])
    const gate = new AnalysisGate(read, { ...config, maxWaitMs: 300_000 })
    await begun(gate, clock)
    const reading = await gate.settle(contextOf(clock))
    expect(reading).toMatchObject({ text: 'pass' })
    expect(reading.failure).toBeUndefined()
    // One look per published window: the first at once, then as each next window is due.
    expect(windows).toHaveLength(3)
    expect(windows[1].end - windows[0].end).toBe(60_000)
    expect(clock.slept).toEqual([240_000, 30_000, 60_000])
  })

  it('follows on-inconclusive once max-wait has passed', async () => {
    const fails = new AnalysisGate(scriptedRead([quiet]).read, config)
    const clock = fakeClock(start)
    const failed = await fails.settle(contextOf(clock))
    expect(clock.now() - start).toBe(60_000)
    expect(failed.text).toBe('inconclusive (fail)')
    expect(failed.failure).toContain('no verdict after holding the step 60 s')
    expect(failed.failure).toContain('on-inconclusive is fail')

    const passes = new AnalysisGate(scriptedRead([quiet]).read, {
      ...config,
      onInconclusive: 'pass'
    })
    const passed = await passes.settle(contextOf(fakeClock(start)))
    expect(passed).toMatchObject({ text: 'inconclusive (pass)' })
    expect(passed.failure).toBeUndefined()
  })

  it('an inconclusive look during a bake does not fail it', async () => {
    const gate = new AnalysisGate(scriptedRead([quiet]).read, config)
    const reading = await gate.during(contextOf(fakeClock(start)))
    expect(reading).toMatchObject({ text: 'inconclusive' })
    expect(reading.failure).toBeUndefined()
  })
})
