import {
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type CloudFormationClient,
  type Parameter
} from '@aws-sdk/client-cloudformation'
import { awsCall } from '../aws/call.js'
import type { Clock } from '../clock.js'
import { NotFoundError, StateError } from '../errors.js'

/** What a deploy needs of the stack: its status, parameters and outputs. */
export interface StackRead {
  id: string
  status: string
  parameters: Parameter[]
  outputs: Record<string, string>
  /** What the stack's last change acknowledged (CAPABILITY_IAM for the template's role). */
  capabilities: string[]
}

export async function readStack(cfn: CloudFormationClient, stackName: string): Promise<StackRead> {
  const response = await awsCall('cloudformation:DescribeStacks', () =>
    cfn.send(new DescribeStacksCommand({ StackName: stackName }))
  )
  const stack = response.Stacks?.[0]
  if (!stack) throw new NotFoundError(`CloudFormation stack "${stackName}" was not found.`)
  const outputs: Record<string, string> = {}
  for (const o of stack.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? ''
  return {
    id: stack.StackId ?? stackName,
    status: stack.StackStatus ?? 'UNKNOWN',
    parameters: stack.Parameters ?? [],
    outputs,
    capabilities: stack.Capabilities ?? []
  }
}

/** Refuses a stack that is being changed now: an update cannot start until it settles. */
export function requireSettled(stackName: string, status: string): void {
  if (status.endsWith('_IN_PROGRESS') || status.endsWith('_FAILED')) {
    throw new StateError(
      `Stack "${stackName}" is ${status}: another change is under way (or stuck). Wait until it ` +
        'is UPDATE_COMPLETE (or continue its rollback), then run this step again.'
    )
  }
}

/**
 * UpdateStack with the previous template and the given parameters. Returns false when
 * CloudFormation says there is nothing to update: that is not an error.
 */
export async function updateStack(
  cfn: CloudFormationClient,
  stackName: string,
  parameters: Parameter[],
  capabilities: string[]
): Promise<boolean> {
  let noChange = false
  await awsCall(
    'cloudformation:UpdateStack',
    () =>
      cfn.send(
        new UpdateStackCommand({
          StackName: stackName,
          UsePreviousTemplate: true,
          Parameters: parameters,
          ...(capabilities.length > 0 ? { Capabilities: capabilities as never } : {})
        })
      ),
    (name, message) => {
      noChange = name === 'ValidationError' && /no updates are to be performed/i.test(message)
      return undefined
    }
  ).catch((error: unknown) => {
    if (!noChange) throw error
  })
  return !noChange
}

/**
 * Waits for the update to settle. On a failed update, names the first resource that failed and
 * why, from the stack's events.
 */
export async function waitForUpdate(
  cfn: CloudFormationClient,
  stackName: string,
  since: number,
  options: { clock: Clock; timeoutMs: number; pollMs: number }
): Promise<StackRead> {
  const { clock } = options
  const deadline = clock.now() + options.timeoutMs
  for (;;) {
    const stack = await readStack(cfn, stackName)
    if (stack.status === 'UPDATE_COMPLETE') return stack
    if (!stack.status.endsWith('_IN_PROGRESS')) {
      const cause = await firstFailure(cfn, stackName, since).catch(() => undefined)
      throw new StateError(
        `The update of stack "${stackName}" failed: it is ${stack.status}` +
          `${cause ? `; the first failure was ${cause}` : ''}.`
      )
    }
    if (clock.now() >= deadline) {
      throw new StateError(
        `The update of stack "${stackName}" is still ${stack.status} after ` +
          `${Math.round(options.timeoutMs / 1000)} s.`
      )
    }
    await clock.sleep(Math.min(options.pollMs, Math.max(0, deadline - clock.now())))
  }
}

/** `GreenTaskSet (AWS::ECS::TaskSet): reason`, the earliest failed event since `since`. */
async function firstFailure(
  cfn: CloudFormationClient,
  stackName: string,
  since: number
): Promise<string | undefined> {
  const response = await awsCall('cloudformation:DescribeStackEvents', () =>
    cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))
  )
  // Events come newest first.
  const failed = (response.StackEvents ?? [])
    .filter((e) => (e.Timestamp?.getTime() ?? 0) >= since - 1000)
    .filter((e) => e.ResourceStatus?.endsWith('_FAILED') && e.LogicalResourceId !== stackName)
    .reverse()[0]
  if (!failed) return undefined
  return `${failed.LogicalResourceId} (${failed.ResourceType}): ${failed.ResourceStatusReason ?? 'no reason given'}`
}
