/**
 * The test route under crashes, races and forged tags: a run that dies at any write boundary is
 * finished by the next run; two canaries racing leave one test rule; a StableStackTestRule or
 * StableStackTestListener tag that names something the action did not make is refused by canary
 * and promote before any write, and left alone (with a warning) by a rollback that still moves
 * the traffic back.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import type { RequestLogEntry, Sandbox } from '../../sandbox/server.js'
import {
  elbArn,
  findService,
  findTargetGroup,
  weightedForward,
  type RuleState,
  type World
} from '../../sandbox/world.js'
import {
  count,
  expectCleanFailure,
  forwardedGroupNames,
  isLeaseWrite,
  operations,
  otherRules,
  ruleWeights,
  serviceTags,
  setRuleWeights,
  stackOutput,
  step,
  useSandbox,
  type Step
} from './harness.js'

const sandbox = useSandbox()

const HEADER = { 'test-header': 'X-Canary: true' }
const MARKER = 'StableStackTestRuleOf'
const serviceArn = () => findService(sandbox.world)!.arn
const testListener = () => stackOutput(sandbox.world, 'TestListener')!

const warnings = (run: Step) =>
  run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))

/** SIGKILLs the action right after its nth write from now (1 = the next one). */
const RERUN = { env: { GITHUB_RUN_ATTEMPT: '2' } }

function crashAfterWrite(n: number, child: () => ChildProcess | undefined): void {
  let seen = 0
  sandbox.faults.afterWrite(
    '*',
    ({ operation, input }) => {
      // The lease (taken first, released last) is not one of the writes counted here.
      if (isLeaseWrite({ operation, input } as RequestLogEntry)) return
      seen += 1
      if (seen < n) return
      return new Promise<void>((resolve) => {
        child()!.once('exit', () => resolve())
        child()!.kill('SIGKILL')
      })
    },
    n + 2
  )
}

/** What a run leaves that matters, with the test rule's ARN (new on every create) named by role. */
function endState(world: World) {
  const rules = otherRules(world)
  const names = new Map(rules.map((r, i) => [r.arn, `<test rule ${i + 1}>`]))
  return {
    weights: ruleWeights(world),
    weighted: { priority: world.rules[0].priority, conditions: world.rules[0].conditions },
    testRules: rules.map((r) => ({
      priority: r.priority,
      conditions: r.conditions,
      actions: r.actions,
      tags: r.tags
    })),
    // The promotion record's time and the lease's run differ from run to run; what the record
    // says and which kind of run left a lease (a rollback leaves one) must not.
    serviceTags: Object.fromEntries(
      Object.entries(serviceTags(world)).map(([k, v]) => [
        k,
        k.endsWith('Lease')
          ? `lease held by a ${/ job \S+ (\S+) until /.exec(v)?.[1]}`
          : (names.get(v) ?? v.replace(/ at \S+Z$/, ' at <time>'))
      ])
    ),
    listeners: world.listeners.map((l) => l.defaultActions)
  }
}

const canaryStep = () => ({
  mode: 'canary',
  'canary-weight': '10',
  ...HEADER,
  'test-listener-arn': testListener()
})

interface Scenario {
  name: string
  /** Runs before the step (on the `test-listener` world). */
  setup: (sandbox: Sandbox) => Promise<unknown>
  inputs: () => Record<string, string>
  writes: string[]
}

const SCENARIOS: Scenario[] = [
  {
    name: 'canary with a test header and a test listener',
    setup: async () => undefined,
    inputs: canaryStep,
    writes: ['CreateRule', 'TagResource', 'ModifyListener', 'ModifyRule']
  },
  {
    name: 'promote after that canary (inputs not repeated)',
    setup: (s) => step(s, canaryStep()),
    inputs: () => ({ mode: 'promote' }),
    // The test listener already forwards to the colour that becomes stable.
    writes: ['ModifyRule', 'DeleteRule', 'UntagResource', 'TagResource']
  },
  {
    name: 'rollback after that canary (inputs not repeated)',
    setup: (s) => step(s, canaryStep()),
    inputs: () => ({ mode: 'rollback' }),
    writes: ['ModifyRule', 'DeleteRule', 'ModifyListener', 'UntagResource']
  }
]

describe.each(SCENARIOS)('$name, stopped at each write', (scenario) => {
  let clean: ReturnType<typeof endState>

  beforeAll(async () => {
    sandbox.reset('test-listener')
    await scenario.setup(sandbox)
    const run = await step(sandbox, scenario.inputs())
    expect(run.errors).toEqual([])
    expect(operations(run.writes)).toEqual(scenario.writes)
    clean = endState(sandbox.world)
  })

  it.each(scenario.writes.map((op, i) => [i + 1, op] as const))(
    'killed after write %i (%s): a rerun ends where a clean run does',
    async (n, op) => {
      sandbox.reset('test-listener')
      await scenario.setup(sandbox)
      let child: ChildProcess | undefined
      crashAfterWrite(n, () => child)
      const crashed = await step(sandbox, scenario.inputs(), { onSpawn: (c) => (child = c) })
      expect(crashed.signal).toBe('SIGKILL')
      expect(operations(crashed.writes)).toEqual(scenario.writes.slice(0, n))
      expect(operations(crashed.writes).at(-1)).toBe(op)

      // "Re-run jobs": the next attempt takes over the lease the killed one left.
      const rerun = await step(sandbox, scenario.inputs(), RERUN)
      expect(rerun.errors).toEqual([])
      expect(rerun.code).toBe(0)
      expect(endState(sandbox.world)).toEqual(clean)
    }
  )
})

describe('a canary killed right after CreateRule', () => {
  const crashAfterCreate = async () => {
    let child: ChildProcess | undefined
    sandbox.faults.afterWrite(
      'elbv2:CreateRule',
      () =>
        new Promise<void>((resolve) => {
          child!.once('exit', () => resolve())
          child!.kill('SIGKILL')
        })
    )
    const canary = { mode: 'canary', 'canary-weight': '10', ...HEADER }
    const crashed = await step(sandbox, canary, { onSpawn: (c) => (child = c) })
    expect(operations(crashed.writes)).toEqual(['CreateRule'])
    const [orphan] = otherRules(sandbox.world)
    expect(orphan.tags).toEqual([{ key: MARKER, value: serviceArn() }])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBeUndefined()
    return orphan
  }

  it('leaves a marked rule that the rerun takes over: no second rule, no priority clash', async () => {
    const orphan = await crashAfterCreate()
    const rerun = await step(sandbox, { mode: 'canary', 'canary-weight': '10', ...HEADER }, RERUN)
    expect(rerun.errors).toEqual([])
    expect(operations(rerun.writes)).toEqual(['TagResource', 'ModifyRule'])
    expect(otherRules(sandbox.world)).toEqual([orphan])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBe(orphan.arn)
  })

  it('leaves a marked rule that rollback deletes though no service tag names it', async () => {
    await crashAfterCreate()
    const rollback = await step(sandbox, { mode: 'rollback' }, RERUN)
    expect(rollback.errors).toEqual([])
    expect(operations(rollback.writes)).toEqual(['DeleteRule'])
    expect(otherRules(sandbox.world)).toEqual([])
  })
})

describe('races', () => {
  it('two canaries with a test header at once leave one test rule, named by the tag', async () => {
    // Slow answers make both runs read before either writes, most times: then both create at
    // the same priority, and the one ELB refuses takes the other's rule over. (Unit tests cover
    // that path on its own; this one checks the end state however the two interleave.)
    sandbox.faults.latencyMs = 150
    const canary = { mode: 'canary', 'canary-weight': '10', ...HEADER }
    const runs = await Promise.all([step(sandbox, canary), step(sandbox, canary)])
    // The lease lets one through; the other goes through after it, or refuses: having changed
    // nothing (its lease was overwritten before it wrote), or having taken over the other's test
    // rule before its next look (it then says what is live, and moved no production traffic).
    expect(runs.some((run) => run.code === 0)).toBe(true)
    for (const run of runs.filter((r) => r.code !== 0)) {
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(/^Another run took over this service/)
      expect(run.errors[0]).toMatch(
        /(No traffic was moved; nothing was written|Traffic is now Blue 100% \/ Green 0%; the stable colour is Blue)\.$/
      )
      // (Both runs share the sandbox log, so its writes cannot be told apart here.)
      if (run.errors[0].endsWith('nothing was written.')) expect(run.outputs.changed).toBe('false')
    }
    const rules = otherRules(sandbox.world)
    expect(rules).toHaveLength(1)
    expect(rules[0].tags).toEqual([{ key: MARKER, value: serviceArn() }])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBe(rules[0].arn)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
  })

  it('of two marked rules a canary keeps the lowest, and promote deletes what is left', async () => {
    const weighted = sandbox.world.rules[0]
    const green = findTargetGroup(sandbox.world, 'green-tg')!.arn
    for (const [priority, id] of [
      [8, '0000000000000008'],
      [9, '0000000000000009']
    ] as const) {
      sandbox.world.rules.push({
        arn: weighted.arn.replace(/[0-9a-f]{16}$/, id),
        listenerArn: weighted.listenerArn,
        priority,
        conditions: [
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
          {
            Field: 'http-header',
            HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] }
          }
        ],
        actions: [weightedForward([{ arn: green, weight: 1 }])],
        tags: [{ key: MARKER, value: serviceArn() }]
      })
    }
    const canary = await step(sandbox, { mode: 'canary', 'canary-weight': '10', ...HEADER })
    expect(canary.errors).toEqual([])
    expect(operations(canary.writes)).toEqual(['TagResource', 'DeleteRule', 'ModifyRule'])
    expect(otherRules(sandbox.world).map((r) => r.priority)).toEqual([8])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBe(otherRules(sandbox.world)[0].arn)

    const promote = await step(sandbox, { mode: 'promote' })
    expect(promote.errors).toEqual([])
    expect(otherRules(sandbox.world)).toEqual([])
    expect(serviceTags(sandbox.world).StableStackTestRule).toBeUndefined()
  })
})

interface Forgery {
  name: string
  variant?: string
  /** Adds what the tag will name, returns its ARN. */
  target: (world: World) => string
  why: string
}

const otherTargetGroup = (world: World): string => {
  const arn = elbArn(world.region, world.accountId, 'targetgroup/other-tg/5e1c7a9b3d2f4e60')
  world.targetGroups.push({ ...findTargetGroup(world, 'blue-tg')!, name: 'other-tg', arn })
  return arn
}

/** A rule on `listenerArn` at priority 5 that looks like a test rule; `forward` decides where. */
function addRule(world: World, listenerArn: string, forward: string, tags?: RuleState['tags']) {
  const rule: RuleState = {
    arn: `${listenerArn.replace(':listener/', ':listener-rule/')}/5a5a5a5a5a5a5a5a`,
    listenerArn,
    priority: 5,
    conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/other/*'] } }],
    actions: [weightedForward([{ arn: forward, weight: 1 }])],
    ...(tags ? { tags } : {})
  }
  world.rules.push(rule)
  return rule.arn
}

const FORGERIES: Forgery[] = [
  {
    name: 'the weighted rule',
    target: (w) => w.rules[0].arn,
    why: 'but it is the weighted rule'
  },
  {
    name: "another service's rule",
    target: (w) =>
      addRule(w, w.rules[0].listenerArn, otherTargetGroup(w), [
        { key: MARKER, value: w.services[0].arn.replace('myservice', 'otherservice') }
      ]),
    why: 'not only to the Blue and Green target groups'
  },
  {
    name: 'a rule to the canary without the marker',
    target: (w) => addRule(w, w.rules[0].listenerArn, findTargetGroup(w, 'green-tg')!.arn),
    why: 'does not carry the tag StableStackTestRuleOf='
  },
  {
    name: 'a marked rule on another listener',
    variant: 'test-listener',
    target: (w) =>
      addRule(w, w.listeners[1].arn, findTargetGroup(w, 'green-tg')!.arn, [
        { key: MARKER, value: w.services[0].arn }
      ]),
    why: "is not on the weighted route's listener"
  }
]

describe.each(FORGERIES)('StableStackTestRule names $name', ({ variant, target, why }) => {
  it('canary and promote refuse before any write; rollback moves traffic back and leaves it', async () => {
    sandbox.reset(variant)
    const arn = target(sandbox.world)
    sandbox.world.services[0].tags.push({ key: 'StableStackTestRule', value: arn })
    setRuleWeights(sandbox, 90, 10)
    const rulesBefore = structuredClone(sandbox.world.rules)
    const tagsBefore = serviceTags(sandbox.world)

    for (const inputs of [
      { mode: 'canary', 'canary-weight': '20', ...HEADER },
      { mode: 'promote' }
    ]) {
      const run = await step(sandbox, inputs)
      const message = expectCleanFailure(run)
      expect(message).toContain('StableStackTestRule')
      expect(message).toContain(arn)
      expect(message).toContain(why)
      expect(message).toContain('--tag-keys StableStackTestRule')
      expect(sandbox.world.rules).toEqual(rulesBefore)
      expect(serviceTags(sandbox.world)).toEqual(tagsBefore)
    }

    const rollback = await step(sandbox, { mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(rollback.code).toBe(0)
    expect(operations(rollback.writes)).toEqual(['ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    // Every rule as it was, but for the weighted rule's weights.
    const unweighted = (rules: RuleState[]) =>
      rules.map((r, i) => (i === 0 ? { ...r, actions: [] } : r))
    expect(unweighted(sandbox.world.rules)).toEqual(unweighted(rulesBefore))
    // A rollback leaves its lease (it blocks nobody); the other tags are as they were.
    const { StableStackLease, ...afterRollback } = serviceTags(sandbox.world)
    expect(StableStackLease).toMatch(/ rollback until /)
    expect(afterRollback).toEqual(tagsBefore)
    expect(warnings(rollback)).toHaveLength(1)
    expect(warnings(rollback)[0]).toContain(arn)
    expect(rollback.summary).toContain('Left alone')
  })
})

describe('StableStackTestListener names the weighted route itself', () => {
  it('promote refuses; rollback moves traffic back and leaves the listener', async () => {
    sandbox.reset('test-listener')
    const main = sandbox.world.listeners[0]
    sandbox.world.services[0].tags.push({ key: 'StableStackTestListener', value: main.arn })
    setRuleWeights(sandbox, 90, 10)
    const listenersBefore = structuredClone(sandbox.world.listeners)

    const promote = await step(sandbox, { mode: 'promote' })
    const message = expectCleanFailure(promote)
    expect(message).toContain(`StableStackTestListener names listener ${main.arn}`)
    expect(message).toContain("it is the weighted route's own listener")

    const rollback = await step(sandbox, { mode: 'rollback' })
    expect(rollback.code).toBe(0)
    expect(operations(rollback.writes)).toEqual(['ModifyRule'])
    expect(sandbox.world.listeners).toEqual(listenersBefore)
    expect(serviceTags(sandbox.world).StableStackTestListener).toBe(main.arn)
    expect(warnings(rollback)).toHaveLength(1)
  })

  it('a test listener named by input on another load balancer is refused', async () => {
    sandbox.reset('test-listener')
    const other = structuredClone(sandbox.world.listeners[1])
    other.arn = other.arn.replace(/app\/myalb\/[0-9a-f]+\//, 'app/otheralb/0123456789abcdef/')
    other.loadBalancerArn = other.arn
      .replace(':listener/', ':loadbalancer/')
      .replace(/\/[^/]+$/, '')
    sandbox.world.listeners.push(other)
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'test-listener-arn': other.arn
    })
    const message = expectCleanFailure(run)
    expect(message).toContain(`"test-listener-arn" names listener ${other.arn}`)
    expect(message).toContain(`not the weighted route's`)
    expect(forwardedGroupNames(sandbox.world, other.defaultActions)).toEqual(['blue-tg'])
    expect(count(run, 'DescribeListeners')).toBeGreaterThan(0)
  })
})
