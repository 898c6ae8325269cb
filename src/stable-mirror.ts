import { messageOf } from './errors.js'
import { TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import { awsCall } from './aws/call.js'
import type { Color } from './color.js'
import type { PromotionRecord } from './promotion-record.js'
import type { ServiceTags } from './service-tags.js'
import type { StableMarker } from './shape.js'

/**
 * The stable tag on the service named by `service` (the one the action reads), copied to the
 * colours' other services so that a look at either service shows which colour is live. The copy
 * is written after the tag it copies and never read back, so it cannot mislead a run: a failed
 * copy is said in the line the write returns, and the next promote or rollback writes it again.
 */
export class MirroredStableMarker implements StableMarker {
  constructor(
    private readonly tags: ServiceTags,
    private readonly ecs: ECSClient,
    /** ARNs of the services that carry a copy (the colours' services other than `service`). */
    private readonly mirrors: readonly string[]
  ) {}

  async promote(from: Color, to: Color, record?: PromotionRecord): Promise<string> {
    return this.copied(await this.tags.promote(from, to, record))
  }

  async undo(from: Color, to: Color, record?: PromotionRecord): Promise<string> {
    return this.copied(await this.tags.undo(from, to, record))
  }

  forget(): Promise<string> {
    return this.tags.forget()
  }

  async putBack(): Promise<string> {
    return this.copied(await this.tags.putBack())
  }

  private async copied(line: string): Promise<string> {
    const key = this.tags.names.stable
    const value = this.tags.get(key)
    if (value === undefined || this.mirrors.length === 0) return line
    const results = await Promise.allSettled(
      this.mirrors.map((arn) =>
        awsCall('ecs:TagResource', () =>
          this.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key, value }] }))
        )
      )
    )
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${this.mirrors[i]} (${messageOf(r.reason)})`] : []
    )
    const copies = this.mirrors.length - failed.length
    const said = copies > 0 ? `; copied to ${copies} colour service${copies > 1 ? 's' : ''}` : ''
    const missed =
      failed.length > 0
        ? `; the copy on ${failed.join(', ')} failed, the next promote or rollback writes it again`
        : ''
    return `${line}${said}${missed}`
  }
}
