/**
 * AWS CloudFormation (awsQuery, signing name `cloudformation`): DescribeStacks, which is how the
 * action finds the task sets, target groups and listener rule by stack outputs; and UpdateStack
 * with the previous template of templates/ecs-canary.yaml, which a deploy uses: a changed
 * `<Colour>Image` registers a new revision and replaces that colour's task set (and its output),
 * changed weights rewrite the rule, a changed `StableColor` the service tag. The update runs in
 * the background, UPDATE_IN_PROGRESS until the task set delay has passed.
 */
import type { Simulation } from '../simulation.js'
import { findService, type StackState, type World } from '../world.js'
import { addTaskSet, findRevision, registerRevision, removeTaskSet } from './ecs.js'
import { AwsError, optString, reqString, type ServiceModule } from './service.js'

function stackOut(stack: StackState) {
  return {
    StackId: stack.id,
    StackName: stack.name,
    Description: stack.description,
    Parameters: (stack.parameters ?? []).map((p) => ({
      ParameterKey: p.key,
      ParameterValue: p.value
    })),
    CreationTime: new Date(stack.createdAt),
    StackStatus: stack.status,
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: stack.capabilities ?? [],
    Outputs: stack.outputs,
    Tags: [],
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' }
  }
}

function findStack(world: World, ref: string): StackState {
  const stack = world.stacks.find((s) => s.name === ref || s.id === ref)
  // CloudFormation has a StackNotFoundException shape but answers with the generic ValidationError.
  if (!stack) throw new AwsError('ValidationError', `Stack with id ${ref} does not exist`)
  return stack
}

let eventCounter = 0

function event(
  stack: StackState,
  logicalId: string,
  resourceType: string,
  status: string,
  at: number,
  reason?: string
): void {
  eventCounter += 1
  stack.events ??= []
  stack.events.push({
    id: `${logicalId}-${status}-${eventCounter}`,
    logicalId,
    resourceType,
    status,
    at,
    ...(reason ? { reason } : {})
  })
}

type ParameterInput = { ParameterKey?: string; ParameterValue?: string; UsePreviousValue?: unknown }

/** The parameters the update asks for; refuses keys the template does not have. */
function nextParameters(stack: StackState, given: ParameterInput[]): Map<string, string> {
  const previous = new Map((stack.parameters ?? []).map((p) => [p.key, p.value]))
  const next = new Map(previous)
  const unknown = given.map((p) => p.ParameterKey ?? '').filter((key) => !previous.has(key))
  if (unknown.length > 0) {
    throw new AwsError(
      'ValidationError',
      `Parameters: [${unknown.join(', ')}] do not exist in the template`
    )
  }
  for (const p of given) {
    const key = p.ParameterKey ?? ''
    if (p.UsePreviousValue === true || p.UsePreviousValue === 'true') continue
    next.set(key, p.ParameterValue ?? '')
  }
  return next
}

/** Applies the parameters as the template's resources would take them. */
function applyUpdate(
  world: World,
  sim: Simulation,
  stack: StackState,
  next: Map<string, string>,
  now: number
) {
  const previous = new Map((stack.parameters ?? []).map((p) => [p.key, p.value]))
  const output = (key: string) => stack.outputs.find((o) => o.OutputKey === key)
  const service = findService(world, next.get('ServiceName') ?? 'myservice')
  if (!service) return
  for (const color of ['Blue', 'Green'] as const) {
    const image = next.get(`${color}Image`)
    if (image === undefined || image === previous.get(`${color}Image`)) continue
    const taskSetOutput = output(`${color}TaskSet`)
    const old = service.taskSets.find((t) => t.id === taskSetOutput?.OutputValue)
    if (!old || !taskSetOutput) continue
    const current = findRevision(world, old.taskDefinition)
    const container = next.get('ContainerName') ?? 'app'
    const port = Number(next.get('ContainerPort') ?? 80)
    const td = registerRevision(
      world,
      {
        family:
          current?.family ?? `${next.get('ServiceName') ?? 'myservice'}-${color.toLowerCase()}`,
        containerDefinitions: [
          {
            name: container,
            image,
            essential: true,
            portMappings: [{ containerPort: port, protocol: 'tcp' }]
          }
        ],
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512'
      },
      now
    )
    event(stack, `${color}TaskDefinition`, 'AWS::ECS::TaskDefinition', 'UPDATE_COMPLETE', now)
    // A new task definition replaces the task set: CloudFormation creates the new one, then
    // deletes the old.
    const fresh = addTaskSet(
      world,
      sim,
      service,
      {
        taskDefinition: td.arn,
        ...(old.externalId ? { externalId: old.externalId } : {}),
        loadBalancers: old.loadBalancers,
        scale: old.scale.value
      },
      now
    )
    removeTaskSet(world, service, old)
    taskSetOutput.OutputValue = fresh.id
    event(stack, `${color}TaskSet`, 'AWS::ECS::TaskSet', 'UPDATE_COMPLETE', now)
  }
  const weights = ['BlueWeight', 'GreenWeight'].map((k) => next.get(k))
  if (weights.some((w, i) => w !== previous.get(['BlueWeight', 'GreenWeight'][i]))) {
    const rule = world.rules.find((r) => r.arn === output('ListenerRule')?.OutputValue)
    const forward = rule?.actions.find((a) => a.Type === 'forward')
    for (const group of forward?.ForwardConfig?.TargetGroups ?? []) {
      const color = group.TargetGroupArn === output('BlueTargetGroup')?.OutputValue ? 0 : 1
      group.Weight = Number(weights[color])
    }
    event(
      stack,
      'ListenerRule',
      'AWS::ElasticLoadBalancingV2::ListenerRule',
      'UPDATE_COMPLETE',
      now
    )
  }
  const stable = next.get('StableColor')
  if (stable !== undefined && stable !== previous.get('StableColor')) {
    const tag = service.tags.find((t) => t.key === 'StableStack')
    if (tag) tag.value = stable
    else service.tags.push({ key: 'StableStack', value: stable })
  }
  stack.parameters = [...next].map(([key, value]) => ({ key, value }))
}

export const cloudformation: ServiceModule = {
  name: 'cloudformation',
  signingName: 'cloudformation',
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  queryTypes: {
    numbers: new Set(),
    booleans: new Set(['UsePreviousTemplate', 'UsePreviousValue'])
  },
  operations: {
    DescribeStacks: (input, { world }) => {
      const ref = optString(input, 'StackName')
      if (ref === undefined) return { Stacks: world.stacks.map(stackOut) }
      return { Stacks: [stackOut(findStack(world, ref))] }
    },

    DescribeStackEvents: (input, { world }) => {
      const stack = findStack(world, reqString(input, 'StackName', 'ValidationError'))
      const events = [...(stack.events ?? [])].reverse().map((e) => ({
        StackId: stack.id,
        EventId: e.id,
        StackName: stack.name,
        LogicalResourceId: e.logicalId,
        PhysicalResourceId: e.logicalId === stack.name ? stack.id : e.logicalId,
        ResourceType: e.resourceType,
        Timestamp: new Date(e.at),
        ResourceStatus: e.status,
        ...(e.reason ? { ResourceStatusReason: e.reason } : {})
      }))
      return { StackEvents: events }
    },

    UpdateStack: (input, { world, sim, now }) => {
      const stack = findStack(world, reqString(input, 'StackName', 'ValidationError'))
      if (input.UsePreviousTemplate !== true) {
        throw new AwsError(
          'ValidationError',
          'The sandbox keeps no templates: update with UsePreviousTemplate=true.'
        )
      }
      if (stack.status.endsWith('_IN_PROGRESS')) {
        throw new AwsError(
          'ValidationError',
          `Stack:${stack.id} is in ${stack.status} state and can not be updated.`
        )
      }
      const given = (input.Parameters ?? []) as ParameterInput[]
      const next = nextParameters(stack, given)
      const previous = new Map((stack.parameters ?? []).map((p) => [p.key, p.value]))
      if ([...next].every(([key, value]) => previous.get(key) === value)) {
        throw new AwsError('ValidationError', 'No updates are to be performed.')
      }
      const capabilities = (input.Capabilities ?? []) as string[]
      const needed = (stack.capabilities ?? []).filter((c) => !capabilities.includes(c))
      if (needed.length > 0) {
        throw new AwsError(
          'InsufficientCapabilitiesException',
          `Requires capabilities : [${needed.join(', ')}]`
        )
      }
      stack.status = 'UPDATE_IN_PROGRESS'
      event(
        stack,
        stack.name,
        'AWS::CloudFormation::Stack',
        'UPDATE_IN_PROGRESS',
        now,
        'User Initiated'
      )
      const failure = stack.failNextUpdate
      stack.failNextUpdate = undefined
      sim.after(sim.steadyDelayMs, () => {
        const at = Date.now()
        if (failure) {
          event(stack, failure.logicalId, failure.resourceType, 'UPDATE_FAILED', at, failure.reason)
          event(stack, stack.name, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_IN_PROGRESS', at)
          event(stack, stack.name, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE', at)
          stack.status = 'UPDATE_ROLLBACK_COMPLETE'
          return
        }
        applyUpdate(world, sim, stack, next, at)
        event(stack, stack.name, 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE', at)
        stack.status = 'UPDATE_COMPLETE'
      })
      return { StackId: stack.id }
    }
  }
}
