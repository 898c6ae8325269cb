/**
 * The load balancer's per-target-group metrics, as CloudWatch serves them: the demo router records
 * every request it routes (target group, load balancer, status, latency, whether the target or the
 * load balancer answered), and GetMetricData aggregates those records into the `AWS/ApplicationELB`
 * series the action reads, by the ALB's own dimensions (`LoadBalancer` = `app/NAME/ID`,
 * `TargetGroup` = `targetgroup/NAME/ID`).
 *
 * Faithful where the action's judgement depends on it:
 * - A record is published `world.metrics.delayMs` after it was made (CloudWatch's publication
 *   delay); a query sees nothing newer.
 * - Buckets start at StartTime (rounded down to the minute for periods of 60 s and more, to the
 *   period below), `Period` apart, up to EndTime (exclusive). A bucket with no data has no data
 *   point: the load balancer publishes a count only when it is non-zero, a percentile only when a
 *   request was timed.
 * - Periods must be 1, 5, 10, 30 or a multiple of 60; Ids must start with a lower-case letter;
 *   StartTime must be before EndTime; at most 500 queries. Errors use CloudWatch's awsQuery codes.
 */
import { AwsError } from './services/service.js'
import type { MetricsState, RequestRecord, World } from './world.js'

/** The default publication delay in the sandbox: real CloudWatch takes about a minute. */
export const DEFAULT_METRICS_DELAY_MS = 1000

export function metricsOf(world: World): MetricsState {
  world.metrics ??= { delayMs: DEFAULT_METRICS_DELAY_MS, records: [] }
  return world.metrics
}

export function recordRequest(world: World, record: RequestRecord): void {
  metricsOf(world).records.push(record)
}

/** `app/NAME/ID` or `targetgroup/NAME/ID`: the resource part of an ELB ARN. */
export function dimensionOf(arn: string): string {
  return arn
    .split(':')
    .slice(5)
    .join(':')
    .replace(/^loadbalancer\//, '')
}

type Input = Record<string, unknown>

const validation = (message: string) => new AwsError('InvalidParameterValue', message)

interface Query {
  id: string
  namespace: string
  metricName: string
  dimensions: Record<string, string>
  periodS: number
  stat: string
}

function parseQuery(raw: unknown, index: number): Query {
  const q = (raw ?? {}) as Input
  const id = q.Id
  if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9_]{0,254}$/.test(id)) {
    throw validation(
      `The value ${String(id)} for parameter MetricDataQueries.member.${index + 1}.Id is not valid: it must start with a lower-case letter and contain only letters, numbers and underscores.`
    )
  }
  const stat = (q.MetricStat ?? undefined) as Input | undefined
  const metric = (stat?.Metric ?? {}) as Input
  if (!stat || typeof metric.MetricName !== 'string' || typeof metric.Namespace !== 'string') {
    throw new AwsError(
      'MissingParameter',
      `The parameter MetricDataQueries.member.${index + 1}.MetricStat is required (the sandbox does not evaluate Expression).`
    )
  }
  const periodS = stat.Period
  if (
    typeof periodS !== 'number' ||
    !Number.isInteger(periodS) ||
    !([1, 5, 10, 30].includes(periodS) || (periodS > 0 && periodS % 60 === 0))
  ) {
    throw validation(
      `The parameter MetricDataQueries.member.${index + 1}.MetricStat.Period must be 1, 5, 10, 30, or a multiple of 60.`
    )
  }
  const statName = stat.Stat
  if (
    typeof statName !== 'string' ||
    !/^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d{1,2})?)$/.test(statName)
  ) {
    throw validation(
      `The parameter MetricDataQueries.member.${index + 1}.MetricStat.Stat is not a valid statistic: ${String(statName)}.`
    )
  }
  const dimensions: Record<string, string> = {}
  for (const d of (metric.Dimensions ?? []) as Input[]) {
    if (typeof d.Name === 'string' && typeof d.Value === 'string') dimensions[d.Name] = d.Value
  }
  return {
    id,
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions,
    periodS,
    stat: statName
  }
}

/** The records a series counts, and the value each contributes. */
function seriesValues(metricName: string, records: RequestRecord[]): number[] | undefined {
  switch (metricName) {
    case 'RequestCount':
      return records.map(() => 1)
    case 'HTTPCode_Target_5XX_Count':
      return records.filter((r) => r.source === 'target' && r.status >= 500).map(() => 1)
    case 'HTTPCode_Target_2XX_Count':
      return records.filter((r) => r.source === 'target' && r.status < 300).map(() => 1)
    case 'TargetConnectionErrorCount':
      return records.filter((r) => r.source === 'connection').map(() => 1)
    case 'TargetResponseTime':
      return records.filter((r) => r.ms !== undefined).map((r) => (r.ms ?? 0) / 1000)
    default:
      return undefined
  }
}

function statistic(stat: string, values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0)
    case 'SampleCount':
      return values.length
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length
    case 'Minimum':
      return sorted[0]
    case 'Maximum':
      return sorted[sorted.length - 1]
    default: {
      // pNN: the nearest-rank percentile.
      const p = Number(stat.slice(1)) / 100
      return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]
    }
  }
}

const seconds = (value: unknown, name: string): number => {
  if (typeof value !== 'number') {
    throw new AwsError('MissingParameter', `The parameter ${name} is required.`)
  }
  return value * 1000
}

export function getMetricData(input: Input, world: World, now: number) {
  const raw = input.MetricDataQueries
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 500) {
    throw validation('The parameter MetricDataQueries must contain between 1 and 500 queries.')
  }
  const queries = raw.map(parseQuery)
  const start = seconds(input.StartTime, 'StartTime')
  const end = seconds(input.EndTime, 'EndTime')
  if (start >= end) {
    throw validation('The parameter StartTime must be less than the parameter EndTime.')
  }
  const { delayMs, records } = metricsOf(world)
  const published = records.filter((r) => r.at <= now - delayMs)
  const results = queries.map((q) => {
    const periodMs = q.periodS * 1000
    const from = Math.floor(start / Math.min(periodMs, 60_000)) * Math.min(periodMs, 60_000)
    const matching =
      q.namespace === 'AWS/ApplicationELB'
        ? published.filter(
            (r) =>
              (q.dimensions.LoadBalancer === undefined ||
                q.dimensions.LoadBalancer === dimensionOf(r.loadBalancerArn)) &&
              (q.dimensions.TargetGroup === undefined ||
                q.dimensions.TargetGroup === dimensionOf(r.targetGroupArn)) &&
              Object.keys(q.dimensions).every((k) => k === 'LoadBalancer' || k === 'TargetGroup')
          )
        : []
    const timestamps: Date[] = []
    const values: number[] = []
    for (let bucket = from; bucket < end; bucket += periodMs) {
      const inBucket = matching.filter((r) => r.at >= bucket && r.at < bucket + periodMs)
      const series = seriesValues(q.metricName, inBucket)
      if (!series || series.length === 0) continue
      timestamps.push(new Date(bucket))
      values.push(statistic(q.stat, series))
    }
    // TimestampDescending, CloudWatch's default order.
    return {
      Id: q.id,
      Label: q.metricName,
      Timestamps: timestamps.reverse(),
      Values: values.reverse(),
      StatusCode: 'Complete'
    }
  })
  return { MetricDataResults: results, Messages: [] }
}
