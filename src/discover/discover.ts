import { COLORS, type Color, type PerColor } from '../color.js'
import type { AwsClients } from '../aws/clients.js'
import { StateError } from '../errors.js'
import type { ActionInputs } from '../inputs.js'
import { createRouter, type TrafficRouter } from '../routers/index.js'
import { stableColorOf } from '../stable-tag.js'
import { readTargetHealth } from '../workloads/target-health.js'
import { prefetchTaskDefinitions, TaskSetWorkload } from '../workloads/task-sets.js'
import type { TargetHealthSummary, Workload } from '../workloads/workload.js'
import { needsStack, resolveResources, type ColorResources } from './resources.js'
import { readStackOutputs } from './stack.js'
import { readService, type ServiceState } from './service.js'

/** Everything read before planning. */
export interface Discovery {
  service: ServiceState
  stable: Color
  resources: ColorResources
  router: TrafficRouter
  weights: PerColor<number>
  workload: Workload
}

/**
 * Reads all state with as few sequential round trips as the data allows: the service (tag, task
 * sets, controller) in parallel with the stack; the route and both target groups' health as soon
 * as the stack names them. Errors are reported in a fixed order so a message never depends on
 * which answer came back first.
 */
export async function discover(inputs: ActionInputs, clients: AwsClients): Promise<Discovery> {
  const servicePromise = readService(clients.ecs, inputs.cluster, inputs.service)
  const taskDefinitionsPromise = servicePromise.then((s) => prefetchTaskDefinitions(clients.ecs, s))
  // A failed service read is reported below; this derived promise must not also go unhandled.
  taskDefinitionsPromise.catch(() => undefined)
  const outputsPromise = needsStack(inputs)
    ? readStackOutputs(clients.cfn, inputs.stackName ?? '')
    : Promise.resolve(undefined)
  const resourcesPromise = outputsPromise.then((outputs) => resolveResources(inputs, outputs))
  const routePromise = resourcesPromise.then(async (resources) => {
    const router = await createRouter(clients.elb, resources)
    return { router, weights: await router.read() }
  })
  const targetsPromise = resourcesPromise.then(async (resources) => {
    const [Blue, Green] = await Promise.all(
      COLORS.map((color) => readTargetHealth(clients.elb, resources.targetGroups[color]))
    )
    return { Blue, Green } as PerColor<TargetHealthSummary>
  })

  const [service, resources, route, targets] = await Promise.allSettled([
    servicePromise,
    resourcesPromise,
    routePromise,
    targetsPromise
  ])
  const serviceState = fulfilled(service)
  if (serviceState.deploymentController !== 'EXTERNAL') {
    throw new StateError(
      `Service ${serviceState.name} uses the ${serviceState.deploymentController} deployment ` +
        'controller; blue/green task sets need EXTERNAL. Create the service with ' +
        'deploymentController type EXTERNAL (templates/ecs-canary.yaml does).'
    )
  }
  const stable = stableColorOf(serviceState, inputs.tagKey)
  const resolved = fulfilled(resources)
  const workload = TaskSetWorkload.fromState(
    clients,
    inputs.cluster,
    serviceState,
    resolved.taskSets,
    resolved.targetGroups,
    fulfilled(targets),
    await taskDefinitionsPromise
  )
  const { router, weights } = fulfilled(route)
  return { service: serviceState, stable, resources: resolved, router, weights, workload }
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason
  return result.value
}
