/**
 * Smoke checks: the request through the test route, the histogram and percentiles, and the gate
 * with a fake fetch (src/gates/smoke.ts); the listener's address (src/routers/alb/address.ts).
 */
import { describe, expect, it } from '@jest/globals'
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import { realClock } from '../src/clock.js'
import { statusAccepted, type SmokeInputs } from '../src/check-inputs.js'
import type { GateContext } from '../src/gates/gate.js'
import {
  percentileMs,
  SmokeGate,
  smokeRequest,
  statusHistogram,
  type Fetch
} from '../src/gates/smoke.js'
import { MemoryLogger } from '../src/logger.js'
import { listenerAddress } from '../src/routers/alb/address.js'

describe('the pure parts', () => {
  it('adds the test query to the URL and the test header to the request', () => {
    expect(
      smokeRequest('https://x.example/a?b=1', { query: { key: 'canary', value: 'y' } })
    ).toEqual({
      url: 'https://x.example/a?b=1&canary=y',
      headers: {}
    })
    expect(smokeRequest('http://x/', { header: { name: 'X-Canary', value: 'true' } })).toEqual({
      url: 'http://x/',
      headers: { 'X-Canary': 'true' }
    })
  })

  it('counts statuses, most common first, and takes nearest-rank percentiles of answers', () => {
    const results = [
      { status: 200, ms: 10 },
      { status: 500, ms: 30 },
      { status: 200, ms: 20 },
      { ms: 5000 }
    ]
    expect(statusHistogram(results)).toBe('200 ×2, 500 ×1, no answer ×1')
    expect(percentileMs(results, 0.5)).toBe(20)
    expect(percentileMs(results, 0.99)).toBe(30)
    expect(percentileMs([{ ms: 1 }], 0.5)).toBeUndefined()
  })

  it.each([
    [200, ['2xx'], true],
    [204, ['200'], false],
    [204, ['200', '204'], true],
    [301, ['2xx', '3xx'], true],
    [500, ['2xx'], false]
  ])('status %d against %j: %s', (status, expected, accepted) => {
    expect(statusAccepted(status, expected)).toBe(accepted)
  })
})

const config: SmokeInputs = {
  url: 'http://app.example/health',
  expectStatus: ['2xx'],
  timeoutMs: 1000,
  count: 6
}
const context = (over: Partial<GateContext> = {}): GateContext => ({
  color: 'Green',
  step: 0,
  share: 0,
  fresh: true,
  clock: realClock,
  log: new MemoryLogger(),
  ...over
})

function fakeFetch(answer: (n: number) => { status: number; body: string } | Error) {
  const calls: { url: string; headers: Record<string, string> }[] = []
  const fetcher: Fetch = async (url, init) => {
    calls.push({ url, headers: init.headers })
    const a = answer(calls.length)
    if (a instanceof Error) throw a
    return { status: a.status, text: async () => a.body }
  }
  return { fetcher, calls }
}

const header = { header: { name: 'X-Canary', value: 'true' } }

describe('SmokeGate', () => {
  it('passes when every answer is accepted, and runs only before the first step', async () => {
    const fake = fakeFetch(() => ({ status: 200, body: 'ok' }))
    const gate = new SmokeGate(config, header, async () => 'unused', fake.fetcher)
    const reading = await gate.before(context())
    expect(reading.failure).toBeUndefined()
    expect(reading.text).toBe('passed')
    expect(reading.details?.[0]).toMatch(
      /^6 request\(s\) to http:\/\/app.example\/health with header X-Canary: true: 200 ×6, p50 \d+ ms, p99 \d+ ms$/
    )
    expect(fake.calls).toHaveLength(6)
    expect(fake.calls[0].headers).toEqual({ 'X-Canary': 'true' })
    expect(await gate.before(context({ step: 1 }))).toBe(reading)
    expect(await gate.during()).toBe(reading)
    expect(fake.calls).toHaveLength(6)
  })

  it('fails on one bad status, saying how many and which', async () => {
    const fake = fakeFetch((n) => ({ status: n === 3 ? 503 : 200, body: 'ok' }))
    const reading = await new SmokeGate(config, header, async () => '', fake.fetcher).before(
      context()
    )
    expect(reading.text).toBe('failed')
    expect(reading.failure).toBe(
      'Smoke check before the first production shift: 1 of 6 request(s) to http://app.example/health failed (200 ×5, 503 ×1; first: status 503, expected 2xx)'
    )
  })

  it('names the address it could not reach', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:80' }
    })
    const fake = fakeFetch(() => refused)
    const gate = new SmokeGate(
      { ...config, url: '/health' },
      { listenerArn: 'arn' },
      async () => 'http://lb.example:8080',
      fake.fetcher
    )
    const reading = await gate.before(context())
    expect(reading.failure).toBe(
      'Smoke check before the first production shift: could not reach http://lb.example:8080/health: ECONNREFUSED (connect ECONNREFUSED 10.0.0.1:80)'
    )
    expect(reading.details?.[0]).toContain('on the test listener: no answer ×6')
  })

  it('says a request that timed out did so within smoke-timeout', async () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' })
    const reading = await new SmokeGate(
      { ...config, count: 1 },
      { query: { key: 'c', value: '1' } },
      async () => '',
      fakeFetch(() => timeout).fetcher
    ).before(context())
    expect(reading.failure).toContain(
      'could not reach http://app.example/health?c=1: no answer within smoke-timeout (1 s)'
    )
  })

  it('fails when the address of a path cannot be read', async () => {
    const gate = new SmokeGate({ ...config, url: '/x' }, header, async () => {
      throw new Error('Access denied')
    })
    const reading = await gate.before(context())
    expect(reading.failure).toBe(
      "Smoke check before the first production shift: could not find the load balancer's address: Access denied"
    )
  })
})

describe('listenerAddress', () => {
  const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/alb/1/2'
  it.each([
    ['HTTP', 80, 'http://alb.example'],
    ['HTTPS', 443, 'https://alb.example'],
    ['HTTP', 8080, 'http://alb.example:8080']
  ])('%s:%d is %s', async (Protocol, Port, address) => {
    const elb = mockClient(ElasticLoadBalancingV2Client)
    elb
      .on(DescribeListenersCommand)
      .resolves({ Listeners: [{ Protocol: Protocol as 'HTTP', Port, LoadBalancerArn: 'lb' }] })
    elb
      .on(DescribeLoadBalancersCommand, { LoadBalancerArns: ['lb'] })
      .resolves({ LoadBalancers: [{ DNSName: 'alb.example' }] })
    expect(await listenerAddress(elb as unknown as ElasticLoadBalancingV2Client, LISTENER)).toBe(
      address
    )
  })

  it('refuses a listener or load balancer without an address', async () => {
    const elb = mockClient(ElasticLoadBalancingV2Client)
    elb.on(DescribeListenersCommand).resolves({ Listeners: [] })
    await expect(
      listenerAddress(elb as unknown as ElasticLoadBalancingV2Client, LISTENER)
    ).rejects.toThrow('has no load balancer or port')
    elb.on(DescribeListenersCommand).resolves({ Listeners: [{ Port: 80, LoadBalancerArn: 'lb' }] })
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] })
    await expect(
      listenerAddress(elb as unknown as ElasticLoadBalancingV2Client, LISTENER)
    ).rejects.toThrow('Load balancer lb has no DNS name.')
  })
})
