import {
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ECSClient
} from '@aws-sdk/client-ecs'
import { awsCall } from './aws/call.js'
import { isColor, type Color } from './color.js'
import { IncompletePromotionError, StateError, messageOf } from './errors.js'
import { formatRecord, type PromotionRecord } from './promotion-record.js'
import type { StableMarker } from './shape.js'

/** Names of the service tags the action keeps, all derived from `tag-key`. */
export interface TagNames {
  /** The stable colour, e.g. `StableStack`. */
  stable: string
  /** The colour that was stable before the last promote, for undo. */
  previous: string
  /** The ARN of the test-traffic rule the action created. */
  testRule: string
  /** What the last promote made stable and what it replaced (promotion-record.ts). */
  promotion: string
  /** The run that is changing the service now (lease.ts). */
  lease: string
  /** What the last deploy put into which colour (deploy/deploy-record.ts). */
  deploy: string
}

export function tagNames(tagKey: string): TagNames {
  return {
    stable: tagKey,
    previous: `${tagKey}Previous`,
    testRule: `${tagKey}TestRule`,
    promotion: `${tagKey}Promotion`,
    lease: `${tagKey}Lease`,
    deploy: `${tagKey}Deploy`
  }
}

/** Names the test route keeps besides `testRule`, derived from `tag-key` like the others. */
export interface TestRouteTagNames {
  /** Service tag: the ARN of the test listener a canary pointed at the canary colour. */
  testListener: string
  /** ELB tag on each test rule the action creates; its value is the ECS service's ARN. */
  ruleMarker: string
}

export function testRouteTagNames(tagKey: string): TestRouteTagNames {
  return { testListener: `${tagKey}TestListener`, ruleMarker: `${tagKey}TestRuleOf` }
}

/**
 * The tags on the ECS service: read once by discovery and kept current as the action writes
 * them, so every part of a run sees what the previous part wrote. (Over 60 lines: it is the one
 * owner of the service's tags, and each method is one call.)
 */
export class ServiceTags implements StableMarker {
  readonly names: TagNames
  private readonly values: Map<string, string>
  /** The tags as discovery read them: what `putBack` restores. */
  private readonly found: Readonly<Record<string, string>>

  constructor(
    private readonly ecs: ECSClient,
    private readonly service: { arn: string; name: string },
    tags: Record<string, string>,
    tagKey: string
  ) {
    this.names = tagNames(tagKey)
    this.values = new Map(Object.entries(tags))
    this.found = { ...tags }
  }

  get(key: string): string | undefined {
    return this.values.get(key)
  }

  /**
   * The stable colour named by the tag; refuses any other value, and a missing tag unless the
   * shape has a colour it starts from (`absent`).
   */
  stable(absent?: Color): Color {
    const key = this.names.stable
    const value = this.get(key)
    const command =
      `aws ecs tag-resource --resource-arn ${this.service.arn} --tags key=${key},value=Blue` +
      ' (or value=Green: the colour that serves production now)'
    if (value === undefined && absent) return absent
    if (value === undefined) {
      throw new StateError(
        `Service ${this.service.name} has no "${key}" tag, so the stable colour is unknown. Set it with: ${command}`
      )
    }
    if (!isColor(value)) {
      throw new StateError(
        `Service ${this.service.name} has ${key}="${value}"; it must be exactly Blue or Green. Fix it with: ${command}`
      )
    }
    return value
  }

  /** Writes tags in one call: ECS applies a TagResource call as a whole. */
  async set(tags: Record<string, string>): Promise<void> {
    const arn = this.service.arn
    await awsCall(
      'ecs:TagResource',
      () =>
        this.ecs.send(
          new TagResourceCommand({
            resourceArn: arn,
            tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
          })
        ),
      (name, message) =>
        name === 'InvalidParameterException' && /long arn/i.test(message)
          ? new StateError(
              `ECS refused to tag ${arn}: ${message} Opt in to the long ARN format for services ` +
                '(aws ecs put-account-setting --name serviceLongArnFormat --value enabled) and recreate the service.'
            )
          : undefined
    )
    for (const [key, value] of Object.entries(tags)) this.values.set(key, value)
  }

  /** Reads the tags again (another run may have written them) and returns them. */
  async read(): Promise<Record<string, string>> {
    const response = await awsCall('ecs:ListTagsForResource', () =>
      this.ecs.send(new ListTagsForResourceCommand({ resourceArn: this.service.arn }))
    )
    const tags = Object.fromEntries(
      (response.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? '']] : []))
    )
    this.values.clear()
    for (const [key, value] of Object.entries(tags)) this.values.set(key, value)
    return tags
  }

  get arn(): string {
    return this.service.arn
  }

  async remove(keys: string[]): Promise<void> {
    await awsCall('ecs:UntagResource', () =>
      this.ecs.send(new UntagResourceCommand({ resourceArn: this.service.arn, tagKeys: keys }))
    )
    for (const key of keys) this.values.delete(key)
  }

  /**
   * The stable tag, the colour an undo returns to and the record of what was promoted, in one
   * call: ECS applies a TagResource call as a whole, so no run sees one without the others.
   */
  async promote(from: Color, to: Color, record?: PromotionRecord): Promise<string> {
    const key = this.names.stable
    try {
      await this.set({ [key]: to, [this.names.previous]: from, ...this.recordTag(record) })
    } catch (error) {
      const why = messageOf(error)
      throw new IncompletePromotionError(
        `All traffic now goes to ${to}, but setting the tag ${key}=${to} failed: ${why} ` +
          'Run promote again to finish; it will only write the tag.'
      )
    }
    return `service tag ${key}: ${from} → ${to}`
  }

  /**
   * The stable tag first, then the record of the promote: a run that stops between the two leaves
   * a record naming the stable colour itself, which a later undo reads as "nothing to undo".
   */
  async undo(from: Color, to: Color, record?: PromotionRecord): Promise<string> {
    await this.set({ [this.names.stable]: to, ...this.recordTag(record) })
    await this.remove([this.names.previous])
    return `service tag ${this.names.stable}: ${from} → ${to} (promotion undone)`
  }

  async forget(): Promise<string> {
    await this.remove([this.names.previous])
    return `service tag ${this.names.previous}: removed (the undo is finished)`
  }

  /**
   * The tags this run found, written back in one call with the stable tag, then the ones it found
   * absent removed: a run that stops between the two leaves the stable tag right and at worst a
   * record of a promote that did not stand, which names a version that is not stable.
   */
  async putBack(): Promise<string> {
    const { stable, previous, promotion } = this.names
    const keys = [stable, previous, promotion]
    const present = keys.filter((key) => this.found[key] !== undefined)
    const absent = keys.filter((key) => this.found[key] === undefined && this.values.has(key))
    const from = this.values.get(stable)
    await this.set(Object.fromEntries(present.map((key) => [key, this.found[key]])))
    if (absent.length > 0) await this.remove(absent)
    return `service tag ${stable}: ${from ?? 'none'} → ${this.found[stable] ?? 'none'} (put back as this run found it)`
  }

  private recordTag(record: PromotionRecord | undefined): Record<string, string> {
    const value = record && formatRecord(record)
    return value ? { [this.names.promotion]: value } : {}
  }
}
