/**
 * Writes src/cli/action-inputs.ts from action.yml: the inputs the command line takes as flags,
 * with the descriptions and defaults its --help prints. `npm run build` runs it first;
 * `npm run check-dist` and __tests__/cli.test.ts fail when the file is not what action.yml makes.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

export const TARGET = fileURLToPath(new URL('../src/cli/action-inputs.ts', import.meta.url))
const ACTION_YML = new URL('../action.yml', import.meta.url)

interface ActionInput {
  description: string
  required?: boolean
  default?: string
}

/** The text of src/cli/action-inputs.ts for this action.yml, formatted as the project formats. */
export async function renderActionInputs(actionYml: string): Promise<string> {
  const { inputs } = parse(actionYml) as { inputs: Record<string, ActionInput> }
  const list = Object.entries(inputs).map(([name, input]) => ({
    name,
    description: input.description.replace(/\s+/g, ' ').trim(),
    required: input.required === true,
    default: input.default ?? ''
  }))
  const text = [
    '// Generated from action.yml by scripts/cli-inputs.ts (npm run build); do not edit.',
    '',
    'export interface ActionInputDoc {',
    '  name: string',
    '  description: string',
    '  required: boolean',
    '  default: string',
    '}',
    '',
    `export const ACTION_INPUTS: readonly ActionInputDoc[] = ${JSON.stringify(list)}`,
    ''
  ].join('\n')
  const options = (await prettier.resolveConfig(TARGET)) ?? {}
  return prettier.format(text, { ...options, filepath: TARGET })
}

// `--check` (scripts/check-dist.sh): fail, writing nothing, when the file is not current.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await renderActionInputs(readFileSync(ACTION_YML, 'utf8'))
  if (!process.argv.includes('--check')) {
    writeFileSync(TARGET, text)
  } else if (readFileSync(TARGET, 'utf8') !== text) {
    process.stderr.write(
      'src/cli/action-inputs.ts is stale: it differs from what action.yml makes. Run npm run build.\n'
    )
    process.exitCode = 1
  }
}
