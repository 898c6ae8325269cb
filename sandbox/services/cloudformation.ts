/**
 * AWS CloudFormation (awsQuery, signing name `cloudformation`): DescribeStacks only, which is how
 * the action finds the task sets, target groups and listener rule by stack outputs.
 */
import type { StackState } from '../world.js'
import { AwsError, optString, type ServiceModule } from './service.js'

function stackOut(stack: StackState) {
  return {
    StackId: stack.id,
    StackName: stack.name,
    Description: stack.description,
    Parameters: [],
    CreationTime: new Date(stack.createdAt),
    StackStatus: stack.status,
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: [],
    Outputs: stack.outputs,
    Tags: [],
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' }
  }
}

export const cloudformation: ServiceModule = {
  name: 'cloudformation',
  signingName: 'cloudformation',
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  queryTypes: { numbers: new Set(), booleans: new Set() },
  operations: {
    DescribeStacks: (input, { world }) => {
      const ref = optString(input, 'StackName')
      if (ref === undefined) return { Stacks: world.stacks.map(stackOut) }
      const stack = world.stacks.find((s) => s.name === ref || s.id === ref)
      // CloudFormation has a StackNotFoundException shape but DescribeStacks still answers with
      // the generic ValidationError, which the SDK surfaces as a plain service exception.
      if (!stack) throw new AwsError('ValidationError', `Stack with id ${ref} does not exist`)
      return { Stacks: [stackOut(stack)] }
    }
  }
}
