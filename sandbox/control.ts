/**
 * The control API under `/_sandbox/` (JSON in, JSON out), for driving the sandbox from another
 * process — a shell, a workflow step, the action run by hand. Jest tests can use the objects
 * returned by startSandbox instead. Routes are documented in sandbox/README.md.
 */
import { FAULT_KINDS, type FaultKind } from './faults.js'
import { MUTATION_TYPES, applyMutation, type Mutation, type MutationType } from './mutations.js'
import type { WireResponse } from './protocols/wire.js'
import type { Sandbox } from './sandbox-types.js'
import { variantNames } from './variants.js'
import type { World } from './world.js'

export type FaultSpec =
  | { kind: FaultKind; operation: string; count?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'fail-write'; nth: number; as?: FaultKind }
  | { kind: 'fail-writes'; from: number; as?: FaultKind }
  | { kind: 'after-write'; operation: string; mutation: Mutation; times?: number }
  | { kind: 'after-write'; nth: number; mutation: Mutation }
  | { kind: 'kill-after-write'; nth: number; pid: number }
  | { kind: 'clear' }

export interface ScheduleSpec {
  delayMs: number
  mutation: Mutation
}

function checkScheduleSpec(spec: ScheduleSpec): void {
  if (spec === null || typeof spec !== 'object') throw new Error('expected {delayMs, mutation}')
  if (typeof spec.delayMs !== 'number' || !(spec.delayMs >= 0))
    throw new Error('delayMs must be a non-negative number')
  const type = (spec.mutation as { type?: unknown } | undefined)?.type
  if (!MUTATION_TYPES.includes(type as MutationType))
    throw new Error(`mutation.type must be one of ${MUTATION_TYPES.join(', ')}`)
}

export async function handleControl(
  sandbox: Sandbox,
  method: string,
  path: string,
  body: string
): Promise<WireResponse> {
  const route = `${method} ${path.replace(/^\/_sandbox\//, '').replace(/\/$/, '')}`
  try {
    const input: unknown = body.trim() === '' ? {} : JSON.parse(body)
    switch (route) {
      case 'GET state':
        return ok(sandbox.world)
      case 'GET log':
        return ok(sandbox.log)
      case 'GET faults':
        return ok(sandbox.faults.pending())
      case 'GET worlds':
        return ok(variantNames)
      case 'GET schedule':
        return ok({ pending: sandbox.scheduler.pending(), fired: sandbox.scheduler.fired })
      case 'POST schedule': {
        const specs = (Array.isArray(input) ? input : [input]) as ScheduleSpec[]
        // All or nothing: a bad entry schedules none of the batch.
        specs.forEach(checkScheduleSpec)
        const scheduled: ReturnType<Sandbox['schedule']>[] = []
        try {
          for (const spec of specs) scheduled.push(sandbox.schedule(spec.delayMs, spec.mutation))
        } catch (err) {
          for (const entry of scheduled) entry.cancel()
          throw err
        }
        const out = scheduled.map(({ id, mutation, dueAt }) => ({ id, mutation, dueAt }))
        return ok(Array.isArray(input) ? out : out[0])
      }
      case 'POST reset':
        sandbox.reset((input as { world?: World | string }).world)
        return ok({ reset: true })
      case 'POST faults':
        for (const spec of Array.isArray(input) ? input : [input])
          addFault(sandbox, spec as FaultSpec)
        return ok(sandbox.faults.pending())
    }
    const type = route.replace(/^POST /, '') as MutationType
    if (method === 'POST' && MUTATION_TYPES.includes(type)) {
      applyMutation(sandbox.world, { ...(input as object), type } as Mutation)
      return ok(sandbox.world)
    }
    return reply(404, { error: `no control route ${route}` })
  } catch (err) {
    return reply(400, { error: err instanceof Error ? err.message : String(err) })
  }
}

function addFault(sandbox: Sandbox, spec: FaultSpec): void {
  const { faults } = sandbox
  switch (spec.kind) {
    case 'latency':
      faults.latencyMs = Number(spec.ms) || 0
      return
    case 'fail-write':
      faults.failNthWrite(spec.nth, spec.as)
      return
    case 'fail-writes':
      if (spec.as !== undefined && !FAULT_KINDS.includes(spec.as)) {
        throw new Error(`as must be one of ${FAULT_KINDS.join(', ')}`)
      }
      faults.failWritesFrom(positive(spec.from, 'from'), spec.as)
      return
    case 'after-write': {
      const { mutation } = spec
      const hook = ({ world }: { world: World }) => applyMutation(world, mutation)
      if ('nth' in spec) faults.afterNthWrite(positive(spec.nth, 'nth'), hook)
      else faults.afterWrite(spec.operation, hook, spec.times)
      return
    }
    case 'kill-after-write': {
      const pid = positive(spec.pid, 'pid')
      // SIGKILL cannot be caught: the process never runs again, so it never reads the answer
      // that is sent after this hook returns.
      faults.afterNthWrite(positive(spec.nth, 'nth'), () => {
        process.kill(pid, 'SIGKILL')
      })
      return
    }
    case 'clear':
      faults.clear()
      return
    default:
      if (!FAULT_KINDS.includes(spec.kind) || typeof spec.operation !== 'string') {
        throw new Error(`unknown fault ${JSON.stringify(spec)}`)
      }
      faults.inject(spec.kind, spec.operation, spec.count)
  }
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer`)
  }
  return value
}

const ok = (value: unknown) => reply(200, value)

function reply(status: number, value: unknown): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value, null, 2)
  }
}
