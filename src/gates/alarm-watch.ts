import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type CompositeAlarm,
  type MetricAlarm
} from '@aws-sdk/client-cloudwatch'
import { awsCall } from '../aws/call.js'
import { StateError } from '../errors.js'
import type { AlarmInputs } from '../inputs.js'
import { judgeAlarms, type AlarmState, type AlarmWatch } from './alarms.js'

/**
 * The CloudWatch reads behind the alarm gate, in a module of their own: it is loaded only by a
 * run that names alarms (compose.ts), so no other run evaluates the CloudWatch SDK.
 */

const DESCRIBE = 'cloudwatch:DescribeAlarms'

/** A watch over the named alarms and those under the prefix. */
export function createAlarmWatch(config: AlarmInputs, cloudwatch: CloudWatchClient): AlarmWatch {
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
