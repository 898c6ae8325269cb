/**
 * The part of a sandbox world that a deployment is judged by, normalised so that two runs that
 * leave the same deployment compare equal even when they differ in what cannot matter: ARNs and
 * priorities of rules the action created, and the times and run ids that tags may record. Pure:
 * the reliability matrices compare a rerun's snapshot with a clean run's.
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import { forwardedTargetGroups, type Tag, type World } from '../../../sandbox/world.js'

export interface Snapshot {
  /** Raw ALB weights of the weighted rule, by colour (a group with no colour: by its name). */
  weights: Record<string, number>
  /** Service tags; see normaliseTag for what of each value is kept. */
  tags: Record<string, string>
  /** Tags on the weighted rule, normalised the same way (absent when it has none). */
  ruleTags?: Record<string, string>
  /** The other rules of the weighted rule's listener: what they match and where they send it. */
  testRules: { conditions: unknown[]; forwardsTo: string[] }[]
  /** The other listeners of the load balancer and where their default actions forward. */
  testListeners: { port: number; forwardsTo: string[] }[]
  /** Task set scale (percent), by colour. */
  scale: Record<string, number>
}

export interface SnapshotOptions {
  /** The stable tag's key (input `tag-key`); the previous and test-rule tags derive from it. */
  tagKey?: string
  /**
   * Strings that name a run (GITHUB_RUN_ID values, run URLs), replaced by `<run>` wherever a tag
   * value holds them: a rerun keeps its run id, but a clean run had another one.
   */
  runIds?: readonly string[]
}

const COLORS = ['Blue', 'Green'] as const

export function snapshot(world: World, options: SnapshotOptions = {}): Snapshot {
  const tagKey = options.tagKey ?? 'StableStack'
  const output = (key: string) =>
    world.stacks[0]?.outputs.find((o) => o.OutputKey === key)?.OutputValue
  const colorOfGroup = (arn: string): string => {
    const color = COLORS.find((c) => output(`${c}TargetGroup`) === arn)
    return color ?? world.targetGroups.find((tg) => tg.arn === arn)?.name ?? arn
  }
  const forwardsTo = (actions: Action[]) => forwardedTargetGroups(actions).map(colorOfGroup).sort()

  const weighted =
    world.rules.find((r) => r.arn === output('ListenerRule')) ??
    world.rules.find((r) => forwardedTargetGroups(r.actions).length > 1)
  const listener = world.listeners.find((l) => l.arn === weighted?.listenerArn)
  const others = world.rules.filter((r) => r !== weighted && r.listenerArn === listener?.arn)
  const testRules = others
    .map((r) => ({ conditions: sortedCanonical(r.conditions), forwardsTo: forwardsTo(r.actions) }))
    .sort(byJson)
  const normalise = (tags: Tag[] | undefined) =>
    Object.fromEntries(
      (tags ?? [])
        .filter((t) => !isInertLease(t, tagKey))
        .map((t) => [t.key, normaliseTag(t, { tagKey, runIds: options.runIds ?? [] }, world)])
        .sort(([a], [b]) => a.localeCompare(b))
    )

  const service = world.services[0]
  const ruleTags = normalise(weighted?.tags)
  return {
    weights: weightsOf(weighted?.actions ?? [], colorOfGroup),
    tags: normalise(service?.tags),
    ...(Object.keys(ruleTags).length > 0 ? { ruleTags } : {}),
    testRules,
    testListeners: world.listeners
      .filter((l) => l !== listener && l.loadBalancerArn === listener?.loadBalancerArn)
      .map((l) => ({ port: l.port, forwardsTo: forwardsTo(l.defaultActions) }))
      .sort(byJson),
    scale: Object.fromEntries(
      (service?.taskSets ?? []).map((ts) => {
        const color = COLORS.find((c) => output(`${c}TaskSet`) === ts.id)
        return [color ?? ts.id, ts.scale.value]
      })
    )
  }
}

function weightsOf(actions: Action[], colorOf: (arn: string) => string): Record<string, number> {
  const forward = actions.find((a) => a.Type === 'forward')
  const groups = forward?.ForwardConfig?.TargetGroups ?? []
  if (groups.length === 0 && forward?.TargetGroupArn)
    return { [colorOf(forward.TargetGroupArn)]: 1 }
  return Object.fromEntries(groups.map((g) => [colorOf(g.TargetGroupArn ?? ''), g.Weight ?? 1]))
}

/**
 * What of a tag value must match between two runs: the stable and previous colours in full; the
 * test rule's ARN only as whether it names a rule that still exists (a rerun creates its own); a
 * lease as the kind of run that holds it; any other value (the record of the last promote) with
 * the times and run identity taken out.
 */
export function normaliseTag(
  tag: Tag,
  { tagKey, runIds }: { tagKey: string; runIds: readonly string[] },
  world: World
): string {
  if (tag.key === tagKey || tag.key === `${tagKey}Previous`) return tag.value
  if (tag.key === `${tagKey}Lease`) {
    // Who holds it differs from run to run (each run has its own id); what kind of run left it
    // (a rollback leaves its lease, which blocks nobody) must not.
    return `held by a ${/ job \S+ (\S+) until /.exec(tag.value)?.[1] ?? '?'} run`
  }
  if (tag.key === `${tagKey}TestRule`) {
    return world.rules.some((r) => r.arn === tag.value) ? '<a rule>' : '<a missing rule>'
  }
  return normaliseVolatile(tag.value, runIds)
}

/**
 * An expired lease blocks no run and changes nothing a run does (a rollback leaves one on
 * purpose), so it is no part of the state a deployment is judged by.
 */
export function isInertLease(tag: Tag, tagKey: string): boolean {
  if (tag.key !== `${tagKey}Lease`) return false
  const until = Date.parse(/ until (\S+) /.exec(tag.value)?.[1] ?? '')
  return !Number.isNaN(until) && until <= Date.now()
}

/** Replaces times, the given run ids, and an attempt number with placeholders. */
export function normaliseVolatile(value: string, runIds: readonly string[]): string {
  let out = value.replace(
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g,
    '<time>'
  )
  // Longest first, so a run URL goes before the bare id inside it.
  for (const id of [...runIds].sort((a, b) => b.length - a.length)) {
    if (id !== '') out = out.split(id).join('<run>')
  }
  return out
    .replace(/<run>([/:#.-])\d+\b/g, '<run>$1<attempt>')
    .replace(/(attempts?\W{0,3})\d+\b/gi, '$1<attempt>')
    .replace(/\b\d{10,}\b/g, '<time>')
}

/** A value with object keys in order, so equal data prints as equal JSON. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)])
  )
}

function sortedCanonical(values: unknown[]): unknown[] {
  return values.map(canonical).sort(byJson)
}

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b))
}
