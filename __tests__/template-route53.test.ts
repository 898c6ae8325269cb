/**
 * templates/ecs-route53.yaml: the two-service stack behind Route 53 weighted records. Checks that
 * every reference resolves and that its shape is the one the action's inputs describe.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Template {
  AWSTemplateFormatVersion: string
  Description: string
  Parameters: Record<string, JsonObject>
  Resources: Record<string, { Type: string; Properties: JsonObject }>
  Outputs: Record<string, { Value: Json }>
}

const doc = parseDocument(
  readFileSync(new URL('../templates/ecs-route53.yaml', import.meta.url), 'utf8')
)
const template = doc.toJS() as Template

function walk(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit))
  else if (typeof node === 'object' && node !== null) {
    visit(node)
    Object.values(node).forEach((value) => walk(value, visit))
  }
}

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
    const used: string[] = []
    walk(template as unknown as Json, (object) => {
      if (typeof object.Ref === 'string') used.push(object.Ref)
      const getAtt = object['Fn::GetAtt']
      if (Array.isArray(getAtt)) used.push(String(getAtt[0]))
      const sub = object['Fn::Sub']
      if (typeof sub === 'string') {
        for (const match of sub.matchAll(/\$\{([^!}][^}.]*)/g)) used.push(match[1])
      }
    })
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
