/**
 * src/inputs.ts: every malformed or contradictory input a mode uses is refused with an InputError
 * that names the input and says how to fix it; an input the mode does not use only warns when
 * malformed; good inputs get the documented defaults.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { BASE, inputs, inputsFrom } from '../__fixtures__/inputs.js'
import { InputError } from '../src/errors.js'
import { MODE_INPUTS } from '../src/input-modes.js'
import { MODES, parseInputs, type Mode } from '../src/inputs.js'
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
      { mode: 'ship' },
      ['"ship"', '"mode"', 'canary, deploy, promote, rollback, status']
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

  it.each(cases)('%s, in every mode', (_name, given, fragments) => {
    for (const mode of MODES) {
      const error = failure(() => inputs({ mode, ...given }))
      for (const fragment of fragments) expect(error.message).toContain(fragment)
    }
  })

  it.each([
    ['mode', 'one of canary, deploy, promote, rollback, status'],
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

  it('no stack and no explicit inputs, with workload task-sets', () => {
    const error = failure(() =>
      inputsFrom({ mode: 'status', cluster: 'c', service: 's', workload: 'task-sets' })
    )
    for (const fragment of stackHelp) expect(error.message).toContain(fragment)
  })

  it('no stack and no explicit inputs leave the shape to the service (workload auto)', () => {
    const parsed = inputsFrom({ mode: 'status', cluster: 'c', service: 's' })
    expect(parsed.workload).toBe('auto')
    expect(parsed.stackName).toBeUndefined()
    expect(parsed.targetGroups).toEqual({})
  })

  it.each(['blue-target-group', 'green-target-group'])('no stack and no %s', (left) => {
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
      workload: 'auto',
      canaryTasks: 1,
      deregistrationTimeoutSeconds: 300,
      region: 'us-east-1',
      warnings: []
    })
  })

  it('reads every input that is given, trimmed', () => {
    const parsed = inputsFrom({
      mode: ' Canary ',
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
      mode: 'canary',
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
      workload: 'auto',
      canaryTasks: 1,
      deregistrationTimeoutSeconds: 300,
      region: 'eu-west-1',
      warnings: []
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
    expect(inputs({ mode: 'canary', 'canary-weight': given }).schedule.steps).toEqual([expected])
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

/**
 * Which modes use each input that not every mode uses, read off how the code uses ActionInputs.
 * Written out here, apart from src/input-modes.ts, so a change to that table is a change to this.
 */
const USED_BY: Record<string, readonly Mode[]> = {
  'canary-weight': ['canary'],
  'wait-for-healthy': ['canary', 'deploy', 'promote', 'rollback'],
  'health-timeout-seconds': ['canary', 'deploy', 'promote', 'rollback'],
  'dry-run': ['canary', 'deploy', 'promote', 'rollback'],
  steps: ['canary'],
  strategy: ['canary'],
  'bake-time': ['canary'],
  alarms: ['canary', 'promote', 'status'],
  'alarm-prefix': ['canary', 'promote', 'status'],
  'treat-missing-alarm-data-as-failure': ['canary', 'promote'],
  'on-cancel': ['canary'],
  'test-header': ['canary'],
  'test-query': ['canary'],
  'test-rule-priority': ['canary'],
  'test-listener-arn': ['canary', 'promote', 'rollback'],
  'scale-down-after-promote': ['canary', 'promote'],
  'undo-promotion': ['rollback'],
  'github-token': ['canary', 'deploy', 'promote', 'rollback'],
  environment: ['canary', 'deploy', 'promote', 'rollback'],
  'environment-url': ['canary', 'deploy', 'promote'],
  image: ['canary', 'deploy'],
  'container-name': ['canary', 'deploy'],
  'task-definition': ['canary', 'deploy'],
  'replace-live-canary': ['canary', 'deploy'],
  'stack-parameters': ['canary', 'deploy'],
  'promote-image-tag': ['canary', 'promote'],
  analysis: ['canary'],
  'smoke-url': ['canary'],
  'smoke-expect-status': ['canary'],
  'smoke-expect-body': ['canary'],
  'smoke-timeout': ['canary'],
  'smoke-count': ['canary'],
  'hook-after-test-traffic': ['canary'],
  'hook-before-traffic': ['canary'],
  'hook-after-traffic': ['canary'],
  'hook-timeout': ['canary'],
  'canary-tasks': ['canary', 'deploy'],
  'deregistration-timeout-seconds': ['canary', 'deploy', 'promote', 'rollback']
}

/** What rollback leaves alone: a typo in any of these must never block the emergency exit. */
const ROLLBACK_IGNORES = [
  'canary-weight',
  'steps',
  'strategy',
  'bake-time',
  'alarms',
  'alarm-prefix',
  'treat-missing-alarm-data-as-failure',
  'on-cancel',
  'test-header',
  'test-query',
  'test-rule-priority',
  'scale-down-after-promote',
  'environment-url',
  'image',
  'container-name',
  'task-definition',
  'replace-live-canary',
  'stack-parameters',
  'promote-image-tag',
  'analysis',
  'smoke-url',
  'smoke-expect-status',
  'smoke-expect-body',
  'smoke-timeout',
  'smoke-count',
  'hook-after-test-traffic',
  'hook-before-traffic',
  'hook-after-traffic',
  'hook-timeout',
  'canary-tasks'
]

// [input, malformed value, fragments of the error a mode that uses it throws, of the warning
// a mode that ignores it gives]
const MALFORMED: [string, string, string[], string][] = [
  ['canary-weight', 'ten', ['"canary-weight" is "ten"', '0 to 100'], 'e.g. 10 or 0.5'],
  ['canary-weight', '-5', ['"canary-weight" is "-5"', '0 to 100'], 'e.g. 10 or 0.5'],
  ['canary-weight', '100.5', ['"canary-weight"', 'at most one'], 'e.g. 10 or 0.5'],
  ['canary-weight', '101', ['"canary-weight"', '0 to 100'], 'e.g. 10 or 0.5'],
  ['canary-weight', '1.25', ['"canary-weight"', 'one decimal'], 'e.g. 10 or 0.5'],
  ['canary-weight', '10%', ['"canary-weight" is "10%"', 'e.g. 10'], 'e.g. 10 or 0.5'],
  ['dry-run', 'yes', ['"dry-run" is "yes"', 'true or false'], 'true or false'],
  ['dry-run', '1', ['"dry-run"', 'true or false'], 'true or false'],
  ['wait-for-healthy', 'no', ['"wait-for-healthy"', 'true or false'], 'true or false'],
  [
    'health-timeout-seconds',
    '10m',
    ['"health-timeout-seconds" is "10m"', 'whole number of seconds'],
    'e.g. 600'
  ],
  ['health-timeout-seconds', '-1', ['"health-timeout-seconds"', 'whole number'], 'e.g. 600'],
  ['health-timeout-seconds', '1.5', ['"health-timeout-seconds"', 'whole number'], 'e.g. 600'],
  ['bake-time', '5x', ['"bake-time" is "5x"', '90s, 5m, 1h'], '90s, 5m, 1h or 1m30s'],
  ['steps', '5,x', ['"steps" has "x"', 'percent above 0'], 'e.g. 5,25,50'],
  ['steps', '50,25', ['"steps" must increase'], 'e.g. 5,25,50'],
  ['strategy', 'Fast', ['Unknown strategy "Fast"'], 'Canary10Percent5Minutes'],
  ['alarms', `ok\n${'a'.repeat(256)}`, ['"alarms" has a name over 255'], 'at most 255'],
  ['on-cancel', 'ignore', ['"on-cancel" is "ignore"', 'rollback or hold'], 'rollback or hold'],
  ['test-header', 'X-Canary', ['"test-header" is "X-Canary"', 'Name: value'], 'Name: value'],
  ['test-query', 'canary', ['"test-query" is "canary"', 'key=value'], 'key=value'],
  ['test-rule-priority', '0', ['"test-rule-priority" is "0"', '1 to 50000'], '1 to 50000'],
  ['test-listener-arn', 'listener-1', ['"test-listener-arn" is "listener-1"'], ':listener/'],
  [
    'treat-missing-alarm-data-as-failure',
    'yes',
    ['"treat-missing-alarm-data-as-failure"', 'true or false'],
    'true or false'
  ],
  [
    'scale-down-after-promote',
    '1',
    ['"scale-down-after-promote"', 'true or false'],
    'true or false'
  ],
  ['undo-promotion', 'yes', ['"undo-promotion" is "yes"', 'true or false'], 'true or false'],
  ['environment-url', 'shop', ['"environment-url" is "shop"', 'https://'], 'https:// URL'],
  ['image', 'Web:1', ['"image" is "Web:1"', 'lower-case'], 'dkr.ecr'],
  ['image', 'web', ['"image" is "web"', 'no tag or digest'], 'dkr.ecr'],
  ['image', 'web@sha256:12', ['"image"', 'not a sha256 digest'], 'dkr.ecr'],
  ['container-name', 'a b', ['"container-name" is "a b"'], 'a container name'],
  [
    'task-definition',
    'missing.json',
    ['"task-definition" is "missing.json"', 'no such file'],
    'family:revision'
  ],
  [
    'replace-live-canary',
    'yes',
    ['"replace-live-canary" is "yes"', 'true or false'],
    'true or false'
  ],
  ['stack-parameters', 'Image=X', ['"stack-parameters" has "Image=X"', 'BlueImage'], 'Key=Name'],
  ['promote-image-tag', '-prod', ['"promote-image-tag" is "-prod"', 'image tag'], 'production'],
  [
    'analysis',
    'p99-ratio: 0.5',
    ['"analysis" has p99-ratio "0.5"', 'at least 1'],
    'p99-ratio: 1.5'
  ],
  ['analysis', 'yes', ['"analysis" has "yes"', 'key: value'], 'true, false'],
  ['smoke-url', 'health', ['"smoke-url" is "health"', '/health'], 'full http(s) URL'],
  ['smoke-url', 'ftp://x/', ['"smoke-url" is "ftp://x/"', 'http(s)'], 'full http(s) URL'],
  ['smoke-expect-status', '600', ['"smoke-expect-status" is "600"', '2xx'], '200,204 or 2xx'],
  ['smoke-timeout', '0', ['"smoke-timeout" is "0"', 'from 1s to 5m'], 'from 1s to 5m'],
  ['smoke-count', '0', ['"smoke-count" is "0"', '1 to 1000'], '1 to 1000'],
  [
    'hook-after-test-traffic',
    'my hook',
    ['"hook-after-test-traffic" is "my hook"', 'Lambda'],
    'Lambda function'
  ],
  [
    'hook-before-traffic',
    'a:b:c',
    ['"hook-before-traffic" is "a:b:c"', 'Lambda'],
    'Lambda function'
  ],
  ['hook-after-traffic', 'bad/name', ['"hook-after-traffic" is', 'Lambda'], 'Lambda function'],
  ['hook-timeout', '2h', ['"hook-timeout" is "2h"', 'from 1s to 1h'], 'from 1s to 1h']
]

/** Promote refuses a walk (it moves all traffic at once) rather than ignore it. */
const refusedWalk = (input: string, mode: Mode) =>
  mode === 'promote' && (input === 'steps' || input === 'strategy')

const MATRIX = MODES.flatMap((mode) =>
  MALFORMED.map(([input, value, error, hint]) => ({ mode, input, value, error, hint }))
)

describe('each mode reads only the inputs it uses', () => {
  it('the table in src/input-modes.ts is the one written out here', () => {
    const table = Object.fromEntries(
      Object.entries(MODE_INPUTS).map(([name, { modes }]) => [name, modes])
    )
    expect(table).toEqual(USED_BY)
    const ignored = Object.keys(USED_BY).filter((name) => !USED_BY[name].includes('rollback'))
    expect(ignored.filter((name) => name !== 'undo-promotion')).toEqual(ROLLBACK_IGNORES)
  })

  const used = MATRIX.filter(({ mode, input }) => USED_BY[input].includes(mode))
  it.each(used)('$mode with $input $value: InputError', ({ mode, input, value, error }) => {
    const message = failure(() => inputs({ mode, [input]: value })).message
    for (const fragment of error) expect(message).toContain(fragment)
  })

  const ignored = MATRIX.filter(
    ({ mode, input }) => !USED_BY[input].includes(mode) && !refusedWalk(input, mode)
  )
  it.each(ignored)('$mode with $input $value: one warning', ({ mode, input, value, hint }) => {
    const parsed = inputs({ mode, [input]: value })
    expect(parsed.warnings).toHaveLength(1)
    const [warning] = parsed.warnings
    expect(warning).toContain(`"${input}" is "${value.split('\n')[0]}`)
    expect(warning).toContain(`mode ${mode} ignores it`)
    expect(warning).toContain(hint)
    expect(warning).not.toMatch(/[\r\n]/)
    expect({ ...parsed, warnings: [] }).toEqual(inputs({ mode }))
  })

  it.each(MATRIX.filter(({ mode, input }) => refusedWalk(input, mode)))(
    'promote with $input $value: refused, a walk is for canary',
    ({ input, value }) => {
      expect(failure(() => inputs({ mode: 'promote', [input]: value })).message).toBe(
        `"${input}" walks a canary through its steps: use it with mode canary, not promote.`
      )
    }
  )

  it.each(['canary', 'promote', 'status'] as const)(
    'undo-promotion true with %s: refused, it asks for something else',
    (mode) => {
      expect(failure(() => inputs({ mode, 'undo-promotion': 'True' })).message).toBe(
        `"undo-promotion" goes with mode rollback, not ${mode}.`
      )
    }
  )

  it('says in one line what it ignores, what the value is and what would be valid', () => {
    expect(
      inputs({ mode: 'rollback', 'bake-time': '5x', 'canary-weight': '10%' }).warnings
    ).toEqual([
      '"canary-weight" is "10%": mode rollback ignores it, so the run goes on. A valid value ' +
        'is a percent from 0 to 100 with at most one decimal, e.g. 10 or 0.5.',
      '"bake-time" is "5x": mode rollback ignores it, so the run goes on. A valid value is a ' +
        'duration such as 90s, 5m, 1h or 1m30s (at most 6h).'
    ])
  })

  it('shows a long or multi-line value cut short, on one line', () => {
    const [warning] = inputs({ mode: 'rollback', alarms: `a\n${'b'.repeat(300)}` }).warnings
    expect(warning).toContain(`"alarms" is "a\\n${'b'.repeat(58)}…"`)
    expect(warning.length).toBeLessThan(250)
  })

  it('ignores good values of unused inputs without a word, and gives the defaults', () => {
    const parsed = inputs({
      mode: 'rollback',
      'canary-weight': '50',
      steps: '5,25',
      strategy: 'AllAtOnce',
      'bake-time': '5m',
      alarms: 'svc-5xx',
      'on-cancel': 'hold',
      'test-header': 'X-Canary: yes'
    })
    expect(parsed).toEqual(inputs({ mode: 'rollback' }))
    expect(parsed.schedule).toEqual({
      steps: [100],
      bakeMs: 0,
      source: 'canary-weight',
      walk: false
    })
  })

  it('still refuses a mode-independent input in rollback', () => {
    const error = failure(() =>
      inputs({ mode: 'rollback', 'canary-weight': '10%', 'listener-arn': 'my-listener' })
    )
    expect(error.message).toContain('"listener-arn" is "my-listener"')
  })
})

describe('an input a mode does not use never makes it throw (property)', () => {
  // Arbitrary text, and text close to valid values, where a parser is most likely to trip.
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('10%', '5x', ' true ', '0', '100', 'AllAtOnce', 'X: y', 'k=v', 'arn:listener/')
  )

  const ignoredBy = (mode: Mode) =>
    Object.keys(USED_BY).filter(
      (name) =>
        !USED_BY[name].includes(mode) && name !== 'undo-promotion' && !refusedWalk(name, mode)
    )

  it.each(MODES.filter((mode) => ignoredBy(mode).length > 0))('%s', (mode) => {
    const names = ignoredBy(mode)
    const baseline = inputs({ mode })
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(names.map((name) => [name, text])), { requiredKeys: [] }),
        (given) => {
          const parsed = inputs({ mode, ...given })
          expect({ ...parsed, warnings: [] }).toEqual(baseline)
          expect(parsed.warnings.length).toBeLessThanOrEqual(Object.keys(given).length)
          for (const warning of parsed.warnings) expect(warning).not.toMatch(/[\r\n\u2028\u2029]/)
        }
      )
    )
  })
})
