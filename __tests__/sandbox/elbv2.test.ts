import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2ServiceException,
  InvalidLoadBalancerActionException,
  ListenerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  RuleNotFoundException,
  SetRulePrioritiesCommand,
  TargetGroupNotFoundException,
  type Action
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let elb: ReturnType<typeof clients>['elb']

beforeAll(async () => {
  sandbox = await startSandbox()
  elb = clients(sandbox, 1).elb
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const tg = (name: string) => sandbox.world.targetGroups.find((g) => g.name === name)!.arn
const listenerArn = () => sandbox.world.listeners[0].arn
const ruleArn = () => sandbox.world.rules[0].arn
const forward = (weights: [string, number][], extra: Partial<Action> = {}): Action => ({
  Type: 'forward',
  ForwardConfig: {
    TargetGroups: weights.map(([arn, Weight]) => ({ TargetGroupArn: arn, Weight }))
  },
  ...extra
})
const modify = (Actions: Action[]) =>
  elb.send(new ModifyRuleCommand({ RuleArn: ruleArn(), Actions }))

describe('DescribeRules', () => {
  it('by listener: the weighted rule, then the default rule', async () => {
    const out = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn() }))
    expect(out.Rules!.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10', false],
      ['default', true]
    ])
    expect(out.Rules![0].Conditions).toEqual([
      { Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } }
    ])
    expect(out.Rules![0].Actions).toEqual([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: tg('blue-tg'), Weight: 100 },
            { TargetGroupArn: tg('green-tg'), Weight: 0 }
          ],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      }
    ])
    expect(out.Rules![1].Actions![0]).toMatchObject({
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '404' }
    })
  })

  it('by rule ARN; unknown rule and listener raise their SDK exceptions', async () => {
    const out = await elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn()] }))
    expect(out.Rules![0].RuleArn).toBe(ruleArn())
    const missingRule = await rejection(
      elb.send(new DescribeRulesCommand({ RuleArns: [`${ruleArn()}0`] }))
    )
    expect(missingRule).toBeInstanceOf(RuleNotFoundException)
    const missingListener = await rejection(
      elb.send(new DescribeRulesCommand({ ListenerArn: `${listenerArn()}0` }))
    )
    expect(missingListener).toBeInstanceOf(ListenerNotFoundException)
  })

  it.each([
    ['oidc', ['authenticate-oidc', 'forward']],
    ['legacy-forward', ['forward']],
    ['stickiness', ['forward']]
  ])('returns the %s variant as stored', async (variant, types) => {
    sandbox.reset(variant)
    const out = await elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn()] }))
    const actions = out.Rules![0].Actions!
    expect(actions.map((a) => a.Type)).toEqual(types)
    if (variant === 'oidc') {
      expect(actions[0]).toMatchObject({
        Order: 1,
        AuthenticateOidcConfig: { ClientId: 'sandbox-client' }
      })
    }
    if (variant === 'legacy-forward') {
      expect(actions[0]).toEqual({ Type: 'forward', TargetGroupArn: tg('blue-tg') })
    }
    if (variant === 'stickiness') {
      expect(actions[0].ForwardConfig!.TargetGroupStickinessConfig).toEqual({
        Enabled: true,
        DurationSeconds: 3600
      })
    }
  })
})

describe('ModifyRule', () => {
  it('replaces the whole action list exactly as sent and keeps conditions', async () => {
    sandbox.reset('oidc')
    const out = await modify([
      forward([
        [tg('blue-tg'), 90],
        [tg('green-tg'), 10]
      ])
    ])
    // The OIDC action was not sent, so it is gone: ELB does not merge.
    expect(out.Rules![0].Actions).toEqual([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: tg('blue-tg'), Weight: 90 },
            { TargetGroupArn: tg('green-tg'), Weight: 10 }
          ],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      }
    ])
    expect(out.Rules![0].Conditions![0].Values).toEqual(['/*'])
    expect(sandbox.world.rules[0].actions).toHaveLength(1)
  })

  it('round-trips an OIDC action with UseExistingClientSecret and extra params', async () => {
    sandbox.reset('oidc')
    const [oidc, fwd] = (await elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn()] })))
      .Rules![0].Actions!
    const sent: Action = {
      ...oidc,
      AuthenticateOidcConfig: {
        ...oidc.AuthenticateOidcConfig!,
        UseExistingClientSecret: true,
        AuthenticationRequestExtraParams: { prompt: 'login' }
      }
    }
    const out = await modify([sent, fwd])
    expect(
      out.Rules![0].Actions![0].AuthenticateOidcConfig!.AuthenticationRequestExtraParams
    ).toEqual({ prompt: 'login' })
    // Without the secret or the flag ELB refuses, because it never returns the secret.
    const err = await rejection(modify([oidc, fwd]))
    expect(err).toBeInstanceOf(ElasticLoadBalancingV2ServiceException)
    expect(err.name).toBe('ValidationError')
  })

  it('rejects a weight of 1000', async () => {
    const err = await rejection(
      modify([
        forward([
          [tg('blue-tg'), 1000],
          [tg('green-tg'), 0]
        ])
      ])
    )
    expect(err.name).toBe('ValidationError')
    expect(err.message).toMatch(/between 0 and 999/)
    expect(sandbox.world.rules[0].actions[0].ForwardConfig!.TargetGroups![0].Weight).toBe(100)
  })

  it('rejects six target groups in one forward', async () => {
    const six = Array.from({ length: 6 }, (): [string, number] => [tg('blue-tg'), 1])
    const err = await rejection(modify([forward(six)]))
    expect(err.name).toBe('ValidationError')
    expect(err.message).toMatch(/at most 5/)
  })

  it('rejects an unknown target group with TargetGroupNotFound', async () => {
    const unknown = tg('green-tg').replace('green-tg', 'gone-tg')
    const err = await rejection(
      modify([
        forward([
          [tg('blue-tg'), 50],
          [unknown, 50]
        ])
      ])
    )
    expect(err).toBeInstanceOf(TargetGroupNotFoundException)
  })

  it('rejects the default rule with OperationNotPermitted', async () => {
    const err = await rejection(
      elb.send(
        new ModifyRuleCommand({
          RuleArn: sandbox.world.listeners[0].defaultRuleArn,
          Actions: [forward([[tg('blue-tg'), 1]])]
        })
      )
    )
    expect(err).toBeInstanceOf(OperationNotPermittedException)
  })

  it('rejects an action list that does not end with its one terminal action', async () => {
    const fixed: Action = {
      Type: 'fixed-response',
      Order: 2,
      FixedResponseConfig: { StatusCode: '503' }
    }
    const err = await rejection(modify([forward([[tg('blue-tg'), 1]], { Order: 1 }), fixed]))
    expect(err).toBeInstanceOf(InvalidLoadBalancerActionException)
  })

  it('replaces conditions when sent', async () => {
    const out = await elb.send(
      new ModifyRuleCommand({
        RuleArn: ruleArn(),
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['example.com'] } }]
      })
    )
    expect(out.Rules![0].Conditions).toEqual([
      {
        Field: 'host-header',
        Values: ['example.com'],
        HostHeaderConfig: { Values: ['example.com'] }
      }
    ])
    expect(out.Rules![0].Actions![0].ForwardConfig!.TargetGroups).toHaveLength(2)
  })
})

describe('CreateRule, SetRulePriorities, DeleteRule', () => {
  it('creates, reprioritises and deletes a rule', async () => {
    const created = await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn(),
        Priority: 20,
        Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
        Actions: [forward([[tg('green-tg'), 1]])]
      })
    )
    const arn = created.Rules![0].RuleArn!
    expect(arn).toMatch(/listener-rule\/app\/myalb\/.+\/[0-9a-f]{16}$/)
    const duplicate = await rejection(
      elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn(),
          Priority: 20,
          Conditions: [{ Field: 'path-pattern', Values: ['/x'] }],
          Actions: [forward([[tg('green-tg'), 1]])]
        })
      )
    )
    expect(duplicate).toBeInstanceOf(PriorityInUseException)

    const swapped = await elb.send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: arn, Priority: 10 },
          { RuleArn: ruleArn(), Priority: 20 }
        ]
      })
    )
    expect(swapped.Rules!.map((r) => r.Priority)).toEqual(['10', '20'])

    await elb.send(new DeleteRuleCommand({ RuleArn: arn }))
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn() }))
    expect(rules.Rules!.map((r) => r.Priority)).toEqual(['20', 'default'])
    expect(await rejection(elb.send(new DeleteRuleCommand({ RuleArn: arn })))).toBeInstanceOf(
      RuleNotFoundException
    )
  })
})

describe('listeners and target groups', () => {
  it('DescribeListeners by load balancer and by ARN; ModifyListener replaces default actions', async () => {
    const lb = sandbox.world.loadBalancers[0].arn
    const byLb = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb }))
    expect(byLb.Listeners).toMatchObject([
      { ListenerArn: listenerArn(), Port: 80, Protocol: 'HTTP' }
    ])
    const modified = await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn(),
        DefaultActions: [forward([[tg('blue-tg'), 1]])]
      })
    )
    expect(modified.Listeners![0].DefaultActions![0].Type).toBe('forward')
    const byArn = await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn()] }))
    expect(byArn.Listeners![0].DefaultActions![0].ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: tg('blue-tg'), Weight: 1 }
    ])
    const missing = await rejection(
      elb.send(new DescribeListenersCommand({ ListenerArns: [`${listenerArn()}0`] }))
    )
    expect(missing).toBeInstanceOf(ListenerNotFoundException)
  })

  it('DescribeTargetGroups returns the load balancers that forward to each group', async () => {
    const out = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [tg('blue-tg'), tg('green-tg')] })
    )
    expect(out.TargetGroups!.map((g) => [g.TargetGroupName, g.LoadBalancerArns])).toEqual([
      ['blue-tg', [sandbox.world.loadBalancers[0].arn]],
      ['green-tg', [sandbox.world.loadBalancers[0].arn]]
    ])
    const missing = await rejection(
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [`${tg('blue-tg')}0`] }))
    )
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException)
  })
})

describe('DescribeTargetHealth', () => {
  const health = async (name: string) => {
    const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg(name) }))
    return out.TargetHealthDescriptions!
  }

  it('reports one healthy target per running task', async () => {
    const out = await health('green-tg')
    expect(out).toEqual([
      {
        Target: { Id: '10.0.2.1', Port: 80, AvailabilityZone: 'us-east-1a' },
        HealthCheckPort: '80',
        TargetHealth: { State: 'healthy' }
      },
      {
        Target: { Id: '10.0.2.2', Port: 80, AvailabilityZone: 'us-east-1b' },
        HealthCheckPort: '80',
        TargetHealth: { State: 'healthy' }
      }
    ])
  })

  it('follows the unhealthy, initial and flapping scenarios', async () => {
    sandbox.reset('unhealthy-canary')
    expect((await health('green-tg'))[0].TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [503]'
    })
    expect((await health('blue-tg'))[0].TargetHealth!.State).toBe('healthy')

    sandbox.world.targetGroups[1].health = 'initial'
    expect((await health('green-tg'))[0].TargetHealth!.Reason).toBe('Elb.InitialHealthChecking')

    sandbox.reset('flapping-canary')
    const states = []
    for (let i = 0; i < 4; i++) states.push((await health('green-tg'))[0].TargetHealth!.State)
    expect(states).toEqual(['healthy', 'unhealthy', 'healthy', 'unhealthy'])
  })

  it('reports unused for a group no load balancer forwards to, and for unregistered targets', async () => {
    sandbox.reset('no-shared-rule')
    expect((await health('green-tg'))[0].TargetHealth).toMatchObject({
      State: 'unused',
      Reason: 'Target.NotInUse'
    })
    const out = await elb.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: tg('blue-tg'),
        Targets: [{ Id: '10.9.9.9', Port: 80 }]
      })
    )
    expect(out.TargetHealthDescriptions![0].TargetHealth).toMatchObject({
      State: 'unused',
      Reason: 'Target.NotRegistered'
    })
  })
})
