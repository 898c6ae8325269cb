/**
 * Two services as the workload (src/workloads/two-services.ts), the stable tag copied to them
 * (src/stable-mirror.ts) and their inputs with Route 53 (src/two-service-inputs.ts), against a
 * mocked ECS where AWS is involved.
 */
import { describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type Service,
  type TagResourceCommandInput,
  type UntagResourceCommandInput,
  type UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import fc from 'fast-check'
import { ARN as AWS_ARN } from '../__fixtures__/aws.js'
import { inputsFrom } from '../__fixtures__/inputs.js'
import { InputError, StateError } from '../src/errors.js'
import { ServiceTags } from '../src/service-tags.js'
import { MirroredStableMarker } from '../src/stable-mirror.js'
import {
  formatScaleTag,
  parseScaleTag,
  serviceBlockers,
  serviceUnit,
  TwoServiceWorkload
} from '../src/workloads/two-services.js'

const ARN = (name: string) => `arn:aws:ecs:us-east-1:1:service/c/${name}`

function service(name: string, over: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: ARN(name),
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    deploymentController: { type: 'ECS' },
    taskDefinition: `arn:aws:ecs:us-east-1:1:task-definition/${name}:1`,
    deployments: [
      {
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        taskDefinition: `arn:aws:ecs:us-east-1:1:task-definition/${name}:1`
      }
    ],
    tags: [],
    ...over
  }
}

function ecsWith(services: Service[]) {
  const ecs = mockClient(ECSClient)
  const calls: string[] = []
  ecs.on(DescribeServicesCommand).callsFake(() => ({ services }))
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { containerDefinitions: [] } })
  ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
    calls.push(`update ${input.service} desired=${input.desiredCount}`)
    return {}
  })
  ecs.on(TagResourceCommand).callsFake((input: TagResourceCommandInput) => {
    calls.push(
      `tag ${input.resourceArn} ${(input.tags ?? []).map((t) => `${t.key}=${t.value}`).join(' ')}`
    )
    return {}
  })
  ecs.on(UntagResourceCommand).callsFake((input: UntagResourceCommandInput) => {
    calls.push(`untag ${input.resourceArn} ${(input.tagKeys ?? []).join(' ')}`)
    return {}
  })
  return { ecs, calls, client: ecs as unknown as ECSClient }
}

const where = {
  cluster: 'c',
  services: { Blue: 'web-blue', Green: 'web-green' },
  targetGroups: {},
  readTargets: false,
  scaleTag: 'StableStackScaledFrom'
}
const elb = new ElasticLoadBalancingV2Client({ region: 'us-east-1' })

describe('the scale tag', () => {
  it('is trusted only for the service it names, with a count the action writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (count) => {
        expect(parseScaleTag(formatScaleTag(count, ARN('a')), ARN('a'))).toBe(count)
        expect(parseScaleTag(formatScaleTag(count, ARN('a')), ARN('b'))).toBeUndefined()
      })
    )
    for (const value of [
      undefined,
      '',
      '0@' + ARN('a'),
      '3',
      `-1@${ARN('a')}`,
      `99999@${ARN('a')}`,
      `3@${ARN('a')} `
    ]) {
      expect(parseScaleTag(value, ARN('a'))).toBeUndefined()
    }
  })
})

describe('serviceBlockers', () => {
  it.each([
    ['a ready service', {}, []],
    [
      'a rollout in progress',
      { deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }] },
      ['its deployment is IN_PROGRESS']
    ],
    [
      'an old deployment still draining',
      { deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }, { status: 'ACTIVE' }] },
      ['its deployment is IN_PROGRESS']
    ],
    ['missing tasks', { runningCount: 1 }, ['1/2 tasks running']],
    [
      'a service scaled to 0',
      { desiredCount: 0, runningCount: 0 },
      ['service wants 0 tasks (scale it up first)']
    ]
  ] as [string, Partial<Service>, string[]][])('%s', (_, over, blockers) => {
    expect(serviceBlockers(serviceUnit('Green', service('web-green', over)), undefined)).toEqual(
      blockers
    )
  })

  it('adds the target group when the service has one', () => {
    const targets = { targetGroupArn: 'tg', total: 0, healthy: 0, notHealthy: [] }
    expect(serviceBlockers(serviceUnit('Green', service('g')), targets)).toEqual([
      'no targets registered in its target group'
    ])
  })
})

describe('TwoServiceWorkload', () => {
  it('retires the old colour: the count in a tag first, then desired 0', async () => {
    const aws = ecsWith([
      service('web-blue', { desiredCount: 3, runningCount: 3 }),
      service('web-green')
    ])
    const workload = await TwoServiceWorkload.discover({ ecs: aws.client, elb }, where)
    const line = await workload.retire('Blue')
    expect(aws.calls).toEqual([
      `tag ${ARN('web-blue')} StableStackScaledFrom=3@${ARN('web-blue')}`,
      `update ${ARN('web-blue')} desired=0`
    ])
    expect(line).toContain('desired count 3 → 0')
    aws.ecs.restore()
  })

  it('restores the count its own tag recorded, then removes the tag', async () => {
    const tags = [{ key: 'StableStackScaledFrom', value: `3@${ARN('web-blue')}` }]
    const aws = ecsWith([
      service('web-blue', { desiredCount: 0, runningCount: 0, tags }),
      service('web-green')
    ])
    const workload = await TwoServiceWorkload.discover({ ecs: aws.client, elb }, where)
    expect(workload.discovered.Blue.retired).toBe(true)
    expect(await workload.restore('Blue')).toBe(
      'service web-blue (Blue): desired count 0 → 3 (restored)'
    )
    expect(aws.calls).toEqual([
      `update ${ARN('web-blue')} desired=3`,
      `untag ${ARN('web-blue')} StableStackScaledFrom`
    ])
    expect(await workload.restore('Green')).toBeUndefined()
    aws.ecs.restore()
  })

  it('refuses to restore from a tag another service wrote, writing nothing', async () => {
    const tags = [{ key: 'StableStackScaledFrom', value: `3@${ARN('web-other')}` }]
    const aws = ecsWith([
      service('web-blue', { desiredCount: 0, runningCount: 0, tags }),
      service('web-green')
    ])
    const workload = await TwoServiceWorkload.discover({ ecs: aws.client, elb }, where)
    await expect(workload.restore('Blue')).rejects.toThrow(
      /is not one this action wrote for it.*Nothing was written/
    )
    expect(aws.calls).toEqual([])
    aws.ecs.restore()
  })

  it('refuses a missing colour service and one of another deployment controller', async () => {
    const missing = ecsWith([service('web-blue')])
    await expect(TwoServiceWorkload.discover({ ecs: missing.client, elb }, where)).rejects.toThrow(
      'The Green service "web-green" was not found in cluster "c". Check "green-service".'
    )
    missing.ecs.restore()
    const external = ecsWith([
      service('web-blue'),
      service('web-green', { deploymentController: { type: 'EXTERNAL' } })
    ])
    await expect(TwoServiceWorkload.discover({ ecs: external.client, elb }, where)).rejects.toThrow(
      StateError
    )
    external.ecs.restore()
  })
})

describe('MirroredStableMarker', () => {
  it('writes the stable tag on the service first, then copies it to the other colour service', async () => {
    const aws = ecsWith([])
    const tags = new ServiceTags(
      aws.client,
      { arn: ARN('web-blue'), name: 'web-blue' },
      { StableStack: 'Blue' },
      'StableStack'
    )
    const marker = new MirroredStableMarker(tags, aws.client, [ARN('web-green')])
    const line = await marker.promote('Blue', 'Green')
    expect(aws.calls).toEqual([
      `tag ${ARN('web-blue')} StableStack=Green StableStackPrevious=Blue`,
      `tag ${ARN('web-green')} StableStack=Green`
    ])
    expect(line).toBe('service tag StableStack: Blue → Green; copied to 1 colour service')
    aws.ecs.restore()
  })

  it('says a failed copy in its line and does not fail the promote', async () => {
    const aws = ecsWith([])
    aws.ecs.on(TagResourceCommand, { resourceArn: ARN('web-green') }).rejects(new Error('denied'))
    const tags = new ServiceTags(
      aws.client,
      { arn: ARN('web-blue'), name: 'web-blue' },
      { StableStack: 'Blue' },
      'StableStack'
    )
    const line = await new MirroredStableMarker(tags, aws.client, [ARN('web-green')]).promote(
      'Blue',
      'Green'
    )
    expect(tags.get('StableStack')).toBe('Green')
    expect(line).toMatch(
      /the copy on .*web-green .*failed, the next promote or rollback writes it again/
    )
    aws.ecs.restore()
  })
})

describe('inputs of the two-service shape', () => {
  const base = {
    mode: 'canary',
    cluster: 'c',
    service: 'web-blue',
    'blue-service': 'web-blue',
    'green-service': 'web-green'
  }
  const route53 = {
    ...base,
    'hosted-zone-id': '/hostedzone/Z0EXAMPLE',
    'record-name': 'shop.example.com'
  }

  it('reads a listener swap as the route, with the target groups it moves between', () => {
    const swap = {
      ...base,
      'production-listener-arn': AWS_ARN.listener,
      'test-listener-arn': AWS_ARN.testListener
    }
    const parsed = inputsFrom({
      ...swap,
      'blue-target-group': AWS_ARN.blueTg,
      'green-target-group': AWS_ARN.greenTg
    })
    expect(parsed.services).toEqual({ Blue: 'web-blue', Green: 'web-green' })
    expect(parsed.swap).toEqual({ production: AWS_ARN.listener, test: AWS_ARN.testListener })
    expect(parsed.targetGroups).toEqual({ Blue: AWS_ARN.blueTg, Green: AWS_ARN.greenTg })
    // The listeners forward to target groups: without them (or a stack) it is refused.
    expect(() => inputsFrom(swap)).toThrow(/"blue-target-group" and "green-target-group"/)
  })

  it('reads the Route 53 route with its defaults, and needs no stack or target group', () => {
    const parsed = inputsFrom(route53)
    expect(parsed.services).toEqual({ Blue: 'web-blue', Green: 'web-green' })
    expect(parsed.route53).toEqual({
      hostedZoneId: 'Z0EXAMPLE',
      recordName: 'shop.example.com',
      setIdentifiers: { Blue: 'Blue', Green: 'Green' }
    })
  })

  it.each([
    ['one service only', { ...base, 'green-service': '' }, '"green-service" is missing'],
    ['the same service twice', { ...base, 'green-service': 'web-blue' }, 'name the same service'],
    [
      'a zone without services',
      {
        mode: 'canary',
        cluster: 'c',
        service: 's',
        'hosted-zone-id': 'Z1',
        'record-name': 'a.example.com'
      },
      'set "blue-service" and "green-service"'
    ],
    [
      'a zone without a record name',
      { ...route53, 'record-name': '' },
      '"record-name" is required'
    ],
    [
      'a malformed zone',
      { ...route53, 'hosted-zone-id': 'zone one' },
      'a hosted zone ID is upper-case letters and digits'
    ],
    ['an unknown record type', { ...route53, 'record-type': 'AXFR' }, '"record-type" is "AXFR"'],
    ['one set identifier for both', { ...route53, 'green-set-identifier': 'Blue' }, 'are the same'],
    [
      'a record name without a zone',
      {
        ...base,
        'blue-target-group': 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/b/1',
        'green-target-group': 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/1',
        'record-name': 'x'
      },
      'set "hosted-zone-id" too'
    ],
    [
      'a rule beside the zone',
      {
        ...route53,
        'listener-rule-arn': 'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/a/b/c/d'
      },
      'not both'
    ],
    [
      'test traffic over DNS',
      { ...route53, 'test-header': 'X-Canary: 1' },
      '"test-header" works through a load balancer'
    ],
    [
      'a deploy into a service',
      { ...route53, image: 'web:2' },
      "deploy the new version to the canary colour's service first"
    ]
  ])('refuses %s', (_, given, message) => {
    expect(() => inputsFrom(given)).toThrow(InputError)
    expect(() => inputsFrom(given)).toThrow(message)
  })

  it('lets a rollback through with test inputs it cannot use', () => {
    expect(
      inputsFrom({
        ...route53,
        mode: 'rollback',
        'test-listener-arn': 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c'
      }).route53
    ).toBeDefined()
  })
})
