/**
 * src/routers/alb/test-rule.ts: the pure builders of the test-traffic rule, and
 * src/routers/alb/test-route-check.ts: which rules and listeners the service tags may lead the
 * action to change. AlbTestTraffic, which applies them over ELB, is covered by the SDK-mock tests
 * (progressive.test.ts) and the e2e tests.
 */
import { describe, expect, it } from '@jest/globals'
import type { Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { thrown } from '../__fixtures__/thrown.js'
import { StateError } from '../src/errors.js'
import type { RulePlacement } from '../src/routers/alb/placement.js'
import {
  choosePriority,
  sendableCondition,
  testActions,
  testConditions
} from '../src/routers/alb/test-rule.js'
import {
  assessTestRoute,
  loadBalancerArnOf,
  type TestRouteFacts
} from '../src/routers/alb/test-route-check.js'

const placement = (over: Partial<RulePlacement> = {}): RulePlacement => ({
  listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/a/l',
  priority: 10,
  conditions: [{ Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } }],
  preActions: [],
  ...over
})

describe('test rule builders', () => {
  it('sends one form of each condition', () => {
    expect(
      sendableCondition({
        Field: 'host-header',
        Values: ['a'],
        HostHeaderConfig: { Values: ['a'] }
      })
    ).toEqual({
      Field: 'host-header',
      HostHeaderConfig: { Values: ['a'] }
    })
    expect(sendableCondition({ Field: 'path-pattern', Values: ['/x'] })).toEqual({
      Field: 'path-pattern',
      Values: ['/x']
    })
  })

  it('keeps the weighted conditions and adds the header and the query', () => {
    expect(
      testConditions(placement(), {
        header: { name: 'X-T', value: '1' },
        query: { key: 'k', value: 'v' }
      })
    ).toEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-T', Values: ['1'] } },
      { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'k', Value: 'v' }] } }
    ])
  })

  it('keeps Cognito authentication before the canary forward', () => {
    const cognito = {
      Type: 'authenticate-cognito' as const,
      Order: 1,
      AuthenticateCognitoConfig: { UserPoolArn: 'p', UserPoolClientId: 'c', UserPoolDomain: 'd' }
    }
    expect(testActions(placement({ preActions: [cognito] }), 'tg-green')).toEqual([
      cognito,
      {
        Type: 'forward',
        Order: 2,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-green', Weight: 1 }] }
      }
    ])
  })

  it('refuses OIDC, whose secret a new rule would need', () => {
    const oidc = {
      Type: 'authenticate-oidc' as const,
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'i',
        AuthorizationEndpoint: 'a',
        TokenEndpoint: 't',
        UserInfoEndpoint: 'u',
        ClientId: 'c'
      }
    }
    expect(
      thrown(StateError, () => testActions(placement({ preActions: [oidc] }), 'tg')).message
    ).toMatch(/client secret/)
  })

  it.each([
    [10, [], undefined, 9],
    [10, [9, 8], undefined, 7],
    [10, [9], 3, 3],
    [undefined, [1, 2], undefined, 3]
  ])('priority above %s with %j taken (asked %s) is %i', (priority, taken, asked, expected) => {
    expect(choosePriority(placement({ priority }), taken, asked)).toBe(expected)
  })

  it('says to set test-rule-priority when nothing above the weighted rule is free', () => {
    expect(
      thrown(StateError, () => choosePriority(placement({ priority: 2 }), [1])).message
    ).toMatch(/Set "test-rule-priority"/)
  })

  it.each<[string, RuleCondition]>([
    ['host-header', { Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } }],
    ['path-pattern', { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
    [
      'http-header',
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-A', Values: ['1'] } }
    ],
    [
      'query-string',
      { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'k', Value: 'v' }] } }
    ],
    [
      'http-request-method',
      { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } }
    ],
    ['source-ip', { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }]
  ])('drops the legacy Values echoed beside a typed %s condition', (_field, typed) => {
    const echoed: RuleCondition = { ...typed, Values: ['echoed'] }
    expect(sendableCondition(echoed)).toEqual(typed)
    expect(sendableCondition(typed)).toEqual(typed)
    expect(echoed.Values).toEqual(['echoed'])
  })

  it('adds only the test conditions asked for, leaving the placement as it was', () => {
    const weighted = placement({
      conditions: [
        { Field: 'host-header', Values: ['a'], HostHeaderConfig: { Values: ['a'] } },
        { Field: 'path-pattern', Values: ['/x'] }
      ]
    })
    const before = structuredClone(weighted)
    expect(testConditions(weighted, { header: { name: 'X-T', value: '1' } })).toEqual([
      { Field: 'host-header', HostHeaderConfig: { Values: ['a'] } },
      { Field: 'path-pattern', Values: ['/x'] },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-T', Values: ['1'] } }
    ])
    expect(testConditions(weighted, { query: { key: 'k', value: 'v' } })).toEqual([
      { Field: 'host-header', HostHeaderConfig: { Values: ['a'] } },
      { Field: 'path-pattern', Values: ['/x'] },
      { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'k', Value: 'v' }] } }
    ])
    expect(testConditions(weighted, {})).toHaveLength(2)
    expect(weighted).toStrictEqual(before)
  })

  it('orders the canary forward after the last authentication action', () => {
    expect(testActions(placement(), 'tg-green')).toEqual([
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-green', Weight: 1 }] }
      }
    ])
    const cognito = {
      Type: 'authenticate-cognito' as const,
      Order: 7,
      AuthenticateCognitoConfig: { UserPoolArn: 'p', UserPoolClientId: 'c', UserPoolDomain: 'd' }
    }
    expect(testActions(placement({ preActions: [cognito] }), 'tg-blue').at(-1)?.Order).toBe(8)
  })

  it('takes a requested priority as given (ELB refuses a taken one), also on a default route', () => {
    expect(choosePriority(placement({ priority: undefined }), [1, 2, 3], 2)).toBe(2)
    expect(choosePriority(placement({ priority: undefined }), [1, 3], undefined)).toBe(2)
  })
})

const L1 = 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/a/l1'
const L2 = 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/a/l2'
const ruleOn = (listener: string, id: string) =>
  `${listener.replace(':listener/', ':listener-rule/')}/${id}`
const GROUPS = { Blue: 'tg-blue', Green: 'tg-green' }
const SERVICE = 'arn:aws:ecs:us-east-1:1:service/c/s'
const NAMES = {
  testRule: 'StableStackTestRule',
  testListener: 'StableStackTestListener',
  ruleMarker: 'StableStackTestRuleOf'
}
const forwardTo = (...groups: string[]) => [
  {
    Type: 'forward' as const,
    ForwardConfig: { TargetGroups: groups.map((TargetGroupArn) => ({ TargetGroupArn })) }
  }
]
const WEIGHTED: Rule = {
  RuleArn: ruleOn(L1, 'w'),
  Priority: '10',
  Actions: forwardTo('tg-blue', 'tg-green')
}
const TEST_RULE: Rule = { RuleArn: ruleOn(L1, 't'), Priority: '9', Actions: forwardTo('tg-green') }
const OTHER_RULE: Rule = { RuleArn: ruleOn(L1, 'o'), Priority: '5', Actions: forwardTo('tg-x') }

function facts(over: Partial<TestRouteFacts> = {}): TestRouteFacts {
  const rules = [WEIGHTED, TEST_RULE, OTHER_RULE]
  return {
    rules: {
      listenerArn: L1,
      rules,
      tags: new Map<string, Record<string, string>>([
        [WEIGHTED.RuleArn!, {}],
        [TEST_RULE.RuleArn!, { StableStackTestRuleOf: SERVICE }]
      ])
    },
    listeners: new Map([
      [
        L2,
        {
          ListenerArn: L2,
          LoadBalancerArn: loadBalancerArnOf(L1),
          DefaultActions: forwardTo('tg-blue')
        }
      ]
    ]),
    weightedRuleArn: WEIGHTED.RuleArn,
    targetGroups: GROUPS,
    serviceArn: SERVICE,
    names: NAMES,
    tagged: {},
    ...over
  }
}

describe('which test rules and listeners the action may change', () => {
  it('owns the marked rule of this service, found without any service tag', () => {
    const seen = assessTestRoute(facts())
    expect(seen.owned).toEqual([TEST_RULE])
    expect(seen.taggedRule).toBe('none')
    expect(seen.problems).toEqual([])
  })

  it('takes a tag naming the marked rule, and one naming a deleted rule of the listener', () => {
    expect(assessTestRoute(facts({ tagged: { rule: TEST_RULE.RuleArn } })).taggedRule).toBe('ours')
    const gone = assessTestRoute(facts({ tagged: { rule: ruleOn(L1, 'deleted') } }))
    expect(gone.taggedRule).toBe('gone')
    expect(gone.problems).toEqual([])
  })

  it.each([
    ['the weighted rule', WEIGHTED.RuleArn!, 'it is the weighted rule'],
    ['a rule to another target group', OTHER_RULE.RuleArn!, 'it forwards to tg-x, not only to'],
    ['a rule on another listener', ruleOn(L2, 'x'), "not on the weighted route's listener"],
    ['something that is no rule ARN', 'hello', "not on the weighted route's listener"]
  ])('refuses a tag naming %s', (_, arn, why) => {
    const seen = assessTestRoute(facts({ tagged: { rule: arn } }))
    expect(seen.taggedRule).toBe('suspect')
    expect(seen.owned).toEqual([TEST_RULE])
    expect(seen.problems).toHaveLength(1)
    expect(seen.problems[0]).toContain(
      `The service tag StableStackTestRule names listener rule ${arn}`
    )
    expect(seen.problems[0]).toContain(why)
    expect(seen.problems[0]).toContain(
      `aws ecs untag-resource --resource-arn ${SERVICE} --tag-keys StableStackTestRule`
    )
  })

  it("refuses a rule without the marker, or with another service's", () => {
    const base = facts()
    const unmarked = facts({
      rules: { ...base.rules, tags: new Map([[TEST_RULE.RuleArn!, {}]]) },
      tagged: { rule: TEST_RULE.RuleArn }
    })
    expect(assessTestRoute(unmarked).problems[0]).toContain(
      `it does not carry the tag StableStackTestRuleOf=${SERVICE}`
    )
    const theirs = facts({
      rules: {
        ...base.rules,
        tags: new Map([[TEST_RULE.RuleArn!, { StableStackTestRuleOf: `${SERVICE}2` }]])
      },
      tagged: { rule: TEST_RULE.RuleArn }
    })
    const seen = assessTestRoute(theirs)
    expect(seen.owned).toEqual([])
    expect(seen.problems[0]).toContain(`its tag StableStackTestRuleOf names ${SERVICE}2`)
  })

  it('orders several marked rules lowest priority first', () => {
    const low: Rule = { ...TEST_RULE, RuleArn: ruleOn(L1, 'low'), Priority: '3' }
    const base = facts()
    const seen = assessTestRoute(
      facts({
        rules: {
          ...base.rules,
          rules: [...base.rules.rules, low],
          tags: new Map([...base.rules.tags, [low.RuleArn!, { StableStackTestRuleOf: SERVICE }]])
        }
      })
    )
    expect(seen.owned.map((r) => r.Priority)).toEqual(['3', '9'])
  })

  it('points a test listener on the same load balancer; a deleted tagged one is gone', () => {
    const seen = assessTestRoute(facts({ tagged: { listener: L2 }, inputListener: L2 }))
    expect(seen.taggedListener).toBe('ours')
    expect([...seen.pointable.keys()]).toEqual([L2])
    const gone = assessTestRoute(facts({ tagged: { listener: L2 }, listeners: new Map() }))
    expect(gone.taggedListener).toBe('gone')
    expect(gone.problems).toEqual([])
  })

  it.each([
    ["the weighted route's listener", L1, {}, "it is the weighted route's own listener"],
    [
      'a listener on another load balancer',
      L2,
      { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/other/b' },
      "not the weighted route's"
    ],
    [
      'a listener forwarding elsewhere',
      L2,
      { DefaultActions: forwardTo('tg-x') },
      'its default action forwards to tg-x'
    ],
    [
      'a listener with no forward',
      L2,
      { DefaultActions: [{ Type: 'fixed-response' as const }] },
      'its default action has no forward action'
    ]
  ])('refuses a tag or input naming %s', (_, arn, change, why) => {
    const listener = { ...facts().listeners.get(L2)!, ListenerArn: arn, ...change }
    const listeners = new Map([[arn, listener]])
    const tagged = assessTestRoute(facts({ tagged: { listener: arn }, listeners }))
    expect(tagged.taggedListener).toBe('suspect')
    expect(tagged.problems[0]).toContain(`StableStackTestListener names listener ${arn}`)
    expect(tagged.problems[0]).toContain(why)
    const input = assessTestRoute(facts({ inputListener: arn, listeners }))
    expect(input.pointable.size).toBe(0)
    expect(input.problems[0]).toContain(`"test-listener-arn" names listener ${arn}`)
    expect(input.problems[0]).toContain(why)
  })

  it('says an input listener that does not exist was not found', () => {
    const seen = assessTestRoute(facts({ inputListener: L2, listeners: new Map() }))
    expect(seen.problems[0]).toContain('it was not found')
  })

  it('a listener ARN embeds its load balancer ARN', () => {
    expect(loadBalancerArnOf(L1)).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/lb/a'
    )
  })
})
