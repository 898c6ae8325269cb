import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { awsCall } from '../aws/call.js'
import { NotFoundError } from '../errors.js'

/** The outputs of a CloudFormation stack, by key. */
export async function readStackOutputs(
  cfn: CloudFormationClient,
  stackName: string
): Promise<Record<string, string>> {
  const response = await awsCall(
    'cloudformation:DescribeStacks',
    () => cfn.send(new DescribeStacksCommand({ StackName: stackName })),
    (name, message) =>
      name === 'ValidationError' && /does not exist/i.test(message)
        ? new NotFoundError(
            `CloudFormation stack "${stackName}" was not found in this account and region. ` +
              'Check "stack-name" and "aws-region".'
          )
        : undefined
  )
  const stack = response.Stacks?.[0]
  if (!stack) throw new NotFoundError(`CloudFormation stack "${stackName}" was not found.`)
  const outputs: Record<string, string> = {}
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue) outputs[output.OutputKey] = output.OutputValue
  }
  return outputs
}
