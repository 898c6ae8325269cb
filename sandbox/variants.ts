/**
 * World variants for tests: each is a small edit of the default world, so a test names the one
 * thing that differs. Names can be combined with '+', e.g. `oidc+stickiness`.
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import { evaluateComposites } from './alarms.js'
import { addRollingShape } from './rolling-world.js'
import { addRoute53Shape } from './route53-world.js'
import { addSwapServicesShape } from './swap-world.js'
import {
  alarmArn,
  defaultWorld,
  elbArn,
  findService,
  findTargetGroup,
  weightedForward,
  type AlarmState,
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

const WORLD_CREATED = Date.parse('2026-01-01T00:00:00Z')

/** The `LoadBalancer` / `TargetGroup` dimension values CloudWatch uses for ALB metrics. */
const albDimension = (w: World) => w.loadBalancers[0].arn.split(':loadbalancer/')[1]
const tgDimension = (w: World, name: string) => findTargetGroup(w, name)!.arn.split(':').pop()!

function metricAlarm(
  w: World,
  name: string,
  state: AlarmState['state'],
  stateReason: string,
  metric: Pick<
    NonNullable<AlarmState['metric']>,
    'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'threshold' | 'comparisonOperator'
  > &
    Partial<NonNullable<AlarmState['metric']>>
): AlarmState {
  return {
    name,
    arn: alarmArn(w.region, w.accountId, name),
    type: 'MetricAlarm',
    state,
    stateReason,
    stateUpdatedAt: WORLD_CREATED,
    stateTransitionedAt: WORLD_CREATED,
    configurationUpdatedAt: WORLD_CREATED,
    actionsEnabled: true,
    alarmActions: [`arn:aws:sns:${w.region}:${w.accountId}:myservice-alerts`],
    okActions: [],
    insufficientDataActions: [],
    metric: { period: 60, evaluationPeriods: 1, treatMissingData: 'notBreaching', ...metric }
  }
}

function addAlarms(w: World): void {
  if (w.alarms.some((a) => a.name === 'myservice-5xx')) return
  const alb = albDimension(w)
  const green = tgDimension(w, 'green-tg')
  w.alarms.push(
    metricAlarm(
      w,
      'myservice-5xx',
      'OK',
      'Threshold Crossed: 1 datapoint [0.0 (01/01/26 00:00:00)] was not greater than or equal to the threshold (5.0).',
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: [
          { name: 'LoadBalancer', value: alb },
          { name: 'TargetGroup', value: green }
        ],
        statistic: 'Sum',
        threshold: 5,
        comparisonOperator: 'GreaterThanOrEqualToThreshold'
      }
    ),
    metricAlarm(
      w,
      'myservice-latency',
      'OK',
      'Threshold Crossed: 2 out of the last 3 datapoints [0.12 (01/01/26 00:00:00), 0.1 (01/01/26 23:59:00)] were not greater than the threshold (1.0).',
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [
          { name: 'LoadBalancer', value: alb },
          { name: 'TargetGroup', value: green }
        ],
        statistic: 'Average',
        unit: 'Seconds',
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: 1,
        comparisonOperator: 'GreaterThanThreshold'
      }
    ),
    metricAlarm(
      w,
      'myservice-canary-errors',
      'INSUFFICIENT_DATA',
      'Insufficient Data: 1 datapoint was unknown.',
      {
        namespace: 'MyService',
        metricName: 'CanaryErrors',
        dimensions: [{ name: 'Service', value: 'myservice' }],
        statistic: 'Sum',
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'missing'
      }
    )
  )
}

function addApiRule(w: World): void {
  const first = weightedRule(w)
  w.rules.push({
    arn: first.arn.replace(/[0-9a-f]{16}$/, '7a1c3e5f2b4d6e80'),
    listenerArn: first.listenerArn,
    priority: 5,
    conditions: [
      { Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }
    ],
    actions: [structuredClone(weightedForwardAction(w))]
  })
}

export const variants = {
  default: () => undefined,

  /** A plain rolling (ECS controller) service `web` behind one ip target group (rolling-world.ts). */
  rolling: addRollingShape,

  /** Two services of the ECS controller, one per colour, behind Route 53 weighted records. */
  route53: addRoute53Shape,

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

  /** A second weighted rule, `/api/*` at priority 5 (before `/*`), forwarding to both groups at
   * the same weights: routes that move in lockstep, each reached by its own requests. */
  'api-rule': addApiRule,

  /** The `api-rule` variant with the `/api/*` rule set apart by hand: Blue 90, Green 10. */
  'api-rule-apart': (w) => {
    addApiRule(w)
    w.rules.find((r) => r.priority === 5)!.actions = [
      weightedForward([
        { arn: blue(w), weight: 90 },
        { arn: green(w), weight: 10 }
      ])
    ]
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
  },

  /** CloudWatch alarms: `myservice-5xx` and `myservice-latency` (ALB metrics of green-tg) in OK,
   * `myservice-canary-errors` (custom metric) in INSUFFICIENT_DATA. */
  alarms: addAlarms,

  /** The `alarms` variant plus a composite alarm `myservice-canary-gate` with the rule
   * `ALARM("myservice-5xx") OR ALARM("myservice-latency")` (OK until a child alarms). */
  'composite-alarm': (w) => {
    addAlarms(w)
    w.alarms.push({
      name: 'myservice-canary-gate',
      arn: alarmArn(w.region, w.accountId, 'myservice-canary-gate'),
      type: 'CompositeAlarm',
      description: 'Any canary alarm',
      state: 'OK',
      stateReason: 'Composite alarm rule evaluated to FALSE',
      stateUpdatedAt: WORLD_CREATED,
      stateTransitionedAt: WORLD_CREATED,
      configurationUpdatedAt: WORLD_CREATED,
      actionsEnabled: true,
      alarmActions: [],
      okActions: [],
      insufficientDataActions: [],
      alarmRule: 'ALARM("myservice-5xx") OR ALARM("myservice-latency")'
    })
    evaluateComposites(w, WORLD_CREATED)
  },

  /** The listener-swap shape: no weighted rule; the production listener (HTTP:80) forwards to
   * blue-tg alone and the `test-listener` (HTTP:8443) to blue-tg too, as a new setup starts. */
  'listener-swap': (w) => {
    variants['test-listener'](w)
    w.rules = []
    w.listeners[0].defaultActions = structuredClone(w.listeners[1].defaultActions)
    dropOutput(w, 'ListenerRule')
  },

  /** The listener swap between two services of the ECS controller (`sandbox/swap-world.ts`). */
  'swap-services': (w) => {
    variants['listener-swap'](w)
    addSwapServicesShape(w)
  },

  /** A second (test) listener, HTTP:8443 on the same ALB, whose default action forwards to
   * blue-tg only (the stable colour), in the shape ELB reports a simple forward: TargetGroupArn
   * plus a one-group ForwardConfig. The stack gains a `TestListener` output. */
  'test-listener': (w) => {
    const main = w.listeners[0]
    const lbPath = main.arn.split(':listener/')[1].split('/').slice(0, -1).join('/')
    const arn = elbArn(w.region, w.accountId, `listener/${lbPath}/8c3d2b1a0f9e7d6c`)
    w.listeners.push({
      arn,
      loadBalancerArn: main.loadBalancerArn,
      port: 8443,
      protocol: 'HTTP',
      defaultActions: [
        {
          Type: 'forward',
          TargetGroupArn: blue(w),
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: blue(w), Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false }
          }
        }
      ],
      defaultRuleArn: elbArn(
        w.region,
        w.accountId,
        `listener-rule/${lbPath}/8c3d2b1a0f9e7d6c/1f2e3d4c5b6a7980`
      )
    })
    w.stacks[0].outputs.push({
      OutputKey: 'TestListener',
      OutputValue: arn,
      Description: 'Test listener ARN (port 8443)'
    })
  }
} satisfies Record<string, Variant>

export type VariantName = keyof typeof variants

export const variantNames = Object.keys(variants) as VariantName[]

/** Builds a fresh world from a variant name, several joined by '+', or returns a copy of a world. */
export function buildWorld(spec: World | string = 'default'): World {
  if (typeof spec !== 'string') {
    const copy = structuredClone(spec)
    // Worlds saved before alarms existed (JSON files, older tests) have none.
    copy.alarms ??= []
    return copy
  }
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
