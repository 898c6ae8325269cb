/**
 * src/inputs.ts: every malformed or contradictory input is refused with an InputError that names
 * the input and says how to fix it; good inputs get the documented defaults.
 */
import { describe, expect, it } from '@jest/globals'
import { BASE, inputs, inputsFrom } from '../__fixtures__/inputs.js'
import { InputError } from '../src/errors.js'
import { parseInputs } from '../src/inputs.js'
import { thrown } from '../__fixtures__/thrown.js'

const ACCOUNT = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
const TG = {
  blue: `${ACCOUNT}:targetgroup/blue/1111`,
  green: `${ACCOUNT}:targetgroup/green/2222`
}
const LISTENER = `${ACCOUNT}:listener/app/myalb/abcd/l1`
const RULE = `${ACCOUNT}:listener-rule/app/myalb/abcd/l1/r1`
const EXPLICIT = {
  'blue-task-set': 'ecs-svc/1000',
  'green-task-set': 'ecs-svc/2000',
  'blue-target-group': TG.blue,
  'green-target-group': TG.green
}

const failure = (run: () => unknown) => thrown(InputError, run)

describe('bad inputs', () => {
  // [case, inputs given (over BASE unless `replace`), fragments the message must contain]
  const cases: [string, Record<string, string>, string[]][] = [
    [
      'unknown mode',
      { mode: 'deploy' },
      ['"deploy"', '"mode"', 'canary, promote, rollback, status']
    ],
    [
      'canary-weight not a number',
      { 'canary-weight': 'ten' },
      ['"canary-weight"', '"ten"', '0 to 100']
    ],
    ['canary-weight negative', { 'canary-weight': '-5' }, ['"canary-weight"', '"-5"', '0 to 100']],
    ['canary-weight over 100', { 'canary-weight': '100.5' }, ['"canary-weight"', 'at most one']],
    ['canary-weight 101', { 'canary-weight': '101' }, ['"canary-weight"', '0 to 100']],
    ['canary-weight two decimals', { 'canary-weight': '1.25' }, ['"canary-weight"', 'one decimal']],
    ['canary-weight with %', { 'canary-weight': '10%' }, ['"canary-weight"', 'e.g. 10']],
    ['bad dry-run', { 'dry-run': 'yes' }, ['"dry-run"', '"yes"', 'true or false']],
    ['bad dry-run 1', { 'dry-run': '1' }, ['"dry-run"', 'true or false']],
    ['bad wait-for-healthy', { 'wait-for-healthy': 'no' }, ['"wait-for-healthy"', 'true or false']],
    [
      'health-timeout-seconds not a number',
      { 'health-timeout-seconds': '10m' },
      ['"health-timeout-seconds"', '"10m"', 'whole number of seconds']
    ],
    [
      'health-timeout-seconds negative',
      { 'health-timeout-seconds': '-1' },
      ['"health-timeout-seconds"', 'whole number']
    ],
    [
      'health-timeout-seconds fractional',
      { 'health-timeout-seconds': '1.5' },
      ['"health-timeout-seconds"', 'whole number']
    ],
    [
      'both listener-rule-arn and listener-arn',
      { 'listener-rule-arn': RULE, 'listener-arn': LISTENER },
      ['"listener-rule-arn"', '"listener-arn"', 'not both']
    ],
    [
      'listener ARN given as listener-rule-arn',
      { 'listener-rule-arn': LISTENER },
      ['"listener-rule-arn"', LISTENER, ':listener-rule/']
    ],
    [
      'rule ARN given as listener-arn',
      { 'listener-arn': RULE },
      ['"listener-arn"', RULE, ':listener/']
    ],
    [
      'listener-rule-arn not an ARN',
      { 'listener-rule-arn': 'my-rule' },
      ['"listener-rule-arn"', '"my-rule"', 'not an ARN']
    ],
    [
      'listener ARN given as blue-target-group',
      { 'blue-target-group': LISTENER },
      ['"blue-target-group"', LISTENER, ':targetgroup/']
    ],
    [
      'target group name given as green-target-group',
      { 'green-target-group': 'green' },
      ['"green-target-group"', '"green"', ':targetgroup/']
    ],
    [
      'same target group for both colours',
      { 'blue-target-group': TG.blue, 'green-target-group': TG.blue },
      ['"blue-target-group"', '"green-target-group"', 'same target group']
    ]
  ]

  it.each(cases)('%s', (_name, given, fragments) => {
    const error = failure(() => inputs(given))
    for (const fragment of fragments) expect(error.message).toContain(fragment)
  })

  it.each([
    ['mode', 'one of canary, promote, rollback, status'],
    ['cluster', 'ECS cluster name or ARN'],
    ['service', 'ECS service name or ARN']
  ])('missing %s', (name, how) => {
    const given: Record<string, string> = { ...BASE, mode: 'canary' }
    delete given[name]
    const error = failure(() => inputsFrom(given))
    expect(error.message).toContain(`Input "${name}" is required`)
    expect(error.message).toContain(how)
  })

  it.each(['mode', 'cluster', 'service'])('blank %s counts as missing', (name) => {
    const error = failure(() => inputsFrom({ ...BASE, [name]: '   ' }))
    expect(error.message).toContain(`"${name}" is required`)
  })

  const stackHelp = [
    '"stack-name"',
    '"blue-task-set"',
    '"green-task-set"',
    '"blue-target-group"',
    '"green-target-group"'
  ]

  it('no stack and no explicit inputs', () => {
    const error = failure(() => inputsFrom({ mode: 'status', cluster: 'c', service: 's' }))
    for (const fragment of stackHelp) expect(error.message).toContain(fragment)
  })

  it.each(Object.keys(EXPLICIT))('no stack and all explicit inputs but %s', (left) => {
    const given: Record<string, string> = {
      mode: 'status',
      cluster: 'c',
      service: 's',
      ...EXPLICIT
    }
    delete given[left]
    const error = failure(() => inputsFrom(given))
    for (const fragment of stackHelp) expect(error.message).toContain(fragment)
  })

  it('no region: neither the input nor AWS_REGION nor AWS_DEFAULT_REGION', () => {
    const error = failure(() => inputsFrom(BASE, {}))
    expect(error.message).toContain('"aws-region"')
    expect(error.message).toContain('AWS_REGION')
    expect(error.message).toContain('configure-aws-credentials')
  })

  it('blank region variables count as no region', () => {
    const error = failure(() =>
      inputsFrom({ ...BASE, 'aws-region': ' ' }, { AWS_REGION: ' ', AWS_DEFAULT_REGION: '' })
    )
    expect(error.message).toContain('"aws-region"')
  })

  it('refuses before asking for anything else when the mode is unknown', () => {
    const asked: string[] = []
    expect(() =>
      parseInputs(
        (name) => {
          asked.push(name)
          return name === 'mode' ? 'bogus' : ''
        },
        { AWS_REGION: 'us-east-1' }
      )
    ).toThrow(InputError)
    expect(asked).toEqual(['mode'])
  })
})

describe('good inputs', () => {
  it('fills the defaults', () => {
    expect(inputs({ mode: 'canary' })).toEqual({
      mode: 'canary',
      cluster: 'mycluster',
      service: 'myservice',
      stackName: 'mystack',
      taskSets: {},
      targetGroups: {},
      listenerRuleArn: undefined,
      listenerArn: undefined,
      tagKey: 'StableStack',
      waitForHealthy: true,
      healthTimeoutSeconds: 600,
      dryRun: false,
      schedule: { steps: [100], bakeMs: 0, source: 'canary-weight', walk: false },
      alarms: { names: [], prefix: undefined, treatMissingDataAsFailure: false },
      onCancel: 'rollback',
      testTraffic: {},
      scaleDownAfterPromote: false,
      undoPromotion: false,
      region: 'us-east-1'
    })
  })

  it('reads every input that is given, trimmed', () => {
    const parsed = inputsFrom({
      mode: ' Promote ',
      cluster: ' c ',
      service: ' s ',
      ...EXPLICIT,
      'listener-arn': ` ${LISTENER} `,
      'canary-weight': '0.5',
      'tag-key': 'Live',
      'wait-for-healthy': 'FALSE',
      'health-timeout-seconds': '0',
      'dry-run': 'True',
      'aws-region': 'eu-west-1'
    })
    expect(parsed).toEqual({
      mode: 'promote',
      cluster: 'c',
      service: 's',
      stackName: undefined,
      taskSets: { Blue: 'ecs-svc/1000', Green: 'ecs-svc/2000' },
      targetGroups: { Blue: TG.blue, Green: TG.green },
      listenerRuleArn: undefined,
      listenerArn: LISTENER,
      tagKey: 'Live',
      waitForHealthy: false,
      healthTimeoutSeconds: 0,
      dryRun: true,
      schedule: { steps: [5], bakeMs: 0, source: 'canary-weight', walk: false },
      alarms: { names: [], prefix: undefined, treatMissingDataAsFailure: false },
      onCancel: 'rollback',
      testTraffic: {},
      scaleDownAfterPromote: false,
      undoPromotion: false,
      region: 'eu-west-1'
    })
  })

  it.each([
    ['canary', 'canary'],
    ['CANARY', 'canary'],
    ['Rollback', 'rollback'],
    ['sTaTuS', 'status'],
    ['promote', 'promote']
  ])('mode %j is %j (case-insensitive)', (given, expected) => {
    expect(inputs({ mode: given }).mode).toBe(expected)
  })

  it.each([
    ['0', 0],
    ['100', 1000],
    ['12.5', 125],
    [' 7 ', 70]
  ])('canary-weight %j is %i permille', (given, expected) => {
    expect(inputs({ 'canary-weight': given }).schedule.steps).toEqual([expected])
  })

  it('region from the input beats the environment', () => {
    const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }
    expect(inputsFrom({ ...BASE, 'aws-region': 'eu-central-1' }, env).region).toBe('eu-central-1')
  })

  it('AWS_REGION beats AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }
    expect(inputsFrom(BASE, env).region).toBe('us-east-1')
  })

  it('falls back to AWS_DEFAULT_REGION', () => {
    expect(inputsFrom(BASE, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1')
    expect(inputsFrom(BASE, { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe(
      'ap-south-1'
    )
  })

  it('accepts all four explicit inputs without a stack', () => {
    const parsed = inputsFrom({ mode: 'status', cluster: 'c', service: 's', ...EXPLICIT })
    expect(parsed.stackName).toBeUndefined()
    expect(parsed.taskSets).toEqual({ Blue: 'ecs-svc/1000', Green: 'ecs-svc/2000' })
  })

  it('accepts a stack with some explicit overrides', () => {
    const parsed = inputs({ 'green-target-group': TG.green, 'listener-rule-arn': RULE })
    expect(parsed.targetGroups).toEqual({ Green: TG.green })
    expect(parsed.taskSets).toEqual({})
    expect(parsed.listenerRuleArn).toBe(RULE)
  })
})
