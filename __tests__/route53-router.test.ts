/**
 * src/routers/route53/route53-router.ts and records.ts: reading two weighted records, one
 * batch per shift, the wait for INSYNC and the read-back, against a mocked Route 53.
 */
import { describe, expect, it } from '@jest/globals'
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ChangeResourceRecordSetsCommandInput,
  type ResourceRecordSet
} from '@aws-sdk/client-route-53'
import { mockClient } from 'aws-sdk-client-mock'
import type { Clock } from '../src/clock.js'
import { NotFoundError, StateError } from '../src/errors.js'
import { normalizeName, pickWeightedRecords } from '../src/routers/route53/records.js'
import { Route53Router } from '../src/routers/route53/route53-router.js'

const ZONE = 'Z0EXAMPLE'
const route = {
  hostedZoneId: ZONE,
  recordName: 'shop.example.com',
  setIdentifiers: { Blue: 'Blue', Green: 'Green' }
}

function record(
  id: string,
  weight: number | undefined,
  extra: Partial<ResourceRecordSet> = {}
): ResourceRecordSet {
  return {
    Name: 'shop.example.com.',
    Type: 'CNAME',
    SetIdentifier: id,
    ...(weight === undefined ? {} : { Weight: weight }),
    TTL: 60,
    ResourceRecords: [{ Value: `${id.toLowerCase()}.shop.internal` }],
    ...extra
  }
}

/** A zone whose records change only through ChangeResourceRecordSets, PENDING for `pending` polls. */
function zone(records: ResourceRecordSet[], pending = 1, afterChange = () => {}) {
  const client = mockClient(Route53Client)
  const calls: string[] = []
  let polls = 0
  client.on(ListResourceRecordSetsCommand).callsFake(() => {
    calls.push('list')
    return { ResourceRecordSets: records.map((r) => ({ ...r })), IsTruncated: false }
  })
  client
    .on(ChangeResourceRecordSetsCommand)
    .callsFake((input: ChangeResourceRecordSetsCommandInput) => {
      const changes = input.ChangeBatch?.Changes ?? []
      calls.push(
        `change ${changes.map((c) => `${c.Action} ${c.ResourceRecordSet?.SetIdentifier}=${c.ResourceRecordSet?.Weight}`).join(', ')}`
      )
      for (const change of changes) {
        const i = records.findIndex(
          (r) => r.SetIdentifier === change.ResourceRecordSet?.SetIdentifier
        )
        records[i] = { ...change.ResourceRecordSet } as ResourceRecordSet
      }
      polls = 0
      afterChange()
      return { ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } }
    })
  client.on(GetChangeCommand).callsFake(() => {
    polls += 1
    calls.push(`get-change ${polls > pending ? 'INSYNC' : 'PENDING'}`)
    return { ChangeInfo: { Id: '/change/C1', Status: polls > pending ? 'INSYNC' : 'PENDING' } }
  })
  return {
    client: client as unknown as Route53Client,
    calls,
    records,
    restore: () => client.restore()
  }
}

const instantClock = (): Clock & { slept: number[] } => {
  let now = 0
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    }
  }
}

function router(client: Route53Client, lines: string[] = [], over = {}) {
  return new Route53Router(
    client,
    { ...route, ...over },
    {
      clock: instantClock(),
      log: (line) => lines.push(line),
      pollMs: 1000
    }
  )
}

describe('Route53Router', () => {
  it('reads the two weights as shares', async () => {
    const aws = zone([record('Blue', 229), record('Green', 26)])
    expect(await router(aws.client).read()).toEqual({
      Blue: (229 * 1000) / 255,
      Green: (26 * 1000) / 255
    })
    aws.restore()
  })

  it('writes both records in one batch, waits for INSYNC and reads the weights back', async () => {
    const health = { HealthCheckId: 'hc-blue' }
    const aws = zone([record('Blue', 100, health), record('Green', 0)], 2)
    const lines: string[] = []
    const r = router(aws.client, lines)
    await r.read()
    const stored = await r.shift({ Blue: 900, Green: 100 })
    expect(stored).toEqual({ Blue: 900, Green: 100 })
    expect(aws.calls).toEqual([
      'list',
      'change UPSERT Blue=90, UPSERT Green=10',
      'get-change PENDING',
      'get-change PENDING',
      'get-change INSYNC',
      'list'
    ])
    // Everything but the weight is sent back as read: the health check stays attached.
    expect(aws.records[0]).toMatchObject({ HealthCheckId: 'hc-blue', TTL: 60, Weight: 90 })
    expect(lines).toEqual([
      'Route 53 shop.example.com. CNAME: wrote weights Blue=90, Green=10 (change /change/C1)'
    ])
    aws.restore()
  })

  it('for a rollback, reads the weights back without waiting for INSYNC', async () => {
    const aws = zone([record('Blue', 100), record('Green', 0)], 1000)
    const lines: string[] = []
    const r = new Route53Router(aws.client, route, {
      clock: instantClock(),
      log: (line) => lines.push(line),
      awaitSync: false
    })
    await r.read()
    expect(await r.shift({ Blue: 0, Green: 1000 })).toEqual({ Blue: 0, Green: 1000 })
    expect(aws.calls).toEqual(['list', 'change UPSERT Blue=0, UPSERT Green=100', 'list'])
    expect(lines[0]).toMatch(/\(change \/change\/C1, not waited for: name servers apply it/)
    aws.restore()
  })

  it('returns what the read-back found, so another writer shows as a mismatch', async () => {
    const records = [record('Blue', 100), record('Green', 0)]
    const aws = zone(records, 1, () => {
      records[1] = { ...records[1], Weight: 90 }
    })
    const r = router(aws.client)
    await r.read()
    // Wrote Blue 90 / Green 10; the other writer left Green at 90.
    expect(await r.shift({ Blue: 900, Green: 100 })).toEqual({ Blue: 500, Green: 500 })
    aws.restore()
  })

  it('gives up on a change that stays PENDING, saying both weights were written together', async () => {
    const aws = zone([record('Blue', 100), record('Green', 0)], 1000)
    const r = new Route53Router(aws.client, route, {
      clock: instantClock(),
      log: () => undefined,
      pollMs: 1000,
      syncTimeoutMs: 5000
    })
    await r.read()
    await expect(r.shift({ Blue: 0, Green: 1000 })).rejects.toThrow(
      /still PENDING after 5 s\. Both weights were written in one batch/
    )
    aws.restore()
  })

  it('says the zone is not there when Route 53 answers NoSuchHostedZone', async () => {
    const client = mockClient(Route53Client)
    client.on(ListResourceRecordSetsCommand).rejects(
      Object.assign(new Error('No hosted zone found with ID: Z0EXAMPLE'), {
        name: 'NoSuchHostedZone'
      })
    )
    const r = router(client as unknown as Route53Client)
    await expect(r.read()).rejects.toBeInstanceOf(NotFoundError)
    await expect(r.read()).rejects.toThrow(/hosted zone Z0EXAMPLE was not found/)
    expect(client.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0)
    client.restore()
  })

  it('reads on while a truncated page ends inside the name, and stops at the next name', async () => {
    const client = mockClient(Route53Client)
    client
      .on(ListResourceRecordSetsCommand, { StartRecordIdentifier: undefined })
      .resolves({
        ResourceRecordSets: [record('Blue', 3)],
        IsTruncated: true,
        NextRecordName: 'shop.example.com.',
        NextRecordType: 'CNAME',
        NextRecordIdentifier: 'Green'
      })
      .on(ListResourceRecordSetsCommand, { StartRecordIdentifier: 'Green' })
      .resolves({
        ResourceRecordSets: [record('Green', 1), { ...record('x', 1), Name: 'www.example.com.' }],
        IsTruncated: true,
        NextRecordName: 'zz.example.com.',
        NextRecordType: 'A'
      })
    const r = router(client as unknown as Route53Client)
    expect(await r.read()).toEqual({ Blue: 750, Green: 250 })
    expect(client.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2)
    client.restore()
  })

  it('warns that resolvers honour the TTL', async () => {
    const aws = zone([record('Blue', 1), record('Green', 0)])
    const r = router(aws.client)
    await r.read()
    expect(r.notes()).toEqual([expect.stringContaining('its TTL (60 s)')])
    aws.restore()
  })
})

describe('pickWeightedRecords', () => {
  const at = (...records: ResourceRecordSet[]) => records

  it('refuses a set identifier that is not at the name, listing those that are', () => {
    expect(() => pickWeightedRecords(route, at(record('Blue', 1), record('Canary', 1)))).toThrow(
      'no record with set identifier "Green" for Green (its set identifiers: Blue, Canary). Set "green-set-identifier"'
    )
  })

  it('refuses records of another type than record-type', () => {
    expect(() =>
      pickWeightedRecords({ ...route, recordType: 'A' }, at(record('Blue', 1), record('Green', 1)))
    ).toThrow('is of type CNAME, not A. Set "record-type"')
  })

  it('asks for record-type when a set identifier is weighted in two types', () => {
    const aaaa = (id: string) => record(id, 1, { Type: 'AAAA' })
    const a = (id: string) => record(id, 1, { Type: 'A' })
    expect(() => pickWeightedRecords(route, at(a('Blue'), aaaa('Blue'), a('Green')))).toThrow(
      /names records of types A, AAAA/
    )
    expect(
      pickWeightedRecords(
        { ...route, recordType: 'AAAA' },
        at(a('Blue'), aaaa('Blue'), aaaa('Green'))
      ).Green.Type
    ).toBe('AAAA')
  })

  it('refuses a record that is not weighted, and colours of two types', () => {
    expect(() =>
      pickWeightedRecords(route, at(record('Blue', undefined), record('Green', 1)))
    ).toThrow(/is not a weighted record \(simple routing\)/)
    expect(() =>
      pickWeightedRecords(route, at(record('Blue', 1), record('Green', 1, { Type: 'A' })))
    ).toThrow(StateError)
  })

  it.each([
    ['Shop.Example.com', 'shop.example.com.'],
    ['shop.example.com.', 'shop.example.com.'],
    ['\\052.example.com', '*.example.com.']
  ])('matches %s as Route 53 lists it (%s)', (input, listed) => {
    expect(normalizeName(input)).toBe(listed)
  })
})
