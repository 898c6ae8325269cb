/**
 * What the e2e tests of standalone canary tasks read in the sandbox's `rolling` world: the canary
 * tasks RunTask started, the service's own tasks, and which of them the target group sends
 * requests to.
 */
import { ROLLING_SERVICE, ROLLING_TARGET_GROUP } from '../../sandbox/rolling-world.js'
import { findTargetGroup, type TaskState, type World } from '../../sandbox/world.js'

export const ROLLING_INPUTS = { cluster: 'mycluster', service: ROLLING_SERVICE }
export const IMAGE = (tag: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/webapp:${tag}`

/** Every task RunTask started (stopped ones included). */
export const canaryTasks = (w: World): TaskState[] =>
  (w.tasks ?? []).filter((t) => t.group.startsWith('family:'))

export const notStopped = (tasks: TaskState[]): TaskState[] =>
  tasks.filter((t) => t.lastStatus !== 'STOPPED')

/** The service's RUNNING tasks and the task definition revision each runs (`webapp:1`). */
export const serviceRevisions = (w: World): string[] =>
  (w.tasks ?? [])
    .filter((t) => t.serviceName === ROLLING_SERVICE && t.lastStatus === 'RUNNING')
    .map((t) => t.taskDefinition.split('/').pop()!)
    .sort()

/** `ip:port` of the group's targets that are a canary task's IP, draining ones included. */
export function canaryTargets(w: World): string[] {
  const ips = new Set(canaryTasks(w).map((t) => t.privateIp))
  return findTargetGroup(w, ROLLING_TARGET_GROUP)!
    .targets.filter((t) => ips.has(t.id))
    .map((t) => `${t.id}:${t.port}${t.phase ? ` (${t.phase})` : ''}`)
}

/** The revision the service is set to run (`webapp:1`). */
export function serviceRevision(w: World): string | undefined {
  return w.services
    .find((s) => s.name === ROLLING_SERVICE)
    ?.taskDefinition?.split('/')
    .pop()
}
