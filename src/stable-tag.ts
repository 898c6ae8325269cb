import { TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs'
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

export async function writeStableTag(
  ecs: ECSClient,
  serviceArn: string,
  tagKey: string,
  color: Color
): Promise<void> {
  await awsCall(
    'ecs:TagResource',
    () =>
      ecs.send(
        new TagResourceCommand({ resourceArn: serviceArn, tags: [{ key: tagKey, value: color }] })
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
