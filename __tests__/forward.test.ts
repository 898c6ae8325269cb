/**
 * src/routers/alb/forward.ts: reading and rewriting the two colours' weights in an ALB action
 * list, and pointing its forward at one target group, with everything else in the list left
 * exactly as it was.
 */
import { describe, expect, it } from '@jest/globals'
import type { Action, TargetGroupTuple } from '@aws-sdk/client-elastic-load-balancing-v2'
import fc from 'fast-check'
import { COLORS, type Color, type PerColor } from '../src/color.js'
import { StateError } from '../src/errors.js'
import {
  forwardOnlyTo,
  readForwardWeights,
  rewriteForwardWeights
} from '../src/routers/alb/forward.js'
import { thrown } from '../__fixtures__/thrown.js'

const ACCOUNT = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
const TG: PerColor<string> = {
  Blue: `${ACCOUNT}:targetgroup/blue/1111`,
  Green: `${ACCOUNT}:targetgroup/green/2222`
}
const OTHER_TG = `${ACCOUNT}:targetgroup/other/3333`
const WHERE = 'Rule r1'

const oidc: Action = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/auth',
    TokenEndpoint: 'https://idp.example.com/token',
    UserInfoEndpoint: 'https://idp.example.com/userinfo',
    ClientId: 'client',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    Scope: 'openid',
    SessionTimeout: 604800,
    OnUnauthenticatedRequest: 'authenticate'
  }
}

function weighted(entries: TargetGroupTuple[], extra: Partial<Action> = {}): Action {
  return { Type: 'forward', ForwardConfig: { TargetGroups: entries }, ...extra }
}

const failure = (run: () => unknown) => thrown(StateError, run)

function deepCopy<T>(value: T): T {
  return structuredClone(value)
}

describe('readForwardWeights', () => {
  it.each<[string, Action[], PerColor<number>]>([
    [
      'a weighted forward, Blue first',
      [
        weighted([
          { TargetGroupArn: TG.Blue, Weight: 90 },
          { TargetGroupArn: TG.Green, Weight: 10 }
        ])
      ],
      { Blue: 90, Green: 10 }
    ],
    [
      'a weighted forward, Green first',
      [
        weighted([
          { TargetGroupArn: TG.Green, Weight: 995 },
          { TargetGroupArn: TG.Blue, Weight: 5 }
        ])
      ],
      { Blue: 5, Green: 995 }
    ],
    [
      'zero weights',
      [
        weighted([
          { TargetGroupArn: TG.Blue, Weight: 0 },
          { TargetGroupArn: TG.Green, Weight: 0 }
        ])
      ],
      { Blue: 0, Green: 0 }
    ],
    [
      'a missing Weight counts as 1',
      [weighted([{ TargetGroupArn: TG.Blue }, { TargetGroupArn: TG.Green, Weight: 3 }])],
      { Blue: 1, Green: 3 }
    ],
    [
      'a forward after an authenticate action',
      [
        oidc,
        weighted(
          [
            { TargetGroupArn: TG.Blue, Weight: 1 },
            { TargetGroupArn: TG.Green, Weight: 2 }
          ],
          { Order: 2 }
        )
      ],
      { Blue: 1, Green: 2 }
    ],
    [
      'the legacy single form naming Blue',
      [{ Type: 'forward', TargetGroupArn: TG.Blue }],
      { Blue: 1, Green: 0 }
    ],
    [
      'the legacy form naming Green as AWS describes it (TargetGroupArn plus one-entry config)',
      [
        {
          Type: 'forward',
          TargetGroupArn: TG.Green,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG.Green, Weight: 1 }] }
        }
      ],
      { Blue: 0, Green: 1 }
    ],
    [
      'a legacy TargetGroupArn with an empty config',
      [{ Type: 'forward', TargetGroupArn: TG.Green, ForwardConfig: { TargetGroups: [] } }],
      { Blue: 0, Green: 1 }
    ]
  ])('%s', (_name, actions, expected) => {
    expect(readForwardWeights(actions, TG, WHERE)).toEqual(expected)
  })

  it('refuses a forward that also names a foreign target group', () => {
    const error = failure(() =>
      readForwardWeights(
        [
          weighted([
            { TargetGroupArn: TG.Blue, Weight: 50 },
            { TargetGroupArn: TG.Green, Weight: 25 },
            { TargetGroupArn: OTHER_TG, Weight: 25 }
          ])
        ],
        TG,
        WHERE
      )
    )
    expect(error.message).toContain(WHERE)
    expect(error.message).toContain(OTHER_TG)
    expect(error.message).toContain(TG.Blue)
    expect(error.message).toContain(TG.Green)
  })

  it('refuses a legacy forward to a foreign target group', () => {
    const error = failure(() =>
      readForwardWeights([{ Type: 'forward', TargetGroupArn: OTHER_TG }], TG, WHERE)
    )
    expect(error.message).toContain(OTHER_TG)
  })

  it.each(COLORS)('refuses a weighted forward that leaves out %s', (missing) => {
    const present: Color = missing === 'Blue' ? 'Green' : 'Blue'
    const actions = [weighted([{ TargetGroupArn: TG[present], Weight: 1 }])]
    const error = failure(() => readForwardWeights(actions, TG, WHERE))
    expect(error.message).toContain(`does not forward to the ${missing} target group`)
    expect(error.message).toContain(TG[missing])
    expect(error.message).toContain(`"${missing.toLowerCase()}-target-group"`)
  })

  it.each<[string, Action[], string]>([
    ['no actions', [], 'none'],
    [
      'only a fixed response',
      [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }],
      'fixed-response'
    ],
    [
      'an authenticate action and a redirect',
      [oidc, { Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }],
      'authenticate-oidc, redirect'
    ]
  ])('refuses %s: no forward action', (_name, actions, types) => {
    const error = failure(() => readForwardWeights(actions, TG, WHERE))
    expect(error.message).toContain(`${WHERE} has no forward action`)
    expect(error.message).toContain(`(its actions: ${types})`)
  })

  it('refuses two forward actions', () => {
    const fwd = weighted([
      { TargetGroupArn: TG.Blue, Weight: 1 },
      { TargetGroupArn: TG.Green, Weight: 1 }
    ])
    expect(failure(() => readForwardWeights([fwd, fwd], TG, WHERE)).message).toContain(
      'more than one forward'
    )
  })

  it('refuses a forward with no target group at all', () => {
    expect(failure(() => readForwardWeights([{ Type: 'forward' }], TG, WHERE)).message).toContain(
      'no target group'
    )
  })
})

describe('rewriteForwardWeights', () => {
  it('rewrites the weights of a weighted forward in place', () => {
    const actions = [
      oidc,
      weighted(
        [
          { TargetGroupArn: TG.Green, Weight: 0 },
          { TargetGroupArn: TG.Blue, Weight: 100 }
        ],
        { Order: 2 }
      )
    ]
    const result = rewriteForwardWeights(actions, TG, { Blue: 90, Green: 10 })
    expect(result).toEqual([
      oidc,
      weighted(
        [
          { TargetGroupArn: TG.Green, Weight: 10 },
          { TargetGroupArn: TG.Blue, Weight: 90 }
        ],
        { Order: 2 }
      )
    ])
    expect(result[0]).toBe(oidc)
  })

  it('turns the legacy form into a ForwardConfig naming both colours, dropping TargetGroupArn', () => {
    const actions: Action[] = [
      {
        Type: 'forward',
        Order: 1,
        TargetGroupArn: TG.Blue,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: TG.Blue, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      }
    ]
    expect(rewriteForwardWeights(actions, TG, { Blue: 95, Green: 5 })).toEqual([
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: TG.Blue, Weight: 95 },
            { TargetGroupArn: TG.Green, Weight: 5 }
          ],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      }
    ])
  })

  it('refuses an action list with no forward', () => {
    expect(() => rewriteForwardWeights([oidc], TG, { Blue: 1, Green: 0 })).toThrow(StateError)
  })
})

describe('forwardOnlyTo', () => {
  it.each<[string, Action]>([
    ['a weighted forward naming only it', weighted([{ TargetGroupArn: TG.Green, Weight: 1 }])],
    ['the legacy single form', { Type: 'forward', TargetGroupArn: TG.Green }],
    [
      'the legacy form as AWS describes it',
      {
        Type: 'forward',
        TargetGroupArn: TG.Green,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG.Green, Weight: 1 }] }
      }
    ],
    [
      'a legacy TargetGroupArn with an empty config',
      { Type: 'forward', TargetGroupArn: TG.Green, ForwardConfig: { TargetGroups: [] } }
    ]
  ])('writes nothing when the forward already sends everything there: %s', (_name, forward) => {
    expect(forwardOnlyTo([oidc, forward], TG.Green, WHERE)).toBeUndefined()
  })

  it('points a weighted forward at one group, keeping every other action and field', () => {
    const actions = [
      oidc,
      weighted(
        [
          { TargetGroupArn: TG.Blue, Weight: 90 },
          { TargetGroupArn: TG.Green, Weight: 10 }
        ],
        { Order: 2 }
      )
    ]
    actions[1].ForwardConfig = {
      ...actions[1].ForwardConfig,
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 }
    }
    const original = deepCopy(actions)
    const result = forwardOnlyTo(actions, TG.Green, WHERE)
    expect(result).toEqual([
      oidc,
      {
        Type: 'forward',
        Order: 2,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: TG.Green, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 }
        }
      }
    ])
    expect(result?.[0]).toBe(oidc)
    expect(actions).toStrictEqual(original)
  })

  it('moves the legacy form to the other group, dropping TargetGroupArn', () => {
    const result = forwardOnlyTo(
      [{ Type: 'forward', Order: 1, TargetGroupArn: TG.Blue }],
      TG.Green,
      WHERE
    )
    expect(result).toEqual([
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG.Green, Weight: 1 }] }
      }
    ])
    expect(result?.[0].TargetGroupArn).toBeUndefined()
  })

  it('rewrites a forward that names the group beside another one, even at weight 0', () => {
    const actions = [
      weighted([
        { TargetGroupArn: TG.Green, Weight: 1 },
        { TargetGroupArn: TG.Blue, Weight: 0 }
      ])
    ]
    expect(forwardOnlyTo(actions, TG.Green, WHERE)).toEqual([
      weighted([{ TargetGroupArn: TG.Green, Weight: 1 }])
    ])
  })

  it.each<[string, Action[], string]>([
    ['no forward', [oidc], `${WHERE} has no forward action (its actions: authenticate-oidc)`],
    [
      'two forwards',
      [
        { Type: 'forward', TargetGroupArn: TG.Blue },
        { Type: 'forward', TargetGroupArn: TG.Green }
      ],
      `${WHERE} has more than one forward action`
    ],
    ['a forward with no target group', [{ Type: 'forward' }], 'no target group']
  ])('refuses an action list with %s, naming where', (_name, actions, message) => {
    expect(failure(() => forwardOnlyTo(actions, TG.Green, WHERE)).message).toContain(message)
  })
})

// ---------------------------------------------------------------------------------------------
// Property tests over generated action lists.

const weight = fc.integer({ min: 0, max: 999 })
const newWeights = fc.record({ Blue: weight, Green: weight })
const text = fc.string({ minLength: 1, maxLength: 12 })

const oidcAction: fc.Arbitrary<Action> = fc.record(
  {
    Type: fc.constant('authenticate-oidc' as const),
    Order: fc.integer({ min: 1, max: 50000 }),
    AuthenticateOidcConfig: fc.record(
      {
        Issuer: fc.webUrl(),
        AuthorizationEndpoint: fc.webUrl(),
        TokenEndpoint: fc.webUrl(),
        UserInfoEndpoint: fc.webUrl(),
        ClientId: text,
        Scope: text,
        SessionTimeout: fc.integer({ min: 1, max: 604800 }),
        AuthenticationRequestExtraParams: fc.dictionary(text, text, {
          maxKeys: 2,
          noNullPrototype: true
        }),
        OnUnauthenticatedRequest: fc.constantFrom('deny', 'allow', 'authenticate' as const)
      },
      {
        requiredKeys: [
          'Issuer',
          'AuthorizationEndpoint',
          'TokenEndpoint',
          'UserInfoEndpoint',
          'ClientId'
        ],
        noNullPrototype: true
      }
    )
  },
  { requiredKeys: ['Type', 'AuthenticateOidcConfig'], noNullPrototype: true }
)

const cognitoAction: fc.Arbitrary<Action> = fc.record(
  {
    Type: fc.constant('authenticate-cognito' as const),
    Order: fc.integer({ min: 1, max: 50000 }),
    AuthenticateCognitoConfig: fc.record(
      {
        UserPoolArn: text.map((s) => `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${s}`),
        UserPoolClientId: text,
        UserPoolDomain: text,
        SessionCookieName: text,
        SessionTimeout: fc.integer({ min: 1, max: 604800 })
      },
      { requiredKeys: ['UserPoolArn', 'UserPoolClientId', 'UserPoolDomain'], noNullPrototype: true }
    )
  },
  { requiredKeys: ['Type', 'AuthenticateCognitoConfig'], noNullPrototype: true }
)

const stickiness = fc.record(
  { Enabled: fc.boolean(), DurationSeconds: fc.integer({ min: 1, max: 604800 }) },
  { requiredKeys: [], noNullPrototype: true }
)

/** A forward naming both colours, in either order, with weights that may be left out. */
const weightedForward: fc.Arbitrary<Action> = fc
  .record(
    {
      blueFirst: fc.boolean(),
      blue: fc.option(weight, { nil: undefined }),
      green: fc.option(weight, { nil: undefined }),
      stickiness: fc.option(stickiness, { nil: undefined }),
      order: fc.option(fc.integer({ min: 1, max: 50000 }), { nil: undefined })
    },
    { requiredKeys: ['blueFirst', 'blue', 'green', 'stickiness', 'order'] }
  )
  .map(({ blueFirst, blue, green, stickiness, order }) => {
    const entry = (color: Color, w: number | undefined): TargetGroupTuple =>
      w === undefined ? { TargetGroupArn: TG[color] } : { TargetGroupArn: TG[color], Weight: w }
    const entries = blueFirst
      ? [entry('Blue', blue), entry('Green', green)]
      : [entry('Green', green), entry('Blue', blue)]
    return {
      Type: 'forward' as const,
      ...(order === undefined ? {} : { Order: order }),
      ForwardConfig: {
        TargetGroups: entries,
        ...(stickiness === undefined ? {} : { TargetGroupStickinessConfig: stickiness })
      }
    }
  })

/** The legacy single-target-group forward, bare or as DescribeRules reports it. */
const legacyForward: fc.Arbitrary<Action> = fc
  .record({
    color: fc.constantFrom<Color>(...COLORS),
    shape: fc.constantFrom('bare', 'described', 'empty-config'),
    stickiness: fc.option(stickiness, { nil: undefined }),
    order: fc.option(fc.integer({ min: 1, max: 50000 }), { nil: undefined })
  })
  .map(({ color, shape, stickiness, order }) => {
    const sticky = stickiness === undefined ? {} : { TargetGroupStickinessConfig: stickiness }
    const action: Action = {
      Type: 'forward',
      TargetGroupArn: TG[color],
      ...(order === undefined ? {} : { Order: order })
    }
    if (shape === 'described') {
      action.ForwardConfig = { TargetGroups: [{ TargetGroupArn: TG[color], Weight: 1 }], ...sticky }
    } else if (shape === 'empty-config') {
      action.ForwardConfig = { TargetGroups: [], ...sticky }
    }
    return action
  })

const actionList = fc
  .record({
    before: fc.array(fc.oneof(oidcAction, cognitoAction), { maxLength: 2 }),
    forward: fc.oneof(weightedForward, legacyForward)
  })
  .map(({ before, forward }) => ({ actions: [...before, forward], index: before.length }))

function arnsOf(action: Action): string[] {
  const configured = action.ForwardConfig?.TargetGroups ?? []
  if (configured.length > 0) return configured.map((e) => e.TargetGroupArn ?? '')
  return action.TargetGroupArn ? [action.TargetGroupArn] : []
}

/** The forward without the parts a rewrite may change. */
function unchangedPart(action: Action): unknown {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { TargetGroupArn, ForwardConfig, ...rest } = action
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { TargetGroups, ...config } = ForwardConfig ?? {}
  return { rest, config }
}

describe('rewriteForwardWeights properties', () => {
  const runs = { numRuns: 200 }

  it('(1) rewrite then read gives exactly the new weights', () => {
    fc.assert(
      fc.property(actionList, newWeights, ({ actions }, weights) => {
        const rewritten = rewriteForwardWeights(actions, TG, weights)
        expect(readForwardWeights(rewritten, TG, WHERE)).toEqual(weights)
      }),
      runs
    )
  })

  it('(2) every action other than the forward is unchanged and in place', () => {
    fc.assert(
      fc.property(actionList, newWeights, ({ actions, index }, weights) => {
        const original = deepCopy(actions)
        const rewritten = rewriteForwardWeights(actions, TG, weights)
        expect(rewritten).toHaveLength(original.length)
        rewritten.forEach((action, i) => {
          if (i !== index) expect(action).toStrictEqual(original[i])
        })
        expect(rewritten[index].Type).toBe('forward')
      }),
      runs
    )
  })

  it('(3) the forward keeps Type, Order, stickiness and every other field', () => {
    fc.assert(
      fc.property(actionList, newWeights, ({ actions, index }, weights) => {
        const before = actions[index]
        const after = rewriteForwardWeights(actions, TG, weights)[index]
        expect(after.TargetGroupArn).toBeUndefined()
        expect(unchangedPart(after)).toStrictEqual(unchangedPart(before))
        expect(after.Order).toBe(before.Order)
        expect(after.ForwardConfig?.TargetGroupStickinessConfig).toStrictEqual(
          before.ForwardConfig?.TargetGroupStickinessConfig
        )
        // Entries change in Weight only.
        for (const entry of after.ForwardConfig?.TargetGroups ?? []) {
          expect(Object.keys(entry).sort()).toEqual(['TargetGroupArn', 'Weight'])
        }
      }),
      runs
    )
  })

  it('(4) the target groups are exactly the two colours, in their original order', () => {
    fc.assert(
      fc.property(actionList, newWeights, ({ actions, index }, weights) => {
        const before = arnsOf(actions[index])
        const after = (rewriteForwardWeights(actions, TG, weights)[index].ForwardConfig
          ?.TargetGroups ?? []) as TargetGroupTuple[]
        const arns = after.map((e) => e.TargetGroupArn)
        expect([...arns].sort()).toEqual([TG.Blue, TG.Green].sort())
        expect(arns.slice(0, before.length)).toEqual(before)
        for (const entry of after) {
          const color = COLORS.find((c) => TG[c] === entry.TargetGroupArn) as Color
          expect(entry.Weight).toBe(weights[color])
        }
      }),
      runs
    )
  })

  it('(5) the input array is not mutated', () => {
    fc.assert(
      fc.property(actionList, newWeights, ({ actions }, weights) => {
        const original = deepCopy(actions)
        const forward = actions.find((a) => a.Type === 'forward')
        const entries = forward?.ForwardConfig?.TargetGroups
        rewriteForwardWeights(actions, TG, weights)
        expect(actions).toStrictEqual(original)
        expect(forward?.ForwardConfig?.TargetGroups).toBe(entries)
      }),
      runs
    )
  })

  it('reading a generated list gives its weights', () => {
    fc.assert(
      fc.property(actionList, ({ actions, index }) => {
        const forward = actions[index]
        const configured = forward.ForwardConfig?.TargetGroups ?? []
        const expected: PerColor<number> = { Blue: 0, Green: 0 }
        if (configured.length === 0) {
          const color = COLORS.find((c) => TG[c] === forward.TargetGroupArn) as Color
          expected[color] = 1
        } else {
          for (const entry of configured) {
            const color = COLORS.find((c) => TG[c] === entry.TargetGroupArn) as Color
            expected[color] = entry.Weight ?? 1
          }
        }
        expect(readForwardWeights(actions, TG, WHERE)).toEqual(expected)
      }),
      runs
    )
  })

  it('rewriting twice is the same as rewriting once with the last weights', () => {
    fc.assert(
      fc.property(actionList, newWeights, newWeights, ({ actions }, first, second) => {
        const twice = rewriteForwardWeights(rewriteForwardWeights(actions, TG, first), TG, second)
        expect(twice).toStrictEqual(rewriteForwardWeights(actions, TG, second))
      }),
      runs
    )
  })
})

describe('forwardOnlyTo properties', () => {
  const runs = { numRuns: 200 }
  const target = fc.constantFrom<Color>(...COLORS)

  it('leaves the forward naming that one group alone, and a second call has nothing to do', () => {
    fc.assert(
      fc.property(actionList, target, ({ actions, index }, color) => {
        const original = deepCopy(actions)
        const result = forwardOnlyTo(actions, TG[color], WHERE) ?? actions
        expect(arnsOf(result[index])).toEqual([TG[color]])
        expect(result[index].Type).toBe('forward')
        expect(forwardOnlyTo(result, TG[color], WHERE)).toBeUndefined()
        // Every other action stays as it was and where it was; the input is not mutated.
        expect(result).toHaveLength(original.length)
        result.forEach((action, i) => {
          if (i !== index) expect(action).toStrictEqual(original[i])
        })
        expect(actions).toStrictEqual(original)
      }),
      runs
    )
  })

  it('writes only when the forward names anything but that one group', () => {
    fc.assert(
      fc.property(actionList, target, ({ actions, index }, color) => {
        const named = arnsOf(actions[index])
        const result = forwardOnlyTo(actions, TG[color], WHERE)
        expect(result === undefined).toBe(named.length === 1 && named[0] === TG[color])
        if (result) {
          const before = actions[index]
          const after = result[index]
          expect(after.TargetGroupArn).toBeUndefined()
          expect(unchangedPart(after)).toStrictEqual(unchangedPart(before))
          expect(after.ForwardConfig?.TargetGroups).toEqual([
            { TargetGroupArn: TG[color], Weight: 1 }
          ])
        }
      }),
      runs
    )
  })
})
