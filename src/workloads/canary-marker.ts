import { createHash } from 'node:crypto'
import { familyOfReference } from '../deploy/revision.js'

/**
 * How the action knows its own standalone canary tasks and what a promote replaced, all derived
 * from `tag-key` and the service. Pure.
 */

/** ECS allows up to 128 letters, digits, `-`, `/` and `_` in a task's `startedBy`. */
const STARTED_BY_MAX = 128

/**
 * The `startedBy` of the canary tasks of one service: `StableStack-canary/web`. ListTasks finds
 * them by it on every run, so a rerun adopts what a crashed run started. A name too long for ECS
 * keeps its start and ends in a hash of the whole, so two services never share a marker.
 */
export function canaryMarker(tagKey: string, serviceName: string): string {
  const full = `${tagKey}-canary/${serviceName}`.replace(/[^A-Za-z0-9/_-]/g, '_')
  if (full.length <= STARTED_BY_MAX) return full
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 16)
  return `${full.slice(0, STARTED_BY_MAX - hash.length - 1)}-${hash}`
}

/** Tag on each canary task; its value is the service's ARN, checked before a task is trusted. */
export function canaryTaskTag(tagKey: string): string {
  return `${tagKey}CanaryOf`
}

/** Service tag: the task definition the service ran before a promote rolled it to the canary's. */
export function previousRevisionTag(tagKey: string): string {
  return `${tagKey}PreviousRevision`
}

/** True when a task carries the action's tag naming this very service. */
export function isOwnTask(
  tags: readonly { key?: string; value?: string }[] | undefined,
  tagKey: string,
  serviceArn: string
): boolean {
  const key = canaryTaskTag(tagKey)
  return (tags ?? []).some((t) => t.key === key && t.value === serviceArn)
}

const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/

/**
 * The previous revision recorded on the service, trusted only when it is a task definition ARN
 * of the service's own family: a tag someone else wrote must not point an undo elsewhere.
 */
export function trustedPreviousRevision(
  value: string | undefined,
  serviceTaskDefinition: string | undefined
): string | undefined {
  if (!value || !serviceTaskDefinition || !TASK_DEFINITION_ARN.test(value)) return undefined
  return familyOfReference(value) === familyOfReference(serviceTaskDefinition) ? value : undefined
}
