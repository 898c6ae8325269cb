/**
 * Test traffic: with `test-header` or `test-query` a canary run creates a rule above the weighted
 * one that sends only test requests to the canary, marked with the ELB tag StableStackTestRuleOf
 * (the service's ARN), and records its ARN in the service tag StableStackTestRule; promote and
 * rollback delete it. `test-listener-arn` points a second listener's default forward at the
 * canary during a canary run (recorded in StableStackTestListener) and back at the stable colour.
 */
import { describe, expect, it } from '@jest/globals'
import { findService } from '../../sandbox/world.js'
import {
  expectCleanFailure,
  forwardedGroupNames,
  operations,
  otherRules,
  ruleWeights,
  serviceTags,
  stableTag,
  stackOutput,
  step,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const TEST_RULE_TAG = 'StableStackTestRule'

/** The weighted rule's own condition, as the sandbox stores what the action sent. */
const PATH_CONDITION = { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }

interface Case {
  name: string
  inputs: Record<string, string>
  priority: number
  condition: Record<string, unknown>
}

const CASES: Case[] = [
  {
    name: "test-header 'X-Canary: true'",
    inputs: { 'test-header': 'X-Canary: true' },
    priority: 9,
    condition: {
      Field: 'http-header',
      HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] }
    }
  },
  {
    name: "test-query 'canary=true' at test-rule-priority 5",
    inputs: { 'test-query': 'canary=true', 'test-rule-priority': '5' },
    priority: 5,
    condition: {
      Field: 'query-string',
      QueryStringConfig: { Values: [{ Key: 'canary', Value: 'true' }] }
    }
  }
]

describe.each(CASES)('$name', ({ inputs, priority, condition }) => {
  it('canary creates the test rule; a rerun changes nothing; promote deletes it', async () => {
    const weightedRule = structuredClone(sandbox.world.rules[0])
    const canary = { mode: 'canary', 'canary-weight': '10', ...inputs }

    const first = await step(sandbox, canary)
    expect(first.errors).toEqual([])
    expect(first.code).toBe(0)
    // The test rule first (testers reach the canary before customers), then the shift.
    expect(operations(first.writes)).toEqual(['CreateRule', 'TagResource', 'ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })

    const created = otherRules(sandbox.world)
    expect(created).toHaveLength(1)
    const [rule] = created
    expect(rule.priority).toBe(priority)
    expect(forwardedGroupNames(sandbox.world, rule.actions)).toEqual(['green-tg'])
    expect(rule.actions).toHaveLength(1)
    expect(rule.actions[0].ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: expect.stringContaining('targetgroup/green-tg/'), Weight: 1 }
    ])
    expect(rule.conditions).toHaveLength(2)
    expect(rule.conditions).toContainEqual(expect.objectContaining(PATH_CONDITION))
    expect(rule.conditions).toContainEqual(expect.objectContaining(condition))
    expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBe(rule.arn)
    // Marked as this service's from the moment it exists.
    expect(rule.tags).toEqual([
      { key: 'StableStackTestRuleOf', value: findService(sandbox.world)!.arn }
    ])
    // The weighted rule keeps its priority and conditions.
    expect(sandbox.world.rules[0].priority).toBe(weightedRule.priority)
    expect(sandbox.world.rules[0].conditions).toEqual(weightedRule.conditions)

    const rerun = await step(sandbox, canary)
    expect(rerun.errors).toEqual([])
    expect(rerun.code).toBe(0)
    expect(operations(rerun.writes)).toEqual([])
    expect(rerun.outputs.changed).toBe('false')
    expect(otherRules(sandbox.world)).toEqual([rule])
    expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBe(rule.arn)

    const promote = await step(sandbox, { mode: 'promote' })
    expect(promote.errors).toEqual([])
    expect(promote.code).toBe(0)
    // The stable tag last: a promote that stops before it is run again and finds the rest.
    expect(operations(promote.writes)).toEqual([
      'ModifyRule',
      'DeleteRule',
      'UntagResource',
      'TagResource'
    ])
    expect(otherRules(sandbox.world)).toEqual([])
    expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBeUndefined()
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
  })
})

it('rollback deletes the test rule and its tag too', async () => {
  await step(sandbox, { mode: 'canary', 'canary-weight': '10', 'test-header': 'X-Canary: true' })
  expect(otherRules(sandbox.world)).toHaveLength(1)

  const rollback = await step(sandbox, { mode: 'rollback' })
  expect(rollback.errors).toEqual([])
  expect(rollback.code).toBe(0)
  expect(operations(rollback.writes)).toEqual(['ModifyRule', 'DeleteRule', 'UntagResource'])
  expect(otherRules(sandbox.world)).toEqual([])
  expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBeUndefined()
  expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
})

it('oidc: test-header is refused with a clear message and nothing written', async () => {
  sandbox.reset('oidc')
  const rules = structuredClone(sandbox.world.rules)
  const run = await step(sandbox, {
    mode: 'canary',
    'canary-weight': '10',
    'test-header': 'X-Canary: true'
  })
  const message = expectCleanFailure(run)
  expect(message).toContain('OIDC')
  expect(message).toContain('client secret')
  expect(message).toContain('"test-header"')
  expect(sandbox.world.rules).toEqual(rules)
  expect(serviceTags(sandbox.world)[TEST_RULE_TAG]).toBeUndefined()
})

describe('test-listener-arn', () => {
  const listenerGroups = (arn: string) =>
    forwardedGroupNames(
      sandbox.world,
      sandbox.world.listeners.find((l) => l.arn === arn)!.defaultActions
    )

  it('canary points the test listener at green-tg; rollback points it back at blue-tg', async () => {
    sandbox.reset('test-listener')
    const listener = stackOutput(sandbox.world, 'TestListener')!
    expect(listener).toContain(':listener/app/myalb/')
    const mainListener = structuredClone(sandbox.world.listeners[0])
    expect(listenerGroups(listener)).toEqual(['blue-tg'])

    const canary = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'test-listener-arn': listener
    })
    expect(canary.errors).toEqual([])
    expect(canary.code).toBe(0)
    // Recorded in a service tag before it is pointed.
    expect(operations(canary.writes)).toEqual(['TagResource', 'ModifyListener', 'ModifyRule'])
    expect(serviceTags(sandbox.world).StableStackTestListener).toBe(listener)
    expect(listenerGroups(listener)).toEqual(['green-tg'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })

    const rollback = await step(sandbox, { mode: 'rollback', 'test-listener-arn': listener })
    expect(rollback.errors).toEqual([])
    expect(rollback.code).toBe(0)
    expect(operations(rollback.writes)).toEqual(['ModifyRule', 'ModifyListener', 'UntagResource'])
    expect(listenerGroups(listener)).toEqual(['blue-tg'])
    expect(serviceTags(sandbox.world).StableStackTestListener).toBeUndefined()
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(sandbox.world.listeners[0]).toEqual(mainListener)
  })

  it('a rollback that does not repeat test-listener-arn still points it back', async () => {
    sandbox.reset('test-listener')
    const listener = stackOutput(sandbox.world, 'TestListener')!
    await step(sandbox, { mode: 'canary', 'canary-weight': '10', 'test-listener-arn': listener })
    expect(listenerGroups(listener)).toEqual(['green-tg'])

    const rollback = await step(sandbox, { mode: 'rollback' })
    expect(rollback.errors).toEqual([])
    expect(operations(rollback.writes)).toEqual(['ModifyRule', 'ModifyListener', 'UntagResource'])
    expect(listenerGroups(listener)).toEqual(['blue-tg'])
    expect(serviceTags(sandbox.world).StableStackTestListener).toBeUndefined()
  })
})
