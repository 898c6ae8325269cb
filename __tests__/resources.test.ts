/**
 * src/discover/resources.ts: explicit inputs over stack outputs, and when the stack must be read.
 */
import { describe, expect, it } from '@jest/globals'
import { inputs, inputsFrom } from '../__fixtures__/inputs.js'
import { needsStack, resolveResources } from '../src/discover/resources.js'
import { StateError } from '../src/errors.js'
import { thrown } from '../__fixtures__/thrown.js'

const ACCOUNT = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
const TG = {
  blue: `${ACCOUNT}:targetgroup/blue/1111`,
  green: `${ACCOUNT}:targetgroup/green/2222`,
  otherBlue: `${ACCOUNT}:targetgroup/blue2/3333`
}
const LISTENER = `${ACCOUNT}:listener/app/myalb/abcd/l1`
const RULE = `${ACCOUNT}:listener-rule/app/myalb/abcd/l1/r1`
const STACK_RULE = `${ACCOUNT}:listener-rule/app/myalb/abcd/l1/r9`

const OUTPUTS = {
  BlueTaskSet: 'ecs-svc/1000',
  GreenTaskSet: 'ecs-svc/2000',
  BlueTargetGroup: TG.blue,
  GreenTargetGroup: TG.green,
  ListenerRule: STACK_RULE
}
const EXPLICIT = {
  'blue-task-set': 'ecs-svc/1111',
  'green-task-set': 'ecs-svc/2222',
  'blue-target-group': TG.otherBlue,
  'green-target-group': TG.green
}

const failure = (run: () => unknown) => thrown(StateError, run)

describe('resolveResources', () => {
  it('takes everything from the stack outputs', () => {
    expect(resolveResources(inputs(), OUTPUTS)).toEqual({
      taskSets: { Blue: 'ecs-svc/1000', Green: 'ecs-svc/2000' },
      targetGroups: { Blue: TG.blue, Green: TG.green },
      listenerRuleArns: [STACK_RULE]
    })
  })

  it('explicit inputs win over stack outputs, one by one', () => {
    const given = inputs({ 'green-task-set': 'ecs-svc/9999', 'blue-target-group': TG.otherBlue })
    expect(resolveResources(given, OUTPUTS)).toEqual({
      taskSets: { Blue: 'ecs-svc/1000', Green: 'ecs-svc/9999' },
      targetGroups: { Blue: TG.otherBlue, Green: TG.green },
      listenerRuleArns: [STACK_RULE]
    })
  })

  it('needs no stack when every value is explicit', () => {
    const given = inputsFrom({ mode: 'status', cluster: 'c', service: 's', ...EXPLICIT })
    expect(resolveResources(given, undefined)).toEqual({
      taskSets: { Blue: 'ecs-svc/1111', Green: 'ecs-svc/2222' },
      targetGroups: { Blue: TG.otherBlue, Green: TG.green }
    })
  })

  it('the listener-rule-arn input beats the ListenerRule output', () => {
    expect(resolveResources(inputs({ 'listener-rule-arn': RULE }), OUTPUTS)).toEqual(
      expect.objectContaining({ listenerRuleArns: [RULE] })
    )
  })

  it('several rules in listener-rule-arn, by commas or lines, each once and in order', () => {
    const other = RULE.replace(/[0-9a-f]+$/, 'abc123')
    const given = inputs({ 'listener-rule-arn': `${RULE},\n ${other}\n${RULE}` })
    expect(resolveResources(given, OUTPUTS).listenerRuleArns).toEqual([RULE, other])
  })

  it('listener-arn wins: the ListenerRule output is not used', () => {
    const resolved = resolveResources(inputs({ 'listener-arn': LISTENER }), OUTPUTS)
    expect(resolved.listenerArn).toBe(LISTENER)
    expect(resolved).not.toHaveProperty('listenerRuleArns')
  })

  it('has no route when neither inputs nor outputs name one', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { ListenerRule, ...withoutRule } = OUTPUTS
    const resolved = resolveResources(inputs(), withoutRule)
    expect(resolved).not.toHaveProperty('listenerRuleArns')
    expect(resolved).not.toHaveProperty('listenerArn')
  })

  it('names one missing output and the input that overrides it', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { GreenTaskSet, ...outputs } = OUTPUTS
    const error = failure(() => resolveResources(inputs(), outputs))
    expect(error.message).toContain('Stack "mystack" has no output GreenTaskSet.')
    expect(error.message).toContain('Add this output')
    expect(error.message).toContain('set the input "green-task-set"')
  })

  it('names every missing output and every input that overrides one', () => {
    const error = failure(() => resolveResources(inputs(), { ListenerRule: STACK_RULE }))
    expect(error.message).toContain(
      'has no output BlueTaskSet, GreenTaskSet, BlueTargetGroup, GreenTargetGroup.'
    )
    expect(error.message).toContain('Add these outputs')
    expect(error.message).toContain(
      'set the inputs "blue-task-set", "green-task-set", "blue-target-group", "green-target-group".'
    )
  })

  it('does not name an output that an input replaces', () => {
    const error = failure(() =>
      resolveResources(inputs({ 'blue-task-set': 'ecs-svc/1', 'blue-target-group': TG.blue }), {})
    )
    expect(error.message).toContain('has no output GreenTaskSet, GreenTargetGroup.')
    expect(error.message).not.toContain('BlueTaskSet')
    expect(error.message).not.toContain('"blue-target-group"')
  })

  it('treats an empty output as missing', () => {
    const error = failure(() => resolveResources(inputs(), { ...OUTPUTS, BlueTargetGroup: '' }))
    expect(error.message).toContain('has no output BlueTargetGroup.')
    expect(error.message).toContain('"blue-target-group"')
  })

  it('refuses Blue and Green resolving to the same target group', () => {
    const error = failure(() =>
      resolveResources(inputs({ 'green-target-group': TG.blue }), OUTPUTS)
    )
    expect(error.message).toContain(`the same target group ${TG.blue}`)
  })
})

describe('needsStack', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['a stack and no explicit values', {}, true],
    ['a stack and a route but not all values', { 'listener-rule-arn': RULE }, true],
    ['a stack and all values but no route', { ...EXPLICIT }, true],
    ['a stack, all values and a listener rule', { ...EXPLICIT, 'listener-rule-arn': RULE }, false],
    ['a stack, all values and a listener', { ...EXPLICIT, 'listener-arn': LISTENER }, false],
    [
      'a stack, three values and a route',
      { ...EXPLICIT, 'green-task-set': '', 'listener-arn': LISTENER },
      true
    ]
  ])('%s: %p', (_name, given, expected) => {
    expect(needsStack(inputs(given))).toBe(expected)
  })

  it.each<[string, Record<string, string>]>([
    ['all values, no route', {}],
    ['all values and a listener rule', { 'listener-rule-arn': RULE }]
  ])('no stack (%s): false', (_name, given) => {
    expect(
      needsStack(inputsFrom({ mode: 'status', cluster: 'c', service: 's', ...EXPLICIT, ...given }))
    ).toBe(false)
  })
})
