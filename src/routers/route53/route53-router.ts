import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
  type RRType
} from '@aws-sdk/client-route-53'
import { awsCall, type ErrorTranslator } from '../../aws/call.js'
import type { Color, PerColor } from '../../color.js'
import type { Clock } from '../../clock.js'
import { InputError, NotFoundError, StateError } from '../../errors.js'
import type { Permille, Split } from '../../shares.js'
import type { TrafficRouter } from '../router.js'
import { normalizeName, pickWeightedRecords, upsertsFor, type Route53Route } from './records.js'
import { route53Reachable, route53WeightsFor, splitOfRoute53Weights } from './weights.js'

/**
 * This module and the Route 53 SDK are loaded by dynamic import, only in a run whose route is
 * Route 53 (src/compose.ts): no other run evaluates them.
 */
export function route53Client(region: string): Route53Client {
  return new Route53Client({ region, maxAttempts: 5 })
}

export interface Route53RouterOptions {
  clock: Clock
  /** Says what each write put into the records, for the log. */
  log: (line: string) => void
  /** Between GetChange calls while a change is PENDING. Default 2 s. */
  pollMs?: number
  /** How long a change may stay PENDING before the shift fails. Default 5 min. */
  syncTimeoutMs?: number
  /**
   * False for a rollback: the emergency exit reports once Route 53 has accepted the batch and the
   * read-back shows it, without waiting minutes for every name server (INSYNC). Default true.
   */
  awaitSync?: boolean
}

/**
 * Two weighted records of one name, one per colour (set identifiers `Blue` and `Green` by
 * default). Each shift is one ChangeResourceRecordSets batch that UPSERTs both records, so no
 * moment has one record changed and not the other; it waits for the change to be INSYNC (but for
 * a rollback) and reads both weights back. ListResourceRecordSets is strongly consistent with an
 * accepted change, so the read-back checks the write whether or not it is in sync yet. Everything on a record but its weight (health check, alias target,
 * TTL, values) is written back as it was read.
 */
export class Route53Router implements TrafficRouter {
  readonly kind = 'route53'
  readonly id: string
  private snapshot?: PerColor<ResourceRecordSet>

  constructor(
    private readonly route53: Route53Client,
    private readonly route: Route53Route,
    private readonly options: Route53RouterOptions
  ) {
    this.id = `hostedzone/${route.hostedZoneId}/${normalizeName(route.recordName)}`
  }

  async read(): Promise<Split> {
    this.snapshot = await this.fetch()
    return splitOfRoute53Weights(weightsOf(this.snapshot))
  }

  reachable(share: Permille): Permille[] {
    return route53Reachable(share)
  }

  /** Resolvers follow the records; the colours' own health checks do not depend on them. */
  async exposeForHealthChecks(_color: Color): Promise<string | undefined> {
    return undefined
  }

  async shift(split: Split): Promise<Split> {
    const records = this.records()
    const weights = route53WeightsFor(split)
    const response = await awsCall(
      'route53:ChangeResourceRecordSets',
      () =>
        this.route53.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: this.route.hostedZoneId,
            ChangeBatch: {
              Comment: `ecs-canary: Blue ${weights.Blue}, Green ${weights.Green}`,
              Changes: upsertsFor(records, weights)
            }
          })
        ),
      this.translate()
    )
    const change = response.ChangeInfo?.Id ?? ''
    const [type, name] = [records.Blue.Type, normalizeName(this.route.recordName)]
    const awaitSync = this.options.awaitSync ?? true
    this.options.log(
      `Route 53 ${name} ${type}: wrote weights ${this.route.setIdentifiers.Blue}=${weights.Blue}, ` +
        `${this.route.setIdentifiers.Green}=${weights.Green} (change ${change}` +
        `${awaitSync ? '' : ', not waited for: name servers apply it within about a minute'})`
    )
    if (change && awaitSync) await this.waitInSync(change)
    this.snapshot = await this.fetch()
    return splitOfRoute53Weights(weightsOf(this.snapshot))
  }

  async verify(): Promise<Split> {
    return splitOfRoute53Weights(weightsOf(await this.fetch()))
  }

  /** What a reader of the summary should know: resolvers cache the answer for the TTL. */
  notes(): string[] {
    const ttl = this.snapshot?.Blue.TTL
    const cached = ttl === undefined ? "the alias target's TTL" : `its TTL (${ttl} s)`
    return [
      `DNS resolvers cache a Route 53 answer for ${cached}: a shift takes up to that long to reach every client.`
    ]
  }

  private records(): PerColor<ResourceRecordSet> {
    if (!this.snapshot) throw new StateError(`Route 53 ${this.id} was written before it was read.`)
    return this.snapshot
  }

  /** Every record at the name, over as many pages as the name spans. */
  private async fetch(): Promise<PerColor<ResourceRecordSet>> {
    const name = normalizeName(this.route.recordName)
    const atName: ResourceRecordSet[] = []
    let start: { name: string; type?: RRType | string; id?: string } | undefined = {
      name,
      ...(this.route.recordType ? { type: this.route.recordType } : {})
    }
    while (start) {
      const page = await awsCall(
        'route53:ListResourceRecordSets',
        () =>
          this.route53.send(
            new ListResourceRecordSetsCommand({
              HostedZoneId: this.route.hostedZoneId,
              StartRecordName: start?.name,
              ...(start?.type ? { StartRecordType: start.type as RRType } : {}),
              ...(start?.id ? { StartRecordIdentifier: start.id } : {}),
              MaxItems: 300
            })
          ),
        this.translate()
      )
      const sets = page.ResourceRecordSets ?? []
      atName.push(...sets.filter((r) => normalizeName(r.Name ?? '') === name))
      const next = page.NextRecordName
      start =
        page.IsTruncated && next && normalizeName(next) === name
          ? { name: next, type: page.NextRecordType, id: page.NextRecordIdentifier }
          : undefined
    }
    return pickWeightedRecords(this.route, atName)
  }

  private async waitInSync(change: string): Promise<void> {
    const { clock, pollMs = 2000, syncTimeoutMs = 300_000 } = this.options
    const started = clock.now()
    let attempt = 0
    for (;;) {
      const response = await awsCall(
        'route53:GetChange',
        () => this.route53.send(new GetChangeCommand({ Id: change })),
        this.translate()
      )
      const status = response.ChangeInfo?.Status
      if (status === 'INSYNC') return
      if (clock.now() - started >= syncTimeoutMs) {
        throw new StateError(
          `Route 53 change ${change} is still ${status ?? 'unknown'} after ${Math.round(syncTimeoutMs / 1000)} s. ` +
            'Both weights were written in one batch; Route 53 applies them together once it is in sync. ' +
            'Run this step again to check and go on.'
        )
      }
      // Soon after the write first (a change is often in sync within seconds), then every pollMs.
      await clock.sleep(Math.min(pollMs, 250 * 2 ** attempt))
      attempt += 1
    }
  }

  private translate(): ErrorTranslator {
    const zone = this.route.hostedZoneId
    return (name, message) => {
      if (name === 'NoSuchHostedZone') {
        return new NotFoundError(
          `Route 53 hosted zone ${zone} was not found. Check "hosted-zone-id" (the ID, such as Z0123456789ABCDEFGHIJ).`
        )
      }
      if (name === 'InvalidInput' && /hosted ?zone/i.test(message)) {
        return new InputError(
          `Route 53 refused hosted zone "${zone}": ${message} Check "hosted-zone-id".`
        )
      }
      if (name === 'InvalidChangeBatch') {
        return new StateError(
          `Route 53 refused the change to ${this.id}: ${message} Nothing was changed (a batch is applied whole or not at all).`
        )
      }
      return undefined
    }
  }
}

function weightsOf(records: PerColor<ResourceRecordSet>): PerColor<number> {
  return { Blue: records.Blue.Weight ?? 0, Green: records.Green.Weight ?? 0 }
}
