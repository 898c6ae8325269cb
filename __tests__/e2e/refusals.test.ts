/**
 * The action refuses to guess: a world it does not understand, or inputs it cannot use, fail the
 * step with exactly one error annotation and nothing written (bad inputs: no AWS request at all).
 */
import { describe, expect, it } from '@jest/globals'
import { expectCleanFailure, ruleWeights, stableTag, step, useSandbox } from './harness.js'

const sandbox = useSandbox({ resetEach: false })

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/mycluster/myservice'
const RULE_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/myalb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee'

describe('bad states (sandbox variants)', () => {
  const CASES: [string, string, (string | RegExp)[]][] = [
    [
      'missing tag',
      'missing-tag',
      [
        'has no "StableStack" tag',
        `aws ecs tag-resource --resource-arn ${SERVICE_ARN} --tags key=StableStack,value=Blue`
      ]
    ],
    [
      'wrong tag value',
      'wrong-tag-value',
      ['StableStack="blue"', 'must be exactly Blue or Green', 'aws ecs tag-resource']
    ],
    [
      'missing GreenTargetGroup output',
      'missing-green-tg-output',
      ['no output GreenTargetGroup', '"green-target-group"']
    ],
    [
      'foreign (third) target group in the forward',
      'third-target-group',
      [/also forwards to arn:aws:elasticloadbalancing:[^ ]*targetgroup\/extra-tg\//, 'neither']
    ],
    [
      'rule discovery finds no candidate',
      'no-shared-rule+no-listener-rule-output',
      ['No rule forwards to both', 'listener-rule-arn']
    ],
    [
      'rule discovery finds two candidates whose weights disagree',
      'api-rule-apart+no-listener-rule-output',
      [
        'The routes that move together disagree',
        `${RULE_ARN} holds Blue 100% / Green 0%`,
        `${RULE_ARN.replace(/[0-9a-f]{16}$/, '7a1c3e5f2b4d6e80')} holds Blue 90% / Green 10%`,
        'Run mode rollback'
      ]
    ],
    [
      'rolling-update (ECS) deployment controller',
      'rolling-update',
      ['uses the ECS deployment controller', 'EXTERNAL']
    ]
  ]

  it.each(CASES)('%s: exit 1, one error, no write', async (_name, variant, fragments) => {
    sandbox.reset(variant)
    const rule = structuredClone(sandbox.world.rules)
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })

    const message = expectCleanFailure(run)
    for (const fragment of fragments) {
      if (typeof fragment === 'string') expect(message).toContain(fragment)
      else expect(message).toMatch(fragment)
    }
    expect(run.requests.length).toBeGreaterThan(0)
    expect(sandbox.world.rules).toEqual(rule)
    // Discovery did not finish: only what is known without the service's state.
    expect(Object.keys(run.outputs).sort()).toEqual([
      'changed',
      'outcome',
      'result',
      'result-file',
      'rolled-back',
      'steps-completed'
    ])
    expect(run.outputs.outcome).toBe('failed-before-write')
    expect(run.summary).toContain('## ❌ myservice: canary failed')
  })
})

describe('bad inputs: no AWS request at all', () => {
  const CASES: [string, Record<string, string>, Record<string, string>, string][] = [
    ['unknown mode', { mode: 'ship' }, {}, 'Unknown mode "ship"'],
    [
      'canary-weight with two decimals',
      { mode: 'canary', 'canary-weight': '12.25' },
      {},
      '"canary-weight" is "12.25"'
    ],
    [
      'no region (AWS_REGION empty, no aws-region input)',
      { mode: 'canary', 'canary-weight': '10' },
      { AWS_REGION: '' },
      'No AWS region'
    ]
  ]

  it.each(CASES)('%s: exit 1, one error, no request', async (_name, inputs, env, fragment) => {
    sandbox.reset()
    const run = await step(sandbox, inputs, { env })
    expect(expectCleanFailure(run)).toContain(fragment)
    expect(run.requests).toEqual([])
    expect(sandbox.log).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
  })
})
