/**
 * Fault injection. Faults are consumed per request so a test can say exactly how many calls fail
 * ("throttle the next 2 ModifyRule calls") and check that the SDK's retries survive or surface them.
 *
 * Operation patterns: `ModifyRule` (any service), `elbv2:ModifyRule`, `elbv2:*`, or `*`.
 */
import type { World } from './world.js'

/**
 * - throttle: ECS `ThrottlingException` / query `Throttling` (400), which the SDK retries.
 * - http500: HTTP 500 `InternalFailure`, retried by the SDK as a transient error.
 * - unavailable: HTTP 503 `ServiceUnavailableException` / `ServiceUnavailable`, what a regional
 *   outage answers; the SDK retries it as transient up to its maxAttempts, then gives up.
 * - reset: the socket is destroyed before any response (the SDK sees ECONNRESET and retries).
 * - deny: ECS `AccessDeniedException` / query `AccessDenied` (400), not retried.
 */
export type FaultKind = 'throttle' | 'http500' | 'unavailable' | 'reset' | 'deny'

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'http500',
  'unavailable',
  'reset',
  'deny'
]

export interface RequestInfo {
  service: string
  operation: string
}

export interface AfterWriteContext extends RequestInfo {
  world: World
  input: Record<string, unknown>
}

export type AfterWriteHook = (ctx: AfterWriteContext) => void | Promise<void>

/** Writes change state. Set*, Put*, Register*, Deregister*, Add* and Remove* are writes too
 * (SetRulePriorities, SetAlarmState, ELB's AddTags, RemoveTags, RegisterTargets and
 * DeregisterTargets), and so are ECS's RunTask and StopTask, which start and stop tasks. */
export function isWrite(operation: string): boolean {
  return /^(Modify|Tag|Untag|Update|Create|Delete|Set|Put|Register|Deregister|Add|Remove|Change|RunTask$|StopTask$)/.test(
    operation
  )
}

/** A TagResource or UntagResource of the lease tag (`…Lease`) alone: each writing run takes the
 * lease first and gives it back last, so a run that changed nothing else still writes it. */
export function isLeaseWrite(entry: {
  operation: string
  input?: Record<string, unknown>
}): boolean {
  const input = entry.input ?? {}
  const keys =
    entry.operation === 'TagResource'
      ? ((input.tags ?? []) as { key?: string }[]).map((t) => t.key)
      : entry.operation === 'UntagResource'
        ? ((input.tagKeys ?? []) as string[])
        : []
  return keys.length > 0 && keys.every((key) => key?.endsWith('Lease'))
}

export function matches(pattern: string, { service, operation }: RequestInfo): boolean {
  return (
    pattern === '*' ||
    pattern === operation ||
    pattern === `${service}:${operation}` ||
    pattern === `${service}:*`
  )
}

interface CountedFault {
  kind: FaultKind
  operation: string
  remaining: number
}

interface WriteFault {
  kind: FaultKind
  /** Writes still to pass before the failing one. */
  skip: number
}

interface Hook {
  operation: string
  hook: AfterWriteHook
  remaining: number
}

interface NthWriteHook {
  hook: AfterWriteHook
  /** Successful writes still to pass before the one the hook follows. */
  skip: number
}

export class Faults {
  /** Added before every sandbox request is handled (control API requests excluded). */
  latencyMs = 0
  private counted: CountedFault[] = []
  private writeFault?: WriteFault
  /** Set while an outage lasts: every write from the `skip + 1`-th on fails. */
  private outage?: WriteFault
  private hooks: Hook[] = []
  private nthHooks: NthWriteHook[] = []

  /** The next `count` calls matching `operation` fail with `kind`. */
  inject(kind: FaultKind, operation: string, count = 1): this {
    this.counted.push({ kind, operation, remaining: count })
    return this
  }

  throttle(operation: string, count = 1): this {
    return this.inject('throttle', operation, count)
  }

  serverError(operation: string, count = 1): this {
    return this.inject('http500', operation, count)
  }

  resetConnection(operation: string, count = 1): this {
    return this.inject('reset', operation, count)
  }

  denyAccess(operation: string, count = 1): this {
    return this.inject('deny', operation, count)
  }

  /** The nth write request from now (1 = the next one, retries count) fails with `kind`. */
  failNthWrite(nth: number, kind: FaultKind = 'http500'): this {
    this.writeFault = { kind, skip: Math.max(0, nth - 1) }
    return this
  }

  /**
   * An outage of every write: the nth write request from now (1 = the next one, SDK retries
   * count) and all after it fail with `kind` until clear(). Reads still answer, as they do when
   * only a control plane's mutating side is down. The default, HTTP 503, is retried by the SDK up
   * to its maxAttempts and then surfaces, so a run meets a bounded outage instead of hanging.
   */
  failWritesFrom(nth: number, kind: FaultKind = 'unavailable'): this {
    this.outage = { kind, skip: Math.max(0, nth - 1) }
    return this
  }

  /**
   * Runs `hook` once, after the nth successful write from now (1 = the next one) is applied and
   * before its response is sent. Failed writes and reads do not count. The e2e crash matrix kills
   * the action here, so it dies with the write done and its answer unseen.
   */
  afterNthWrite(nth: number, hook: AfterWriteHook): this {
    this.nthHooks.push({ hook, skip: Math.max(0, nth - 1) })
    return this
  }

  /**
   * Runs `hook` after a successful write matching `operation`, before its response is sent, so the
   * caller's next read sees whatever the hook changed (a second writer racing the action).
   */
  afterWrite(operation: string, hook: AfterWriteHook, times = 1): this {
    this.hooks.push({ operation, hook, remaining: times })
    return this
  }

  clear(): void {
    this.latencyMs = 0
    this.counted = []
    this.writeFault = undefined
    this.outage = undefined
    this.hooks = []
    this.nthHooks = []
  }

  /** The fault for this request, if any; consumes it. */
  take(request: RequestInfo): FaultKind | undefined {
    if (isWrite(request.operation) && this.outage) {
      if (this.outage.skip === 0) return this.outage.kind
      this.outage.skip -= 1
    }
    if (isWrite(request.operation) && this.writeFault) {
      if (this.writeFault.skip === 0) {
        const { kind } = this.writeFault
        this.writeFault = undefined
        return kind
      }
      this.writeFault.skip -= 1
    }
    const fault = this.counted.find((f) => f.remaining > 0 && matches(f.operation, request))
    if (!fault) return undefined
    fault.remaining -= 1
    this.counted = this.counted.filter((f) => f.remaining > 0)
    return fault.kind
  }

  /** The hooks due after this successful write; consumes one run of each. */
  takeHooks(request: RequestInfo): AfterWriteHook[] {
    if (!isWrite(request.operation)) return []
    const due = this.hooks.filter((h) => h.remaining > 0 && matches(h.operation, request))
    for (const h of due) h.remaining -= 1
    this.hooks = this.hooks.filter((h) => h.remaining > 0)
    const nth = this.nthHooks.filter((h) => h.skip === 0)
    for (const h of this.nthHooks) h.skip -= 1
    this.nthHooks = this.nthHooks.filter((h) => h.skip >= 0)
    return [...due.map((h) => h.hook), ...nth.map((h) => h.hook)]
  }

  /** What is still armed, for `GET /_sandbox/faults`. */
  pending() {
    return {
      latencyMs: this.latencyMs,
      faults: this.counted.map(({ kind, operation, remaining }) => ({
        kind,
        operation,
        remaining
      })),
      failWrite: this.writeFault && { kind: this.writeFault.kind, nth: this.writeFault.skip + 1 },
      failWrites: this.outage && { kind: this.outage.kind, from: this.outage.skip + 1 },
      afterWrite: this.hooks.map(({ operation, remaining }) => ({ operation, remaining })),
      afterNthWrite: this.nthHooks.map(({ skip }) => ({ nth: skip + 1 }))
    }
  }
}
