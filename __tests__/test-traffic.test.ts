import { describe, expect, it } from '@jest/globals'
import { thrown } from '../__fixtures__/thrown.js'
import { StateError } from '../src/errors.js'
import type { RulePlacement } from '../src/routers/router.js'
import {
  choosePriority,
  sendableCondition,
  testActions,
  testConditions
} from '../src/routers/test-traffic.js'

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
})
