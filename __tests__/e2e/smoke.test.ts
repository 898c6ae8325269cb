/**
 * Smoke checks through the test route, end to end: the bundled action opens the test rule, sends
 * its requests with the test header to the demo router (which honours the sandbox's rules, the
 * test rule included), and only then shifts production traffic. A failing check removes the test
 * rule and stops before any production traffic moves.
 */
import { describe, expect, it } from '@jest/globals'
import {
  count,
  otherRules,
  ruleWeights,
  serviceTags,
  step,
  useDemoTraffic,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const router = useDemoTraffic(sandbox, 3)

function greenRuns(version: string): void {
  const definition = sandbox.world.taskDefinitions.find((d) => d.arn.endsWith('myapp:2'))
  if (!definition) throw new Error('no myapp:2 in the world')
  definition.containers[0].image = `myapp:${version}`
}

const TEST_HEADER = { 'test-header': 'X-Canary: true' }

/** The test rule is gone, and so is the service tag that recorded it. */
function expectNoTestTraffic(): void {
  expect(otherRules(sandbox.world)).toEqual([])
  expect(serviceTags(sandbox.world).StableStackTestRule).toBeUndefined()
}

describe('smoke checks through the test route', () => {
  it('reach the canary through the test rule, and production traffic moves once they pass', async () => {
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      ...TEST_HEADER,
      'smoke-url': `${router.url}/health`,
      'smoke-expect-body': '1.0.1'
    })
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    const summary = run.summary.replace(/\\/g, '')
    expect(summary).toContain('### Smoke check')
    expect(summary).toMatch(
      new RegExp(
        `20 request\\(s\\) to ${router.url}/health with header X-Canary: true: 200 ×20, p50 \\d+ ms, p99 \\d+ ms`
      )
    )
  })

  it('a failing check removes test traffic and stops before production traffic moves', async () => {
    // Green's version has no app behind the router: every request through the test rule is a 502.
    greenRuns('9.9.9')
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      ...TEST_HEADER,
      'smoke-url': `${router.url}/health`,
      'smoke-count': '5'
    })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      `Smoke check before the first production shift: 5 of 5 request(s) to ${router.url}/health failed (502 ×5; first: status 502, expected 2xx). Traffic is now Blue 100% / Green 0%; the stable colour is Blue.`
    ])
    expect(count(run, 'ModifyRule')).toBe(0)
    expect(run.writes.map((w) => w.operation)).toEqual([
      'CreateRule',
      'TagResource',
      'DeleteRule',
      'UntagResource'
    ])
    expectNoTestTraffic()
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })

  it('checks the body and the statuses it is told to expect', async () => {
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'test-query': 'canary=yes',
      'smoke-url': `${router.url}/`,
      'smoke-expect-status': '200',
      'smoke-expect-body': 'version 2',
      'smoke-count': '3'
    })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain(
      `3 of 3 request(s) to ${router.url}/?canary=yes failed (200 ×3; first: the body does not contain "version 2")`
    )
    expect(count(run, 'ModifyRule')).toBe(0)
    expectNoTestTraffic()
  })

  it('a path goes to the load balancer: an unreachable address is named', async () => {
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      ...TEST_HEADER,
      'smoke-url': '/health',
      'smoke-count': '2',
      'smoke-timeout': '2s'
    })
    expect(run.code).toBe(1)
    expect(count(run, 'DescribeLoadBalancers')).toBe(1)
    expect(run.errors[0]).toMatch(
      /^Smoke check before the first production shift: could not reach http:\/\/myalb-1234567890\.us-east-1\.elb\.amazonaws\.com\/health: /
    )
    expect(count(run, 'ModifyRule')).toBe(0)
    expectNoTestTraffic()
  })

  it('refuses a smoke-url without a test route before any AWS call', async () => {
    const run = await step(sandbox, { mode: 'canary', 'smoke-url': `${router.url}/` })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      '"smoke-url" checks the canary through the test route: set "test-header", "test-query" or "test-listener-arn" too. No traffic was moved; nothing was written.'
    ])
    expect(run.requests).toEqual([])
  })
})
