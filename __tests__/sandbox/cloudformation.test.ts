import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudFormationServiceException,
  DescribeStacksCommand
} from '@aws-sdk/client-cloudformation'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { BLUE_TASK_SET_ID, GREEN_TASK_SET_ID } from '../../sandbox/world.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let cfn: ReturnType<typeof clients>['cfn']

beforeAll(async () => {
  sandbox = await startSandbox()
  cfn = clients(sandbox, 1).cfn
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const outputKeys = async () => {
  const out = await cfn.send(new DescribeStacksCommand({ StackName: 'myservice-canary' }))
  return out.Stacks![0].Outputs!.map((o) => o.OutputKey)
}

describe('DescribeStacks', () => {
  it('returns the stack with its outputs, by name and by stack ID', async () => {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 'myservice-canary' }))
    const stack = out.Stacks![0]
    expect(stack.StackStatus).toBe('CREATE_COMPLETE')
    expect(stack.CreationTime).toBeInstanceOf(Date)
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]))
    expect(outputs).toEqual({
      BlueTaskSet: BLUE_TASK_SET_ID,
      GreenTaskSet: GREEN_TASK_SET_ID,
      BlueTargetGroup: sandbox.world.targetGroups[0].arn,
      GreenTargetGroup: sandbox.world.targetGroups[1].arn,
      ListenerRule: sandbox.world.rules[0].arn
    })
    expect(stack.Outputs![0].Description).toBe('Blue task set ID')
    const byId = await cfn.send(new DescribeStacksCommand({ StackName: stack.StackId }))
    expect(byId.Stacks![0].StackName).toBe('myservice-canary')
  })

  it('raises ValidationError for a missing stack', async () => {
    const err = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'nope' })))
    expect(err).toBeInstanceOf(CloudFormationServiceException)
    expect(err.name).toBe('ValidationError')
    expect(err.message).toBe('Stack with id nope does not exist')
    expect(err.$metadata?.httpStatusCode).toBe(400)
  })

  it('drops outputs in the stack variants', async () => {
    sandbox.reset('no-listener-rule-output')
    expect(await outputKeys()).not.toContain('ListenerRule')
    sandbox.reset('missing-green-tg-output')
    expect(await outputKeys()).toEqual([
      'BlueTaskSet',
      'GreenTaskSet',
      'BlueTargetGroup',
      'ListenerRule'
    ])
  })
})
