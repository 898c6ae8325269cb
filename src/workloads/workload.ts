import type { Color, PerColor } from '../color.js'

/** One colour's running copy of the service: a task set today, a standalone task later. */
export interface WorkloadUnit {
  color: Color
  /** ARN (or other unique id) reported in outputs. */
  arn: string
  /** Short name shown in the summary. */
  label: string
  status: string
  stability: string
  running: number
  desired: number
  /** Scale in percent of the service's desired count. */
  scale: number
  taskDefinitionArn?: string
}

/** Health of the targets registered in one target group; draining targets are left out. */
export interface TargetHealthSummary {
  targetGroupArn: string
  total: number
  healthy: number
  notHealthy: { id: string; state: string; reason?: string }[]
}

export interface ColorHealth {
  unit: WorkloadUnit
  targets: TargetHealthSummary
}

/** Task definition facts for the report. */
export interface TaskDefinitionInfo {
  arn: string
  familyRevision: string
  images: string[]
}

/**
 * What the pipeline needs from a workload: the state of both colours as discovered, a way to
 * look at one colour again while waiting for it to be healthy, and report-only details.
 */
export interface Workload {
  readonly kind: string
  readonly health: PerColor<ColorHealth>
  probe(color: Color): Promise<ColorHealth>
  /** Sets a colour's share of the service's desired count, in percent. */
  scale(color: Color, percent: number): Promise<void>
  details(): Promise<PerColor<TaskDefinitionInfo | undefined>>
}
