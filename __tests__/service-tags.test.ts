/** src/service-tags.ts: putting the tags back as a run found them, against a mocked ECS. */
import { describe, expect, it } from '@jest/globals'
import {
  ECSClient,
  TagResourceCommand,
  UntagResourceCommand,
  type TagResourceCommandInput,
  type UntagResourceCommandInput
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { ServiceTags } from '../src/service-tags.js'

const service = { arn: 'arn:aws:ecs:us-east-1:1:service/c/shop', name: 'shop' }

function account() {
  const ecs = mockClient(ECSClient)
  const calls: string[] = []
  ecs.on(TagResourceCommand).callsFake((input: TagResourceCommandInput) => {
    calls.push(`tag ${(input.tags ?? []).map((t) => `${t.key}=${t.value}`).join(' ')}`)
    return {}
  })
  ecs.on(UntagResourceCommand).callsFake((input: UntagResourceCommandInput) => {
    calls.push(`untag ${(input.tagKeys ?? []).join(' ')}`)
    return {}
  })
  return { client: ecs as unknown as ECSClient, calls, restore: () => ecs.restore() }
}

describe('putBack', () => {
  it('undoes a promote on a service that had no undo colour and no record', async () => {
    const aws = account()
    const tags = new ServiceTags(aws.client, service, { StableStack: 'Blue' }, 'StableStack')
    await tags.promote('Blue', 'Green', { promoted: 'web:2', replaced: 'web:1', at: 'x' })
    const line = await tags.putBack()
    expect(aws.calls).toEqual([
      'tag StableStack=Green StableStackPrevious=Blue StableStackPromotion=web:2 replaced web:1 at x',
      'tag StableStack=Blue',
      'untag StableStackPrevious StableStackPromotion'
    ])
    expect(line).toBe('service tag StableStack: Green → Blue (put back as this run found it)')
    expect(tags.get('StableStackPromotion')).toBeUndefined()
    aws.restore()
  })

  it('writes back the undo colour and the record an earlier promote left, in the same call', async () => {
    const aws = account()
    const found = {
      StableStack: 'Green',
      StableStackPrevious: 'Blue',
      StableStackPromotion: 'web:2 replaced web:1 at y',
      Team: 'payments'
    }
    const tags = new ServiceTags(aws.client, service, found, 'StableStack')
    await tags.promote('Green', 'Blue', { promoted: 'web:3', replaced: 'web:2', at: 'x' })
    await tags.putBack()
    expect(aws.calls.at(-1)).toBe(
      'tag StableStack=Green StableStackPrevious=Blue StableStackPromotion=web:2 replaced web:1 at y'
    )
    expect(aws.calls).toHaveLength(2)
    aws.restore()
  })
})
