/**
 * sandbox/services/route53.ts through the real Route 53 SDK client: the restXml wire protocol,
 * Route 53's error codes, change batches applied whole or not at all, GetChange turning INSYNC
 * after the delay, and ListResourceRecordSets' order and paging. Also UpdateService on the
 * two-service world's rolling services (sandbox/services/ecs.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  InvalidInput,
  ListResourceRecordSetsCommand,
  NoSuchChange,
  NoSuchHostedZone,
  Route53Client,
  type Change
} from '@aws-sdk/client-route-53'
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import {
  BLUE_HEALTH_CHECK,
  GREEN_SERVICE,
  recordWeights,
  ROUTE53_RECORD,
  ROUTE53_ZONE_ID
} from '../../sandbox/route53-world.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let route53: Route53Client

beforeAll(async () => {
  sandbox = await startSandbox({ world: 'route53', steadyDelayMs: 20 })
  route53 = new Route53Client({
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1
  })
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset('route53'))

const weighted = (id: string, weight: number, extra = {}): Change => ({
  Action: 'UPSERT',
  ResourceRecordSet: {
    Name: ROUTE53_RECORD,
    Type: 'CNAME',
    SetIdentifier: id,
    Weight: weight,
    TTL: 60,
    ResourceRecords: [{ Value: `${id.toLowerCase()}.example.net` }],
    ...extra
  }
})

const change = (changes: Change[], zone = ROUTE53_ZONE_ID) =>
  route53.send(
    new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: changes } })
  )

describe('ListResourceRecordSets', () => {
  it('lists the weighted records with every field, from the start name on', async () => {
    const out = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: `/hostedzone/${ROUTE53_ZONE_ID}`,
        StartRecordName: 'shop.example.com'
      })
    )
    expect(out.IsTruncated).toBe(false)
    expect(out.ResourceRecordSets?.map((r) => [r.Name, r.Type, r.SetIdentifier, r.Weight])).toEqual(
      [
        [ROUTE53_RECORD, 'CNAME', 'Blue', 100],
        [ROUTE53_RECORD, 'CNAME', 'Green', 0]
      ]
    )
    expect(out.ResourceRecordSets?.[0]).toMatchObject({
      TTL: 60,
      HealthCheckId: BLUE_HEALTH_CHECK,
      ResourceRecords: [{ Value: expect.stringContaining('web-blue-alb') }]
    })
  })

  it('pages with NextRecordName, NextRecordType and NextRecordIdentifier', async () => {
    const first = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ROUTE53_ZONE_ID, MaxItems: 2 })
    )
    expect(first.ResourceRecordSets?.map((r) => r.Type)).toEqual(['NS', 'CNAME'])
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: ROUTE53_RECORD,
      NextRecordType: 'CNAME',
      NextRecordIdentifier: 'Green'
    })
    const next = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ROUTE53_ZONE_ID,
        StartRecordName: first.NextRecordName,
        StartRecordType: first.NextRecordType,
        StartRecordIdentifier: first.NextRecordIdentifier
      })
    )
    expect(next.ResourceRecordSets?.map((r) => r.SetIdentifier)).toEqual(['Green'])
  })

  it('answers NoSuchHostedZone (404) for a zone that does not exist', async () => {
    const error = await rejection(
      route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0NOPE' }))
    )
    expect(error).toBeInstanceOf(NoSuchHostedZone)
    expect(error.message).toBe('No hosted zone found with ID: Z0NOPE')
    expect(error.$metadata?.httpStatusCode).toBe(404)
  })
})

describe('ChangeResourceRecordSets and GetChange', () => {
  it('applies both UPSERTs and is PENDING until the delay has passed, then INSYNC', async () => {
    sandbox.world.route53InsyncDelayMs = 200
    const out = await change([weighted('Blue', 90), weighted('Green', 10)])
    expect(out.ChangeInfo).toMatchObject({
      Status: 'PENDING',
      Id: expect.stringMatching(/^\/change\/C[A-Z0-9]+$/)
    })
    expect(out.ChangeInfo?.SubmittedAt).toBeInstanceOf(Date)
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    const pending = await route53.send(new GetChangeCommand({ Id: out.ChangeInfo?.Id }))
    expect(pending.ChangeInfo?.Status).toBe('PENDING')
    await new Promise((resolve) => setTimeout(resolve, 250))
    const insync = await route53.send(new GetChangeCommand({ Id: out.ChangeInfo?.Id }))
    expect(insync.ChangeInfo?.Status).toBe('INSYNC')
  })

  it('applies a batch whole or not at all: one bad change leaves every record as it was', async () => {
    const error = await rejection(
      change([weighted('Blue', 50), { ...weighted('Green', 0), Action: 'CREATE' }])
    )
    expect(error).toBeInstanceOf(InvalidChangeBatch)
    expect(error.message).toContain(
      "Tried to create resource record set [name='shop.example.com.', type='CNAME', set-identifier='Green'] but it already exists"
    )
    expect(recordWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })

  it.each([
    ['a weight above 255', [weighted('Blue', 256)], InvalidInput, 'less than or equal to 255'],
    [
      'a record outside the zone',
      [
        {
          ...weighted('Blue', 1),
          ResourceRecordSet: { ...weighted('Blue', 1).ResourceRecordSet!, Name: 'shop.example.org' }
        }
      ],
      InvalidChangeBatch,
      'is not permitted in zone example.com.'
    ],
    [
      'a plain record beside weighted ones',
      [
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: ROUTE53_RECORD,
            Type: 'CNAME',
            TTL: 60,
            ResourceRecords: [{ Value: 'x.example.net' }]
          }
        }
      ],
      InvalidChangeBatch,
      'conflicting RRSet'
    ],
    [
      'a record without TTL or values',
      [weighted('Blue', 1, { TTL: undefined, ResourceRecords: undefined })],
      InvalidInput,
      'Expected exactly one of [AliasTarget'
    ],
    [
      'the same record twice',
      [weighted('Blue', 1), weighted('Blue', 2)],
      InvalidChangeBatch,
      'invalid set of changes'
    ]
  ] as [string, Change[], typeof InvalidInput | typeof InvalidChangeBatch, string][])(
    'refuses %s',
    async (_, changes, type, message) => {
      const error = await rejection(change(changes))
      expect(error).toBeInstanceOf(type)
      expect(error.message).toContain(message)
      expect(recordWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    }
  )

  it('answers NoSuchHostedZone for a change to a missing zone and NoSuchChange for an unknown change', async () => {
    expect(await rejection(change([weighted('Blue', 1)], 'Z0NOPE'))).toBeInstanceOf(
      NoSuchHostedZone
    )
    const error = await rejection(route53.send(new GetChangeCommand({ Id: '/change/C0NOPE' })))
    expect(error).toBeInstanceOf(NoSuchChange)
  })
})

describe('UpdateService on a service of the ECS controller', () => {
  it('is IN_PROGRESS until the steady delay has passed, then runs the desired count', async () => {
    const { ecs } = clients(sandbox, 1)
    const describeGreen = async () =>
      (
        await ecs.send(
          new DescribeServicesCommand({ cluster: 'mycluster', services: [GREEN_SERVICE] })
        )
      ).services![0]
    // Long enough that the first look comes before the deployment is done, even under load.
    sandbox.sim.steadyDelayMs = 400
    try {
      await ecs.send(
        new UpdateServiceCommand({ cluster: 'mycluster', service: GREEN_SERVICE, desiredCount: 0 })
      )
      const changing = await describeGreen()
      expect(changing.deployments?.[0].rolloutState).toBe('IN_PROGRESS')
      expect(changing.desiredCount).toBe(0)
    } finally {
      sandbox.sim.steadyDelayMs = 20
    }
    let done = await describeGreen()
    for (let i = 0; i < 100 && done.deployments?.[0].rolloutState !== 'COMPLETED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      done = await describeGreen()
    }
    expect(done.deployments?.[0].rolloutState).toBe('COMPLETED')
    expect(done.runningCount).toBe(0)
    expect(sandbox.world.targetGroups.find((tg) => tg.name === 'web-green-tg')?.targets).toEqual([])
  })
})
