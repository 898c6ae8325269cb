/**
 * templates/ecs-listener-swap.yaml: two services behind a production and a test listener. Checks
 * that every reference resolves, that the listeners forward as StableColor says, and that each
 * output names an input of the action.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { loadTemplate, referencesIn, type JsonObject } from '../__fixtures__/template.js'

const { text, doc, template } = loadTemplate('ecs-listener-swap.yaml')
const conditionsOf = template.Conditions ?? {}
const actionInputs = Object.keys(
  (
    parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, unknown>
    }
  ).inputs
)

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
    const { names: used, conditions } = referencesIn(template)
    expect(used.length).toBeGreaterThan(10)
    expect(used.filter((name) => !known.has(name))).toEqual([])
    expect(conditions.length).toBe(2)
    expect(conditions.filter((name) => !(name in conditionsOf))).toEqual([])
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
    expect(conditionsOf.BlueIsStable).toEqual({
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
        expect(template.Outputs[output].Description ?? '').toContain(`\`${input}\``)
        // The header maps each input to its output.
        expect(text).toMatch(new RegExp(`#\\s+${input}:\\s+<${output} output>`))
      }
    }
  })
})
