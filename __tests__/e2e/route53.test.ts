/**
 * Two ECS services behind Route 53 weighted records, run through the bundle against the sandbox:
 * canary → promote (with scale-down) → undo, and canary → rollback. Each traffic change is one
 * ChangeResourceRecordSets batch of both records, awaited until INSYNC and read back; reruns
 * write nothing, and a rerun of a finished promote never moves traffic back. Bad input and bad
 * state are refused with one message, exit 1 and no write.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  BLUE_HEALTH_CHECK,
  BLUE_SERVICE,
  GREEN_SERVICE,
  recordWeights,
  ROUTE53_ZONE_ID
} from '../../sandbox/route53-world.js'
import { sample, seededRandom, startApp, startRouter, type Server } from '../../sandbox/traffic.js'
import type { World } from '../../sandbox/world.js'
import { operations, step, useSandbox, waitFor, type Step } from './harness.js'

const sandbox = useSandbox({ resetEach: false })

// Real HTTP: each request resolves shop.example.com by the records' weights, as a resolver
// without a cache would, then goes through that colour's load balancer to its service's app.
let servers: Server[] = []
let router: Server
beforeAll(async () => {
  servers = await Promise.all(['1.0.0', '1.0.1'].map((version) => startApp(version)))
  const apps = { '1.0.0': servers[0].url, '1.0.1': servers[1].url }
  router = await startRouter(() => sandbox.world, apps, seededRandom(53), {
    recordName: 'shop.example.com'
  })
})
afterAll(() => Promise.all([...servers, router].map((server) => server.close())))
const answers = () => sample(router.url, 400)

const SHAPE = {
  cluster: 'mycluster',
  service: BLUE_SERVICE,
  'blue-service': BLUE_SERVICE,
  'green-service': GREEN_SERVICE,
  'hosted-zone-id': ROUTE53_ZONE_ID,
  'record-name': 'shop.example.com'
}

const run = (inputs: Record<string, string>): Promise<Step> =>
  step(sandbox, { ...SHAPE, ...inputs }, { bare: true })

const serviceNamed = (w: World, name: string) => w.services.find((s) => s.name === name)!
const tagsOf = (w: World, name: string) =>
  Object.fromEntries(serviceNamed(w, name).tags.map((t) => [t.key, t.value]))
const blueRecord = (w: World) => w.hostedZones![0].records.find((r) => r.SetIdentifier === 'Blue')!

describe('Route 53 weighted records over two services', () => {
  it('canary → rerun → promote with scale-down → rerun → undo, each change one batch of both records', async () => {
    sandbox.reset('route53')

    const canary = await run({ mode: 'canary', 'canary-weight': '10' })
    expect(canary.errors).toEqual([])
    expect(canary.code).toBe(0)
    expect(operations(canary.writes)).toEqual(['ChangeResourceRecordSets'])
    const batch = canary.writes[0].input as { body?: { children: unknown[] } }
    expect(batch.body).toBeDefined()
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    // Everything but the weight stays as it was: the health check is still attached.
    expect(blueRecord(sandbox.world)).toMatchObject({ HealthCheckId: BLUE_HEALTH_CHECK, TTL: 60 })
    // The change was awaited until INSYNC, then both weights were read back.
    const after = canary.requests.slice(
      canary.requests.findIndex((r) => r.operation === 'ChangeResourceRecordSets')
    )
    expect(operations(after).filter((o) => o !== 'TagResource' && o !== 'UntagResource')).toEqual(
      expect.arrayContaining(['GetChange', 'ListResourceRecordSets'])
    )
    expect(canary.stdout).toContain('wrote weights Blue=90, Green=10')
    expect(canary.summary).toContain('⚠️ DNS resolvers cache a Route 53 answer for its TTL')
    expect(canary.outputs['canary-weight']).toBe('10')
    // The next step's snippet names the same shape, so pasting it reaches the same records.
    expect(canary.summary).toContain(
      `blue-service: ${BLUE_SERVICE}\n  green-service: ${GREEN_SERVICE}\n  hosted-zone-id: ${ROUTE53_ZONE_ID}\n  record-name: shop.example.com`
    )
    expect(canary.summary).toContain('| Service | `web-green` |')

    const again = await run({ mode: 'canary', 'canary-weight': '10' })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])
    // About one request in ten reaches Green's version (1.0.1), the rest Blue's (1.0.0).
    const split = await answers()
    expect(Object.keys(split).sort()).toEqual(['1.0.0', '1.0.1'])
    expect(split['1.0.1']).toBeGreaterThan(20)
    expect(split['1.0.1']).toBeLessThan(70)

    const promote = await run({ mode: 'promote', 'scale-down-after-promote': 'true' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    expect(operations(promote.writes)).toEqual([
      'ChangeResourceRecordSets',
      'TagResource',
      'TagResource',
      'TagResource',
      'UpdateService'
    ])
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(tagsOf(sandbox.world, BLUE_SERVICE)).toMatchObject({
      StableStack: 'Green',
      StableStackPrevious: 'Blue',
      StableStackScaledFrom: `2@${serviceNamed(sandbox.world, BLUE_SERVICE).arn}`
    })
    expect(tagsOf(sandbox.world, GREEN_SERVICE)).toMatchObject({ StableStack: 'Green' })
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(0)
    await waitFor(
      'Blue to run no tasks',
      () => serviceNamed(sandbox.world, BLUE_SERVICE).runningCount === 0
    )
    expect(await answers()).toEqual({ '1.0.1': 400 })

    // A rerun of the finished promote finds Blue running the version it replaced: nothing to do.
    const rerun = await run({ mode: 'promote', 'scale-down-after-promote': 'true' })
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    expect(rerun.writes).toEqual([])
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })

    // Undo: Blue back to the count its tag recorded, healthy, then all traffic and the tag.
    const undo = await run({ mode: 'rollback', 'undo-promotion': 'true' })
    expect(undo.errors).toEqual([])
    expect(undo.code).toBe(0)
    expect(operations(undo.writes).slice(0, 3)).toEqual([
      'UpdateService',
      'UntagResource',
      'ChangeResourceRecordSets'
    ])
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(2)
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStack).toBe('Blue')
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStackScaledFrom).toBeUndefined()
    expect(tagsOf(sandbox.world, GREEN_SERVICE).StableStack).toBe('Blue')
    expect(await answers()).toEqual({ '1.0.0': 400 })
  }, 90_000)

  it('canary → rollback gives all traffic back to the stable colour without waiting for INSYNC; a second rollback writes nothing', async () => {
    sandbox.reset('route53')
    const canary = await run({ mode: 'canary', 'canary-weight': '12.5' })
    expect(canary.errors).toEqual([])
    // 12.5 % as the smallest weights that give it exactly.
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 7, Green: 1 })
    // A change that would stay PENDING for a minute does not hold the emergency exit.
    sandbox.world.route53InsyncDelayMs = 60_000
    const rollback = await run({ mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(operations(rollback.writes)).toEqual(['ChangeResourceRecordSets'])
    expect(operations(rollback.requests)).not.toContain('GetChange')
    expect(rollback.stdout).toContain('not waited for: name servers apply it within about a minute')
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    const again = await run({ mode: 'rollback' })
    expect(again.code).toBe(0)
    expect(again.writes).toEqual([])
  }, 60_000)
})

/** SIGKILLs the action right after the first `operation` write it makes (matching `when`). */
function killAfter(
  operation: string,
  child: () => ChildProcess | undefined,
  when: (input: Record<string, unknown>) => boolean = () => true
): void {
  sandbox.faults.afterWrite(
    operation,
    async ({ input }) => {
      if (!when(input)) return
      await new Promise<void>((resolve) => {
        child()!.once('exit', () => resolve())
        child()!.kill('SIGKILL')
      })
    },
    5
  )
}

describe('a crash part-way through a promote over Route 53', () => {
  it('killed after the records changed: the rerun writes only the tags and the scale-down', async () => {
    sandbox.reset('route53')
    expect((await run({ mode: 'canary', 'canary-weight': '10' })).code).toBe(0)
    let child: ChildProcess | undefined
    killAfter('route53:ChangeResourceRecordSets', () => child)
    const inputs = { ...SHAPE, mode: 'promote', 'scale-down-after-promote': 'true' }
    const crashed = await step(sandbox, inputs, { bare: true, onSpawn: (c) => (child = c) })
    expect(crashed.signal).toBe('SIGKILL')
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStack).toBe('Blue')
    sandbox.faults.clear()

    const rerun = await step(sandbox, inputs, { bare: true, env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    expect(operations(rerun.writes)).toEqual([
      'TagResource',
      'TagResource',
      'TagResource',
      'UpdateService'
    ])
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStack).toBe('Green')
    expect(tagsOf(sandbox.world, GREEN_SERVICE).StableStack).toBe('Green')
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(0)
  }, 60_000)

  it('killed between the count tag and the scale-down: the rerun scales down and keeps the count', async () => {
    sandbox.reset('route53')
    expect((await run({ mode: 'canary', 'canary-weight': '50' })).code).toBe(0)
    let child: ChildProcess | undefined
    const scaleTag = (input: Record<string, unknown>) =>
      ((input.tags ?? []) as { key: string }[]).some((t) => t.key === 'StableStackScaledFrom')
    killAfter('ecs:TagResource', () => child, scaleTag)
    const inputs = { ...SHAPE, mode: 'promote', 'scale-down-after-promote': 'true' }
    const crashed = await step(sandbox, inputs, { bare: true, onSpawn: (c) => (child = c) })
    expect(crashed.signal).toBe('SIGKILL')
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(2)
    sandbox.faults.clear()

    const rerun = await step(sandbox, inputs, { bare: true, env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.code).toBe(0)
    expect(operations(rerun.writes)).toEqual(['TagResource', 'UpdateService'])
    expect(serviceNamed(sandbox.world, BLUE_SERVICE).desiredCount).toBe(0)
    expect(tagsOf(sandbox.world, BLUE_SERVICE).StableStackScaledFrom).toBe(
      `2@${serviceNamed(sandbox.world, BLUE_SERVICE).arn}`
    )
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
  }, 60_000)
})

describe('Route 53 refusals: one message, exit 1, nothing written', () => {
  it.each([
    [
      'a hosted zone that does not exist',
      { 'hosted-zone-id': 'Z0NOSUCHZONE' },
      'Route 53 hosted zone Z0NOSUCHZONE was not found. Check "hosted-zone-id"'
    ],
    [
      'a set identifier that is not there',
      { 'green-set-identifier': 'Canary' },
      'has no record with set identifier "Canary" for Green (its set identifiers: Blue, Green)'
    ],
    [
      'weighted records of another type than record-type',
      { 'record-type': 'A' },
      'is of type CNAME, not A. Set "record-type"'
    ],
    [
      'a share Route 53 weights cannot give exactly',
      { 'canary-weight': '0.1' },
      'cannot give the canary exactly 0.1%: the nearest shares it can set are 0% and 0.4%'
    ]
  ])(
    'refuses %s',
    async (_, inputs, message) => {
      sandbox.reset('route53')
      const refused = await run({ mode: 'canary', ...inputs })
      expect(refused.code).toBe(1)
      expect(refused.errors).toHaveLength(1)
      expect(refused.errors[0]).toContain(message)
      expect(refused.allWrites).toEqual([])
      expect(recordWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    },
    30_000
  )
})
