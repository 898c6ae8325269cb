import type { Action, Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from './aws/clients.js'
import type { ServiceState } from './discover/service.js'
import { resolveResources, type ColorResources } from './discover/resources.js'
import { StateError } from './errors.js'
import { AlarmGate } from './gates/alarms.js'
import { AnalysisGate } from './gates/analysis.js'
import {
  createMetricsRead,
  loadBalancerDimension,
  targetGroupDimension
} from './gates/analysis-metrics.js'
import type { Gate } from './gates/gate.js'
import { HookGate, lambdaInvoker, type HookPoint, type InvokeFunction } from './gates/hooks.js'
import { SmokeGate, type Fetch } from './gates/smoke.js'
import { listenerAddress } from './routers/alb/address.js'
import { HealthGate } from './gates/health.js'
import { namesRouteOrTaskSets, type ActionInputs } from './inputs.js'
import { ruleArnList } from './input-values.js'
import { discoverWeightedRoutes } from './routers/alb/discover-rule.js'
import { AlbForwardRouter } from './routers/alb/alb-forward-router.js'
import { ListenerRouter, readListenerActions } from './routers/alb/listener.js'
import { LockstepRouter } from './routers/alb/lockstep-router.js'
import { ListenerSwapRouter, SwapTestListener } from './routers/alb/listener-swap.js'
import { describeRule, listenerArnOf, ListenerRuleRouter } from './routers/alb/listener-rule.js'
import {
  albTestTraffic,
  deferredTestTraffic,
  startTestRouteRead,
  type TestRouteRead,
  type WeightedListener
} from './routers/alb/test-route.js'
import { tagNames, testRouteTagNames } from './service-tags.js'
import type { TrafficRouter } from './routers/router.js'
import type { Split } from './shares.js'
import type { RunIdentity } from './lease.js'
import { ServiceLease } from './service-lease.js'
import type { RunLease, Shape } from './shape.js'
import { MirroredStableMarker } from './stable-mirror.js'
import { COLORS, type Color } from './color.js'
import { cancellable, realClock, type Clock } from './clock.js'
import { Inputs } from './constants.js'
import { ServiceTags } from './service-tags.js'
import { TaskCountRouter } from './routers/task-count/task-count-router.js'
import { StandaloneTaskWorkload } from './workloads/standalone-task.js'
import { TaskSetWorkload } from './workloads/task-sets.js'
import { TwoServiceWorkload } from './workloads/two-services.js'
import type { Workload } from './workloads/workload.js'

/**
 * The composition root: the only module that names concrete routers, workloads and gates. Each
 * function picks one kind from the inputs and what was read, once; everything downstream sees
 * the interfaces.
 */

/**
 * When the inputs name the route, its read starts at once, beside the service and stack reads:
 * parsing it needs the target groups, asking for it does not. Saves a round trip on every mode.
 */
export function startRouteRead(inputs: ActionInputs, clients: AwsClients): EarlyRoute | undefined {
  const early: EarlyRoute | undefined = inputs.listenerArn
    ? { listener: readListenerActions(clients.elb, inputs.listenerArn) }
    : inputs.listenerRuleArn
      ? { rules: ruleArnList(inputs.listenerRuleArn).map((arn) => describeRule(clients.elb, arn)) }
      : undefined
  // Reported when the router reads it; a stack error that comes first must not leave it unhandled.
  early?.listener?.catch(() => undefined)
  for (const rule of early?.rules ?? []) rule.catch(() => undefined)
  return early
}

export interface EarlyRoute {
  listener?: Promise<Action[]>
  /** One read per rule `listener-rule-arn` lists, in its order. */
  rules?: Promise<Rule>[]
}

/** The three shapes of colours: task sets, a service per colour, standalone canary tasks. */
export type ShapeKind = 'task-sets' | 'two-services' | 'standalone-task'

/**
 * The shape the inputs decide on their own, pure: `workload`, or any input that names task sets
 * or a route (a stack, target groups, rules, listeners, two services, a hosted zone) means task
 * sets at once, so those runs never wait for the service to pick. Undefined when only the
 * service's deployment controller can tell.
 */
export function kindFromInputs(inputs: ActionInputs): ShapeKind | undefined {
  if (inputs.services) return 'two-services'
  if (inputs.workload !== 'auto') return inputs.workload
  return inputs.stackName || namesRouteOrTaskSets(inputs) ? 'task-sets' : undefined
}

/** `workload: auto` once the service is read: a rolling (ECS) service gets standalone canary tasks. */
export function kindOfService(service: ServiceState): ShapeKind {
  if (service.deploymentController === 'ECS') return 'standalone-task'
  if (service.deploymentController === 'EXTERNAL') {
    throw new StateError(
      `Service ${service.name} uses the EXTERNAL deployment controller: tell the action where ` +
        'Blue and Green are with "stack-name", or "blue-target-group" and "green-target-group". Nothing was written.'
    )
  }
  throw new StateError(
    `Service ${service.name} uses the ${service.deploymentController} deployment controller, which ` +
      'this action does not drive: it serves EXTERNAL services (task sets) and ECS (rolling) ' +
      'services (a standalone canary task). Nothing was written.'
  )
}

/** What discovery reads of the shape, each started as soon as what it needs is known. */
export interface ShapeReads {
  kind: Promise<ShapeKind>
  where: Promise<ColorResources>
  route: Promise<{ router: TrafficRouter; split: Split }>
  workload: Promise<Workload>
}

export interface ShapeReadOptions {
  early?: EarlyRoute
  /** The stack's outputs when the inputs name a stack (loaded lazily by discovery). */
  outputs: () => Promise<Record<string, string> | undefined>
  log: (line: string) => void
  clock: Clock
  /** Aborted when the runner cancels the job: a rollout or a drain stops being awaited. */
  signal?: AbortSignal
  pollMs?: number
}

/**
 * Starts the shape's reads. When the inputs decide the shape they start at once, beside the
 * service's read; only when they leave it open does the choice wait for the service.
 */
export function startShapeReads(
  inputs: ActionInputs,
  clients: AwsClients,
  service: Promise<ServiceState>,
  options: ShapeReadOptions
): ShapeReads {
  const decided = kindFromInputs(inputs)
  if (decided && decided !== 'standalone-task') {
    return { kind: Promise.resolve(decided), ...colorReads(inputs, clients, service, options) }
  }
  const kind = decided ? Promise.resolve(decided) : service.then(kindOfService)
  const reads = kind.then((k) =>
    k === 'standalone-task'
      ? standaloneReads(inputs, clients, service, options)
      : colorReads(inputs, clients, service, options)
  )
  // Each is reported where discovery awaits it; none may go unhandled meanwhile.
  const settled = <T>(pick: (r: Omit<ShapeReads, 'kind'>) => Promise<T>): Promise<T> => {
    const promise = reads.then(pick)
    promise.catch(() => undefined)
    return promise
  }
  return {
    kind,
    where: settled((r) => r.where),
    route: settled((r) => r.route),
    workload: settled((r) => r.workload)
  }
}

/** Task sets or two services: the locations from inputs and stack, the route, the workload. */
function colorReads(
  inputs: ActionInputs,
  clients: AwsClients,
  service: Promise<ServiceState>,
  options: ShapeReadOptions
): Omit<ShapeReads, 'kind'> {
  const where = options.outputs().then((found) => resolveResources(inputs, found))
  const route = where.then(async (w) => {
    const router = await chooseRoute(inputs, clients, w, {
      early: options.early,
      log: options.log,
      pollMs: options.pollMs
    })
    return { router, split: await router.read() }
  })
  const workload = where.then((w) => chooseWorkload(inputs, clients, service, w))
  return { where, route, workload }
}

/**
 * A rolling service with standalone canary tasks: the service's target group is both colours'
 * (the router tells them apart by task), found once the service is read.
 */
function standaloneReads(
  inputs: ActionInputs,
  clients: AwsClients,
  service: Promise<ServiceState>,
  options: ShapeReadOptions
): Omit<ShapeReads, 'kind'> {
  const fleet = service.then((state) => {
    refuseForStandalone(inputs, state)
    const stable = new ServiceTags(clients.ecs, state, state.tags, inputs.tagKey).stable(
      STANDALONE_FIRST_STABLE
    )
    return StandaloneTaskWorkload.discover(clients, state, stable, {
      cluster: inputs.cluster,
      tagKey: inputs.tagKey,
      canaryTasks: inputs.canaryTasks,
      starts: inputs.mode === 'canary' || inputs.mode === 'deploy',
      drainCapMs: inputs.deregistrationTimeoutSeconds * 1000,
      timeoutMs: inputs.healthTimeoutSeconds * 1000,
      pollMs: options.pollMs ?? 5000,
      clock: cancellable(options.clock, options.signal),
      log: options.log
    })
  })
  const where = fleet.then((f) => ({
    taskSets: {},
    targetGroups: { Blue: f.entry.targetGroup, Green: f.entry.targetGroup }
  }))
  const route = fleet.then(async (f) => {
    const router = new TaskCountRouter(f, inputs.canaryTasks)
    return { router, split: await router.read() }
  })
  return { where, route, workload: fleet }
}

/** Without a tag, a rolling service's own tasks are Blue: the first canary is Green. */
export const STANDALONE_FIRST_STABLE: Color = 'Blue'

/**
 * What standalone canary tasks cannot do, refused before any write: an EXTERNAL service, and
 * checks that need a target group per colour (test routes, the smoke check, canary analysis).
 */
function refuseForStandalone(inputs: ActionInputs, service: ServiceState): void {
  if (service.deploymentController !== 'ECS') {
    throw new StateError(
      `"workload: standalone-task" runs canary tasks beside a service of the ECS (rolling) ` +
        `deployment controller; service ${service.name} uses ${service.deploymentController}. ` +
        'Use "workload: task-sets" (or leave it auto). Nothing was written.'
    )
  }
  if (inputs.mode !== 'canary') return
  const { header, query, listenerArn } = inputs.testTraffic
  const input = header
    ? Inputs.TestHeader
    : query
      ? Inputs.TestQuery
      : listenerArn
        ? Inputs.TestListenerArn
        : inputs.smoke
          ? Inputs.SmokeUrl
          : inputs.analysis
            ? Inputs.Analysis
            : undefined
  if (input) {
    throw new StateError(
      `"${input}" needs a target group per colour; standalone canary tasks share the service's ` +
        'one. Leave it out for this service. Nothing was written.'
    )
  }
}

/** An ALB route: one weighted forward, several that move in lockstep, or a listener swap. */
export type AlbRouter = AlbForwardRouter | LockstepRouter | ListenerSwapRouter

/**
 * A given listener or rules, else every rule on the colours' load balancers that names both.
 * Several rules move in lockstep.
 */
export async function chooseRouter(
  clients: AwsClients,
  where: ColorResources,
  early?: EarlyRoute
): Promise<AlbRouter> {
  const { targetGroups } = where
  if (where.swap) return new ListenerSwapRouter(clients.elb, where.swap, targetGroups)
  if (where.listenerArn) {
    const router = new ListenerRouter(clients.elb, where.listenerArn, targetGroups)
    return early?.listener ? router.withPreloaded(early.listener) : router
  }
  const rules = where.listenerRuleArns ?? []
  if (rules.length > 0) {
    return lockstep(
      rules.map((arn, i) => {
        const router = new ListenerRuleRouter(clients.elb, arn, targetGroups)
        const preloaded = early?.rules?.[i]
        return preloaded ? router.withPreloaded(preloaded) : router
      })
    )
  }
  const found = await discoverWeightedRoutes(clients.elb, targetGroups)
  return lockstep(
    found.map((route) =>
      route.kind === 'listener'
        ? new ListenerRouter(clients.elb, route.arn, targetGroups)
        : new ListenerRuleRouter(clients.elb, route.arn, targetGroups).withPreloaded(route.rule)
    )
  )
}

function lockstep(routers: AlbForwardRouter[]): AlbRouter {
  return routers.length === 1 ? routers[0] : new LockstepRouter(routers)
}

/** The one route a listener-bound check (smoke, test traffic) goes through: a set's first. */
function primaryRoute(router: TrafficRouter): { kind: string; id: string } {
  return router instanceof LockstepRouter ? router.primary : router
}

/**
 * Route 53 weighted records when the inputs name a hosted zone (its module and SDK are loaded
 * only then), else a load balancer's route.
 */
export async function chooseRoute(
  inputs: ActionInputs,
  clients: AwsClients,
  where: ColorResources,
  options: { early?: EarlyRoute; log: (line: string) => void; pollMs?: number }
): Promise<TrafficRouter> {
  const { route53 } = inputs
  if (!route53) return chooseRouter(clients, where, options.early)
  const { Route53Router, route53Client } = await import('./routers/route53/route53-router.js')
  return new Route53Router(route53Client(inputs.region), route53, {
    clock: realClock,
    log: options.log,
    awaitSync: inputs.mode !== 'rollback',
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {})
  })
}

/**
 * Blue and Green as task sets of one EXTERNAL-controller service, or as two services when the
 * inputs name one per colour. A plain rollback does not read target health: it never waits for
 * it, and the emergency exit must not wait on a read it does not need (nor fail on one).
 */
export function chooseWorkload(
  inputs: ActionInputs,
  clients: AwsClients,
  service: Promise<ServiceState>,
  where: ColorResources
): Promise<Workload> {
  const readTargets = inputs.mode !== 'rollback' || inputs.undoPromotion
  if (inputs.services) {
    return TwoServiceWorkload.discover(clients, {
      cluster: inputs.cluster,
      services: inputs.services,
      targetGroups: inputs.targetGroups,
      readTargets,
      scaleTag: `${inputs.tagKey}ScaledFrom`
    })
  }
  return TaskSetWorkload.discover(clients, service, {
    cluster: inputs.cluster,
    taskSets: where.taskSets,
    targetGroups: where.targetGroups,
    readTargets
  })
}

/** The health gate always (it may be switched off); the alarm gate when alarms are named. */
export function chooseGates(
  inputs: ActionInputs,
  router: TrafficRouter,
  workload: Workload,
  alarms: AlarmGate | undefined,
  pollMs?: number
): Gate[] {
  // A rolling service's rollback is its rollout, awaited until COMPLETED (ECS health-checks the
  // tasks first): a health gate after it would only hold the emergency exit.
  if (inputs.mode === 'rollback' && workload instanceof StandaloneTaskWorkload) {
    return alarms ? [alarms] : []
  }
  const health = new HealthGate(workload, {
    enabled: inputs.waitForHealthy,
    timeoutMs: inputs.healthTimeoutSeconds * 1000,
    pollMs,
    expose: (color) => router.exposeForHealthChecks(color)
  })
  return alarms ? [health, alarms] : [health]
}

/**
 * The canary's checks beside health and alarms, in the order a step asks them: the smoke check
 * and the hooks before production traffic, then canary analysis. The metrics' dimensions come from
 * the route and the target groups, so analysis needs no input beyond being switched on.
 */
export function chooseCheckGates(
  inputs: ActionInputs,
  clients: AwsClients,
  parts: {
    router: TrafficRouter
    workload: Workload
    where: ColorResources
    runUrl?: string
    /** Replaces the Lambda client (tests). */
    invoke?: InvokeFunction
    /** Replaces fetch for the smoke check (tests). */
    fetch?: Fetch
  }
): Gate[] {
  if (inputs.mode !== 'canary') return []
  const gates: Gate[] = []
  if (inputs.smoke) {
    const { router } = parts
    // A path goes to the listener testers reach the canary on.
    const primary = primaryRoute(router)
    const listener =
      inputs.testTraffic.listenerArn ??
      (primary.kind === 'listener-rule' ? listenerArnOf(primary.id) : primary.id)
    gates.push(
      new SmokeGate(
        inputs.smoke,
        inputs.testTraffic,
        () => listenerAddress(clients.elb, listener),
        parts.fetch
      )
    )
  }
  const { hooks } = inputs
  if (hooks) {
    const invoke = parts.invoke ?? lambdaInvoker(inputs.region)
    const { Blue, Green } = parts.workload.discovered
    const hook = (point: HookPoint, functionName: string) =>
      new HookGate(invoke, {
        point,
        functionName,
        timeoutMs: hooks.timeoutMs,
        base: {
          service: inputs.service,
          cluster: inputs.cluster,
          ...(parts.runUrl ? { runUrl: parts.runUrl } : {})
        },
        taskDefinitions: { Blue: Blue.unit.taskDefinitionArn, Green: Green.unit.taskDefinitionArn }
      })
    if (hooks.afterTestTraffic) gates.push(hook('after-test-traffic', hooks.afterTestTraffic))
    if (hooks.beforeTraffic) gates.push(hook('before-traffic', hooks.beforeTraffic))
    if (hooks.afterTraffic) gates.push(hook('after-traffic', hooks.afterTraffic))
  }
  if (inputs.analysis) {
    const { Blue, Green } = parts.where.targetGroups
    const dimensions = {
      loadBalancer: loadBalancerDimension(parts.router.id) ?? '',
      targetGroups: {
        Blue: targetGroupDimension(Blue) ?? '',
        Green: targetGroupDimension(Green) ?? ''
      }
    }
    const analysis = new AnalysisGate(
      createMetricsRead(clients.cloudwatch, dimensions),
      inputs.analysis
    )
    // Analysis holds a step for its verdict before the after-traffic hook is asked about it.
    const afterTraffic = gates.findIndex((g) => g.label === 'hook after-traffic')
    gates.splice(afterTraffic < 0 ? gates.length : afterTraffic, 0, analysis)
  }
  return gates
}

/**
 * The alarm gate, made before discovery so its first read runs beside the others. Rollback never
 * asks it (an undo asks only readiness), so rollback neither reads alarms nor fails on them.
 */
export async function chooseAlarmGate(
  inputs: ActionInputs,
  clients: AwsClients
): Promise<AlarmGate | undefined> {
  const { alarms } = inputs
  if (inputs.mode === 'rollback') return undefined
  if (alarms.names.length === 0 && !alarms.prefix) return undefined
  // Loaded only here: a run without alarms never evaluates the CloudWatch SDK (clients.ts).
  const [{ createAlarmWatch }, cloudwatch] = await Promise.all([
    import(/* webpackMode: "eager" */ './gates/alarm-watch.js'),
    clients.cloudwatch()
  ])
  return new AlarmGate(createAlarmWatch(alarms, cloudwatch), alarms)
}

/**
 * Test traffic's reads, started beside discovery's: the weighted listener is known at once when
 * the inputs or the stack name the route. Promote and rollback always look, to find a test rule a
 * run created but did not record; a canary looks when test traffic is asked for or recorded.
 */
export function startTestRouteReads(
  inputs: ActionInputs,
  clients: AwsClients,
  reads: {
    service: Promise<ServiceState>
    where: Promise<ColorResources>
    route: Promise<{ router: TrafficRouter }>
    kind: Promise<ShapeKind>
  }
): Promise<TestRouteRead | undefined> {
  // A listener swap's test listener is part of the shape (composeShape), not a test route;
  // Route 53 records and standalone canary tasks have none.
  if (inputs.mode === 'status' || inputs.swap || inputs.route53) return Promise.resolve(undefined)
  if (kindFromInputs(inputs) === undefined || inputs.workload === 'standalone-task') {
    return reads.kind.then((kind) =>
      kind === 'standalone-task' ? undefined : readTestRoute(inputs, clients, reads)
    )
  }
  return readTestRoute(inputs, clients, reads)
}

function readTestRoute(
  inputs: ActionInputs,
  clients: AwsClients,
  reads: {
    service: Promise<ServiceState>
    where: Promise<ColorResources>
    route: Promise<{ router: TrafficRouter }>
  }
): Promise<TestRouteRead | undefined> {
  const names = { ...tagNames(inputs.tagKey), ...testRouteTagNames(inputs.tagKey) }
  const { header, query, listenerArn } = inputs.testTraffic
  const asked = inputs.mode !== 'canary' || Boolean(header || query || listenerArn)
  const wanted = asked
    ? Promise.resolve(true)
    : reads.service.then((s) => Boolean(s.tags[names.testRule] || s.tags[names.testListener]))
  return startTestRouteRead(clients.elb, {
    wanted,
    weighted: reads.where.then((w) => weightedListener(w, reads.route)),
    targetGroups: reads.where.then((w) => w.targetGroups),
    service: reads.service,
    names,
    inputListener: listenerArn,
    tolerateFailure: inputs.mode === 'rollback'
  })
}

async function weightedListener(
  where: ColorResources,
  route: Promise<{ router: TrafficRouter }>
): Promise<WeightedListener> {
  if (where.listenerArn) return { listenerArn: where.listenerArn }
  // Test traffic goes through the first of several rules moved in lockstep.
  const rule = where.listenerRuleArns?.[0]
  if (rule) return { listenerArn: listenerArnOf(rule), ruleArn: rule }
  // Found by discovery: known once the route's read is done.
  const primary = primaryRoute((await route).router)
  return primary.kind === 'listener-rule'
    ? { listenerArn: listenerArnOf(primary.id), ruleArn: primary.id }
    : { listenerArn: primary.id }
}

/** The shape the run works through: router, workload, the tags as the stable marker, test traffic. */
export function composeShape(
  inputs: ActionInputs,
  clients: AwsClients,
  parts: {
    router: TrafficRouter
    workload: Workload
    tags: ServiceTags
    where: ColorResources
    /** What the test route's reads found; a promise when they are still running (rollback). */
    testRoute?: TestRouteRead | Promise<TestRouteRead | undefined>
  }
): Shape {
  const { router, workload, tags, where, testRoute } = parts
  // With a service per colour, the colours' services carry a copy of the stable tag.
  const mirrors = inputs.services
    ? COLORS.map((c) => workload.discovered[c].unit.arn).filter((arn) => arn !== tags.arn)
    : []
  const marker = mirrors.length > 0 ? new MirroredStableMarker(tags, clients.ecs, mirrors) : tags
  if (router instanceof ListenerSwapRouter) {
    // The test listener follows the colour that is not stable: open, promote and rollback move it.
    const test = router.listeners.test
    const testTraffic = new SwapTestListener(clients.elb, test, where.targetGroups)
    return { router, workload, marker, testTraffic }
  }
  // A rollback never refuses: what it may not change it leaves, and says so.
  const build = (read: TestRouteRead) =>
    albTestTraffic(clients.elb, read, {
      placement: () =>
        router instanceof AlbForwardRouter || router instanceof LockstepRouter
          ? router.placement()
          : undefined,
      traffic: inputs.testTraffic,
      targetGroups: where.targetGroups,
      tags,
      strict: inputs.mode !== 'rollback'
    })
  const testTraffic =
    testRoute instanceof Promise
      ? deferredTestTraffic(testRoute, build)
      : testRoute && build(testRoute)
  return { router, workload, marker, ...(testTraffic ? { testTraffic } : {}) }
}

/**
 * The run's lease is a tag on the ECS service, next to the stable tag. Without an identity (the
 * executor's own tests) there is none.
 */
export function chooseLease(
  tags: ServiceTags,
  identity: RunIdentity | undefined,
  serviceName: string
): RunLease | undefined {
  return identity ? new ServiceLease(tags, identity, serviceName) : undefined
}
