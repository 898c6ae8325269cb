/**
 * World variants for tests: each is a small edit of the default world, so a test names the one
 * thing that differs. Names can be combined with '+', e.g. `oidc+stickiness`.
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  defaultWorld,
  elbArn,
  findService,
  findTargetGroup,
  weightedForward,
  type TaskSetState,
  type World
} from './world.js'

type Variant = (world: World) => void

const blue = (w: World) => findTargetGroup(w, 'blue-tg')!.arn
const green = (w: World) => findTargetGroup(w, 'green-tg')!.arn
const weightedRule = (w: World) => w.rules[0]
const weightedForwardAction = (w: World) =>
  weightedRule(w).actions.find((a) => a.Type === 'forward')!
const canaryTaskSet = (w: World): TaskSetState => findService(w)!.taskSets[1]

const dropOutput = (w: World, key: string) => {
  const stack = w.stacks[0]
  stack.outputs = stack.outputs.filter((o) => o.OutputKey !== key)
}

export const variants = {
  default: () => undefined,

  /** An authenticate-oidc action runs before the weighted forward (Order 1, then 2). */
  oidc: (w) => {
    const oidc: Action = {
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp.example.com',
        AuthorizationEndpoint: 'https://idp.example.com/authorize',
        TokenEndpoint: 'https://idp.example.com/token',
        UserInfoEndpoint: 'https://idp.example.com/userinfo',
        ClientId: 'sandbox-client',
        SessionCookieName: 'AWSELBAuthSessionCookie',
        Scope: 'openid',
        SessionTimeout: 604800,
        OnUnauthenticatedRequest: 'authenticate'
      }
    }
    weightedRule(w).actions = [oidc, { ...weightedForwardAction(w), Order: 2 }]
  },

  /** Group-level stickiness is on; a weight change must keep it. */
  stickiness: (w) => {
    const config = weightedForwardAction(w).ForwardConfig!
    config.TargetGroupStickinessConfig = { Enabled: true, DurationSeconds: 3600 }
  },

  /** The rule forwards in the pre-2019 form: a single TargetGroupArn and no ForwardConfig. */
  'legacy-forward': (w) => {
    weightedRule(w).actions = [{ Type: 'forward', TargetGroupArn: blue(w) }]
  },

  /** The weighted forward names a third target group besides Blue and Green. */
  'third-target-group': (w) => {
    const arn = elbArn(w.region, w.accountId, 'targetgroup/extra-tg/5e1c7a9b3d2f4e60')
    w.targetGroups.push({ ...findTargetGroup(w, 'blue-tg')!, name: 'extra-tg', arn, targets: [] })
    weightedForwardAction(w).ForwardConfig!.TargetGroups!.push({ TargetGroupArn: arn, Weight: 0 })
  },

  'missing-tag': (w) => {
    findService(w)!.tags = []
  },

  'wrong-tag-value': (w) => {
    findService(w)!.tags = [{ key: 'StableStack', value: 'blue' }]
  },

  'no-listener-rule-output': (w) => dropOutput(w, 'ListenerRule'),

  'missing-green-tg-output': (w) => dropOutput(w, 'GreenTargetGroup'),

  /** A second rule also forwards to both groups, so discovery by target groups is ambiguous. */
  'two-rules': (w) => {
    const first = weightedRule(w)
    w.rules.push({
      arn: first.arn.replace(/[0-9a-f]{16}$/, '4b6d0f1e2a3c5d7e'),
      listenerArn: first.listenerArn,
      priority: 20,
      conditions: [
        { Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }
      ],
      actions: [
        weightedForward([
          { arn: blue(w), weight: 100 },
          { arn: green(w), weight: 0 }
        ])
      ]
    })
  },

  /** No rule forwards to both groups: the only rule forwards to Blue alone. */
  'no-shared-rule': (w) => {
    weightedRule(w).actions = [weightedForward([{ arn: blue(w), weight: 1 }])]
  },

  /** The service uses the ECS rolling-update controller, which has deployments, not task sets. */
  'rolling-update': (w) => {
    const service = findService(w)!
    service.deploymentController = 'ECS'
    service.taskDefinition = service.taskSets[0].taskDefinition
    service.taskSets = []
  },

  'unhealthy-canary': (w) => {
    findTargetGroup(w, 'green-tg')!.health = 'unhealthy'
  },

  'flapping-canary': (w) => {
    findTargetGroup(w, 'green-tg')!.health = 'flapping'
  },

  /** Green starts STABILIZING with no running tasks and takes 2 s (per task set) to settle. */
  'slow-canary': (w) => {
    Object.assign(canaryTaskSet(w), {
      stabilityStatus: 'STABILIZING',
      runningCount: 0,
      pendingCount: 2,
      stabilizeDelayMs: 2000
    } satisfies Partial<TaskSetState>)
  }
} satisfies Record<string, Variant>

export type VariantName = keyof typeof variants

export const variantNames = Object.keys(variants) as VariantName[]

/** Builds a fresh world from a variant name, several joined by '+', or returns a copy of a world. */
export function buildWorld(spec: World | string = 'default'): World {
  if (typeof spec !== 'string') return structuredClone(spec)
  const world = defaultWorld()
  for (const name of spec.split('+')) {
    const variant = (variants as Record<string, Variant>)[name.trim()]
    if (!variant) {
      throw new Error(`Unknown sandbox world "${name}". Known: ${variantNames.join(', ')}`)
    }
    variant(world)
  }
  return world
}
