import { TagResourceCommand, UntagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import { awsCall } from './aws/call.js'
import { isColor, type Color } from './color.js'
import { StateError } from './errors.js'
import type { ServiceState } from './discover/service.js'

/** The stable colour named by the service tag; refuses a missing tag or any other value. */
export function stableColorOf(service: ServiceState, tagKey: string): Color {
  const value = service.tags[tagKey]
  const command =
    `aws ecs tag-resource --resource-arn ${service.arn} --tags key=${tagKey},value=Blue` +
    ' (or value=Green: the colour that serves production now)'
  if (value === undefined) {
    throw new StateError(
      `Service ${service.name} has no "${tagKey}" tag, so the stable colour is unknown. Set it with: ${command}`
    )
  }
  if (!isColor(value)) {
    throw new StateError(
      `Service ${service.name} has ${tagKey}="${value}"; it must be exactly Blue or Green. Fix it with: ${command}`
    )
  }
  return value
}

/** Service tags the action keeps beside the stable colour, named after the tag key. */
export function companionTags(tagKey: string): { previous: string; testRule: string } {
  return { previous: `${tagKey}Previous`, testRule: `${tagKey}TestRule` }
}

/** Writes service tags in one call (ECS applies a TagResource call as a whole). */
export async function writeServiceTags(
  ecs: ECSClient,
  serviceArn: string,
  tags: Record<string, string>
): Promise<void> {
  await awsCall(
    'ecs:TagResource',
    () =>
      ecs.send(
        new TagResourceCommand({
          resourceArn: serviceArn,
          tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
        })
      ),
    (name, message) =>
      name === 'InvalidParameterException' && /long arn/i.test(message)
        ? new StateError(
            `ECS refused to tag ${serviceArn}: ${message} Opt in to the long ARN format for services ` +
              '(aws ecs put-account-setting --name serviceLongArnFormat --value enabled) and recreate the service.'
          )
        : undefined
  )
}

export async function removeServiceTags(
  ecs: ECSClient,
  serviceArn: string,
  keys: string[]
): Promise<void> {
  await awsCall('ecs:UntagResource', () =>
    ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: keys }))
  )
}
