/**
 * templates/ecs-canary.yaml: the CloudFormation template the action's stack-name input expects.
 * Checks its shape against what the action reads (stack outputs, the service tag) and that every
 * reference in it resolves.
 */
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse, parseDocument } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Resource {
  Type: string
  DependsOn?: string | string[]
  Properties?: JsonObject
}

interface Parameter {
  Type: string
  Default?: string | number
  AllowedValues?: string[]
  MinValue?: number
  MaxValue?: number
}

interface Template {
  AWSTemplateFormatVersion: string
  Description: string
  Parameters: Record<string, Parameter>
  Resources: Record<string, Resource>
  Outputs: Record<string, { Description?: string; Value: Json }>
}

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
}

const templateText = readFileSync(new URL('../templates/ecs-canary.yaml', import.meta.url), 'utf8')
// parseDocument keeps warnings (e.g. an unresolved !Ref tag) for the first test to report.
const templateDoc = parseDocument(templateText)
const template = templateDoc.toJS() as Template
const action = parse(
  readFileSync(new URL('../action.yml', import.meta.url), 'utf8')
) as ActionMetadata

const COLORS = ['Blue', 'Green'] as const

/** The stack outputs the action reads (input `stack-name`). */
const STACK_OUTPUTS = [
  'BlueTaskSet',
  'GreenTaskSet',
  'BlueTargetGroup',
  'GreenTargetGroup',
  'ListenerRule'
]

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix'
])

function resource(name: string, type: string): Resource {
  const found = template.Resources[name]
  expect(found).toBeDefined()
  expect(found.Type).toBe(type)
  return found
}

function props(name: string, type: string): JsonObject {
  const properties = resource(name, type).Properties
  expect(properties).toBeDefined()
  return properties as JsonObject
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Visits every mapping in the tree. */
function walk(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item) => walk(item, visit))
  } else if (isObject(node)) {
    visit(node)
    Object.values(node).forEach((value) => walk(value, visit))
  }
}

/** Names used by `${Name}` or `${Resource.Attribute}` in an Fn::Sub string (not `${!Literal}`). */
function subVariables(value: Json): string[] {
  const text = Array.isArray(value) ? value[0] : value
  const local = Array.isArray(value) && isObject(value[1]) ? Object.keys(value[1]) : []
  expect(typeof text).toBe('string')
  return [...(text as string).matchAll(/\$\{([^!}][^}]*)\}/g)]
    .map((match) => match[1].trim().split('.')[0])
    .filter((name) => !local.includes(name))
}

describe('templates/ecs-canary.yaml', () => {
  it('parses as plain YAML, with no short-form intrinsic tags', () => {
    expect(templateDoc.errors).toEqual([])
    // An unknown tag such as !Ref or !GetAtt is a warning ("Unresolved tag") in the yaml package.
    expect(templateDoc.warnings.map((warning) => warning.message)).toEqual([])
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09')
    expect(template.Description.length).toBeLessThanOrEqual(1024)
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0)
  })

  it('has exactly the outputs the action reads, each naming a resource of the right type', () => {
    expect(Object.keys(template.Outputs).sort()).toEqual([...STACK_OUTPUTS].sort())

    // action.yml documents the same names for the stack-name input.
    const documented = [...action.inputs['stack-name'].description.matchAll(/`([A-Z]\w+)`/g)].map(
      (match) => match[1]
    )
    expect(documented.sort()).toEqual([...STACK_OUTPUTS].sort())

    for (const color of COLORS) {
      expect(template.Outputs[`${color}TaskSet`].Value).toEqual({
        'Fn::GetAtt': [`${color}TaskSet`, 'Id']
      })
      resource(`${color}TaskSet`, 'AWS::ECS::TaskSet')
      expect(template.Outputs[`${color}TargetGroup`].Value).toEqual({ Ref: `${color}TargetGroup` })
      resource(`${color}TargetGroup`, 'AWS::ElasticLoadBalancingV2::TargetGroup')
    }
    expect(template.Outputs.ListenerRule.Value).toEqual({ Ref: 'ListenerRule' })
    resource('ListenerRule', 'AWS::ElasticLoadBalancingV2::ListenerRule')
  })

  it('has one service, with the EXTERNAL controller and the stable-colour tag from StableColor', () => {
    const services = Object.entries(template.Resources).filter(
      ([, res]) => res.Type === 'AWS::ECS::Service'
    )
    expect(services).toHaveLength(1)
    const [serviceName, service] = services[0]
    expect(service.Properties?.DeploymentController).toEqual({ Type: 'EXTERNAL' })

    const tagKey = action.inputs['tag-key'].default
    expect(tagKey).toBeTruthy()
    const tags = service.Properties?.Tags as JsonObject[]
    const stableTags = tags.filter((tag) => tag.Key === tagKey)
    expect(stableTags).toHaveLength(1)
    // The tag follows a parameter the deploy passes from the action's status output, so a stack
    // update writes back the colour the action set instead of a fixed value.
    expect(stableTags[0].Value).toEqual({ Ref: 'StableColor' })
    expect(template.Parameters.StableColor.AllowedValues).toEqual([...COLORS])
    expect(template.Parameters.StableColor.Default).toBe('Blue')

    for (const color of COLORS) {
      expect(props(`${color}TaskSet`, 'AWS::ECS::TaskSet').Service).toEqual({ Ref: serviceName })
    }
  })

  it.each(COLORS)('runs the %s task set from its own image, in its own target group', (color) => {
    const taskSet = props(`${color}TaskSet`, 'AWS::ECS::TaskSet')
    expect(taskSet.LaunchType).toBe('FARGATE')
    expect(taskSet.Scale).toEqual({ Unit: 'PERCENT', Value: 100 })
    const awsvpc = (taskSet.NetworkConfiguration as JsonObject).AwsVpcConfiguration as JsonObject
    expect(awsvpc.Subnets).toEqual({ Ref: 'Subnets' })
    expect(awsvpc.SecurityGroups).toEqual({ Ref: 'SecurityGroups' })

    const loadBalancers = taskSet.LoadBalancers as JsonObject[]
    expect(loadBalancers).toHaveLength(1)
    expect(loadBalancers[0].TargetGroupArn).toEqual({ Ref: `${color}TargetGroup` })
    expect(loadBalancers[0].ContainerName).toEqual({ Ref: 'ContainerName' })

    const targetGroup = props(`${color}TargetGroup`, 'AWS::ElasticLoadBalancingV2::TargetGroup')
    expect(targetGroup.TargetType).toBe('ip')
    expect(targetGroup.HealthCheckPath).toEqual({ Ref: 'HealthCheckPath' })

    // One task definition per colour, so a new image for the canary leaves the stable one alone.
    expect(taskSet.TaskDefinition).toEqual({ Ref: `${color}TaskDefinition` })
    const taskDefinition = props(`${color}TaskDefinition`, 'AWS::ECS::TaskDefinition')
    const containers = taskDefinition.ContainerDefinitions as JsonObject[]
    expect(containers).toHaveLength(1)
    expect(containers[0].Name).toEqual({ Ref: 'ContainerName' })
    expect(containers[0].Image).toEqual({ Ref: `${color}Image` })
  })

  it('forwards to exactly the two target groups with weights from BlueWeight and GreenWeight', () => {
    const rule = props('ListenerRule', 'AWS::ElasticLoadBalancingV2::ListenerRule')
    expect(rule.ListenerArn).toEqual({ Ref: 'ListenerArn' })
    expect(rule.Conditions).toEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }
    ])

    const actions = rule.Actions as JsonObject[]
    expect(actions).toHaveLength(1)
    expect(actions[0].Type).toBe('forward')
    const targetGroups = (actions[0].ForwardConfig as JsonObject).TargetGroups as JsonObject[]
    const byArn = (group: JsonObject): string => JSON.stringify(group.TargetGroupArn)
    expect([...targetGroups].sort((a, b) => byArn(a).localeCompare(byArn(b)))).toEqual(
      COLORS.map((color) => ({
        TargetGroupArn: { Ref: `${color}TargetGroup` },
        Weight: { Ref: `${color}Weight` }
      }))
    )

    // ALB weights: integers 0-999. Defaults put all traffic on Blue when the stack is created.
    for (const [color, weight] of [
      ['Blue', 100],
      ['Green', 0]
    ] as const) {
      expect(template.Parameters[`${color}Weight`]).toMatchObject({
        Type: 'Number',
        Default: weight,
        MinValue: 0,
        MaxValue: 999
      })
    }
  })

  it('refers only to parameters and resources that exist, and uses every parameter', () => {
    const parameters = new Set(Object.keys(template.Parameters))
    const resources = new Set(Object.keys(template.Resources))
    const used = new Set<string>()
    const unknown: string[] = []
    const check = (name: string, allowed: Set<string>, where: string): void => {
      used.add(name)
      if (!allowed.has(name) && !PSEUDO_PARAMETERS.has(name)) unknown.push(`${where} ${name}`)
    }
    const refTargets = new Set([...parameters, ...resources])

    walk(template as unknown as Json, (node) => {
      if ('Ref' in node) {
        expect(typeof node.Ref).toBe('string')
        check(node.Ref as string, refTargets, 'Ref')
      }
      if ('Fn::GetAtt' in node) {
        const target = node['Fn::GetAtt']
        const name = Array.isArray(target) ? target[0] : String(target).split('.')[0]
        check(name as string, resources, 'Fn::GetAtt')
      }
      if ('Fn::Sub' in node) {
        subVariables(node['Fn::Sub']).forEach((name) => check(name, refTargets, 'Fn::Sub'))
      }
    })
    for (const [name, res] of Object.entries(template.Resources)) {
      const dependsOn = res.DependsOn === undefined ? [] : [res.DependsOn].flat()
      dependsOn.forEach((target) => check(target, resources, `${name}.DependsOn`))
    }

    expect(unknown).toEqual([])
    expect([...parameters].filter((name) => !used.has(name))).toEqual([])
  })
})
