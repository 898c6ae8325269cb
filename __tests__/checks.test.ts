/** src/report/checks.ts: what a dry run says a real run would check, in the order it checks. */
import { describe, expect, it } from '@jest/globals'
import { ANALYSIS_DEFAULTS } from '../src/analysis-input.js'
import type { ActionInputs } from '../src/inputs.js'
import { describeChecks } from '../src/report/checks.js'
import { formatDuration } from '../src/report/text.js'

const inputs = (over: Partial<ActionInputs>): ActionInputs =>
  ({ mode: 'canary', testTraffic: {}, ...over }) as ActionInputs

describe('describeChecks', () => {
  it('lists smoke, the hooks and analysis in the order a run asks them', () => {
    expect(
      describeChecks(
        inputs({
          testTraffic: { query: { key: 'canary', value: '1' } },
          smoke: {
            url: '/health',
            expectStatus: ['200'],
            expectBody: 'ok',
            timeoutMs: 5000,
            count: 20
          },
          hooks: {
            afterTestTraffic: 'a',
            beforeTraffic: 'b',
            afterTraffic: 'c',
            timeoutMs: 600_000
          },
          analysis: ANALYSIS_DEFAULTS
        })
      )
    ).toEqual([
      'Smoke check before the first shift: 20 request(s) to /health through query canary=1, each answering 200, containing "ok" within 5 s.',
      'Hook after-test-traffic: Lambda a, before the first shift (up to 10 min while IN_PROGRESS).',
      'Hook before-traffic: Lambda b, before the first shift (up to 10 min while IN_PROGRESS).',
      "Canary analysis at every bake poll and at each step's end: fail when the canary's 5xx rate is more than 1 point(s) and 2× above stable's, or its p99 more than 1.5× and 50 ms above it; 2 min windows ending 1 min ago; fewer than 50 canary requests is inconclusive, held up to 5 min, then fail.",
      'Hook after-traffic: Lambda c, at the end of each step (up to 10 min while IN_PROGRESS).'
    ])
  })

  it('names the test route the smoke check takes', () => {
    const smoke = { url: 'http://x/', expectStatus: ['2xx'], timeoutMs: 1000, count: 1 }
    expect(
      describeChecks(inputs({ smoke, testTraffic: { header: { name: 'X-C', value: '1' } } }))[0]
    ).toContain('through header X-C: 1,')
    expect(describeChecks(inputs({ smoke, testTraffic: { listenerArn: 'arn' } }))[0]).toContain(
      'through the test listener,'
    )
  })

  it('is empty without checks, and for other modes', () => {
    expect(describeChecks(inputs({}))).toEqual([])
    expect(describeChecks(inputs({ mode: 'promote', analysis: ANALYSIS_DEFAULTS }))).toEqual([])
  })

  it.each([
    [1000, '1 s'],
    [90_000, '1 min 30 s'],
    [300_000, '5 min']
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
