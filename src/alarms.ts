import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type CompositeAlarm,
  type MetricAlarm
} from '@aws-sdk/client-cloudwatch'
import { awsCall } from './aws/call.js'
import { StateError } from './errors.js'
import type { AlarmInputs } from './inputs.js'

export interface AlarmState {
  name: string
  state: string
  reason: string
}

export interface AlarmCheck {
  alarms: AlarmState[]
  /** Alarms that fail the gate: ALARM, and INSUFFICIENT_DATA when that counts as failure. */
  failing: AlarmState[]
}

/** Which alarms fail the gate; pure. */
export function judgeAlarms(alarms: AlarmState[], treatMissingDataAsFailure: boolean): AlarmCheck {
  const failing = alarms.filter(
    (a) => a.state === 'ALARM' || (treatMissingDataAsFailure && a.state === 'INSUFFICIENT_DATA')
  )
  return { alarms, failing }
}

/** `name is ALARM (reason)` lines for messages and the summary. */
export function describeAlarms(alarms: AlarmState[]): string {
  return alarms.map((a) => `${a.name} is ${a.state}${a.reason ? ` (${a.reason})` : ''}`).join('; ')
}

/** Reads the configured alarms; `undefined` when no alarm is configured. */
export type AlarmWatch = () => Promise<AlarmCheck>

const DESCRIBE = 'cloudwatch:DescribeAlarms'

/**
 * A watch over the named alarms and those under the prefix. The client is created only when
 * alarms are configured. (It is imported statically: ncc writes the license file of a split
 * chunk over the main bundle's, so a dynamic import would drop the bundled licenses.)
 */
export function createAlarmWatch(
  config: AlarmInputs,
  region: string,
  client?: CloudWatchClient
): AlarmWatch | undefined {
  if (config.names.length === 0 && !config.prefix) return undefined
  const cloudwatch = client ?? new CloudWatchClient({ region, maxAttempts: 5 })
  const describe = async (input: { AlarmNames?: string[]; AlarmNamePrefix?: string }) => {
    const found: (MetricAlarm | CompositeAlarm)[] = []
    let NextToken: string | undefined
    do {
      const page = await awsCall(DESCRIBE, () =>
        cloudwatch.send(
          new DescribeAlarmsCommand({
            ...input,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken
          })
        )
      )
      found.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []))
      NextToken = page.NextToken
    } while (NextToken)
    return found
  }
  return async () => {
    const byNames: Promise<(MetricAlarm | CompositeAlarm)[]>[] = []
    for (let i = 0; i < config.names.length; i += 100) {
      byNames.push(describe({ AlarmNames: config.names.slice(i, i + 100) }))
    }
    const [named, prefixed] = await Promise.all([
      Promise.all(byNames).then((pages) => pages.flat()),
      config.prefix ? describe({ AlarmNamePrefix: config.prefix }) : Promise.resolve([])
    ])
    const missing = config.names.filter((name) => !named.some((a) => a.AlarmName === name))
    if (missing.length > 0) {
      throw new StateError(
        `CloudWatch has no alarm named ${missing.join(', ')} in this account and region. Check "alarms".`
      )
    }
    if (config.prefix && prefixed.length === 0) {
      throw new StateError(
        `No CloudWatch alarm name starts with "${config.prefix}": a gate on it would watch nothing. Check "alarm-prefix".`
      )
    }
    const byName = new Map<string, AlarmState>()
    for (const alarm of [...named, ...prefixed]) {
      const name = alarm.AlarmName ?? '?'
      byName.set(name, {
        name,
        state: alarm.StateValue ?? 'UNKNOWN',
        reason: alarm.StateReason ?? ''
      })
    }
    return judgeAlarms([...byName.values()], config.treatMissingDataAsFailure)
  }
}
