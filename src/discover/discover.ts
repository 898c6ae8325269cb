import type { AwsClients } from '../aws/clients.js'
import type { Color, PerColor } from '../color.js'
import {
  chooseAlarmGate,
  chooseCheckGates,
  chooseGates,
  chooseLease,
  composeShape,
  startRouteRead,
  startShapeReads,
  startTestRouteReads,
  STANDALONE_FIRST_STABLE,
  type ShapeKind
} from '../compose.js'
import { realClock, type Clock } from '../clock.js'
import { describeAlarms, type AlarmCheck } from '../gates/alarms.js'
import type { Gate } from '../gates/gate.js'
import type { ActionInputs } from '../inputs.js'
import type { RunIdentity } from '../lease.js'
import type { Logger } from '../logger.js'
import { ServiceTags } from '../service-tags.js'
import { formatSplit, type Split } from '../shares.js'
import type { Shape } from '../shape.js'
import type { ColorHealth } from '../workloads/workload.js'
import { needsStack, type ColorResources } from './resources.js'
import { checkRoutesAgree } from './route-agreement.js'
import { readService, type ServiceState } from './service.js'
import type { RouteSplit, TrafficRouter } from '../routers/router.js'

/** Everything read before planning, as plain data. */
export interface Discovery {
  /** Which shape of colours the run works on (a deploy puts the version in its own way). */
  shapeKind: ShapeKind
  service: ServiceState
  stable: Color
  split: Split
  where: ColorResources
  health: PerColor<ColorHealth>
  /** The value of the tag naming the colour stable before the last promote. */
  previousStable?: string
  /** The value of the tag recording what the last promote made stable and replaced. */
  promotionRecord?: string
  /** The alarm states read, when alarms are configured. */
  alarms?: AlarmCheck
  /**
   * `routes`: each route of a set that moves in lockstep, as discovery read it; `notes`: what a
   * reader should know about the route (resolvers cache Route 53 answers).
   */
  route: { kind: string; id: string; routes?: readonly RouteSplit[]; notes?: readonly string[] }
}

export interface Discovered {
  state: Discovery
  shape: Shape
  gates: Gate[]
}

export interface DiscoverOptions {
  log: Logger
  now: () => number
  /** Waits inside the shape's writes (a rollout, draining); the real clock when absent. */
  clock?: Clock
  /** Aborted when the runner cancels the job: the waits inside the shape's writes end there. */
  signal?: AbortSignal
  pollMs?: number
  /** Who this run is, for the lease; without it the run takes no lease. */
  identity?: RunIdentity
  /** The service's read, when it was started before discovery (the run's first request). */
  service?: Promise<ServiceState>
}

/**
 * Reads all state with as few sequential round trips as the data allows: the service (tags, task
 * sets, controller) in parallel with the stack, the alarms and a route named by input; a route
 * found from the stack and both target groups' health as soon as the stack names them. Errors are reported in a fixed order so a message never
 * depends on which answer came back first.
 */
export async function discover(
  inputs: ActionInputs,
  clients: AwsClients,
  options: DiscoverOptions
): Promise<Discovered> {
  const service = options.service ?? readService(clients.ecs, inputs.cluster, inputs.service)
  const early = startRouteRead(inputs, clients)
  const outputs = needsStack(inputs)
    ? readStack(clients, inputs.stackName ?? '')
    : Promise.resolve(undefined)
  outputs.catch(() => undefined)
  const shapeReads = startShapeReads(inputs, clients, service, {
    early,
    outputs: () => outputs,
    log: (line) => options.log.info(line),
    clock: options.clock ?? realClock,
    ...(options.signal ? { signal: options.signal } : {}),
    pollMs: options.pollMs
  })
  const { kind, where, route, workload } = shapeReads
  const alarmGate = chooseAlarmGate(inputs, clients)
  const alarms = alarmGate.then((gate) => gate?.prime(options.now()))
  const testRoute = startTestRouteReads(inputs, clients, { service, where, route, kind })
  // A rollback never refuses over test traffic, so its reads go on beside the route write and
  // are awaited only when it takes test traffic away: the emergency exit does not wait on them.
  const deferTestRoute = inputs.mode === 'rollback'
  const testRouteNow = deferTestRoute ? Promise.resolve(undefined) : testRoute

  const settled = await Promise.allSettled([
    service,
    where,
    workload,
    route,
    alarms,
    testRouteNow,
    alarmGate,
    kind
  ])
  const serviceState = fulfilled(settled[0])
  const shapeKind = fulfilled(settled[7])
  const located = fulfilled(settled[1])
  const work = fulfilled(settled[2])
  const tags = new ServiceTags(clients.ecs, serviceState, serviceState.tags, inputs.tagKey)
  const stable = tags.stable(shapeKind === 'standalone-task' ? STANDALONE_FIRST_STABLE : undefined)
  const { router, split } = fulfilled(settled[3])
  const routes = (router as TrafficRouter).routes?.()
  // Before any write: a set whose routes disagree goes on only when this run realigns it.
  const disagreement = checkRoutesAgree(routes, inputs.mode, tags.get(tags.names.lease))
  const alarmCheck = fulfilled(settled[4])
  const shape: Shape = {
    ...composeShape(inputs, clients, {
      router,
      workload: work,
      tags,
      where: located,
      testRoute: deferTestRoute ? testRoute : fulfilled(settled[5])
    }),
    lease: chooseLease(tags, options.identity, serviceState.name)
  }
  const gates = [
    ...chooseGates(inputs, router, work, fulfilled(settled[6]), options.pollMs),
    ...chooseCheckGates(inputs, clients, {
      router,
      workload: work,
      where: located,
      runUrl: options.identity?.url
    })
  ]
  // A gate that cannot read (GetMetricData denied) is refused here, before the first write.
  await Promise.all(gates.map((gate) => gate.probe?.(options.now())))
  const state: Discovery = {
    shapeKind,
    service: serviceState,
    stable,
    split,
    where: withTargetGroups(located, work.discovered),
    health: work.discovered,
    previousStable: tags.get(tags.names.previous),
    promotionRecord: tags.get(tags.names.promotion),
    ...(alarmCheck ? { alarms: alarmCheck } : {}),
    route: {
      kind: router.kind,
      id: router.id,
      ...(routes ? { routes } : {}),
      ...(router.notes ? { notes: router.notes() } : {})
    }
  }
  logDiscovery(options.log, inputs, state)
  if (disagreement) options.log.warning(disagreement)
  return { state, shape, gates }
}

function logDiscovery(log: Logger, inputs: ActionInputs, state: Discovery): void {
  log.info(`Service ${state.service.arn}: stable colour ${state.stable} (tag ${inputs.tagKey})`)
  log.info(`Route: ${state.route.kind} ${state.route.id}`)
  state.route.routes?.forEach((route, i) => {
    log.info(`  ${i + 1}. ${route.kind} ${route.id}: ${formatSplit(route.split)}`)
  })
  log.info(`Weights: ${formatSplit(state.split)}`)
  if (state.alarms) log.info(`Alarms: ${describeAlarms(state.alarms.alarms)}`)
}

/**
 * The stack's outputs. Its module and the CloudFormation SDK are loaded only here: a run whose
 * inputs name every resource never evaluates them (clients.ts).
 */
async function readStack(clients: AwsClients, stackName: string): Promise<Record<string, string>> {
  const [{ readStackOutputs }, cfn] = await Promise.all([
    import(/* webpackMode: "eager" */ './stack.js'),
    clients.cfn()
  ])
  return readStackOutputs(cfn, stackName)
}

/** A colour found by its service rather than its target group reports the group its service uses. */
function withTargetGroups(where: ColorResources, health: PerColor<ColorHealth>): ColorResources {
  const group = (color: Color) => where.targetGroups[color] || health[color].targets.targetGroupArn
  return { ...where, targetGroups: { Blue: group('Blue'), Green: group('Green') } }
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason
  return result.value
}
