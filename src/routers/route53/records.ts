import type { ResourceRecordSet } from '@aws-sdk/client-route-53'
import { COLORS, type PerColor } from '../../color.js'
import { StateError } from '../../errors.js'

/** Where the weighted records are: the zone, the record name and the two set identifiers. */
export interface Route53Route {
  hostedZoneId: string
  recordName: string
  /** Undefined: the type the records have (refused when both A and AAAA, say, are weighted). */
  recordType?: string
  setIdentifiers: PerColor<string>
}

/**
 * A record name as Route 53 lists it: lower case, with the final dot, and `*` as Route 53 escapes
 * it (`\052`), so that an input written either way matches what the zone returns.
 */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\\052/g, '*')
  return lower.endsWith('.') ? lower : `${lower}.`
}

/** `Z123` and `/hostedzone/Z123` both name the zone `Z123`. */
export function zoneIdOf(text: string): string {
  return text.trim().replace(/^\/?hostedzone\//, '')
}

/**
 * Picks each colour's weighted record among the records at the name (any type), pure. Refuses,
 * saying what is there, a set identifier that is not at the name, one that is weighted in more
 * than one type when no type is given, one of another type than `record-type`, and a record that
 * routes by something other than weight.
 */
export function pickWeightedRecords(
  route: Route53Route,
  atName: readonly ResourceRecordSet[]
): PerColor<ResourceRecordSet> {
  const name = normalizeName(route.recordName)
  const where = `${name} in hosted zone ${route.hostedZoneId}`
  const pick = (color: (typeof COLORS)[number]): ResourceRecordSet => {
    const id = route.setIdentifiers[color]
    const input = `${color.toLowerCase()}-set-identifier`
    const named = atName.filter((r) => r.SetIdentifier === id)
    if (named.length === 0) {
      const known = [...new Set(atName.map((r) => r.SetIdentifier).filter(Boolean))]
      throw new StateError(
        `Record ${where} has no record with set identifier "${id}" for ${color} (` +
          (known.length > 0 ? `its set identifiers: ${known.join(', ')}` : 'it has none') +
          `). Set "${input}" to the ${color} record's set identifier.`
      )
    }
    const typed = route.recordType ? named.filter((r) => r.Type === route.recordType) : named
    if (typed.length === 0) {
      throw new StateError(
        `The "${id}" record at ${where} is of type ${named.map((r) => r.Type).join(', ')}, not ` +
          `${route.recordType}. Set "record-type" to the type of the weighted records.`
      )
    }
    if (typed.length > 1) {
      throw new StateError(
        `Set identifier "${id}" at ${where} names records of types ${typed.map((r) => r.Type).join(', ')}. ` +
          'Set "record-type" to the one the action moves (run it once per type for the others).'
      )
    }
    const record = typed[0]
    if (record.Weight === undefined) {
      throw new StateError(
        `The "${id}" record at ${where} is not a weighted record (${routingOf(record)}). ` +
          'The route53 router moves traffic between two weighted records.'
      )
    }
    return record
  }
  const records = { Blue: pick('Blue'), Green: pick('Green') }
  if (records.Blue.Type !== records.Green.Type) {
    throw new StateError(
      `At ${where}, the Blue record is of type ${records.Blue.Type} and the Green one of type ` +
        `${records.Green.Type}: weights only share traffic between records of one type. ` +
        'Set "record-type" and give both colours a record of that type.'
    )
  }
  return records
}

function routingOf(record: ResourceRecordSet): string {
  if (record.Region) return 'latency routing'
  if (record.Failover) return 'failover routing'
  if (record.GeoLocation) return 'geolocation routing'
  if (record.GeoProximityLocation) return 'geoproximity routing'
  if (record.MultiValueAnswer) return 'multivalue answer routing'
  if (record.CidrRoutingConfig) return 'IP-based routing'
  return 'simple routing'
}

/** The records as UPSERTs with new weights; every other field is sent back as it was read. */
export function upsertsFor(
  records: PerColor<ResourceRecordSet>,
  weights: PerColor<number>
): { Action: 'UPSERT'; ResourceRecordSet: ResourceRecordSet }[] {
  return COLORS.map((color) => ({
    Action: 'UPSERT' as const,
    ResourceRecordSet: { ...records[color], Weight: weights[color] }
  }))
}
