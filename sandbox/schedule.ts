/**
 * Mutations applied later: `sandbox.schedule(delayMs, mutation)` and `POST /_sandbox/schedule`,
 * so a test can make something happen in the middle of what it is watching (an alarm firing during
 * a bake, a target group turning unhealthy after the gate started). A mutation is checked against a
 * copy of the world when it is scheduled, so a typo fails at once, not silently later. Timers are
 * real, unref'd, and cleared by reset and stop.
 */
import { applyMutation, type Mutation } from './mutations.js'
import type { World } from './world.js'

export interface ScheduledMutation {
  id: number
  mutation: Mutation
  /** ms epoch. */
  dueAt: number
}

export interface FiredMutation extends ScheduledMutation {
  /** ms epoch. */
  firedAt: number
  /** Set when the mutation no longer applied to the world at that time. */
  error?: string
}

export class Scheduler {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>()
  private readonly queued = new Map<number, ScheduledMutation>()
  private nextId = 1
  /** What has run since the last clear, in firing order. */
  readonly fired: FiredMutation[] = []

  constructor(private readonly getWorld: () => World) {}

  schedule(delayMs: number, mutation: Mutation): ScheduledMutation & { cancel(): boolean } {
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
      throw new Error('delayMs must be a non-negative number')
    }
    if (mutation === null || typeof mutation !== 'object') throw new Error('mutation is required')
    // Fails now if the mutation does not fit the world (unknown alarm, target group, ...).
    applyMutation(structuredClone(this.getWorld()), mutation)
    const entry: ScheduledMutation = {
      id: this.nextId++,
      mutation: structuredClone(mutation),
      dueAt: Date.now() + delayMs
    }
    const timer = setTimeout(() => this.fire(entry), delayMs)
    timer.unref()
    this.timers.set(entry.id, timer)
    this.queued.set(entry.id, entry)
    return { ...entry, cancel: () => this.cancel(entry.id) }
  }

  cancel(id: number): boolean {
    const timer = this.timers.get(id)
    if (!timer) return false
    clearTimeout(timer)
    this.timers.delete(id)
    this.queued.delete(id)
    return true
  }

  /** Mutations still waiting, soonest first. */
  pending(): ScheduledMutation[] {
    return [...this.queued.values()].sort((a, b) => a.dueAt - b.dueAt)
  }

  /** Drops every pending mutation and the fired history (reset, stop). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    this.queued.clear()
    this.fired.length = 0
  }

  private fire(entry: ScheduledMutation): void {
    this.timers.delete(entry.id)
    this.queued.delete(entry.id)
    const fired: FiredMutation = { ...entry, firedAt: Date.now() }
    try {
      applyMutation(this.getWorld(), entry.mutation)
    } catch (err) {
      fired.error = err instanceof Error ? err.message : String(err)
      console.error(`sandbox: scheduled mutation ${entry.id} failed: ${fired.error}`)
    }
    this.fired.push(fired)
  }
}
