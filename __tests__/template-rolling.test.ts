/**
 * templates/ecs-rolling-canary.yaml: a plain rolling ECS service with one ip target group, the
 * shape the standalone-task canary serves. Checks that every reference resolves and that its
 * shape is the one the action expects.
 */
import { describe, expect, it } from '@jest/globals'
import { loadTemplate, referencesIn } from '../__fixtures__/template.js'

const { doc, template } = loadTemplate('ecs-rolling-canary.yaml')

describe('templates/ecs-rolling-canary.yaml', () => {
  it('parses as plain YAML with no short-form tags', () => {
    expect(doc.errors).toEqual([])
    expect(doc.warnings.map((w) => w.message)).toEqual([])
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09')
    expect(template.Description.length).toBeLessThanOrEqual(1024)
  })

  it('refers only to its parameters, resources and pseudo parameters', () => {
    const known = new Set([
      ...Object.keys(template.Parameters),
      ...Object.keys(template.Resources),
      'AWS::Region',
      'AWS::Partition'
    ])
    const { names: used } = referencesIn(template)
    expect(used.length).toBeGreaterThan(10)
    expect(used.filter((name) => !known.has(name))).toEqual([])
  })

  it('has one service of the ECS controller, circuit breaker with rollback, awsvpc network', () => {
    const services = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service')
    expect(services).toHaveLength(1)
    const { Properties: service } = template.Resources.Service
    expect(service.DeploymentController).toEqual({ Type: 'ECS' })
    expect(service.DeploymentConfiguration).toMatchObject({
      DeploymentCircuitBreaker: { Enable: true, Rollback: true }
    })
    expect(service.NetworkConfiguration).toEqual({
      AwsvpcConfiguration: {
        AssignPublicIp: { Ref: 'AssignPublicIp' },
        Subnets: { Ref: 'Subnets' },
        SecurityGroups: { Ref: 'SecurityGroups' }
      }
    })
    expect(service.LoadBalancers).toEqual([
      {
        ContainerName: { Ref: 'ContainerName' },
        ContainerPort: { Ref: 'ContainerPort' },
        TargetGroupArn: { Ref: 'TargetGroup' }
      }
    ])
    expect(service.Tags).toBeUndefined()
    expect(template.Resources.TaskDefinition.Properties.NetworkMode).toBe('awsvpc')
  })

  it('has one ip target group with the deregistration delay as a parameter, forwarded to alone', () => {
    const groups = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup'
    )
    expect(groups).toHaveLength(1)
    const { Properties: group } = template.Resources.TargetGroup
    expect(group.TargetType).toBe('ip')
    expect(group.TargetGroupAttributes).toEqual([
      { Key: 'deregistration_delay.timeout_seconds', Value: { Ref: 'DeregistrationDelay' } }
    ])
    expect(template.Resources.ListenerRule.Properties.Actions).toEqual([
      { Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }
    ])
    expect(template.Resources.Service.DependsOn).toEqual(['ListenerRule'])
  })

  it('outputs what the action takes as inputs and what its policy must allow', () => {
    expect(Object.keys(template.Outputs).sort()).toEqual(
      [
        'ClusterName',
        'ExecutionRole',
        'ListenerRule',
        'ServiceName',
        'TargetGroup',
        'TaskDefinition'
      ].sort()
    )
  })
})
