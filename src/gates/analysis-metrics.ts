import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult
} from '@aws-sdk/client-cloudwatch'
import { awsCall } from '../aws/call.js'
import { COLORS, type PerColor } from '../color.js'
import type { ColorMetrics, MetricWindow } from './analysis-judge.js'

/**
 * Reads what the Application Load Balancer publishes per target group (`AWS/ApplicationELB`,
 * dimensions `LoadBalancer` and `TargetGroup`) for both colours in one GetMetricData call. The
 * window is asked for as one period, so each statistic (the percentiles above all) covers exactly
 * the window judged instead of being pieced together from smaller periods.
 */
export type MetricsRead = (window: MetricWindow) => Promise<PerColor<ColorMetrics>>

/** The ALB's dimension values: `app/NAME/ID` and `targetgroup/NAME/ID`. */
export interface AlbDimensions {
  loadBalancer: string
  targetGroups: PerColor<string>
}

const GET = 'cloudwatch:GetMetricData'
const NAMESPACE = 'AWS/ApplicationELB'

/** `app/NAME/ID` from any ARN under a load balancer (its listener's, a rule's, its own). */
export function loadBalancerDimension(arn: string): string | undefined {
  return /:(?:loadbalancer|listener|listener-rule)\/(app\/[^/]+\/[^/]+)/.exec(arn)?.[1]
}

/** `targetgroup/NAME/ID` from a target group's ARN. */
export function targetGroupDimension(arn: string): string | undefined {
  return /:(targetgroup\/[^/]+\/[^/]+)$/.exec(arn)?.[1]
}

const SERIES = {
  requests: { metric: 'RequestCount', stat: 'Sum' },
  target5xx: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
  connectionErrors: { metric: 'TargetConnectionErrorCount', stat: 'Sum' },
  p50: { metric: 'TargetResponseTime', stat: 'p50' },
  p99: { metric: 'TargetResponseTime', stat: 'p99' }
} as const

type Series = keyof typeof SERIES

const idOf = (color: string, series: Series) => `${color.toLowerCase()}_${series}`

/** The ten queries: five series for each colour, each one period as long as the window. */
export function metricQueries(dimensions: AlbDimensions, periodS: number): MetricDataQuery[] {
  return COLORS.flatMap((color) =>
    (Object.keys(SERIES) as Series[]).map((series) => ({
      Id: idOf(color, series),
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: NAMESPACE,
          MetricName: SERIES[series].metric,
          Dimensions: [
            { Name: 'LoadBalancer', Value: dimensions.loadBalancer },
            { Name: 'TargetGroup', Value: dimensions.targetGroups[color] }
          ]
        },
        Period: periodS,
        Stat: SERIES[series].stat
      }
    }))
  )
}

export function createMetricsRead(
  cloudwatchClient: () => Promise<CloudWatchClient>,
  dimensions: AlbDimensions
): MetricsRead {
  return async (window) => {
    // Loaded at the first read: a run without analysis never evaluates the CloudWatch SDK.
    const cloudwatch = await cloudwatchClient()
    const periodS = Math.round((window.end - window.start) / 1000)
    const queries = metricQueries(dimensions, periodS)
    const results: MetricDataResult[] = []
    let NextToken: string | undefined
    do {
      const page = await awsCall(GET, () =>
        cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            NextToken
          })
        )
      )
      results.push(...(page.MetricDataResults ?? []))
      NextToken = page.NextToken
    } while (NextToken)
    return {
      Blue: colorMetrics(results, 'Blue'),
      Green: colorMetrics(results, 'Green')
    }
  }
}

/**
 * One colour's numbers: counts summed over the values returned (one, or none when the load
 * balancer published nothing: it publishes only when requests flow), percentiles when present.
 */
export function colorMetrics(results: MetricDataResult[], color: string): ColorMetrics {
  const values = (series: Series) =>
    results.filter((r) => r.Id === idOf(color, series)).flatMap((r) => r.Values ?? [])
  const sum = (series: Series) => values(series).reduce((total, v) => total + v, 0)
  // Several values only when CloudWatch split the window; the worst one is the honest summary.
  const highest = (series: Series) => {
    const found = values(series)
    return found.length > 0 ? Math.max(...found) * 1000 : undefined
  }
  const p50Ms = highest('p50')
  const p99Ms = highest('p99')
  return {
    requests: sum('requests'),
    errors: sum('target5xx') + sum('connectionErrors'),
    ...(p50Ms !== undefined ? { p50Ms } : {}),
    ...(p99Ms !== undefined ? { p99Ms } : {})
  }
}
