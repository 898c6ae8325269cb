import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs'
import { InputError, StateError, messageOf } from '../errors.js'

/**
 * A task definition revision as RegisterTaskDefinition takes it. Pure: building the canary's
 * revision from the stable colour's, and telling whether two revisions are the same.
 */
export type Revision = RegisterTaskDefinitionCommandInput

/** Fields ECS fills in itself: DescribeTaskDefinition returns them, RegisterTaskDefinition refuses them. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequested'
] as const

/** The revision a described task definition (and its tags) would be registered as. */
export function revisionOf(
  definition: TaskDefinition | Record<string, unknown>,
  tags?: Tag[]
): Revision {
  const copy: Record<string, unknown> = { ...definition }
  for (const key of READ_ONLY) delete copy[key]
  if (tags && tags.length > 0) copy.tags = tags
  else if (tags || !Array.isArray(copy.tags) || copy.tags.length === 0) delete copy.tags
  return copy as unknown as Revision
}

/** The container names of a revision, for messages. */
export function containerNames(revision: Revision): string[] {
  return (revision.containerDefinitions ?? []).map((c) => c.name ?? '')
}

/**
 * The same revision with one container's image replaced; every other field is kept. Refuses a
 * container the revision does not have, naming those it has.
 */
export function withImage(revision: Revision, container: string, image: string): Revision {
  const containers = revision.containerDefinitions ?? []
  if (!containers.some((c) => c.name === container)) {
    throw new StateError(
      `Task definition ${revision.family} has no container "${container}" (its containers: ` +
        `${containerNames(revision).join(', ') || 'none'}). Set "container-name" to one of them.`
    )
  }
  return {
    ...revision,
    containerDefinitions: containers.map((c) => (c.name === container ? { ...c, image } : c))
  }
}

/** The image a revision's container runs, when it has that container. */
export function imageOf(revision: Revision, container: string): string | undefined {
  return revision.containerDefinitions?.find((c) => c.name === container)?.image
}

/**
 * True when registering `a` would give what `b` already is: the same fields after the defaults
 * ECS adds to an answer (empty lists, absent values) are left out, in any key order.
 */
export function sameRevision(a: Revision, b: Revision): boolean {
  return canonical(a) === canonical(b)
}

function canonical(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? ''
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise).filter((v) => v !== undefined)
    return items.length === 0 ? undefined : items
  }
  if (value instanceof Date) return value.toISOString()
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, normalise(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    return entries.length === 0 ? undefined : Object.fromEntries(entries)
  }
  return value === null ? undefined : value
}

/**
 * A task definition file as aws-actions/amazon-ecs-render-task-definition writes it (a
 * DescribeTaskDefinition answer's `taskDefinition`, or the register input itself). Refuses what
 * is not JSON or not a task definition, naming the file.
 */
export function parseRevisionFile(text: string, path: string): Revision {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const why = messageOf(error)
    throw new InputError(`"task-definition" file ${path} is not JSON: ${why}.`)
  }
  const answer =
    parsed && typeof parsed === 'object' && 'taskDefinition' in parsed
      ? (parsed as { taskDefinition: unknown; tags?: unknown })
      : undefined
  const body = answer ? answer.taskDefinition : parsed
  const definition = body as { family?: unknown; containerDefinitions?: unknown } | null
  const containers = definition?.containerDefinitions
  if (
    !definition ||
    typeof definition !== 'object' ||
    Array.isArray(definition) ||
    typeof definition.family !== 'string' ||
    !Array.isArray(containers) ||
    containers.length === 0 ||
    !containers.every((c) => c && typeof c === 'object' && typeof c.name === 'string')
  ) {
    throw new InputError(
      `"task-definition" file ${path} is not a task definition: it needs a "family" and ` +
        '"containerDefinitions" with a "name" for each container.'
    )
  }
  // The DescribeTaskDefinition answer form keeps the tags beside the definition.
  const tags = Array.isArray(answer?.tags) ? (answer.tags as Tag[]) : undefined
  return revisionOf(definition as Record<string, unknown>, tags)
}

/** `family:revision` or a task definition ARN → its family. */
export function familyOfReference(reference: string): string {
  const last = reference.split('/').pop() ?? reference
  return last.split(':')[0]
}
