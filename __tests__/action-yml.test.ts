import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'
import { MODE_INPUTS } from '../src/input-modes.js'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const action = parse(read('action.yml')) as ActionYml
const readme = read('README.md')

/** Rows of the markdown table that follows a `## heading`: first cell and the rest. */
function tableAfter(heading: string): string[][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim())
    )
}

describe('action.yml', () => {
  it('declares exactly the inputs and outputs the code reads and writes, in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual(Object.values(Inputs))
    expect(Object.keys(action.outputs)).toEqual(Object.values(Outputs))
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('states every default in the input description', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      const description = input.description.replace(/\s+/g, ' ')
      if (input.required) {
        expect([name, description]).toEqual([name, expect.stringMatching(/Required\.$/)])
      } else {
        expect([name, description]).toEqual([name, expect.stringMatching(/Default/)])
      }
      if (input.default)
        expect([name, description]).toEqual([name, expect.stringContaining(input.default)])
    }
  })
})

/** `canary`, `canary and promote`, `canary, promote and rollback`. */
function spoken(modes: readonly string[]): string {
  return modes.length < 2 ? modes.join('') : `${modes.slice(0, -1).join(', ')} and ${modes.at(-1)}`
}

describe('action.yml input descriptions', () => {
  it.each(Object.entries(MODE_INPUTS))('%s says which modes use it', (name, { modes }) => {
    const description = action.inputs[name].description.replace(/\s+/g, ' ')
    expect(description).toContain(`Used by ${spoken(modes)};`)
    expect(description).toMatch(/ignore/)
  })
})

describe('README tables', () => {
  it('list the inputs of action.yml with their required flag and default', () => {
    const rows = tableAfter('Inputs')
    expect(rows.map((r) => r[0])).toEqual(Object.keys(action.inputs).map((n) => `\`${n}\``))
    for (const [cell, required, defaultCell] of rows) {
      const input = action.inputs[cell.replace(/`/g, '')]
      expect([cell, required]).toEqual([cell, input.required ? 'yes' : 'no'])
      if (input.default) expect([cell, defaultCell]).toEqual([cell, `\`${input.default}\``])
    }
  })

  it('say which modes use each input, as src/input-modes.ts does', () => {
    const modes = (name: string) =>
      (MODE_INPUTS as Record<string, { modes: readonly string[] } | undefined>)[name]?.modes
    for (const [cell, , , modesCell] of tableAfter('Inputs')) {
      const name = cell.replace(/`/g, '')
      expect([name, modesCell]).toEqual([name, modes(name)?.join(', ') ?? 'all'])
    }
  })

  it('list the outputs of action.yml', () => {
    const rows = tableAfter('Outputs')
    expect(rows.map((r) => r[0])).toEqual(Object.keys(action.outputs).map((n) => `\`${n}\``))
  })
})
