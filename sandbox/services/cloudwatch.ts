/**
 * Amazon CloudWatch: DescribeAlarms and SetAlarmState, and GetMetricData over the load balancer's
 * request records (../metrics.ts).
 *
 * Protocol: the SDK v3 client (@aws-sdk/client-cloudwatch 3.1162.0) sends awsJson1_0 —
 * `POST /`, `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target:
 * GraniteServiceVersion20100801.<Operation>` — with the `@awsQueryCompatible` trait: it adds
 * `x-amzn-query-mode: true` and reads error codes from `x-amzn-query-error: Code;Sender` before
 * `__type`. So handlers throw the awsQuery codes (`ResourceNotFound`, `ValidationError`, ...),
 * which also serve awsQuery callers (signing name `monitoring`: older SDKs, curl).
 * Timestamps are returned as Dates: epoch seconds in JSON, ISO 8601 in XML.
 */
import { getMetricData } from '../metrics.js'
import { alarmRuleReferences, isAlarmState, setAlarmState, ALARM_STATES } from '../alarms.js'
import { findAlarm, type AlarmState, type World } from '../world.js'
import { AwsError, optString, stringList, type ServiceModule } from './service.js'

type Input = Record<string, unknown>

const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const
type AlarmType = (typeof ALARM_TYPES)[number]

const MAX_NAMES = 100
const DEFAULT_MAX_RECORDS = 50

const validation = (message: string) => new AwsError('ValidationError', message)

/** The message AWS gives for a member that fails its model constraint. */
const constraint = (value: unknown, member: string, rule: string) =>
  validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`
  )

const requiredMember = (input: Input, key: string): string => {
  const value = input[key]
  if (typeof value !== 'string') {
    const member = key[0].toLowerCase() + key.slice(1)
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`
    )
  }
  return value
}

const date = (ms: number) => new Date(ms)

function metricAlarmOut(a: AlarmState) {
  const m = a.metric
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    ...(a.description === undefined ? {} : { AlarmDescription: a.description }),
    AlarmConfigurationUpdatedTimestamp: date(a.configurationUpdatedAt),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state,
    StateReason: a.stateReason,
    ...(a.stateReasonData === undefined ? {} : { StateReasonData: a.stateReasonData }),
    StateUpdatedTimestamp: date(a.stateUpdatedAt),
    StateTransitionedTimestamp: date(a.stateTransitionedAt),
    ...(m
      ? {
          MetricName: m.metricName,
          Namespace: m.namespace,
          Statistic: m.statistic,
          Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          Period: m.period,
          ...(m.unit === undefined ? {} : { Unit: m.unit }),
          EvaluationPeriods: m.evaluationPeriods,
          ...(m.datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: m.datapointsToAlarm }),
          Threshold: m.threshold,
          ComparisonOperator: m.comparisonOperator,
          TreatMissingData: m.treatMissingData
        }
      : {})
  }
}

function compositeAlarmOut(a: AlarmState) {
  return {
    ActionsEnabled: a.actionsEnabled,
    AlarmActions: a.alarmActions,
    AlarmArn: a.arn,
    AlarmConfigurationUpdatedTimestamp: date(a.configurationUpdatedAt),
    ...(a.description === undefined ? {} : { AlarmDescription: a.description }),
    AlarmName: a.name,
    AlarmRule: a.alarmRule ?? 'FALSE',
    InsufficientDataActions: a.insufficientDataActions,
    OKActions: a.okActions,
    StateReason: a.stateReason,
    ...(a.stateReasonData === undefined ? {} : { StateReasonData: a.stateReasonData }),
    StateUpdatedTimestamp: date(a.stateUpdatedAt),
    StateValue: a.state,
    StateTransitionedTimestamp: date(a.stateTransitionedAt)
  }
}

/** NextToken is opaque to callers; here it is the offset into the sorted, filtered list. */
const encodeToken = (offset: number) => Buffer.from(`sandbox-alarms:${offset}`).toString('base64')

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0
  const match = Buffer.from(token, 'base64')
    .toString('utf8')
    .match(/^sandbox-alarms:(\d+)$/)
  if (!match) throw new AwsError('InvalidNextToken', 'The service cannot process the NextToken.')
  return Number(match[1])
}

function maxRecords(input: Input): number {
  const value = input.MaxRecords
  if (value === undefined) return DEFAULT_MAX_RECORDS
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    const rule =
      typeof value === 'number' && value > 100
        ? 'Member must have value less than or equal to 100'
        : 'Member must have value greater than or equal to 1'
    throw constraint(value, 'maxRecords', rule)
  }
  return value
}

function alarmTypes(input: Input): Set<AlarmType> {
  const types = stringList(input, 'AlarmTypes') ?? []
  for (const type of types) {
    if (!(ALARM_TYPES as readonly string[]).includes(type)) {
      throw constraint(
        `[${types.join(', ')}]`,
        'alarmTypes',
        `Member must satisfy enum value set: [${ALARM_TYPES.join(', ')}]`
      )
    }
  }
  return new Set((types.length > 0 ? types : ['MetricAlarm']) as AlarmType[])
}

/** ChildrenOfAlarmName / ParentsOfAlarmName: the alarms a composite's rule names, or the
 * composites whose rule names an alarm. AWS returns only a few fields for these. */
function related(world: World, input: Input): AlarmState[] | undefined {
  const children = optString(input, 'ChildrenOfAlarmName')
  const parents = optString(input, 'ParentsOfAlarmName')
  if (children === undefined && parents === undefined) return undefined
  const others = Object.keys(input).filter(
    (k) => !['ChildrenOfAlarmName', 'ParentsOfAlarmName', 'MaxRecords', 'NextToken'].includes(k)
  )
  if (others.length > 0 || (children !== undefined && parents !== undefined)) {
    throw validation(
      'If you specify ChildrenOfAlarmName or ParentsOfAlarmName, you cannot specify any other parameters except MaxRecords and NextToken'
    )
  }
  if (children !== undefined) {
    const composite = findAlarm(world, children)
    if (composite?.type !== 'CompositeAlarm' || !composite.alarmRule) return []
    return alarmRuleReferences(composite.alarmRule)
      .map((ref) => findAlarm(world, ref))
      .filter((a): a is AlarmState => a !== undefined)
  }
  const child = findAlarm(world, parents!)
  if (!child) return []
  return world.alarms.filter(
    (a) =>
      a.type === 'CompositeAlarm' &&
      a.alarmRule !== undefined &&
      alarmRuleReferences(a.alarmRule).some((ref) => ref === child.name || ref === child.arn)
  )
}

function describeAlarms(input: Input, world: World) {
  const limit = maxRecords(input)
  const offset = decodeToken(optString(input, 'NextToken'))
  const page = (alarms: AlarmState[], out: (a: AlarmState) => Record<string, unknown>) => {
    const sorted = [...alarms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const slice = sorted.slice(offset, offset + limit)
    const more = offset + limit < sorted.length
    return {
      MetricAlarms: slice.filter((a) => a.type === 'MetricAlarm').map(out),
      CompositeAlarms: slice.filter((a) => a.type === 'CompositeAlarm').map(out),
      ...(more ? { NextToken: encodeToken(offset + limit) } : {})
    }
  }

  const family = related(world, input)
  if (family) {
    const children = optString(input, 'ChildrenOfAlarmName') !== undefined
    return page(family, (a) => ({
      AlarmName: a.name,
      AlarmArn: a.arn,
      ...(children ? { StateValue: a.state, StateUpdatedTimestamp: date(a.stateUpdatedAt) } : {})
    }))
  }

  const names = stringList(input, 'AlarmNames') ?? []
  const prefix = optString(input, 'AlarmNamePrefix')
  if (names.length > 0 && prefix !== undefined) {
    throw validation('AlarmNamePrefix and AlarmNames cannot be specified together.')
  }
  if (names.length > MAX_NAMES) {
    throw constraint(
      `[${names.join(', ')}]`,
      'alarmNames',
      `Member must have length less than or equal to ${MAX_NAMES}`
    )
  }
  const types = alarmTypes(input)
  const state = input.StateValue
  if (state !== undefined && !isAlarmState(state)) {
    throw constraint(
      state,
      'stateValue',
      `Member must satisfy enum value set: [${ALARM_STATES.join(', ')}]`
    )
  }
  const actionPrefix = optString(input, 'ActionPrefix')
  const matching = world.alarms.filter(
    (a) =>
      types.has(a.type) &&
      (names.length === 0 || names.includes(a.name)) &&
      (prefix === undefined || a.name.startsWith(prefix)) &&
      (state === undefined || a.state === state) &&
      (actionPrefix === undefined ||
        [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((arn) =>
          arn.startsWith(actionPrefix)
        ))
  )
  return page(matching, (a) =>
    a.type === 'MetricAlarm' ? metricAlarmOut(a) : compositeAlarmOut(a)
  )
}

export const cloudwatch: ServiceModule = {
  name: 'cloudwatch',
  signingName: 'monitoring',
  iamPrefix: 'cloudwatch',
  targetPrefix: 'GraniteServiceVersion20100801',
  queryCompatible: {
    namespace: 'com.amazonaws.cloudwatch',
    shapes: {
      ValidationError: 'ValidationException',
      InvalidParameterCombination: 'InvalidParameterCombinationException',
      InvalidParameterValue: 'InvalidParameterValueException',
      InvalidFormat: 'InvalidFormatFault',
      InternalServiceError: 'InternalServiceFault',
      Throttling: 'ThrottlingException',
      AccessDenied: 'AccessDeniedException'
    }
  },
  xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  queryTypes: { numbers: new Set(['MaxRecords']), booleans: new Set() },
  operations: {
    DescribeAlarms: (input, { world }) => describeAlarms(input, world),

    GetMetricData: (input, { world, now }) => getMetricData(input, world, now),

    SetAlarmState: (input, { world, now }) => {
      const name = requiredMember(input, 'AlarmName')
      const state = requiredMember(input, 'StateValue')
      const reason = requiredMember(input, 'StateReason')
      if (!isAlarmState(state)) {
        throw constraint(
          state,
          'stateValue',
          `Member must satisfy enum value set: [${ALARM_STATES.join(', ')}]`
        )
      }
      if (reason.length > 1023) {
        throw constraint(
          reason,
          'stateReason',
          'Member must have length less than or equal to 1023'
        )
      }
      const reasonData = optString(input, 'StateReasonData')
      if (reasonData !== undefined) {
        try {
          JSON.parse(reasonData)
        } catch {
          throw new AwsError('InvalidFormat', 'StateReasonData is not valid JSON')
        }
      }
      const alarm = world.alarms.find((a) => a.name === name)
      if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404)
      setAlarmState(world, alarm, state, reason, { reasonData, now })
      return {}
    }
  }
}
