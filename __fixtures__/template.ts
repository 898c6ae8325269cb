import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'

/** Reading a CloudFormation template in `templates/` the way the template tests check it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export interface Template {
  AWSTemplateFormatVersion: string
  Description: string
  Parameters: Record<string, JsonObject>
  Conditions?: Record<string, Json>
  Resources: Record<string, { Type: string; DependsOn?: string[]; Properties: JsonObject }>
  Outputs: Record<string, { Description?: string; Value: Json }>
}

/** The template's text, its YAML document (for errors and warnings) and its plain value. */
export function loadTemplate(name: string) {
  const text = readFileSync(new URL(`../templates/${name}`, import.meta.url), 'utf8')
  const doc = parseDocument(text)
  return { text, doc, template: doc.toJS() as Template }
}

/**
 * Every name the template refers to (Ref, Fn::GetAtt, Fn::Sub variables, DependsOn) and every
 * condition an Fn::If names, so a test can check that each one resolves.
 */
export function referencesIn(template: Template): { names: string[]; conditions: string[] } {
  const names: string[] = []
  const conditions: string[] = []
  walk(template as unknown as Json, (object) => {
    if (typeof object.Ref === 'string') names.push(object.Ref)
    const getAtt = object['Fn::GetAtt']
    if (Array.isArray(getAtt)) names.push(String(getAtt[0]))
    const sub = object['Fn::Sub']
    if (typeof sub === 'string') {
      for (const match of sub.matchAll(/\$\{([^!}][^}.]*)/g)) names.push(match[1])
    }
    const when = object['Fn::If']
    if (Array.isArray(when)) conditions.push(String(when[0]))
  })
  for (const resource of Object.values(template.Resources))
    names.push(...(resource.DependsOn ?? []))
  return { names, conditions }
}

function walk(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit))
  else if (typeof node === 'object' && node !== null) {
    visit(node)
    Object.values(node).forEach((value) => walk(value, visit))
  }
}
