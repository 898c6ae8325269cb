/**
 * docs/result.schema.json as a validator (Ajv, JSON Schema 2020-12), for the tests and for every
 * end-to-end step that sets a `result` output. Free of Jest, like step.ts.
 */
import { readFileSync } from 'node:fs'
import ajvModule from 'ajv/dist/2020.js'

// Ajv is CommonJS: its class is the default export under Node, `.default` to TypeScript.
const Ajv2020 = ajvModule.default

const schema = JSON.parse(
  readFileSync(new URL('../../docs/result.schema.json', import.meta.url), 'utf8')
) as object

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false })
const validate = ajv.compile(schema)

/** What is wrong with `value` as a result, one line per error; empty when it is valid. */
export function resultErrors(value: unknown): string[] {
  if (validate(value)) return []
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`
  )
}
