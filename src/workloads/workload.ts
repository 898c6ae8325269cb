import type { Color, PerColor } from '../color.js'

/** One colour's running copy of the service (a task set today), as the summary shows it. */
export interface WorkloadUnit {
  color: Color
  /** ARN (or other unique id) reported in outputs. */
  arn: string
  /** Short name shown in the summary. */
  label: string
  /** What the unit is, for the summary's row ("Service tasks"); the shape's default when absent. */
  noun?: string
  status: string
  stability: string
  running: number
  desired: number
  taskDefinitionArn?: string
}

/** Health of the targets registered in one target group; draining targets are left out. */
export interface TargetHealthSummary {
  targetGroupArn: string
  total: number
  healthy: number
  notHealthy: { id: string; state: string; reason?: string }[]
  /** True when the health was not read at all. */
  unread?: boolean
}

/** What a workload knows of one colour at one moment. */
export interface ColorHealth {
  unit: WorkloadUnit
  targets: TargetHealthSummary
  /** What keeps the colour from taking more traffic, in words; empty when it is ready. */
  blockers: string[]
  /**
   * The blockers no wait clears (a canary task that stopped by itself): a health wait ends at
   * once on them instead of running out its timeout. Absent when there are none.
   */
  fatal?: string[]
  /** True when the colour has been scaled to nothing (after a promote with scale-down). */
  retired: boolean
}

/** Task definition facts for the report. */
export interface TaskDefinitionInfo {
  arn: string
  familyRevision: string
  images: string[]
}

/**
 * What the pipeline needs from a workload: both colours as discovered, a fresh look at one colour
 * while waiting for it, and a way to free or bring back a colour's capacity. Each kind (ECS task
 * sets, two services, standalone canary tasks) is one module implementing this.
 */
export interface Workload {
  readonly kind: string
  /** Both colours as discovery read them. */
  readonly discovered: PerColor<ColorHealth>
  probe(color: Color): Promise<ColorHealth>
  /** Frees the colour's capacity after it stopped serving; returns what was written. */
  retire(color: Color): Promise<string | undefined>
  /** Brings a retired colour back to full size; returns what was written, or undefined. */
  restore(color: Color): Promise<string | undefined>
  details(): Promise<PerColor<TaskDefinitionInfo | undefined>>
  /**
   * True when the colour keeps units that no route needs once it has all traffic through another
   * unit or none (standalone canary tasks); `release` is then called, under the lease.
   */
  releasable(color: Color): boolean
  /** Frees those units (deregistered and drained first, then stopped); returns what was written. */
  release(color: Color): Promise<string[]>
  /**
   * True when a plain rollback has nothing to take back but the last promote (no canary unit runs
   * and the workload knows the revision to return to): the rollback then undoes it.
   */
  readonly undoOnRollback: boolean
}
