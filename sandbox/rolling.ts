/**
 * The ECS (rolling update) deployment controller with the deployment circuit breaker and rollback
 * on. UpdateService to a new task definition makes a new PRIMARY deployment IN_PROGRESS (the old
 * one turns ACTIVE and keeps serving); after the steady delay it is COMPLETED, runs the desired
 * count and the older deployments and their tasks are gone. A task definition whose image is
 * tagged `bad` never gets healthy: its deployment is FAILED by the circuit breaker, and the
 * service rolls back to the last COMPLETED deployment's task definition (a new PRIMARY deployment
 * that completes after the delay), as ECS does.
 */
import type { SimulationTimers } from './timers.js'
import { syncTargets } from './targets.js'
import { syncServiceTasks } from './tasks.js'
import {
  BAD_VERSION,
  taskDefinitionVersion,
  type DeploymentState,
  type ServiceState,
  type World
} from './world.js'

let deploymentCounter = 0

/** `ecs-svc/` and 19 digits. A seed makes a world's first deployment id stable between runs. */
export function deploymentId(now: number, seed?: string): string {
  if (seed !== undefined) {
    let hash = 7n
    for (const c of seed) hash = (hash * 131n + BigInt(c.charCodeAt(0))) % 10n ** 18n
    return `ecs-svc/9${hash.toString().padStart(18, '0')}`
  }
  deploymentCounter += 1
  const digits = `${now.toFixed(0)}${String(deploymentCounter).padStart(6, '0')}`.slice(-18)
  return `ecs-svc/8${digits.padStart(18, '0')}`
}

const inProgress = (id: string) => `ECS deployment ${id} in progress.`
const completed = (id: string) => `ECS deployment ${id} completed.`
const CIRCUIT_BREAKER = 'ECS deployment circuit breaker: tasks failed to start.'

/** The service's deployments; a world that left them out gets one PRIMARY deployment. */
export function deploymentsOf(service: ServiceState): DeploymentState[] {
  if (!service.deployments) {
    const id = deploymentId(0, `${service.clusterName}/${service.name}`)
    const running = service.runningCount ?? service.desiredCount
    service.deployments = [
      {
        id,
        status: 'PRIMARY',
        taskDefinition: service.taskDefinition ?? '',
        desiredCount: service.desiredCount,
        runningCount: running,
        failedTasks: 0,
        rolloutState: service.rolloutState ?? 'COMPLETED',
        rolloutStateReason:
          (service.rolloutState ?? 'COMPLETED') === 'COMPLETED' ? completed(id) : inProgress(id),
        createdAt: service.createdAt,
        updatedAt: service.createdAt
      }
    ]
  }
  return service.deployments
}

export const primaryOf = (service: ServiceState): DeploymentState =>
  deploymentsOf(service).find((d) => d.status === 'PRIMARY')!

function event(service: ServiceState, message: string, now: number): void {
  const id = `${now.toFixed(0)}-${(service.events?.length ?? 0) + 1}`
  service.events = [{ id, createdAt: now, message: `(service ${service.name}) ${message}` }]
    .concat(service.events ?? [])
    .slice(0, 100)
}

/** Keeps the service-level mirror (task definition, counts, rollout state) in step. */
function mirror(world: World, service: ServiceState): void {
  const primary = primaryOf(service)
  service.taskDefinition = primary.taskDefinition
  service.rolloutState = primary.rolloutState
  service.runningCount = (world.tasks ?? []).filter(
    (t) =>
      t.serviceName === service.name &&
      t.clusterName === service.clusterName &&
      t.lastStatus === 'RUNNING'
  ).length
}

/** Gives a service of the ECS controller its deployments and running tasks (simulation start). */
export function seedService(world: World, service: ServiceState, now: number): void {
  deploymentsOf(service)
  syncServiceTasks(world, service, now)
  mirror(world, service)
}

/**
 * After UpdateService: a new task definition (or forceNewDeployment) starts a new PRIMARY
 * deployment; a count change alone moves the PRIMARY deployment's desired count. Either way the
 * PRIMARY deployment is IN_PROGRESS until the steady delay has passed.
 */
export function updateDeployment(
  world: World,
  sim: SimulationTimers,
  service: ServiceState,
  change: { taskDefinition?: string; force?: boolean },
  now: number
): void {
  const current = primaryOf(service)
  const replaces =
    (change.taskDefinition !== undefined && change.taskDefinition !== current.taskDefinition) ||
    change.force === true
  let primary = current
  if (replaces) {
    current.status = 'ACTIVE'
    current.updatedAt = now
    primary = startDeployment(service, change.taskDefinition ?? current.taskDefinition, now)
  } else {
    primary.desiredCount = service.desiredCount
    primary.rolloutState = 'IN_PROGRESS'
    primary.rolloutStateReason = inProgress(primary.id)
    primary.updatedAt = now
  }
  mirror(world, service)
  sim.after(sim.steadyDelayMs, () => settle(sim, service, primary.id))
}

function startDeployment(service: ServiceState, taskDefinition: string, now: number) {
  const id = deploymentId(now)
  const deployment: DeploymentState = {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    runningCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: inProgress(id),
    createdAt: now,
    updatedAt: now
  }
  service.deployments = [deployment, ...deploymentsOf(service)]
  event(service, `has started 1 tasks: (deployment ${id}).`, now)
  return deployment
}

/** The steady delay has passed for deployment `id`: it completes, or the circuit breaker trips. */
function settle(sim: SimulationTimers, service: ServiceState, id: string): void {
  const world = sim.world()
  const now = Date.now()
  const deployment = deploymentsOf(service).find((d) => d.id === id)
  // A later UpdateService replaced it: that one settles instead.
  if (!deployment || deployment.status !== 'PRIMARY') return
  deployment.updatedAt = now
  if (taskDefinitionVersion(world, deployment.taskDefinition) === BAD_VERSION) {
    deployment.rolloutState = 'FAILED'
    deployment.rolloutStateReason = CIRCUIT_BREAKER
    deployment.failedTasks = Math.max(1, deployment.desiredCount)
    event(service, `(deployment ${id}) deployment failed: tasks failed to start.`, now)
    const last = deploymentsOf(service).find((d) => d.rolloutState === 'COMPLETED')
    if (last) {
      deployment.status = 'ACTIVE'
      event(service, `rolling back to deployment ${last.id}.`, now)
      const rollback = startDeployment(service, last.taskDefinition, now)
      sim.after(sim.steadyDelayMs, () => settle(sim, service, rollback.id))
    }
    mirror(world, service)
    return
  }
  deployment.runningCount = deployment.desiredCount
  deployment.rolloutState = 'COMPLETED'
  deployment.rolloutStateReason = completed(id)
  // The older deployments are drained: their tasks stop and they leave the list.
  service.deployments = [deployment]
  syncServiceTasks(world, service, now)
  event(service, `(deployment ${id}) deployment completed.`, now)
  event(service, 'has reached a steady state.', now)
  mirror(world, service)
  syncTargets(world)
}
