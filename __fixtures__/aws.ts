import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTaskSetCommand,
  type TaskSet
} from '@aws-sdk/client-ecs'
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch'
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
  type Rule,
  type RuleCondition,
  type TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import type { AwsClients } from '../src/aws/clients.js'

/**
 * An in-memory account for unit tests: the mocks answer from `world` and the writes change it,
 * so a read after a write sees the write, as it would on AWS.
 */
export const ARN = {
  cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/mycluster',
  service: 'arn:aws:ecs:us-east-1:123456789012:service/mycluster/myservice',
  blueTg: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1111',
  greenTg: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2222',
  otherTg: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/3333',
  lb: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/myalb/abcd',
  testListener: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/myalb/abcd/l2',
  listener: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/myalb/abcd/l1',
  rule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/myalb/abcd/l1/r1',
  defaultRule:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/myalb/abcd/l1/r0',
  blueTd: 'arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:1',
  greenTd: 'arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:2'
}

export interface World {
  service?: {
    controller: string
    tags: Record<string, string>
    taskSets: TaskSet[]
  }
  stack?: Record<string, string>
  rules: Rule[]
  /** ELB tags of rules, by rule ARN (CreateRule's Tags land here). */
  ruleTags: Record<string, Record<string, string>>
  listenerDefault: Action[]
  /** Default actions of a second (test) listener. */
  testListenerDefault: Action[]
  health: Record<string, TargetHealthDescription[]>
  images: Record<string, string>
  alarms: Record<string, { state: string; reason?: string }>
}

export function taskSet(color: 'Blue' | 'Green', overrides: Partial<TaskSet> = {}): TaskSet {
  const id = color === 'Blue' ? 'ecs-svc/1000' : 'ecs-svc/2000'
  return {
    id,
    taskSetArn: `arn:aws:ecs:us-east-1:123456789012:task-set/mycluster/myservice/${id.split('/')[1]}`,
    status: 'ACTIVE',
    stabilityStatus: 'STEADY_STATE',
    computedDesiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: color === 'Blue' ? ARN.blueTd : ARN.greenTd,
    loadBalancers: [{ targetGroupArn: color === 'Blue' ? ARN.blueTg : ARN.greenTg }],
    ...overrides
  }
}

export function forward(blue: number, green: number, extra: Partial<Action> = {}): Action {
  return {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: ARN.blueTg, Weight: blue },
        { TargetGroupArn: ARN.greenTg, Weight: green }
      ],
      TargetGroupStickinessConfig: { Enabled: false }
    },
    ...extra
  }
}

export function healthy(count = 2): TargetHealthDescription[] {
  return Array.from({ length: count }, (_, i) => ({
    Target: { Id: `10.0.0.${i + 1}`, Port: 80 },
    TargetHealth: { State: 'healthy' }
  }))
}

export function defaultWorld(): World {
  return {
    service: {
      controller: 'EXTERNAL',
      tags: { StableStack: 'Blue' },
      taskSets: [taskSet('Blue'), taskSet('Green')]
    },
    stack: {
      BlueTaskSet: 'ecs-svc/1000',
      GreenTaskSet: 'ecs-svc/2000',
      BlueTargetGroup: ARN.blueTg,
      GreenTargetGroup: ARN.greenTg,
      ListenerRule: ARN.rule
    },
    rules: [
      {
        RuleArn: ARN.rule,
        Priority: '10',
        IsDefault: false,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: [forward(100, 0)]
      },
      {
        RuleArn: ARN.defaultRule,
        Priority: 'default',
        IsDefault: true,
        Conditions: [],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }]
      }
    ],
    ruleTags: {},
    listenerDefault: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    testListenerDefault: [
      {
        Type: 'forward',
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: ARN.blueTg, Weight: 1 }] }
      }
    ],
    health: { [ARN.blueTg]: healthy(), [ARN.greenTg]: healthy() },
    images: { [ARN.blueTd]: 'myapp:1.0.0', [ARN.greenTd]: 'myapp:1.0.1' },
    alarms: {}
  }
}

function awsError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

export interface MockAws {
  world: World
  clients: AwsClients
  ecs: ReturnType<typeof mockClient>
  elb: ReturnType<typeof mockClient>
  cfn: ReturnType<typeof mockClient>
  /** A CloudWatch client whose DescribeAlarms answers from `world.alarms`. */
  cloudwatchClient: CloudWatchClient
  /** Names of the commands sent, in order, across all three clients. */
  calls(): string[]
  /** Names of the write commands sent. */
  writes(): string[]
  restore(): void
}

const WRITES = /^(Modify|Tag|Untag|Update|Create|Delete)/

export function mockAws(world: World = defaultWorld()): MockAws {
  const ecs = mockClient(ECSClient)
  const cloudwatch = mockClient(CloudWatchClient)
  const elb = mockClient(ElasticLoadBalancingV2Client)
  const cfn = mockClient(CloudFormationClient)
  const log: string[] = []
  const record = (name: string) => log.push(name)

  ecs.on(DescribeServicesCommand).callsFake(() => {
    record('DescribeServices')
    const s = world.service
    if (!s) return { services: [], failures: [{ arn: ARN.service, reason: 'MISSING' }] }
    return {
      services: [
        {
          serviceArn: ARN.service,
          serviceName: 'myservice',
          clusterArn: ARN.cluster,
          status: 'ACTIVE',
          deploymentController: { type: s.controller },
          tags: Object.entries(s.tags).map(([key, value]) => ({ key, value })),
          taskSets: s.taskSets
        }
      ]
    }
  })
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    record('DescribeTaskDefinition')
    return {
      taskDefinition: {
        taskDefinitionArn: input.taskDefinition,
        containerDefinitions: [{ name: 'web', image: world.images[input.taskDefinition] }]
      }
    }
  })
  ecs.on(ListTagsForResourceCommand).callsFake(() => {
    record('ListTagsForResource')
    return { tags: Object.entries(world.service!.tags).map(([key, value]) => ({ key, value })) }
  })
  ecs.on(TagResourceCommand).callsFake((input: { tags: { key: string; value: string }[] }) => {
    record('TagResource')
    for (const tag of input.tags) world.service!.tags[tag.key] = tag.value
    return {}
  })
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => {
    record('DescribeStacks')
    if (!world.stack) {
      throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`)
    }
    return {
      Stacks: [
        {
          StackName: input.StackName,
          Outputs: Object.entries(world.stack).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue
          }))
        }
      ]
    }
  })
  elb.on(DescribeRulesCommand).callsFake((input: { RuleArns?: string[]; ListenerArn?: string }) => {
    record('DescribeRules')
    if (input.RuleArns) {
      const rules = world.rules.filter((r) => input.RuleArns!.includes(r.RuleArn!))
      if (rules.length === 0) throw awsError('RuleNotFoundException', 'One or more rules not found')
      return { Rules: structuredClone(rules) }
    }
    return { Rules: structuredClone(world.rules) }
  })
  elb.on(ModifyRuleCommand).callsFake((input: { RuleArn: string; Actions: Action[] }) => {
    record('ModifyRule')
    const rule = world.rules.find((r) => r.RuleArn === input.RuleArn)
    if (!rule) throw awsError('RuleNotFoundException', 'One or more rules not found')
    rule.Actions = structuredClone(input.Actions)
    return { Rules: [rule] }
  })
  elb.on(DescribeListenersCommand).callsFake((input: { ListenerArns?: string[] }) => {
    record('DescribeListeners')
    const listeners = [
      { ListenerArn: ARN.listener, LoadBalancerArn: ARN.lb, DefaultActions: world.listenerDefault },
      {
        ListenerArn: ARN.testListener,
        LoadBalancerArn: ARN.lb,
        DefaultActions: world.testListenerDefault
      }
    ]
    const wanted = input.ListenerArns
    if (wanted && !wanted.every((arn) => listeners.some((l) => l.ListenerArn === arn))) {
      throw awsError('ListenerNotFoundException', 'One or more listeners not found')
    }
    // Discovery lists the load balancer's listeners; the test listener has no weighted rules.
    return {
      Listeners: structuredClone(
        wanted ? listeners.filter((l) => wanted.includes(l.ListenerArn)) : listeners.slice(0, 1)
      )
    }
  })
  elb
    .on(ModifyListenerCommand)
    .callsFake((input: { ListenerArn: string; DefaultActions: Action[] }) => {
      record('ModifyListener')
      if (input.ListenerArn === ARN.testListener) {
        world.testListenerDefault = structuredClone(input.DefaultActions)
        return {}
      }
      world.listenerDefault = structuredClone(input.DefaultActions)
      const defaultRule = world.rules.find((r) => r.IsDefault)
      if (defaultRule) defaultRule.Actions = structuredClone(input.DefaultActions)
      return {}
    })
  elb.on(DescribeTargetGroupsCommand).callsFake((input: { TargetGroupArns: string[] }) => {
    record('DescribeTargetGroups')
    return {
      TargetGroups: input.TargetGroupArns.map((arn) => ({
        TargetGroupArn: arn,
        LoadBalancerArns: [ARN.lb]
      }))
    }
  })
  elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => {
    record('DescribeTargetHealth')
    const health = world.health[input.TargetGroupArn]
    if (!health) throw awsError('TargetGroupNotFoundException', 'Target groups not found')
    return { TargetHealthDescriptions: structuredClone(health) }
  })

  elb
    .on(CreateRuleCommand)
    .callsFake(
      (input: {
        ListenerArn: string
        Priority: number
        Conditions: RuleCondition[]
        Actions: Action[]
        Tags?: { Key: string; Value?: string }[]
      }) => {
        record('CreateRule')
        if (world.rules.some((r) => Number(r.Priority) === input.Priority)) {
          throw awsError('PriorityInUseException', 'Priority in use')
        }
        const rule: Rule = {
          RuleArn: `${ARN.rule.replace(/r1$/, '')}t${world.rules.length}`,
          Priority: String(input.Priority),
          IsDefault: false,
          Conditions: structuredClone(input.Conditions),
          Actions: structuredClone(input.Actions)
        }
        world.rules.push(rule)
        if (input.Tags) {
          world.ruleTags[rule.RuleArn!] = Object.fromEntries(
            input.Tags.map((t) => [t.Key, t.Value ?? ''])
          )
        }
        return { Rules: [rule] }
      }
    )
  elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => {
    record('DescribeTags')
    if (!input.ResourceArns.every((arn) => world.rules.some((r) => r.RuleArn === arn))) {
      throw awsError('RuleNotFoundException', 'One or more rules not found')
    }
    return {
      TagDescriptions: input.ResourceArns.map((arn) => ({
        ResourceArn: arn,
        Tags: Object.entries(world.ruleTags[arn] ?? {}).map(([Key, Value]) => ({ Key, Value }))
      }))
    }
  })
  elb.on(DeleteRuleCommand).callsFake((input: { RuleArn: string }) => {
    record('DeleteRule')
    const before = world.rules.length
    world.rules = world.rules.filter((r) => r.RuleArn !== input.RuleArn)
    if (world.rules.length === before) throw awsError('RuleNotFoundException', 'Rule not found')
    return {}
  })
  ecs.on(UntagResourceCommand).callsFake((input: { tagKeys: string[] }) => {
    record('UntagResource')
    for (const key of input.tagKeys) delete world.service!.tags[key]
    return {}
  })
  ecs.on(UpdateTaskSetCommand).callsFake((input: { taskSet: string; scale: { value: number } }) => {
    record('UpdateTaskSet')
    const set = world.service!.taskSets.find((t) => t.taskSetArn === input.taskSet)
    if (!set) throw awsError('TaskSetNotFoundException', 'The specified task set does not exist')
    set.scale = { unit: 'PERCENT', value: input.scale.value }
    set.computedDesiredCount = Math.ceil((2 * input.scale.value) / 100)
    set.runningCount = set.computedDesiredCount
    return { taskSet: set }
  })
  cloudwatch
    .on(DescribeAlarmsCommand)
    .callsFake((input: { AlarmNames?: string[]; AlarmNamePrefix?: string }) => {
      record('DescribeAlarms')
      const names = Object.keys(world.alarms).filter((name) =>
        input.AlarmNames
          ? input.AlarmNames.includes(name)
          : name.startsWith(input.AlarmNamePrefix ?? '')
      )
      return {
        MetricAlarms: names.map((name) => ({
          AlarmName: name,
          StateValue: world.alarms[name].state,
          StateReason: world.alarms[name].reason
        }))
      }
    })

  const cfnClient = new CloudFormationClient({ region: 'us-east-1' })
  const cloudwatchClient = new CloudWatchClient({ region: 'us-east-1' })
  const clients: AwsClients = {
    ecs: new ECSClient({ region: 'us-east-1' }),
    elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    cfn: async () => cfnClient,
    cloudwatch: async () => cloudwatchClient
  }
  return {
    world,
    clients,
    ecs: ecs as unknown as ReturnType<typeof mockClient>,
    elb: elb as unknown as ReturnType<typeof mockClient>,
    cfn: cfn as unknown as ReturnType<typeof mockClient>,
    cloudwatchClient,
    calls: () => [...log],
    writes: () => log.filter((name) => WRITES.test(name)),
    restore: () => {
      ecs.restore()
      elb.restore()
      cfn.restore()
      cloudwatch.restore()
    }
  }
}
