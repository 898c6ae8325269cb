import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DescribeRulesCommand,
  ModifyRuleCommand,
  type Action,
  type TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { ARN, forward, healthy, mockAws, taskSet, type MockAws } from '../__fixtures__/aws.js'
import { inputs } from '../__fixtures__/inputs.js'
import type { Clock } from '../src/clock.js'
import {
  AccessDeniedError,
  CredentialsError,
  IncompletePromotionError,
  NotFoundError,
  RuleDiscoveryError,
  StateError,
  VerificationError
} from '../src/errors.js'
import { MemoryLogger } from '../src/logger.js'
import { renderSummary } from '../src/report/summary.js'
import { runPipeline, type PipelineDeps } from '../src/pipeline.js'

let aws: MockAws
afterEach(() => aws?.restore())

/** A clock whose sleeps pass instantly, so health waits run in microseconds. */
function fakeClock(): Clock & { slept: number } {
  let now = 0
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms
      clock.slept += ms
    }
  }
  return clock
}

function deps(extra: Partial<PipelineDeps> = {}): PipelineDeps {
  return { clients: aws.clients, log: new MemoryLogger(), clock: fakeClock(), ...extra }
}

function rule() {
  return aws.world.rules[0]
}

function weightsOf(actions = rule().Actions ?? []) {
  const fwd = actions.find((a) => a.Type === 'forward')
  return fwd?.ForwardConfig?.TargetGroups?.map((g) => [g.TargetGroupArn, g.Weight])
}

describe('call sequences per mode', () => {
  it('status reads everything in parallel and writes nothing', async () => {
    aws = mockAws()
    const result = await runPipeline(inputs({ mode: 'status' }), deps())
    expect(aws.writes()).toEqual([])
    expect(result.changed).toBe(false)
    expect(aws.calls().sort()).toEqual(
      [
        'DescribeRules',
        'DescribeServices',
        'DescribeStacks',
        'DescribeTargetHealth',
        'DescribeTargetHealth',
        'DescribeTaskDefinition',
        'DescribeTaskDefinition'
      ].sort()
    )
    // The split is in permille, not raw ALB weights.
    expect(result.splitAfter).toEqual({ Blue: 1000, Green: 0 })
  })

  it('canary writes the rule once, verifies it from the write response, and does not tag', async () => {
    aws = mockAws()
    const result = await runPipeline(inputs({ mode: 'canary', 'canary-weight': '10' }), deps())
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 90],
      [ARN.greenTg, 10]
    ])
    // ModifyRule answers with the rule as stored: no read-back round trip after the write.
    const calls = aws.calls()
    expect(calls.indexOf('DescribeRules', calls.indexOf('ModifyRule'))).toBe(-1)
    expect(result.changed).toBe(true)
    expect(result.stableAfter).toBe('Blue')
    expect(result.splitAfter).toEqual({ Blue: 900, Green: 100 })
    // The gate result is the step's readings; the health gate ran and passed.
    expect(result.steps[0].readings).toMatchObject([{ label: 'health gate', text: 'healthy' }])
  })

  it('a fractional canary weight is written out of 1000', async () => {
    aws = mockAws()
    await runPipeline(inputs({ mode: 'canary', 'canary-weight': '0.5' }), deps())
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 995],
      [ARN.greenTg, 5]
    ])
  })

  it('promote shifts everything to the canary, verifies, then flips the tag', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(aws.writes()).toEqual(['ModifyRule', 'TagResource'])
    const calls = aws.calls()
    expect(calls.lastIndexOf('DescribeRules')).toBeLessThan(calls.indexOf('TagResource'))
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 0],
      [ARN.greenTg, 100]
    ])
    expect(aws.world.service!.tags.StableStack).toBe('Green')
    expect(result.stableAfter).toBe('Green')
  })

  it('rollback never waits on health, even when the canary is unhealthy', async () => {
    aws = mockAws()
    rule().Actions = [forward(50, 50)]
    aws.world.health[ARN.greenTg] = [
      { Target: { Id: '10.0.0.9' }, TargetHealth: { State: 'unhealthy' } }
    ]
    aws.world.service!.taskSets[1] = taskSet('Green', { stabilityStatus: 'STABILIZING' })
    const clock = fakeClock()
    const result = await runPipeline(inputs({ mode: 'rollback' }), deps({ clock }))
    expect(clock.slept).toBe(0)
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 100],
      [ARN.greenTg, 0]
    ])
    expect(aws.world.service!.tags.StableStack).toBe('Blue')
    // No gate was asked: the step has no readings.
    expect(result.steps.map((s) => s.readings)).toEqual([[]])
  })

  it("rollback writes the route before the test route's reads answer", async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    let answer: () => void = () => undefined
    const held = new Promise<void>((resolve) => (answer = resolve))
    const order: string[] = []
    aws.elb.on(DescribeRulesCommand).callsFake(async (input: { RuleArns?: string[] }) => {
      if (input.RuleArns) return { Rules: structuredClone(aws.world.rules) }
      // The listener's rules, read for test traffic: held until the route write has been sent.
      order.push('listener rules asked')
      await held
      order.push('listener rules answered')
      return { Rules: structuredClone(aws.world.rules) }
    })
    aws.elb.on(ModifyRuleCommand).callsFake((input: { Actions: Action[] }) => {
      order.push('route written')
      answer()
      rule().Actions = input.Actions
      return { Rules: [structuredClone(rule())] }
    })
    const result = await runPipeline(inputs({ mode: 'rollback' }), deps())
    expect(result.failure).toBeUndefined()
    expect(order).toEqual(['listener rules asked', 'route written', 'listener rules answered'])
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 100],
      [ARN.greenTg, 0]
    ])
  })

  it('lowering the canary share does not wait on health', async () => {
    aws = mockAws()
    rule().Actions = [forward(50, 50)]
    aws.world.health[ARN.greenTg] = []
    const result = await runPipeline(inputs({ mode: 'canary', 'canary-weight': '10' }), deps())
    expect(result.steps.map((s) => s.readings)).toEqual([[]])
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual(['ModifyRule'])
  })

  it('dry run discovers and plans but writes nothing and does not wait', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    aws.world.health[ARN.greenTg] = []
    const clock = fakeClock()
    const result = await runPipeline(
      inputs({ mode: 'promote', 'dry-run': 'true' }),
      deps({ clock })
    )
    expect(aws.writes()).toEqual([])
    expect(clock.slept).toBe(0)
    expect(result.changed).toBe(false)
    expect(result.plan.stableAfter).toBe('Green')
    expect(result.plan.steps.at(-1)?.tag).toBe('Green')
    expect(result.stableAfter).toBe('Blue')
  })
})

describe('idempotent reruns', () => {
  it.each([
    ['canary', { 'canary-weight': '10' }],
    ['promote', {}],
    ['rollback', {}]
  ])('%s twice writes only the first time', async (mode, extra) => {
    aws = mockAws()
    const first = await runPipeline(inputs({ mode, ...extra }), deps())
    const writesAfterFirst = aws.writes().length
    const second = await runPipeline(inputs({ mode, ...extra }), deps())
    expect(aws.writes().length).toBe(writesAfterFirst)
    expect(second.changed).toBe(false)
    expect(second.stableAfter).toBe(first.stableAfter)
  })

  it('a canary already at the requested share (in other units) writes nothing', async () => {
    aws = mockAws()
    rule().Actions = [forward(900, 100)]
    const result = await runPipeline(inputs({ mode: 'canary', 'canary-weight': '10' }), deps())
    expect(aws.writes()).toEqual([])
    expect(result.changed).toBe(false)
  })

  it('promote interrupted after the rule write is finished by a rerun that only tags', async () => {
    aws = mockAws()
    rule().Actions = [forward(0, 100)]
    const result = await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(aws.writes()).toEqual(['TagResource'])
    expect(aws.world.service!.tags.StableStack).toBe('Green')
    expect(result.changed).toBe(true)
  })

  it('a failed tag write after the rule write says to run promote again', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const { TagResourceCommand } = await import('@aws-sdk/client-ecs')
    aws.ecs
      .on(TagResourceCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'ServerException' }))
    // An error during the writes is in the outcome, not thrown.
    const result = await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(result.error).toBeInstanceOf(IncompletePromotionError)
    expect(result.failure).toMatch(/Run promote again/)
    // The message ends with what is true now.
    expect(result.failure).toMatch(
      /Traffic is now Blue 0% \/ Green 100%; the stable colour is Blue\.$/
    )
    expect(result.rolledBack).toBe(false)
    expect(aws.world.service!.tags.StableStack).toBe('Blue')
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 0],
      [ARN.greenTg, 100]
    ])
  })
})

describe('the rule rewrite keeps everything but the weights', () => {
  it('keeps authenticate actions in order, stickiness and conditions', async () => {
    aws = mockAws()
    const oidc: Action = {
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp.example',
        AuthorizationEndpoint: 'https://idp.example/auth',
        TokenEndpoint: 'https://idp.example/token',
        UserInfoEndpoint: 'https://idp.example/userinfo',
        ClientId: 'client'
      }
    }
    const sticky = forward(100, 0, { Order: 2 })
    sticky.ForwardConfig!.TargetGroupStickinessConfig = { Enabled: true, DurationSeconds: 3600 }
    rule().Actions = [oidc, sticky]
    const conditions = structuredClone(rule().Conditions)
    await runPipeline(inputs({ mode: 'canary', 'canary-weight': '25' }), deps())
    const actions = rule().Actions!
    // The secret ELB never returns is kept, not dropped: everything else is as read.
    expect(actions[0]).toEqual({
      ...oidc,
      AuthenticateOidcConfig: { ...oidc.AuthenticateOidcConfig, UseExistingClientSecret: true }
    })
    expect(actions[1].ForwardConfig?.TargetGroupStickinessConfig).toEqual({
      Enabled: true,
      DurationSeconds: 3600
    })
    expect(actions[1].Order).toBe(2)
    expect(rule().Conditions).toEqual(conditions)
    const modify = aws.elb
      .calls()
      .find((c) => (c.args[0].input as { RuleArn?: string; Actions?: unknown }).Actions)
    expect(Object.keys(modify!.args[0].input as object).sort()).toEqual(['Actions', 'RuleArn'])
  })

  it('rewrites the legacy single target group form as a ForwardConfig', async () => {
    aws = mockAws()
    rule().Actions = [{ Type: 'forward', TargetGroupArn: ARN.blueTg }]
    const result = await runPipeline(inputs({ mode: 'canary', 'canary-weight': '10' }), deps())
    // First Green joins at weight 0 so the load balancer health-checks it, then it gets 10 %.
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(result.writes[0]).toMatch(/added Green at weight 0 .*traffic unchanged/)
    expect(rule().Actions![0].TargetGroupArn).toBeUndefined()
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 90],
      [ARN.greenTg, 10]
    ])
  })

  it('a legacy forward whose canary never gets healthy keeps all traffic on the stable colour', async () => {
    aws = mockAws()
    rule().Actions = [{ Type: 'forward', TargetGroupArn: ARN.blueTg }]
    aws.world.health[ARN.greenTg] = []
    // A health timeout is the outcome's failure; the canary had no traffic, so no
    // rollback. The weight-0 attach was written, so the message says where traffic is.
    const result = await runPipeline(
      inputs({ mode: 'canary', 'health-timeout-seconds': '10' }),
      deps()
    )
    expect(result.error).toBeUndefined()
    expect(result.rolledBack).toBe(false)
    expect(result.failure).toMatch(/^The canary colour Green was not healthy after 10 s: /)
    expect(result.failure).toMatch(
      /Traffic is now Blue 100% \/ Green 0%; the stable colour is Blue\.$/
    )
    expect(result.writes).toHaveLength(1)
    expect(result.writes[0]).toMatch(/added Green at weight 0 .*traffic unchanged/)
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(weightsOf()).toEqual([
      [ARN.blueTg, 1],
      [ARN.greenTg, 0]
    ])
  })

  it('refuses a forward that names a third target group, before any write', async () => {
    aws = mockAws()
    const fwd = forward(90, 10)
    fwd.ForwardConfig!.TargetGroups!.push({ TargetGroupArn: ARN.otherTg, Weight: 5 })
    rule().Actions = [fwd]
    await expect(runPipeline(inputs({ mode: 'rollback' }), deps())).rejects.toThrow(
      /neither the Blue/
    )
    expect(aws.writes()).toEqual([])
  })

  it('a write whose rule does not hold what was sent fails the step (read back when the response has no rule)', async () => {
    aws = mockAws()
    let modified = false
    aws.elb
      .on((await import('@aws-sdk/client-elastic-load-balancing-v2')).ModifyRuleCommand)
      .callsFake(() => {
        modified = true
        rule().Actions = [forward(70, 30)]
        return {}
      })
    const result = await runPipeline(inputs({ mode: 'canary', 'canary-weight': '10' }), deps())
    expect(modified).toBe(true)
    // The error is in the outcome; nothing more is written after it.
    expect(result.error).toBeInstanceOf(VerificationError)
    expect(result.failure).toMatch(/did not store what was sent/)
    expect(result.failure).toMatch(/it holds Blue 70% \/ Green 30%/)
    // The response carried no rule, so the router read it back once.
    const calls = aws.calls()
    expect(calls.indexOf('DescribeRules', calls.indexOf('ModifyRule'))).toBeGreaterThan(
      calls.indexOf('ModifyRule')
    )
    expect(result.rolledBack).toBe(false)
    // The write line; nothing is written after the failed read-back.
    expect(result.writes).toEqual([
      `listener-rule ${ARN.rule}: Blue 100% / Green 0% → Blue 90% / Green 10%`
    ])
    // The message ends with what is true now, which is what the read-back found.
    expect(result.splitAfter).toEqual({ Blue: 700, Green: 300 })
    expect(result.failure).toMatch(
      /Traffic is now Blue 70% \/ Green 30%; the stable colour is Blue\.$/
    )
  })
})

describe('health gate', () => {
  it('waits for a stabilising canary, then writes', async () => {
    aws = mockAws()
    aws.world.service!.taskSets[1] = taskSet('Green', {
      stabilityStatus: 'STABILIZING',
      runningCount: 1
    })
    aws.world.health[ARN.greenTg] = []
    let probes = 0
    const clock = fakeClock()
    const logger = new MemoryLogger()
    const realSleep = clock.sleep
    clock.sleep = async (ms) => {
      await realSleep(ms)
      probes += 1
      if (probes === 2) {
        aws.world.service!.taskSets[1] = taskSet('Green')
        aws.world.health[ARN.greenTg] = healthy(2)
      }
    }
    const result = await runPipeline(inputs({ mode: 'canary' }), deps({ clock, log: logger }))
    expect(result.failure).toBeUndefined()
    expect(result.steps[0].readings).toMatchObject([{ label: 'health gate', text: 'healthy' }])
    expect(probes).toBe(2)
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(logger.lines.join('\n')).toMatch(/Waiting: task set is STABILIZING; 1\/2 tasks running/)
  })

  const unhealthyGreen = (): TargetHealthDescription[] => [
    {
      Target: { Id: '10.0.0.9', Port: 80 },
      TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' }
    }
  ]

  it('canary times out on an unhealthy canary with no traffic and writes nothing', async () => {
    aws = mockAws()
    aws.world.health[ARN.greenTg] = unhealthyGreen()
    // A health timeout is the outcome's failure, not a thrown error. The canary had no
    // traffic, so nothing is written (the message says so).
    const result = await runPipeline(
      inputs({ mode: 'canary', 'health-timeout-seconds': '30' }),
      deps()
    )
    expect(result.failure).toMatch(/^The canary colour Green was not healthy after 30 s: /)
    expect(result.failure).toMatch(/10\.0\.0\.9:80 is unhealthy \(Target.ResponseCodeMismatch\)/)
    expect(result.failure).toMatch(/No traffic was moved; nothing was written\.$/)
    // The gate's sentence and the executor's state sentence join with one full stop.
    expect(result.failure).not.toContain('..')
    expect(result.error).toBeUndefined()
    expect(result.rolledBack).toBe(false)
    expect(result.changed).toBe(false)
    expect(result.steps[0].readings[0]).toMatchObject({ label: 'health gate', text: 'timed out' })
    expect(aws.writes()).toEqual([])
  })

  it.each(['canary', 'promote'])(
    '%s times out on an unhealthy canary that has traffic and rolls it back',
    async (mode) => {
      aws = mockAws()
      rule().Actions = [forward(95, 5)]
      aws.world.health[ARN.greenTg] = unhealthyGreen()
      // The canary had 5 % when its gate timed out, so the run rolls back.
      const result = await runPipeline(inputs({ mode, 'health-timeout-seconds': '30' }), deps())
      expect(result.failure).toMatch(/^The canary colour Green was not healthy after 30 s: /)
      expect(result.failure).toMatch(/10\.0\.0\.9:80 is unhealthy \(Target.ResponseCodeMismatch\)/)
      expect(result.failure).toMatch(/Rolled back: all traffic is on Blue again\.$/)
      expect(result.error).toBeUndefined()
      expect(result.rolledBack).toBe(true)
      expect(aws.writes()).toEqual(['ModifyRule'])
      expect(weightsOf()).toEqual([
        [ARN.blueTg, 100],
        [ARN.greenTg, 0]
      ])
      expect(aws.world.service!.tags.StableStack).toBe('Blue')
    }
  )

  it('wait-for-healthy false skips the gate with a warning', async () => {
    aws = mockAws()
    aws.world.health[ARN.greenTg] = []
    const logger = new MemoryLogger()
    const result = await runPipeline(
      inputs({ mode: 'canary', 'wait-for-healthy': 'false' }),
      deps({ log: logger })
    )
    expect(result.steps[0].readings).toMatchObject([{ label: 'health gate', text: 'skipped' }])
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(logger.lines.some((l) => l.startsWith('warning:'))).toBe(true)
  })
})

describe('bad state fails before any write', () => {
  const cases: [string, (aws: MockAws) => void, Record<string, string>, RegExp, unknown][] = [
    [
      'service not found',
      (a) => (a.world.service = undefined),
      {},
      /ECS service "myservice" was not found/,
      NotFoundError
    ],
    [
      'not EXTERNAL',
      (a) => (a.world.service!.controller = 'ECS'),
      {},
      /uses the ECS deployment controller.*EXTERNAL/,
      StateError
    ],
    [
      'tag missing',
      (a) => (a.world.service!.tags = {}),
      {},
      /aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:service\/mycluster\/myservice --tags key=StableStack,value=Blue/,
      StateError
    ],
    [
      'tag value wrong',
      (a) => (a.world.service!.tags = { StableStack: 'blue' }),
      {},
      /StableStack="blue"; it must be exactly Blue or Green/,
      StateError
    ],
    [
      'custom tag key missing',
      () => undefined,
      { 'tag-key': 'Colour' },
      /no "Colour" tag/,
      StateError
    ],
    [
      'stack not found',
      (a) => (a.world.stack = undefined),
      {},
      /stack "mystack" was not found/,
      NotFoundError
    ],
    [
      'stack output missing',
      (a) => delete a.world.stack!.GreenTargetGroup,
      {},
      /no output GreenTargetGroup.*"green-target-group"/,
      StateError
    ],
    [
      'task set not in service',
      (a) => (a.world.stack!.GreenTaskSet = 'ecs-svc/9999'),
      {},
      /Green task set "ecs-svc\/9999" is not in service/,
      StateError
    ],
    [
      'task set in the wrong target group',
      (a) =>
        (a.world.service!.taskSets[1] = taskSet('Green', {
          loadBalancers: [{ targetGroupArn: ARN.blueTg }]
        })),
      {},
      /would reach the wrong tasks/,
      StateError
    ],
    [
      'rule does not forward to a colour',
      (a) =>
        (a.world.rules[0].Actions = [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: ARN.blueTg, Weight: 1 },
                { TargetGroupArn: ARN.otherTg, Weight: 1 }
              ]
            }
          }
        ]),
      {},
      /also forwards to/,
      StateError
    ],
    [
      'weighted forward missing a colour',
      (a) =>
        (a.world.rules[0].Actions = [
          {
            Type: 'forward',
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: ARN.blueTg, Weight: 1 }] }
          }
        ]),
      {},
      /does not forward to the Green target group/,
      StateError
    ],
    [
      'rule not found',
      (a) => (a.world.stack!.ListenerRule = `${ARN.rule}x`),
      {},
      /Listener rule .* was not found/,
      NotFoundError
    ],
    [
      'rule without forward',
      (a) =>
        (a.world.rules[0].Actions = [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }
        ]),
      {},
      /has no forward action \(its actions: fixed-response\)/,
      StateError
    ],
    [
      'listener not found',
      () => undefined,
      { 'listener-arn': `${ARN.listener}x` },
      /Listener .* was not found/,
      NotFoundError
    ],
    [
      'discovery finds no rule',
      (a) => {
        delete a.world.stack!.ListenerRule
        a.world.rules[0].Actions = [{ Type: 'fixed-response' }]
      },
      {},
      /No rule forwards to both/,
      RuleDiscoveryError
    ],
    [
      'discovery finds two rules that disagree',
      (a) => {
        delete a.world.stack!.ListenerRule
        a.world.rules.push({
          ...structuredClone(a.world.rules[0]),
          RuleArn: `${ARN.rule}2`,
          Actions: [forward(50, 50)]
        })
      },
      {},
      /move together disagree: .*r1 holds Blue 100% \/ Green 0%; .*r12 holds Blue 50% \/ Green 50%/,
      StateError
    ],
    [
      'target group not found',
      (a) => delete a.world.health[ARN.greenTg],
      {},
      /Target group .*green.* was not found/,
      NotFoundError
    ]
  ]
  it.each(cases)('%s', async (_name, mutate, extra, message, type) => {
    aws = mockAws()
    mutate(aws)
    const error = await runPipeline(inputs({ mode: 'canary', ...extra }), deps()).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(type)
    expect((error as Error).message).toMatch(message)
    expect(aws.writes()).toEqual([])
  })

  it('access denied names the IAM action', async () => {
    aws = mockAws()
    const { ModifyRuleCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2')
    aws.elb
      .on(ModifyRuleCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }))
    // Access denied on a write is in the outcome; nothing was written.
    const result = await runPipeline(inputs({ mode: 'canary' }), deps())
    expect(result.error).toBeInstanceOf(AccessDeniedError)
    expect(result.failure).toMatch(/elasticloadbalancing:ModifyRule/)
    expect(result.failure).toMatch(/No traffic was moved; nothing was written\.$/)
    expect(result.changed).toBe(false)
    expect(aws.writes()).toEqual([])
  })

  it('missing credentials say to configure them', async () => {
    aws = mockAws()
    const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs')
    aws.ecs.on(DescribeServicesCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError'
      })
    )
    const error = await runPipeline(inputs({ mode: 'status' }), deps()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).toMatch(/configure-aws-credentials/)
  })
})

describe('the critical path', () => {
  it('a rule named by input is read beside the service and the stack, not after the stack', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(
      inputs({ mode: 'status', 'listener-rule-arn': ARN.rule }),
      deps()
    )
    expect(result.splitAfter).toEqual({ Blue: 900, Green: 100 })
    const calls = aws.calls()
    // The target groups come from the stack, so their health is read only once it answers; the
    // rule's read was sent before that, beside DescribeStacks.
    expect(calls.indexOf('DescribeRules')).toBeLessThan(calls.indexOf('DescribeTargetHealth'))
    expect(calls.slice(0, 3).sort()).toEqual([
      'DescribeRules',
      'DescribeServices',
      'DescribeStacks'
    ])
  })

  it('a plain rollback does not read target health, so nothing but the rule and the tag can hold it up', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(
      inputs({ mode: 'rollback', 'listener-rule-arn': ARN.rule }),
      deps()
    )
    expect(result.failure).toBeUndefined()
    expect(aws.calls()).not.toContain('DescribeTargetHealth')
    expect(result.stepsCompleted).toBe(0)
    expect(result.steps.map((st) => st.outcome)).toEqual(['rolled back'])
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(result.state.health.Green.targets.unread).toBe(true)
    expect(renderSummary(result)).toContain('not read (a rollback does not wait for health)')
  })

  it('rollback neither reads alarms nor fails on a misnamed one', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(inputs({ mode: 'rollback', alarms: 'no-such-alarm' }), deps())
    expect(result.failure).toBeUndefined()
    expect(aws.calls()).not.toContain('DescribeAlarms')
    expect(aws.writes()).toEqual(['ModifyRule'])
  })
})

describe('routes', () => {
  it('discovers the rule when neither input nor stack names it', async () => {
    aws = mockAws()
    delete aws.world.stack!.ListenerRule
    const result = await runPipeline(inputs({ mode: 'canary' }), deps())
    expect(result.state.route).toEqual({ kind: 'listener-rule', id: ARN.rule })
    // One DescribeRules per listener; the found rule is not read again, and the write is not read back.
    expect(aws.calls().filter((c) => c === 'DescribeRules').length).toBe(1)
  })

  it('a default rule found by discovery is changed through the listener', async () => {
    aws = mockAws()
    delete aws.world.stack!.ListenerRule
    aws.world.rules = [aws.world.rules[1]]
    aws.world.rules[0].Actions = [forward(100, 0)]
    aws.world.listenerDefault = [forward(100, 0)]
    const result = await runPipeline(inputs({ mode: 'canary' }), deps())
    expect(result.state.route).toEqual({ kind: 'listener', id: ARN.listener })
    expect(aws.writes()).toEqual(['ModifyListener'])
  })

  it('listener-arn writes the default action only', async () => {
    aws = mockAws()
    aws.world.listenerDefault = [forward(100, 0)]
    await runPipeline(inputs({ mode: 'canary', 'listener-arn': ARN.listener }), deps())
    expect(aws.writes()).toEqual(['ModifyListener'])
    expect(weightsOf(aws.world.listenerDefault)).toEqual([
      [ARN.blueTg, 90],
      [ARN.greenTg, 10]
    ])
  })

  it('an explicit default rule ARN is refused with the listener ARN to use', async () => {
    aws = mockAws()
    await expect(
      runPipeline(inputs({ mode: 'canary', 'listener-rule-arn': ARN.defaultRule }), deps())
    ).rejects.toThrow(`Set "listener-arn" to ${ARN.listener}`)
  })

  it('explicit inputs need no stack', async () => {
    aws = mockAws()
    aws.world.stack = undefined
    const result = await runPipeline(
      inputs({
        mode: 'canary',
        'stack-name': '',
        'blue-task-set': 'ecs-svc/1000',
        'green-task-set': taskSet('Green').taskSetArn!,
        'blue-target-group': ARN.blueTg,
        'green-target-group': ARN.greenTg,
        'listener-rule-arn': ARN.rule
      }),
      deps()
    )
    expect(aws.calls()).not.toContain('DescribeStacks')
    expect(result.changed).toBe(true)
  })
})

describe('promote when the canary has no traffic', () => {
  it('writes nothing and says to run canary first (a rerun after promote looks the same)', async () => {
    aws = mockAws()
    const result = await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(aws.writes()).toEqual([])
    expect(result.plan.reason).toMatch(/Nothing to promote.*mode canary first/)
  })
})
