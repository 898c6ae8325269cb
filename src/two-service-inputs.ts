import type { PerColor } from './color.js'
import { Inputs } from './constants.js'
import { InputError } from './errors.js'
import type { Route53Route } from './routers/route53/records.js'
import { zoneIdOf } from './routers/route53/records.js'

/** Where the two-service shape is: a service per colour and, for Route 53, the weighted records. */
export interface TwoServiceInputs {
  services?: PerColor<string>
  route53?: Route53Route
}

/** Record types Route 53 can weight (its RRType values). */
const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DS',
  'HTTPS',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT'
]

/**
 * `blue-service`/`green-service` and the Route 53 inputs, validated. Nothing here touches AWS.
 * Every mode reads them: they say where the colours and the route are.
 */
export function parseTwoServiceInputs(get: (name: string) => string | undefined): TwoServiceInputs {
  const blue = get(Inputs.BlueService)
  const green = get(Inputs.GreenService)
  if (Boolean(blue) !== Boolean(green)) {
    throw new InputError(
      `Set both "blue-service" and "green-service" (one ECS service per colour), or neither; "${blue ? Inputs.GreenService : Inputs.BlueService}" is missing.`
    )
  }
  if (blue && blue === green) {
    throw new InputError('"blue-service" and "green-service" name the same service.')
  }
  const services = blue && green ? { Blue: blue, Green: green } : undefined
  const route53 = parseRoute53(get)
  if (route53 && !services) {
    throw new InputError(
      'Route 53 weighted records share traffic between two services: set "blue-service" and "green-service" with "hosted-zone-id".'
    )
  }
  return { ...(services ? { services } : {}), ...(route53 ? { route53 } : {}) }
}

function parseRoute53(get: (name: string) => string | undefined): Route53Route | undefined {
  const zone = get(Inputs.HostedZoneId)
  const name = get(Inputs.RecordName)
  const type = get(Inputs.RecordType)
  const blue = get(Inputs.BlueSetIdentifier) ?? 'Blue'
  const green = get(Inputs.GreenSetIdentifier) ?? 'Green'
  if (!zone) {
    const stray = [
      Inputs.RecordName,
      Inputs.RecordType,
      Inputs.BlueSetIdentifier,
      Inputs.GreenSetIdentifier
    ].filter((input) => get(input) !== undefined)
    if (stray.length > 0) {
      throw new InputError(`"${stray[0]}" belongs to the Route 53 route: set "hosted-zone-id" too.`)
    }
    return undefined
  }
  const hostedZoneId = zoneIdOf(zone)
  if (!/^[A-Z0-9]{1,32}$/.test(hostedZoneId)) {
    throw new InputError(
      `"hosted-zone-id" is "${zone}"; a hosted zone ID is upper-case letters and digits, such as Z0123456789ABCDEFGHIJ.`
    )
  }
  if (!name)
    throw new InputError(
      '"record-name" is required with "hosted-zone-id": the name of the weighted records, such as shop.example.com.'
    )
  if (name.length > 255)
    throw new InputError('"record-name" is longer than a DNS name may be (255 characters).')
  const recordType = type?.toUpperCase()
  if (recordType !== undefined && !RECORD_TYPES.includes(recordType)) {
    throw new InputError(
      `"record-type" is "${type}"; use a Route 53 record type such as A, AAAA or CNAME, or leave it out to use the type the records have.`
    )
  }
  for (const [input, id] of [
    [Inputs.BlueSetIdentifier, blue],
    [Inputs.GreenSetIdentifier, green]
  ]) {
    if (id.length > 128)
      throw new InputError(`"${input}" is longer than a set identifier may be (128 characters).`)
  }
  if (blue === green) {
    throw new InputError(
      '"blue-set-identifier" and "green-set-identifier" are the same; each colour has its own record.'
    )
  }
  return {
    hostedZoneId,
    recordName: name,
    ...(recordType ? { recordType } : {}),
    setIdentifiers: { Blue: blue, Green: green }
  }
}
