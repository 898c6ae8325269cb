/**
 * Amazon Route 53: hosted zones' record sets, ChangeResourceRecordSets, GetChange and
 * ListResourceRecordSets — what a weighted-records deployment reads and writes.
 *
 * Protocol: restXml (protocols/rest-xml.ts). `GET /2013-04-01/hostedzone/{Id}/rrset?name=&type=&identifier=&maxitems=`
 * lists records in Route 53's order (names by reversed labels, then type, then set identifier);
 * `POST /2013-04-01/hostedzone/{Id}/rrset` applies a change batch whole or not at all;
 * `GET /2013-04-01/change/{Id}` answers PENDING until `route53InsyncDelayMs` has passed since the
 * change, then INSYNC. Errors carry Route 53's codes: NoSuchHostedZone and NoSuchChange (404),
 * InvalidChangeBatch (a change that cannot apply: a CREATE of an existing record, a DELETE of a
 * missing one, a name outside the zone, weighted and plain records mixed) and InvalidInput (a
 * malformed record: a weight outside 0..255, a weighted record without weight, no TTL or values).
 */
import { randomBytes } from 'node:crypto'
import {
  child,
  childText,
  parseXml,
  restXmlError,
  restXmlSuccess,
  type XmlNode
} from '../protocols/rest-xml.js'
import type { WireResponse } from '../protocols/wire.js'
import type { HostedZoneState, RecordSetState, World } from '../world.js'
import { AwsError, type ServiceModule } from './service.js'

export const ROUTE53_XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/'
const DEFAULT_INSYNC_DELAY_MS = 300
const MAX_ITEMS = 300

/** Lists in Route 53's XML and the element name of their members. */
const MEMBERS: Record<string, string> = {
  ResourceRecordSets: 'ResourceRecordSet',
  ResourceRecords: 'ResourceRecord'
}

/** A record name as Route 53 stores it: lower case, with the final dot, `*` unescaped. */
export function normalName(name: string): string {
  const lower = name.toLowerCase().replace(/\\052/g, '*')
  return lower.endsWith('.') ? lower : `${lower}.`
}

/** Route 53 lists names by their labels from the right: `a.example.com.` sorts as `com.example.a`. */
function nameKey(name: string): string {
  return normalName(name).slice(0, -1).split('.').reverse().join('.')
}

function compareRecords(a: RecordSetState, b: RecordSetState): number {
  return (
    nameKey(a.Name).localeCompare(nameKey(b.Name)) ||
    a.Type.localeCompare(b.Type) ||
    (a.SetIdentifier ?? '').localeCompare(b.SetIdentifier ?? '')
  )
}

function zone(world: World, id: string): HostedZoneState {
  const bare = id.replace(/^\/?hostedzone\//, '')
  const found = world.hostedZones?.find((z) => z.id === bare)
  if (!found) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${bare}`, 404)
  return found
}

/** The record as Route 53 writes it: `*` escaped as `\052`. */
function recordOut(record: RecordSetState): RecordSetState {
  return { ...record, Name: record.Name.replace(/\*/g, '\\052') }
}

const sameRecord = (a: RecordSetState, b: RecordSetState) =>
  normalName(a.Name) === normalName(b.Name) &&
  a.Type === b.Type &&
  (a.SetIdentifier ?? '') === (b.SetIdentifier ?? '')

const describe = (r: RecordSetState) =>
  `[name='${normalName(r.Name)}', type='${r.Type}'${r.SetIdentifier ? `, set-identifier='${r.SetIdentifier}'` : ''}]`

/** The ResourceRecordSet element of a change, as the state's shape. */
function recordOf(node: XmlNode | undefined): RecordSetState {
  const name = childText(node, 'Name')
  const type = childText(node, 'Type')
  if (!name || !type) {
    throw new AwsError('InvalidInput', 'Invalid request: a ResourceRecordSet needs Name and Type')
  }
  const weight = childText(node, 'Weight')
  const ttl = childText(node, 'TTL')
  const values = child(node, 'ResourceRecords')?.children.map((r) => ({
    Value: childText(r, 'Value') ?? ''
  }))
  const alias = child(node, 'AliasTarget')
  const setIdentifier = childText(node, 'SetIdentifier')
  const healthCheck = childText(node, 'HealthCheckId')
  return {
    Name: normalName(name),
    Type: type,
    ...(setIdentifier !== undefined ? { SetIdentifier: setIdentifier } : {}),
    ...(weight !== undefined ? { Weight: Number(weight) } : {}),
    ...(ttl !== undefined ? { TTL: Number(ttl) } : {}),
    ...(values ? { ResourceRecords: values } : {}),
    ...(alias
      ? {
          AliasTarget: {
            HostedZoneId: childText(alias, 'HostedZoneId') ?? '',
            DNSName: childText(alias, 'DNSName') ?? '',
            EvaluateTargetHealth: childText(alias, 'EvaluateTargetHealth') === 'true'
          }
        }
      : {}),
    ...(healthCheck !== undefined ? { HealthCheckId: healthCheck } : {})
  }
}

/** The checks Route 53 makes of one record before any change of a batch applies. */
function validate(record: RecordSetState, index: number, zoneName: string): void {
  const at = `changeBatch.changes.${index + 1}.member.resourceRecordSet`
  if (record.Weight !== undefined) {
    if (!Number.isInteger(record.Weight) || record.Weight < 0 || record.Weight > 255) {
      throw new AwsError(
        'InvalidInput',
        `1 validation error detected: Value '${record.Weight}' at '${at}.weight' failed to satisfy constraint: Member must have value less than or equal to 255`
      )
    }
    if (record.SetIdentifier === undefined) {
      throw new AwsError(
        'InvalidInput',
        `Invalid request: Missing field 'SetIdentifier' in Change with [Name=${record.Name}, Type=${record.Type}]`
      )
    }
  } else if (record.SetIdentifier !== undefined) {
    throw new AwsError(
      'InvalidInput',
      `Invalid request: Missing field 'Weight' (or another routing policy) in Change with [Name=${record.Name}, Type=${record.Type}, SetIdentifier=${record.SetIdentifier}]`
    )
  }
  if (!record.AliasTarget && (record.TTL === undefined || !record.ResourceRecords?.length)) {
    throw new AwsError(
      'InvalidInput',
      `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Name=${record.Name}, Type=${record.Type}]`
    )
  }
  if (record.Name !== zoneName && !record.Name.endsWith(`.${zoneName}`)) {
    throw new AwsError(
      'InvalidChangeBatch',
      `[RRSet with DNS name ${record.Name} is not permitted in zone ${zoneName}]`
    )
  }
}

/** Applies a batch to a copy of the records; the zone takes the copy only when all of it applies. */
function applyBatch(
  records: RecordSetState[],
  changes: { action: string; record: RecordSetState }[]
): RecordSetState[] {
  const next = records.map((r) => ({ ...r }))
  const seen: RecordSetState[] = []
  for (const { action, record } of changes) {
    if (seen.some((r) => sameRecord(r, record))) {
      throw new AwsError(
        'InvalidChangeBatch',
        `[The request contains an invalid set of changes for a resource record set ${describe(record)}]`
      )
    }
    seen.push(record)
    const index = next.findIndex((r) => sameRecord(r, record))
    if (action === 'CREATE' && index >= 0) {
      throw new AwsError(
        'InvalidChangeBatch',
        `[Tried to create resource record set ${describe(record)} but it already exists]`
      )
    }
    if (action === 'DELETE') {
      if (index < 0 || JSON.stringify(next[index]) !== JSON.stringify(record)) {
        throw new AwsError(
          'InvalidChangeBatch',
          `[Tried to delete resource record set ${describe(record)} but it was not found]`
        )
      }
      next.splice(index, 1)
      continue
    }
    if (index >= 0) next[index] = record
    else next.push(record)
  }
  // Weighted and plain records cannot share a name and type.
  for (const record of next) {
    const conflict = next.find(
      (r) =>
        normalName(r.Name) === normalName(record.Name) &&
        r.Type === record.Type &&
        (r.Weight === undefined) !== (record.Weight === undefined)
    )
    if (conflict) {
      throw new AwsError(
        'InvalidChangeBatch',
        `[RRSet of type ${record.Type} with DNS name ${normalName(record.Name)} is not permitted because a conflicting RRSet of type ${record.Type} with the same DNS name already exists]`
      )
    }
  }
  return next
}

function changeId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  return `C${[...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('')}`
}

export const route53: ServiceModule = {
  name: 'route53',
  operations: {
    ListResourceRecordSets: (input, { world }) => {
      const found = zone(world, String(input.HostedZoneId ?? ''))
      const name = typeof input.name === 'string' ? normalName(input.name) : undefined
      const type = typeof input.type === 'string' ? input.type : undefined
      const identifier = typeof input.identifier === 'string' ? input.identifier : undefined
      if (type && !name) {
        throw new AwsError('InvalidInput', 'Invalid request: type given without name')
      }
      const max = Math.min(Number(input.maxitems ?? MAX_ITEMS) || MAX_ITEMS, MAX_ITEMS)
      const start: RecordSetState | undefined = name
        ? { Name: name, Type: type ?? '', ...(identifier ? { SetIdentifier: identifier } : {}) }
        : undefined
      const sorted = [...found.records].sort(compareRecords)
      const from = start ? sorted.filter((r) => compareRecords(r, start) >= 0) : sorted
      const page = from.slice(0, max)
      const next = from[max]
      return {
        ResourceRecordSets: page.map(recordOut),
        IsTruncated: next !== undefined,
        ...(next
          ? {
              NextRecordName: recordOut(next).Name,
              NextRecordType: next.Type,
              ...(next.SetIdentifier ? { NextRecordIdentifier: next.SetIdentifier } : {})
            }
          : {}),
        MaxItems: String(max)
      }
    },

    ChangeResourceRecordSets: (input, { world, now }) => {
      const found = zone(world, String(input.HostedZoneId ?? ''))
      const batch = child(input.body as XmlNode | undefined, 'ChangeBatch')
      const changes = (child(batch, 'Changes')?.children ?? []).map((c) => ({
        action: childText(c, 'Action') ?? '',
        record: recordOf(child(c, 'ResourceRecordSet'))
      }))
      if (changes.length === 0) {
        throw new AwsError(
          'InvalidInput',
          "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1"
        )
      }
      changes.forEach(({ action, record }, i) => {
        if (!['CREATE', 'DELETE', 'UPSERT'].includes(action)) {
          throw new AwsError(
            'InvalidInput',
            `1 validation error detected: Value '${action}' at 'changeBatch.changes.${i + 1}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, DELETE, UPSERT]`
          )
        }
        validate(record, i, found.name)
      })
      found.records = applyBatch(found.records, changes)
      const change = {
        id: changeId(),
        submittedAt: now,
        insyncAt: now + (world.route53InsyncDelayMs ?? DEFAULT_INSYNC_DELAY_MS),
        ...(childText(batch, 'Comment') ? { comment: childText(batch, 'Comment') } : {})
      }
      ;(world.route53Changes ??= []).push(change)
      return { ChangeInfo: changeInfo(change, now) }
    },

    GetChange: (input, { world, now }) => {
      const id = String(input.Id ?? '').replace(/^\/?change\//, '')
      const change = world.route53Changes?.find((c) => c.id === id)
      if (!change) throw new AwsError('NoSuchChange', `Could not find resource with ID: ${id}`, 404)
      return { ChangeInfo: changeInfo(change, now) }
    }
  }
}

function changeInfo(
  change: { id: string; submittedAt: number; insyncAt: number; comment?: string },
  now: number
) {
  return {
    Id: `/change/${change.id}`,
    Status: now >= change.insyncAt ? 'INSYNC' : 'PENDING',
    SubmittedAt: new Date(change.submittedAt),
    ...(change.comment ? { Comment: change.comment } : {})
  }
}

const ZONE_PATH = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/
const CHANGE_PATH = /^\/2013-04-01\/change\/([^/]+)$/

/**
 * The operation and input of a Route 53 request, or undefined when the path is not Route 53's.
 * A body that is not XML is reported as `decodeError`.
 */
export function route53Request(
  method: string,
  url: string
): { operation: string; input: Record<string, unknown>; parseBody: boolean } | undefined {
  const [path, query = ''] = url.split('?')
  const params = Object.fromEntries(new URLSearchParams(query))
  const zoneMatch = ZONE_PATH.exec(path)
  if (zoneMatch) {
    const HostedZoneId = decodeURIComponent(zoneMatch[1])
    if (method === 'GET') {
      return {
        operation: 'ListResourceRecordSets',
        input: { HostedZoneId, ...params },
        parseBody: false
      }
    }
    if (method === 'POST') {
      return { operation: 'ChangeResourceRecordSets', input: { HostedZoneId }, parseBody: true }
    }
  }
  const changeMatch = CHANGE_PATH.exec(path)
  if (changeMatch && method === 'GET') {
    return {
      operation: 'GetChange',
      input: { Id: decodeURIComponent(changeMatch[1]) },
      parseBody: false
    }
  }
  return undefined
}

export function route53Body(body: string): XmlNode {
  return parseXml(body)
}

export function route53Success(
  operation: string,
  output: Record<string, unknown>,
  requestId: string
): WireResponse {
  return restXmlSuccess(`${operation}Response`, ROUTE53_XMLNS, output, MEMBERS, requestId)
}

export function route53Error(
  code: string,
  message: string,
  status: number,
  requestId: string
): WireResponse {
  return restXmlError(code, message, status, ROUTE53_XMLNS, requestId)
}
