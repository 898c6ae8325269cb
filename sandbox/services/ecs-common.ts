/**
 * What the ECS operations share: input readers, the cluster lookup, tags and task definition
 * lookups, answered with ECS's own exceptions.
 */
import { AwsError, reqString, stringList } from './service.js'
import type { Tag, TaskDefinitionState, World } from '../world.js'

export type Input = Record<string, unknown>

export const invalid = (message: string) => new AwsError('InvalidParameterException', message)
export const required = (input: Input, key: string) =>
  reqString(input, key, 'InvalidParameterException')
export const includesTags = (input: Input) => (stringList(input, 'include') ?? []).includes('TAGS')

/** The last path segment of an ARN, or the name itself. */
export const nameOf = (ref: string) =>
  ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref

export function cluster(world: World, ref: string | undefined) {
  const name = nameOf(ref ?? 'default')
  const found = world.clusters.find((c) => c.name === name && c.status === 'ACTIVE')
  if (!found) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
  return found
}

export const tagsOut = (tags: Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }))

export function tagList(input: Input): Tag[] {
  const raw = input.tags
  if (!Array.isArray(raw)) throw invalid('tags must be a list')
  return raw.map((t: { key?: unknown; value?: unknown }) => {
    if (typeof t?.key !== 'string' || t.key === '') throw invalid('Tag key must not be empty')
    if (t.key.toLowerCase().startsWith('aws:'))
      throw invalid('Tag keys with the aws: prefix are reserved')
    return { key: t.key, value: typeof t.value === 'string' ? t.value : '' }
  })
}

/** A task definition by ARN or `family:revision` (a bare family: its latest ACTIVE revision). */
export function findRevision(world: World, ref: string): TaskDefinitionState | undefined {
  const [family, revision] = nameOf(ref).split(':')
  return world.taskDefinitions
    .filter(
      (td) =>
        td.family === family &&
        (revision ? td.revision === Number(revision) : td.status === 'ACTIVE')
    )
    .sort((a, b) => b.revision - a.revision)[0]
}
