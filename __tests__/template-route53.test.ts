/**
 * templates/ecs-route53.yaml: the two-service stack behind Route 53 weighted records. Checks that
 * every reference resolves and that its shape is the one the action's inputs describe.
 */
import { describe, expect, it } from '@jest/globals'
import { loadTemplate, referencesIn } from '../__fixtures__/template.js'

const { doc, template } = loadTemplate('ecs-route53.yaml')

describe('templates/ecs-route53.yaml', () => {
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

  it('has a service per colour of the ECS controller, the stable tag from StableColor', () => {
    for (const color of ['Blue', 'Green']) {
      const service = template.Resources[`${color}Service`]
      expect(service.Type).toBe('AWS::ECS::Service')
      expect(service.Properties.DeploymentController).toEqual({ Type: 'ECS' })
      expect(service.Properties.DesiredCount).toEqual({ Ref: `${color}DesiredCount` })
      expect(service.Properties.Tags).toEqual([
        { Key: 'StableStack', Value: { Ref: 'StableColor' } }
      ])
    }
  })

  it('has two weighted records of one name and type, set identifiers Blue and Green, weights 0-255', () => {
    const records = ['Blue', 'Green'].map((color) => template.Resources[`${color}Record`])
    for (const [i, color] of ['Blue', 'Green'].entries()) {
      expect(records[i].Type).toBe('AWS::Route53::RecordSet')
      expect(records[i].Properties).toMatchObject({
        Name: { Ref: 'RecordName' },
        Type: 'CNAME',
        SetIdentifier: color,
        Weight: { Ref: `${color}Weight` }
      })
      expect(template.Parameters[`${color}Weight`]).toMatchObject({ MinValue: 0, MaxValue: 255 })
    }
  })

  it('outputs what the action takes as inputs', () => {
    expect(Object.keys(template.Outputs).sort()).toEqual(
      ['BlueService', 'GreenService', 'HostedZoneId', 'RecordName'].sort()
    )
  })
})
