import { isColor, type Color } from './color.js'
import { LeaseHeldError } from './errors.js'
import type { Mode } from './inputs.js'
import {
  describeHolder,
  formatLease,
  isOwnLease,
  judgeLease,
  parseLease,
  type LeaseHolder,
  type RunIdentity
} from './lease.js'
import type { ServiceTags } from './service-tags.js'
import type { LeaseLook, RunLease } from './shape.js'

/** The lease as a tag on the ECS service, written and read through the service's tags. */
export class ServiceLease implements RunLease {
  private until = 0

  constructor(
    private readonly tags: ServiceTags,
    private readonly me: RunIdentity,
    private readonly serviceName: string
  ) {}

  async take(
    mode: Mode,
    now: number,
    durationMs: number,
    left?: Color
  ): Promise<string | undefined> {
    const key = this.tags.names.lease
    const verdict = judgeLease(this.tags.get(key), this.me, now)
    if (!verdict.free && mode !== 'rollback') {
      throw new LeaseHeldError(
        `Another run is changing service ${this.serviceName}: ${describeHolder(verdict.holder)}, ` +
          `leased until ${new Date(verdict.holder.until).toISOString()}. Wait for it to finish. If ` +
          `it died, run mode rollback (it never waits for a lease) or remove the tag: aws ecs ` +
          `untag-resource --resource-arn ${this.tags.arn} --tag-keys ${key}. No traffic was ` +
          'moved; nothing was written.'
      )
    }
    const holder: LeaseHolder = {
      ...this.me,
      mode,
      until: now + durationMs,
      ...(left ? { left } : {})
    }
    this.until = holder.until
    await this.tags.set({ [key]: formatLease(holder) })
    if (!verdict.free) return `rollback takes the service from ${describeHolder(verdict.holder)}`
    return verdict.note
  }

  async look(): Promise<LeaseLook> {
    const tags = await this.tags.read()
    const value = tags[this.tags.names.lease]
    const holder = parseLease(value)
    const stable = tags[this.tags.names.stable]
    return {
      ours: isOwnLease(value, this.me),
      ...(holder
        ? {
            holder: describeHolder(holder),
            byRollback: holder.mode === 'rollback',
            until: holder.until,
            ...(holder.left ? { left: holder.left } : {})
          }
        : {}),
      ...(stable !== undefined && isColor(stable) ? { stable: stable as Color } : {})
    }
  }

  async release(): Promise<void> {
    await this.tags.remove([this.tags.names.lease])
  }

  leftBehind(): string {
    const key = this.tags.names.lease
    return (
      `This run's lease tag ${key} is still on the service: "Re-run jobs" takes it over; any other ` +
      `run waits until it expires at ${new Date(this.until).toISOString().slice(0, 16)} UTC, or ` +
      `until it is removed with: aws ecs untag-resource --resource-arn ${this.tags.arn} ` +
      `--tag-keys ${key}`
    )
  }
}
