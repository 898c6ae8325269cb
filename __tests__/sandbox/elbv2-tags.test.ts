import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import {
  AddTagsCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateTagKeysException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  PriorityInUseException,
  RemoveTagsCommand,
  RuleNotFoundException,
  TargetGroupNotFoundException,
  TooManyTagsException,
  type Action,
  type CreateRuleCommandInput,
  type RuleCondition
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients, rejection } from './clients.js'

let sandbox: Sandbox
let aws: ReturnType<typeof clients>

beforeAll(async () => {
  sandbox = await startSandbox()
  aws = clients(sandbox, 1)
})
afterAll(() => sandbox.stop())
beforeEach(() => sandbox.reset())

const tg = (name: string) => sandbox.world.targetGroups.find((g) => g.name === name)!.arn
const listenerArn = () => sandbox.world.listeners[0].arn
const lbArn = () => sandbox.world.loadBalancers[0].arn
const ruleArn = () => sandbox.world.rules[0].arn
const forwardTo = (name: string): Action => ({
  Type: 'forward',
  ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg(name), Weight: 1 }] }
})
const canaryHeader: RuleCondition = {
  Field: 'http-header',
  HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] }
}
const createRule = (input: Partial<CreateRuleCommandInput> = {}) =>
  aws.elb.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn(),
      Priority: 1,
      Conditions: [canaryHeader],
      Actions: [forwardTo('green-tg')],
      ...input
    })
  )
const tagsOf = async (...arns: string[]) =>
  (await aws.elb.send(new DescribeTagsCommand({ ResourceArns: arns }))).TagDescriptions!
const addTags = (arns: string[], tags: [string, string][]) =>
  aws.elb.send(
    new AddTagsCommand({
      ResourceArns: arns,
      Tags: tags.map(([Key, Value]) => ({ Key, Value }))
    })
  )

describe('AddTags, DescribeTags, RemoveTags', () => {
  it('round-trips tags on a rule, listener, target group and load balancer', async () => {
    const arns = [ruleArn(), listenerArn(), tg('green-tg'), lbArn()]
    expect((await tagsOf(...arns)).map((d) => d.Tags)).toEqual([[], [], [], []])

    await addTags(arns, [
      ['Owner', 'canary-action'],
      ['Colour', 'Green']
    ])
    await addTags([ruleArn()], [['Colour', 'Blue']])
    const described = await tagsOf(...arns)
    expect(described.map((d) => d.ResourceArn)).toEqual(arns)
    expect(described[0].Tags).toEqual([
      { Key: 'Owner', Value: 'canary-action' },
      { Key: 'Colour', Value: 'Blue' }
    ])
    expect(described[3].Tags).toEqual([
      { Key: 'Owner', Value: 'canary-action' },
      { Key: 'Colour', Value: 'Green' }
    ])

    await aws.elb.send(new RemoveTagsCommand({ ResourceArns: arns, TagKeys: ['Owner'] }))
    expect((await tagsOf(...arns)).map((d) => d.Tags!.map((t) => t.Key))).toEqual([
      ['Colour'],
      ['Colour'],
      ['Colour'],
      ['Colour']
    ])
  })

  it("tags a listener's default rule", async () => {
    const defaultRule = sandbox.world.listeners[0].defaultRuleArn
    await addTags([defaultRule], [['Managed', 'yes']])
    expect((await tagsOf(defaultRule))[0].Tags).toEqual([{ Key: 'Managed', Value: 'yes' }])
  })

  it('answers the NotFound error of the resource type, and tags nothing on a failure', async () => {
    const missing = async (arn: string) => rejection(tagsOf(arn))
    expect(await missing(`${ruleArn()}0`)).toBeInstanceOf(RuleNotFoundException)
    expect(await missing(`${listenerArn()}0`)).toBeInstanceOf(ListenerNotFoundException)
    expect(await missing(`${tg('blue-tg')}0`)).toBeInstanceOf(TargetGroupNotFoundException)
    expect(await missing(`${lbArn()}0`)).toBeInstanceOf(LoadBalancerNotFoundException)
    expect((await missing('arn:aws:s3:::bucket')).name).toBe('ValidationError')

    const partly = await rejection(addTags([ruleArn(), `${tg('blue-tg')}0`], [['K', 'V']]))
    expect(partly).toBeInstanceOf(TargetGroupNotFoundException)
    expect((await tagsOf(ruleArn()))[0].Tags).toEqual([])
  })

  it('rejects duplicate keys, reserved keys and a 51st tag', async () => {
    expect(
      await rejection(
        addTags(
          [ruleArn()],
          [
            ['K', '1'],
            ['K', '2']
          ]
        )
      )
    ).toBeInstanceOf(DuplicateTagKeysException)
    expect((await rejection(addTags([ruleArn()], [['aws:owner', 'x']]))).name).toBe(
      'ValidationError'
    )
    const fifty = Array.from({ length: 50 }, (_, i): [string, string] => [`k${i}`, 'v'])
    await addTags([ruleArn()], fifty)
    expect(await rejection(addTags([ruleArn()], [['one-more', 'v']]))).toBeInstanceOf(
      TooManyTagsException
    )
    // Re-tagging an existing key is not a new tag.
    await addTags([ruleArn()], [['k0', 'changed']])
    expect((await tagsOf(ruleArn()))[0].Tags).toHaveLength(50)
  })

  it('AddTags and RemoveTags count as writes for failNthWrite', async () => {
    sandbox.faults.failNthWrite(1)
    const err = await rejection(addTags([ruleArn()], [['K', 'V']]))
    expect(err.$metadata?.httpStatusCode).toBe(500)
    expect((await tagsOf(ruleArn()))[0].Tags).toEqual([])
  })
})

describe('CreateRule (test-traffic rule)', () => {
  it('creates a tagged header rule that DescribeRules and DescribeTags report; DeleteRule drops the tags', async () => {
    const created = await createRule({
      Conditions: [
        canaryHeader,
        { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'canary', Value: '1' }] } }
      ],
      Tags: [
        { Key: 'ecs-canary-action', Value: 'test-traffic' },
        { Key: 'Service', Value: 'myservice' }
      ]
    })
    const arn = created.Rules![0].RuleArn!
    expect((await tagsOf(arn))[0].Tags).toEqual([
      { Key: 'ecs-canary-action', Value: 'test-traffic' },
      { Key: 'Service', Value: 'myservice' }
    ])
    const rules = await aws.elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn() }))
    expect(rules.Rules!.map((r) => r.Priority)).toEqual(['1', '10', 'default'])
    expect(rules.Rules![0].Conditions).toEqual([
      {
        Field: 'http-header',
        HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] }
      },
      { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'canary', Value: '1' }] } }
    ])
    expect(rules.Rules![0].Actions![0].ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: tg('green-tg'), Weight: 1 }
    ])

    await aws.elb.send(new DeleteRuleCommand({ RuleArn: arn }))
    expect(await rejection(tagsOf(arn))).toBeInstanceOf(RuleNotFoundException)
  })

  it('accepts a query-string value without a key', async () => {
    const out = await createRule({
      Conditions: [{ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'beta' }] } }]
    })
    expect(out.Rules![0].Conditions).toEqual([
      { Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'beta' }] } }
    ])
  })

  it('rejects a priority in use, and creates nothing', async () => {
    const err = await rejection(createRule({ Priority: 10 }))
    expect(err).toBeInstanceOf(PriorityInUseException)
    expect(err.message).toMatch(/Priority '10' is currently in use/)
    expect(sandbox.world.rules).toHaveLength(1)
  })

  it.each<[string, RuleCondition[]]>([
    ['no condition', []],
    [
      'http-header without HttpHeaderName',
      [{ Field: 'http-header', HttpHeaderConfig: { Values: ['x'] } }]
    ],
    [
      'http-header without values',
      [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: [] } }]
    ],
    ['http-header in the legacy Values form', [{ Field: 'http-header', Values: ['true'] }]],
    ['query-string without QueryStringConfig', [{ Field: 'query-string' }]],
    [
      'query-string pair without a Value',
      [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'canary' }] } }]
    ],
    [
      'two path-pattern conditions',
      [
        { Field: 'path-pattern', Values: ['/a'] },
        { Field: 'path-pattern', Values: ['/b'] }
      ]
    ],
    ['an unknown field', [{ Field: 'cookie', Values: ['x'] }]]
  ])('rejects %s with ValidationError', async (_, Conditions) => {
    const err = await rejection(createRule({ Conditions }))
    expect(err.name).toBe('ValidationError')
    expect(sandbox.world.rules).toHaveLength(1)
  })

  it('validates actions and tags like ModifyRule does', async () => {
    const unknown = tg('green-tg').replace('green-tg', 'gone-tg')
    expect(
      await rejection(
        createRule({
          Actions: [
            { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: unknown }] } }
          ]
        })
      )
    ).toBeInstanceOf(TargetGroupNotFoundException)
    expect((await rejection(createRule({ Actions: [] }))).name).toBe('ValidationError')
    expect(
      await rejection(
        createRule({
          Tags: [
            { Key: 'K', Value: '1' },
            { Key: 'K', Value: '2' }
          ]
        })
      )
    ).toBeInstanceOf(DuplicateTagKeysException)
    expect(sandbox.world.rules).toHaveLength(1)
  })

  it('ModifyRule applies the same condition checks and keeps the rule on a rejection', async () => {
    const err = await rejection(
      aws.elb.send(
        new ModifyRuleCommand({
          RuleArn: ruleArn(),
          Conditions: [{ Field: 'http-header', HttpHeaderConfig: { Values: ['x'] } }]
        })
      )
    )
    expect(err.name).toBe('ValidationError')
    expect(sandbox.world.rules[0].conditions[0].Field).toBe('path-pattern')
  })
})

describe('test-listener variant', () => {
  beforeEach(() => sandbox.reset('test-listener'))

  const testListener = () => sandbox.world.listeners.find((l) => l.port === 8443)!.arn
  const defaultForward = async () => {
    const out = await aws.elb.send(new DescribeListenersCommand({ ListenerArns: [testListener()] }))
    return out.Listeners![0].DefaultActions!
  }

  it('adds HTTP:8443 on the same ALB, forwarding to blue-tg only, named by a stack output', async () => {
    const out = await aws.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn() }))
    expect(out.Listeners!.map((l) => [l.Port, l.Protocol])).toEqual([
      [80, 'HTTP'],
      [8443, 'HTTP']
    ])
    expect(await defaultForward()).toEqual([
      {
        Type: 'forward',
        TargetGroupArn: tg('blue-tg'),
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: tg('blue-tg'), Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      }
    ])
    const stack = await aws.cfn.send(new DescribeStacksCommand({ StackName: 'myservice-canary' }))
    expect(stack.Stacks![0].Outputs!.find((o) => o.OutputKey === 'TestListener')!.OutputValue).toBe(
      testListener()
    )
    const rules = await aws.elb.send(new DescribeRulesCommand({ ListenerArn: testListener() }))
    expect(rules.Rules!.map((r) => r.IsDefault)).toEqual([true])
  })

  it('ModifyListener points it at the canary group and back', async () => {
    await aws.elb.send(
      new ModifyListenerCommand({
        ListenerArn: testListener(),
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg('green-tg') }]
      })
    )
    expect(await defaultForward()).toEqual([{ Type: 'forward', TargetGroupArn: tg('green-tg') }])
    await aws.elb.send(
      new ModifyListenerCommand({
        ListenerArn: testListener(),
        DefaultActions: [forwardTo('blue-tg')]
      })
    )
    expect((await defaultForward())[0].ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: tg('blue-tg'), Weight: 1 }
    ])
    // The production listener is untouched.
    expect(sandbox.world.listeners[0].defaultActions[0].Type).toBe('fixed-response')
  })

  it('a canary group only the test listener forwards to is health-checked (not unused)', async () => {
    sandbox.reset('test-listener+no-shared-rule')
    const greenState = async () =>
      (await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg('green-tg') })))
        .TargetHealthDescriptions![0].TargetHealth!.State
    expect(await greenState()).toBe('unused')
    await aws.elb.send(
      new ModifyListenerCommand({
        ListenerArn: testListener(),
        DefaultActions: [forwardTo('green-tg')]
      })
    )
    expect(await greenState()).toBe('healthy')
    const groups = await aws.elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [tg('green-tg')] })
    )
    expect(groups.TargetGroups![0].LoadBalancerArns).toEqual([lbArn()])
  })
})
