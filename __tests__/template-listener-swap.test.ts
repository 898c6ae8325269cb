/**
 * templates/ecs-listener-swap.yaml: two services behind a production and a test listener. Checks
 * that every reference resolves, that the listeners forward as StableColor says, and that each
 * output names an input of the action.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse, parseDocument } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Template {
  AWSTemplateFormatVersion: string
  Description: string
  Parameters: Record<string, JsonObject>
  Conditions: Record<string, Json>
  Resources: Record<string, { Type: string; DependsOn?: string[]; Properties: JsonObject }>
  Outputs: Record<string, { Description: string; Value: Json }>
}

const text = readFileSync(new URL('../templates/ecs-listener-swap.yaml', import.meta.url), 'utf8')
const doc = parseDocument(text)
const template = doc.toJS() as Template
const actionInputs = Object.keys(
  (
    parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, unknown>
    }
  ).inputs
)

function walk(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit))
  else if (typeof node === 'object' && node !== null) {
    visit(node)
    Object.values(node).forEach((value) => walk(value, visit))
  }
}

describe('templates/ecs-listener-swap.yaml', () => {
  it('parses as plain YAML with no short-form tags', () => {
    expect(doc.errors).toEqual([])
    expect(doc.warnings.map((w) => w.message)).toEqual([])
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09')
    expect(template.Description.length).toBeLessThanOrEqual(1024)
  })

  it('refers only to its parameters, resources, conditions and pseudo parameters', () => {
    const known = new Set([
      ...Object.keys(template.Parameters),
      ...Object.keys(template.Resources),
      'AWS::Region',
      'AWS::Partition'
    ])
    const used: string[] = []
    const conditions: string[] = []
    walk(template as unknown as Json, (object) => {
      if (typeof object.Ref === 'string') used.push(object.Ref)
      const getAtt = object['Fn::GetAtt']
      if (Array.isArray(getAtt)) used.push(String(getAtt[0]))
      const sub = object['Fn::Sub']
      if (typeof sub === 'string') {
        for (const match of sub.matchAll(/\$\{([^!}][^}.]*)/g)) used.push(match[1])
      }
      const when = object['Fn::If']
      if (Array.isArray(when)) conditions.push(String(when[0]))
    })
    for (const resource of Object.values(template.Resources))
      used.push(...(resource.DependsOn ?? []))
    expect(used.length).toBeGreaterThan(10)
    expect(used.filter((name) => !known.has(name))).toEqual([])
    expect(conditions.length).toBe(2)
    expect(conditions.filter((name) => !(name in template.Conditions))).toEqual([])
  })

  it('has a service per colour of the ECS controller, each in its own target group', () => {
    for (const color of ['Blue', 'Green']) {
      const service = template.Resources[`${color}Service`]
      expect(service.Type).toBe('AWS::ECS::Service')
      expect(service.Properties.DeploymentController).toEqual({ Type: 'ECS' })
      expect(service.Properties.DesiredCount).toEqual({ Ref: `${color}DesiredCount` })
      expect(service.Properties.Tags).toEqual([
        { Key: 'StableStack', Value: { Ref: 'StableColor' } }
      ])
      expect(service.Properties.LoadBalancers).toMatchObject([
        { TargetGroupArn: { Ref: `${color}TargetGroup` } }
      ])
      // A service may only register in a target group a listener already forwards to.
      expect(service.DependsOn).toEqual(['ProductionListener', 'TestListener'])
    }
  })

  it('points production at the stable colour and test at the other, on one load balancer', () => {
    expect(template.Conditions.BlueIsStable).toEqual({
      'Fn::Equals': [{ Ref: 'StableColor' }, 'Blue']
    })
    const forward = (name: string) => {
      const listener = template.Resources[name]
      expect(listener.Type).toBe('AWS::ElasticLoadBalancingV2::Listener')
      expect(listener.Properties.LoadBalancerArn).toEqual({ Ref: 'LoadBalancerArn' })
      const actions = listener.Properties.DefaultActions as JsonObject[]
      expect(actions).toHaveLength(1)
      expect(actions[0].Type).toBe('forward')
      return actions[0].TargetGroupArn
    }
    expect(forward('ProductionListener')).toEqual({
      'Fn::If': ['BlueIsStable', { Ref: 'BlueTargetGroup' }, { Ref: 'GreenTargetGroup' }]
    })
    expect(forward('TestListener')).toEqual({
      'Fn::If': ['BlueIsStable', { Ref: 'GreenTargetGroup' }, { Ref: 'BlueTargetGroup' }]
    })
  })

  it('outputs what the action takes as inputs, and says which input each is', () => {
    const inputOf: Record<string, string[]> = {
      BlueService: ['service', 'blue-service'],
      GreenService: ['green-service'],
      BlueTargetGroup: ['blue-target-group'],
      GreenTargetGroup: ['green-target-group'],
      ProductionListener: ['production-listener-arn'],
      TestListener: ['test-listener-arn']
    }
    expect(Object.keys(template.Outputs).sort()).toEqual(Object.keys(inputOf).sort())
    for (const [output, inputs] of Object.entries(inputOf)) {
      for (const input of inputs) {
        expect(actionInputs).toContain(input)
        expect(template.Outputs[output].Description).toContain(`\`${input}\``)
        // The header maps each input to its output.
        expect(text).toMatch(new RegExp(`#\\s+${input}:\\s+<${output} output>`))
      }
    }
  })
})
