/**
 * Several routes that forward to both colours move in lockstep: the pure rules (one split for the
 * set, when routes that disagree may be written), then the ELB call sequences of whole runs.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { ModifyRuleCommand, type Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import fc from 'fast-check'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { inputs } from '../__fixtures__/inputs.js'
import { COLORS, type Color } from '../src/color.js'
import { checkRoutesAgree } from '../src/discover/route-agreement.js'
import { InputError, StateError } from '../src/errors.js'
import { ruleArnList } from '../src/input-values.js'
import { formatLease } from '../src/lease.js'
import { MemoryLogger } from '../src/logger.js'
import { runPipeline, type PipelineDeps } from '../src/pipeline.js'
import { renderSummary } from '../src/report/summary.js'
import { lockstepSplit } from '../src/routers/alb/lockstep.js'
import type { RouteSplit } from '../src/routers/router.js'
import { FULL, sameSplit, splitFor, type Split } from '../src/shares.js'

const RULE2 = `${ARN.rule.replace(/r1$/, '')}r2`
const RULES = `${ARN.rule},\n${RULE2}`

describe('ruleArnList', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a, b\n c\n', ['a', 'b', 'c']],
    ['a\nb\na', ['a', 'b']]
  ])('%j → %j', (text, list) => {
    expect(ruleArnList(text)).toEqual(list)
  })
})

describe('listener-rule-arn with several rules', () => {
  it('checks each ARN', () => {
    expect(() =>
      inputs({ mode: 'canary', 'listener-rule-arn': `${ARN.rule}, ${ARN.listener}` })
    ).toThrow(
      new InputError(
        `"listener-rule-arn" is "${ARN.listener}", which is not an ARN of the right kind (it should contain ":listener-rule/").`
      )
    )
    expect(inputs({ mode: 'canary', 'listener-rule-arn': RULES }).listenerRuleArn).toBe(RULES)
  })
})

describe('lockstepSplit', () => {
  it.each<[string, Split[], Split]>([
    ['one route', [{ Blue: 900, Green: 100 }], { Blue: 900, Green: 100 }],
    ['agreeing routes', [splitFor('Green', 100), splitFor('Green', 100)], splitFor('Green', 100)],
    [
      'a crash between writes',
      [splitFor('Green', 0), splitFor('Green', 100)],
      { Blue: 900, Green: 0 }
    ],
    ['opposite routes', [splitFor('Green', 0), splitFor('Green', FULL)], { Blue: 0, Green: 0 }]
  ])('%s', (_, splits, expected) => {
    expect(lockstepSplit(splits)).toEqual(expected)
  })

  const split = fc.integer({ min: 0, max: FULL }).map((share) => splitFor('Green', share))

  it('routes that disagree read as a split no write makes, with each colour at its least', () => {
    fc.assert(
      fc.property(fc.array(split, { minLength: 2, maxLength: 5 }), (splits) => {
        const combined = lockstepSplit(splits)
        for (const color of COLORS) {
          expect(combined[color]).toBe(Math.min(...splits.map((s) => s[color])))
        }
        const agree = splits.every((s) => sameSplit(s, splits[0]))
        const written = (c: Color, share: number) => sameSplit(combined, splitFor(c, share))
        const anyTarget = COLORS.some((c) => splits.some((s) => written(c, s[c])))
        // Agreeing routes read as their split; others as no target any plan could have.
        expect(anyTarget).toBe(agree)
        if (!agree) expect(combined.Blue + combined.Green).toBeLessThan(FULL)
      })
    )
  })
})

describe('checkRoutesAgree', () => {
  const route = (id: string, green: number): RouteSplit => ({
    kind: 'listener-rule',
    id,
    split: splitFor('Green', green)
  })
  const apart = [route('r1', 100), route('r2', 0)]
  const lease = (mode: 'canary' | 'rollback', left?: Color) =>
    formatLease({
      runId: '7',
      attempt: 1,
      job: 'deploy',
      id: 'abc123',
      mode,
      until: Date.parse('2026-01-01T00:00:00Z'),
      ...(left ? { left } : {})
    })

  it('routes that agree, or a router with one route, need nothing', () => {
    expect(checkRoutesAgree(undefined, 'canary', undefined)).toBeUndefined()
    expect(checkRoutesAgree([route('r1', 100), route('r2', 100)], 'canary', undefined)).toBe(
      undefined
    )
  })

  it.each(['canary', 'promote', 'deploy'] as const)(
    '%s refuses routes set apart by hand, naming each and offering rollback',
    (mode) => {
      expect(() => checkRoutesAgree(apart, mode, undefined)).toThrow(StateError)
      expect(() => checkRoutesAgree(apart, mode, undefined)).toThrow(
        /listener-rule r1 holds Blue 90% \/ Green 10%; listener-rule r2 holds Blue 100% \/ Green 0%.*Run mode rollback/
      )
    }
  )

  it('a finished rollback explains nothing that came after it', () => {
    expect(() => checkRoutesAgree(apart, 'canary', lease('rollback', 'Blue'))).toThrow(StateError)
  })

  it('rollback and status go on; so does a rerun after a run that stopped between writes', () => {
    expect(checkRoutesAgree(apart, 'rollback', undefined)).toMatch(/this rollback writes all/)
    expect(checkRoutesAgree(apart, 'status', undefined)).toMatch(/disagree/)
    expect(checkRoutesAgree(apart, 'canary', lease('canary'))).toMatch(
      /canary run run 7 .*stopped between its writes/
    )
  })
})

let aws: MockAws
afterEach(() => aws?.restore())

function deps(extra: Partial<PipelineDeps> = {}): PipelineDeps {
  const clock = { now: () => 0, sleep: async () => undefined }
  return { clients: aws.clients, log: new MemoryLogger(), clock, ...extra }
}

/** The default world with a second weighted rule (`/api/*`) on the same listener. */
function twoRules(blue = 100, green = 0): MockAws {
  const world = mockAws()
  const second: Rule = {
    RuleArn: RULE2,
    Priority: '20',
    IsDefault: false,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
    Actions: [forward(blue, green)]
  }
  world.world.rules.splice(1, 0, second)
  world.world.rules[0].Actions = [forward(blue, green)]
  return world
}

function greenWeights(): (number | undefined)[] {
  return aws.world.rules
    .filter((r) => !r.IsDefault)
    .map((r) => r.Actions?.[0].ForwardConfig?.TargetGroups?.[1].Weight)
}

describe('lockstep runs (SDK mocks)', () => {
  it('canary writes every listed rule in parallel; the rerun writes nothing', async () => {
    aws = twoRules()
    const result = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(greenWeights()).toEqual([10, 10])
    expect(result.splitAfter).toEqual({ Blue: 900, Green: 100 })
    expect(result.state.route).toMatchObject({
      kind: 'listener-rules',
      id: ARN.rule,
      routes: [
        { kind: 'listener-rule', id: ARN.rule },
        { kind: 'listener-rule', id: RULE2 }
      ]
    })
    // Both writes are sent before either answers: one round trip, not two.
    const calls = aws.calls()
    expect(calls.indexOf('ModifyRule') + 1).toBe(calls.lastIndexOf('ModifyRule'))
    expect(renderSummary(result)).toMatch(
      /Routes that move together[\s\S]*1\. listener-rule[\s\S]*2\. listener-rule/
    )

    const rerun = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(rerun.changed).toBe(false)
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
  })

  it('discovery takes every rule that forwards to both colours', async () => {
    aws = twoRules(90, 10)
    delete aws.world.stack!.ListenerRule
    const result = await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(result.state.route.kind).toBe('listener-rules')
    expect(greenWeights()).toEqual([100, 100])
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule', 'TagResource'])
    expect(aws.world.service!.tags.StableStack).toBe('Green')
  })

  it('rules set apart by hand are refused before any write; rollback realigns them', async () => {
    aws = twoRules()
    aws.world.rules[0].Actions = [forward(90, 10)]
    const canary = runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    await expect(canary).rejects.toThrow(StateError)
    await expect(canary).rejects.toThrow(/r1 holds Blue 90% \/ Green 10%; .*r2 holds Blue 100%/)
    expect(aws.writes()).toEqual([])

    const rollback = await runPipeline(
      inputs({ mode: 'rollback', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(rollback.changed).toBe(true)
    expect(greenWeights()).toEqual([0, 0])
    expect(rollback.splitAfter).toEqual({ Blue: FULL, Green: 0 })
  })

  it('a rule in the set that forwards to a third target group is refused before any write', async () => {
    aws = twoRules()
    aws.world.rules[1].Actions![0].ForwardConfig!.TargetGroups!.push({
      TargetGroupArn: ARN.otherTg,
      Weight: 0
    })
    await expect(
      runPipeline(inputs({ mode: 'canary', 'listener-rule-arn': RULES }), deps())
    ).rejects.toThrow(new RegExp(`${RULE2} also forwards to ${ARN.otherTg}`))
    expect(aws.writes()).toEqual([])
  })

  it('a write that fails on one rule puts the other back to its previous weights', async () => {
    aws = twoRules()
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDenied' })
    aws.elb.on(ModifyRuleCommand, { RuleArn: RULE2 }).rejects(denied)
    const result = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(result.failure).toMatch(
      new RegExp(
        `failed on ${RULE2}:.*${ARN.rule} had been written and got its previous weights back`
      )
    )
    // The first rule's write, then its undo; the second rule's write was refused.
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(greenWeights()).toEqual([0, 0])
    expect(result.splitAfter).toEqual({ Blue: FULL, Green: 0 })
  })

  it('a failed write whose undo fails too says what each rule holds and to run rollback', async () => {
    aws = twoRules()
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDenied' })
    aws.elb.on(ModifyRuleCommand, { RuleArn: RULE2 }).rejects(denied)
    let writes = 0
    aws.elb
      .on(ModifyRuleCommand, { RuleArn: ARN.rule })
      .callsFake((input: { Actions: Rule['Actions'] }) => {
        writes += 1
        if (writes > 1) throw denied
        aws.world.rules[0].Actions = structuredClone(input.Actions)
        return { Rules: [aws.world.rules[0]] }
      })
    const result = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(result.failure).toMatch(
      new RegExp(
        `Putting back ${ARN.rule} failed too, so the routes disagree: listener-rule ${ARN.rule} holds Blue 90% / Green 10%; listener-rule ${RULE2} holds Blue 100% / Green 0%. Run mode rollback`
      )
    )
    expect(greenWeights()).toEqual([10, 0])
  })

  it('health checks: each rule that lacks the canary gets it at weight 0, in one go', async () => {
    aws = twoRules()
    for (const rule of aws.world.rules.filter((r) => !r.IsDefault)) {
      rule.Actions = [{ Type: 'forward', TargetGroupArn: ARN.blueTg }]
    }
    const result = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(result.failure).toBeUndefined()
    expect(result.writes.filter((w) => w.includes('at weight 0'))).toHaveLength(1)
    expect(result.writes[0]).toContain(RULE2)
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule', 'ModifyRule', 'ModifyRule'])
    expect(greenWeights()).toEqual([10, 10])
  })

  it('a rerun after a run that stopped between writes writes every rule again', async () => {
    aws = twoRules()
    aws.world.rules[0].Actions = [forward(90, 10)]
    aws.world.service!.tags.StableStackLease = formatLease({
      runId: '7',
      attempt: 1,
      job: 'deploy',
      id: 'abc123',
      mode: 'canary',
      until: 0
    })
    const result = await runPipeline(
      inputs({ mode: 'canary', 'canary-weight': '10', 'listener-rule-arn': RULES }),
      deps()
    )
    expect(result.failure).toBeUndefined()
    expect(greenWeights()).toEqual([10, 10])
  })
})
