import { formatDuration } from './text.js'
import type { ActionInputs } from '../inputs.js'

/**
 * The checks a canary runs besides health and alarms, one line each, in the order it runs them;
 * a dry run lists them so a reader sees what a real run would judge. Pure.
 */
export function describeChecks(inputs: ActionInputs): string[] {
  if (inputs.mode !== 'canary') return []
  const lines: string[] = []
  const { smoke, hooks, analysis, testTraffic } = inputs
  if (smoke) {
    const route = testTraffic.header
      ? `header ${testTraffic.header.name}: ${testTraffic.header.value}`
      : testTraffic.query
        ? `query ${testTraffic.query.key}=${testTraffic.query.value}`
        : 'the test listener'
    const body =
      smoke.expectBody === undefined ? '' : `, containing ${JSON.stringify(smoke.expectBody)}`
    lines.push(
      `Smoke check before the first shift: ${smoke.count} request(s) to ${smoke.url} through ${route}, ` +
        `each answering ${smoke.expectStatus.join(' or ')}${body} within ${formatDuration(smoke.timeoutMs)}.`
    )
  }
  const timeout = hooks ? ` (up to ${formatDuration(hooks.timeoutMs)} while IN_PROGRESS)` : ''
  if (hooks?.afterTestTraffic) {
    lines.push(
      `Hook after-test-traffic: Lambda ${hooks.afterTestTraffic}, before the first shift${timeout}.`
    )
  }
  if (hooks?.beforeTraffic) {
    lines.push(
      `Hook before-traffic: Lambda ${hooks.beforeTraffic}, before the first shift${timeout}.`
    )
  }
  if (analysis) {
    lines.push(
      `Canary analysis at every bake poll and at each step's end: fail when the canary's 5xx rate is more than ` +
        `${analysis.errorRatePoints} point(s) and ${analysis.errorRateRatio}× above stable's, or its p99 more than ` +
        `${analysis.p99Ratio}× and ${analysis.p99MinIncreaseMs} ms above it; ${formatDuration(analysis.windowMs)} windows ending ` +
        `${formatDuration(analysis.delayMs)} ago; fewer than ${analysis.minRequests} canary requests is inconclusive, ` +
        `held up to ${formatDuration(analysis.maxWaitMs)}, then ${analysis.onInconclusive}.`
    )
  }
  if (hooks?.afterTraffic) {
    lines.push(
      `Hook after-traffic: Lambda ${hooks.afterTraffic}, at the end of each step${timeout}.`
    )
  }
  return lines
}
