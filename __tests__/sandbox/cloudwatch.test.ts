import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  InvalidNextToken,
  ResourceNotFound,
  SetAlarmStateCommand,
  ValidationException,
  type DescribeAlarmsCommandInput
} from '@aws-sdk/client-cloudwatch'
import { setTimeout as sleep } from 'node:timers/promises'
import { applyMutation } from '../../sandbox/mutations.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients, control, rejection } from './clients.js'

let sandbox: Sandbox
let cw: ReturnType<typeof clients>['cw']

beforeAll(async () => {
  sandbox = await startSandbox({ world: 'alarms' })
  cw = clients(sandbox, 1).cw
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const WORLD_CREATED = new Date('2026-01-01T00:00:00Z')
const describe_ = (input: DescribeAlarmsCommandInput = {}) =>
  cw.send(new DescribeAlarmsCommand(input))
const names = (alarms: { AlarmName?: string }[] | undefined) =>
  (alarms ?? []).map((a) => a.AlarmName)
const stateOf = async (name: string) =>
  (await describe_({ AlarmNames: [name] })).MetricAlarms![0]?.StateValue

describe('DescribeAlarms', () => {
  it('by names: the named alarms that exist, in the AWS shape', async () => {
    const out = await describe_({ AlarmNames: ['myservice-latency', 'myservice-5xx', 'nope'] })
    expect(names(out.MetricAlarms)).toEqual(['myservice-5xx', 'myservice-latency'])
    expect(out.CompositeAlarms).toEqual([])
    expect(out.NextToken).toBeUndefined()
    expect(out.MetricAlarms![0]).toMatchObject({
      AlarmName: 'myservice-5xx',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:myservice-5xx',
      StateValue: 'OK',
      StateReason: expect.stringMatching(/^Threshold Crossed/),
      StateUpdatedTimestamp: WORLD_CREATED,
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Threshold: 5,
      Dimensions: [
        { Name: 'LoadBalancer', Value: 'app/myalb/50dc6c495c0c9188' },
        { Name: 'TargetGroup', Value: 'targetgroup/green-tg/2453ed029918f21f' }
      ]
    })
  })

  it('by prefix, and everything when no filter is given; the default world has no alarms', async () => {
    expect(names((await describe_({ AlarmNamePrefix: 'myservice-' })).MetricAlarms)).toEqual([
      'myservice-5xx',
      'myservice-canary-errors',
      'myservice-latency'
    ])
    expect(names((await describe_({ AlarmNamePrefix: 'myservice-canary' })).MetricAlarms)).toEqual([
      'myservice-canary-errors'
    ])
    expect((await describe_()).MetricAlarms).toHaveLength(3)
    sandbox.reset('default')
    expect(await describe_()).toMatchObject({ MetricAlarms: [], CompositeAlarms: [] })
  })

  it('filters by state', async () => {
    const insufficient = await describe_({ StateValue: 'INSUFFICIENT_DATA' })
    expect(names(insufficient.MetricAlarms)).toEqual(['myservice-canary-errors'])
    expect(insufficient.MetricAlarms![0].StateReason).toBe(
      'Insufficient Data: 1 datapoint was unknown.'
    )
    const ok = await describe_({ StateValue: 'OK', AlarmNamePrefix: 'myservice-' })
    expect(names(ok.MetricAlarms)).toEqual(['myservice-5xx', 'myservice-latency'])
    expect((await describe_({ StateValue: 'ALARM' })).MetricAlarms).toEqual([])
  })

  it('paginates with MaxRecords and NextToken; rejects a bad token and MaxRecords over 100', async () => {
    const first = await describe_({ MaxRecords: 2 })
    expect(names(first.MetricAlarms)).toEqual(['myservice-5xx', 'myservice-canary-errors'])
    expect(first.NextToken).toEqual(expect.any(String))
    const second = await describe_({ MaxRecords: 2, NextToken: first.NextToken })
    expect(names(second.MetricAlarms)).toEqual(['myservice-latency'])
    expect(second.NextToken).toBeUndefined()

    expect(await rejection(describe_({ NextToken: 'not-a-token' }))).toBeInstanceOf(
      InvalidNextToken
    )
    const tooMany = await rejection(describe_({ MaxRecords: 101 }))
    expect(tooMany).toBeInstanceOf(ValidationException)
    expect(tooMany.message).toMatch(/maxRecords/)
  })

  it('rejects AlarmNames together with AlarmNamePrefix, and more than 100 names', async () => {
    const both = await rejection(
      describe_({ AlarmNames: ['myservice-5xx'], AlarmNamePrefix: 'myservice-' })
    )
    expect(both).toBeInstanceOf(ValidationException)
    expect((both as unknown as { Code?: string }).Code).toBe('ValidationError')
    expect(both.$metadata?.httpStatusCode).toBe(400)
    const many = Array.from({ length: 101 }, (_, i) => `alarm-${i}`)
    expect(await rejection(describe_({ AlarmNames: many }))).toBeInstanceOf(ValidationException)
  })

  it('composite alarms: only with AlarmTypes, follow their children, list their children', async () => {
    sandbox.reset('composite-alarm')
    expect((await describe_()).CompositeAlarms).toEqual([])
    const composite = await describe_({ AlarmTypes: ['CompositeAlarm'] })
    expect(composite.MetricAlarms).toEqual([])
    expect(composite.CompositeAlarms).toMatchObject([
      {
        AlarmName: 'myservice-canary-gate',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:myservice-canary-gate',
        AlarmRule: 'ALARM("myservice-5xx") OR ALARM("myservice-latency")',
        StateValue: 'OK'
      }
    ])
    const both = await describe_({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })
    expect(both.MetricAlarms!.length + both.CompositeAlarms!.length).toBe(4)

    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'myservice-latency',
        StateValue: 'ALARM',
        StateReason: 'p99 over 1 s'
      })
    )
    const after = await describe_({ AlarmTypes: ['CompositeAlarm'] })
    expect(after.CompositeAlarms![0]).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'Composite alarm rule evaluated to TRUE'
    })

    const children = await describe_({ ChildrenOfAlarmName: 'myservice-canary-gate' })
    expect(names(children.MetricAlarms)).toEqual(['myservice-5xx', 'myservice-latency'])
    expect(children.MetricAlarms![1]).toEqual({
      AlarmName: 'myservice-latency',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:myservice-latency',
      StateValue: 'ALARM',
      StateUpdatedTimestamp: expect.any(Date)
    })
    const parents = await describe_({ ParentsOfAlarmName: 'myservice-5xx' })
    expect(names(parents.CompositeAlarms)).toEqual(['myservice-canary-gate'])
    expect(
      await rejection(describe_({ ChildrenOfAlarmName: 'myservice-canary-gate', StateValue: 'OK' }))
    ).toBeInstanceOf(ValidationException)
  })
})

describe('SetAlarmState', () => {
  it('changes the state that DescribeAlarms reports', async () => {
    const before = Date.now()
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'myservice-5xx',
        StateValue: 'ALARM',
        StateReason: 'testing the gate',
        StateReasonData: '{"version":"1.0"}'
      })
    )
    const [alarm] = (await describe_({ AlarmNames: ['myservice-5xx'] })).MetricAlarms!
    expect(alarm).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'testing the gate',
      StateReasonData: '{"version":"1.0"}'
    })
    // Epoch seconds on the wire, so allow the sub-second truncation.
    expect(alarm.StateUpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(alarm.StateTransitionedTimestamp!.getTime()).toBe(alarm.StateUpdatedTimestamp!.getTime())
    expect(await stateOf('myservice-latency')).toBe('OK')
  })

  it('answers ResourceNotFound (404) for a missing alarm, ValidationError for a bad state', async () => {
    const missing = await rejection(
      cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' }))
    )
    expect(missing).toBeInstanceOf(ResourceNotFound)
    expect(missing.message).toBe('Alarm nope not found')
    expect(missing.$metadata?.httpStatusCode).toBe(404)
    const bad = await rejection(
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: 'myservice-5xx',
          StateValue: 'BROKEN' as 'OK',
          StateReason: 'x'
        })
      )
    )
    expect(bad).toBeInstanceOf(ValidationException)
    expect(await stateOf('myservice-5xx')).toBe('OK')
  })
})

describe('set-alarm and scheduled mutations', () => {
  it('set-alarm in code and over the control API', async () => {
    applyMutation(sandbox.world, { type: 'set-alarm', name: 'myservice-5xx', state: 'ALARM' })
    expect(await stateOf('myservice-5xx')).toBe('ALARM')
    const res = await control(sandbox, 'POST', 'set-alarm', {
      name: 'myservice-canary-errors',
      state: 'OK',
      reason: 'datapoints arrived'
    })
    expect(res.status).toBe(200)
    const [alarm] = (await describe_({ AlarmNames: ['myservice-canary-errors'] })).MetricAlarms!
    expect(alarm).toMatchObject({ StateValue: 'OK', StateReason: 'datapoints arrived' })
    expect(
      (await control(sandbox, 'POST', 'set-alarm', { name: 'nope', state: 'OK' })).status
    ).toBe(400)
    expect(
      (await control(sandbox, 'POST', 'set-alarm', { name: 'myservice-5xx', state: 'RED' })).status
    ).toBe(400)
  })

  it('sandbox.schedule makes an alarm fire after a delay', async () => {
    const entry = sandbox.schedule(60, {
      type: 'set-alarm',
      name: 'myservice-5xx',
      state: 'ALARM',
      reason: 'fired mid-bake'
    })
    expect(sandbox.scheduler.pending().map((p) => p.id)).toEqual([entry.id])
    expect(await stateOf('myservice-5xx')).toBe('OK')
    await sleep(120)
    expect(await stateOf('myservice-5xx')).toBe('ALARM')
    expect(sandbox.scheduler.pending()).toEqual([])
    expect(sandbox.scheduler.fired).toMatchObject([{ id: entry.id }])
    expect(sandbox.scheduler.fired[0].error).toBeUndefined()
  })

  it('POST /_sandbox/schedule, GET schedule; reset and cancel drop pending mutations', async () => {
    const res = await control(sandbox, 'POST', 'schedule', {
      delayMs: 50,
      mutation: { type: 'set-alarm', name: 'myservice-latency', state: 'ALARM' }
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: expect.any(Number), dueAt: expect.any(Number) })
    expect((await control(sandbox, 'GET', 'schedule')).json).toMatchObject({
      pending: [{ mutation: { type: 'set-alarm', name: 'myservice-latency' } }],
      fired: []
    })
    await sleep(100)
    expect(await stateOf('myservice-latency')).toBe('ALARM')
    expect((await control(sandbox, 'GET', 'schedule')).json).toMatchObject({
      pending: [],
      fired: [{ mutation: { name: 'myservice-latency' } }]
    })

    sandbox.reset()
    await control(sandbox, 'POST', 'schedule', {
      delayMs: 30,
      mutation: { type: 'set-alarm', name: 'myservice-latency', state: 'ALARM' }
    })
    const cancelled = sandbox.schedule(30, {
      type: 'set-alarm',
      name: 'myservice-5xx',
      state: 'ALARM'
    })
    expect(cancelled.cancel()).toBe(true)
    sandbox.reset()
    await sleep(70)
    expect(await stateOf('myservice-latency')).toBe('OK')
    expect(await stateOf('myservice-5xx')).toBe('OK')
  })

  it('a mutation that does not fit the world is refused when scheduled, batch and all', async () => {
    expect(() => sandbox.schedule(10, { type: 'set-alarm', name: 'nope', state: 'ALARM' })).toThrow(
      /no alarm nope/
    )
    expect(() =>
      sandbox.schedule(-1, { type: 'set-alarm', name: 'myservice-5xx', state: 'ALARM' })
    ).toThrow(/delayMs/)
    const res = await control(sandbox, 'POST', 'schedule', [
      { delayMs: 10, mutation: { type: 'set-alarm', name: 'myservice-5xx', state: 'ALARM' } },
      { delayMs: 10, mutation: { type: 'set-health', targetGroup: 'nope-tg', health: 'healthy' } }
    ])
    expect(res.status).toBe(400)
    expect(sandbox.scheduler.pending()).toEqual([])
    expect((await control(sandbox, 'POST', 'schedule', { delayMs: 5 })).status).toBe(400)
  })
})

describe('faults, log and the awsQuery form', () => {
  it('throttling: surfaces with one attempt, is retried by default; logged as cloudwatch', async () => {
    sandbox.faults.throttle('cloudwatch:DescribeAlarms', 1)
    const err = await rejection(describe_())
    expect(err).toBeInstanceOf(CloudWatchServiceException)
    expect(err.name).toBe('Throttling')

    // One throttle keeps the SDK's throttling backoff (500 ms base) short.
    sandbox.faults.throttle('cloudwatch:*', 1)
    const retried = await clients(sandbox).cw.send(new DescribeAlarmsCommand({}))
    expect(retried.MetricAlarms).toHaveLength(3)
    expect(sandbox.log.map((e) => [e.service, e.operation, e.status, e.faulted])).toEqual([
      ['cloudwatch', 'DescribeAlarms', 400, 'throttle'],
      ['cloudwatch', 'DescribeAlarms', 400, 'throttle'],
      ['cloudwatch', 'DescribeAlarms', 200, undefined]
    ])

    sandbox.faults.denyAccess('SetAlarmState')
    const denied = await rejection(
      cw.send(
        new SetAlarmStateCommand({ AlarmName: 'myservice-5xx', StateValue: 'OK', StateReason: 'x' })
      )
    )
    expect(denied.name).toBe('AccessDenied')
    expect(denied.message).toContain('cloudwatch:SetAlarmState')
  })

  it('answers awsQuery requests (signing name monitoring) in XML', async () => {
    const post = (body: string) =>
      fetch(sandbox.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization:
            'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x'
        },
        body
      })
    const ok = await post(
      'Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=myservice-5xx&MaxRecords=1'
    )
    const xml = await ok.text()
    expect(xml).toContain(
      '<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">'
    )
    expect(xml).toContain('<AlarmName>myservice-5xx</AlarmName>')
    expect(xml).toContain('<StateUpdatedTimestamp>2026-01-01T00:00:00.000Z</StateUpdatedTimestamp>')
    const missing = await post(
      'Action=SetAlarmState&Version=2010-08-01&AlarmName=nope&StateValue=OK&StateReason=x'
    )
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('<Code>ResourceNotFound</Code>')
  })
})
