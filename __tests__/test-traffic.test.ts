/**
 * src/routers/alb/test-rule.ts: the pure builders of the test-traffic rule. AlbTestTraffic
 * (src/routers/alb/test-traffic.ts), which applies them over ELB, is covered by the e2e tests.
 */
import { describe, expect, it } from '@jest/globals'
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { thrown } from '../__fixtures__/thrown.js'
import { StateError } from '../src/errors.js'
import type { RulePlacement } from '../src/routers/alb/placement.js'
import {
  choosePriority,
  sendableCondition,
  testActions,
  testConditions
} from '../src/routers/alb/test-rule.js'

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
