/**
 * src/workflow-commands.ts: the runner's protocol as the action speaks it. The runner reads
 * `::name key=value::data` commands with `%`, CR and LF escaped in the data (and `:` and `,` in a
 * property), and outputs from `name<<delimiter` blocks in the GITHUB_OUTPUT file.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  appendSummary,
  formatCommand,
  getInput,
  group,
  outputBlock,
  setFailed,
  setOutput,
  warning
} from '../src/workflow-commands.js'

/** The runner's side: a command line back into name, properties and data. */
function parseCommand(line: string) {
  const match = /^::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!match) return undefined
  const unescape = (text: string) =>
    text
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  const properties = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, ...value] = pair.split('=')
        return [key, unescape(value.join('='))]
      })
  )
  return { name: match[1], properties, data: unescape(match[3]) }
}

let printed: string[]
const saved = { ...process.env }
beforeEach(() => {
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})

describe('commands', () => {
  it.each([
    ['warning', 'plain text', {}, '::warning::plain text'],
    ['warning', '100% done', {}, '::warning::100%25 done'],
    ['error', 'two\nlines\r\n', {}, '::error::two%0Alines%0D%0A'],
    ['set-output', 'v', { name: 'a:b,c' }, '::set-output name=a%3Ab%2Cc::v'],
    ['endgroup', '', {}, '::endgroup::']
  ])('%s %j → %s', (name, data, properties, line) => {
    expect(formatCommand(name, data, properties)).toBe(line)
  })

  it('every data and property comes back as it was, on one line (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (data, value) => {
        const line = formatCommand('warning', data, { title: value })
        expect(line).not.toMatch(/[\r\n]/)
        const parsed = parseCommand(line)
        expect(parsed?.data).toBe(data)
        expect(parsed?.properties.title ?? '').toBe(value)
      })
    )
  })

  it('setFailed prints an error command and sets exit code 1', () => {
    setFailed('it broke')
    expect(printed.join('')).toBe('::error::it broke\n')
    expect(process.exitCode).toBe(1)
  })

  it('group folds what the function prints, and closes after a throw', async () => {
    await expect(
      group('Discover', async () => {
        warning('inside')
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(printed.join('')).toBe('::group::Discover\n::warning::inside\n::endgroup::\n')
  })
})

describe('inputs', () => {
  it('reads INPUT_<NAME> with spaces as underscores, upper case, trimmed', () => {
    process.env['INPUT_CANARY-WEIGHT'] = '  10 \n'
    process.env.INPUT_MY_INPUT = 'x'
    expect(getInput('canary-weight')).toBe('10')
    expect(getInput('my input')).toBe('x')
    expect(getInput('absent')).toBe('')
  })
})

describe('outputs and the summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-commands-'))

  it('outputs are appended to GITHUB_OUTPUT as delimited blocks, values kept exactly', () => {
    const file = join(dir, 'output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    setOutput('weights', '{"Blue":90,"Green":10}')
    setOutput('multi', 'a\nb\n::warning::not a command')
    const text = readFileSync(file, 'utf8')
    const blocks = [...text.matchAll(/^(\S+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2\n/gm)]
    expect(blocks.map((b) => [b[1], b[3]])).toEqual([
      ['weights', '{"Blue":90,"Green":10}'],
      ['multi', 'a\nb\n::warning::not a command']
    ])
    expect(printed).toEqual([])
  })

  it('a value that holds the delimiter is refused', () => {
    expect(() => outputBlock('x', 'a ghadelimiter_1 b', 'ghadelimiter_1')).toThrow(
      'contains its own delimiter'
    )
  })

  it('without GITHUB_OUTPUT: the set-output command', () => {
    delete process.env.GITHUB_OUTPUT
    setOutput('rolled-back', 'false')
    expect(printed.join('')).toBe('\n::set-output name=rolled-back::false\n')
  })

  it('the summary is appended to GITHUB_STEP_SUMMARY; without it nothing is written', async () => {
    const file = join(dir, 'summary')
    writeFileSync(file, '# before\n')
    process.env.GITHUB_STEP_SUMMARY = file
    await appendSummary('| a |\n')
    expect(readFileSync(file, 'utf8')).toBe('# before\n| a |\n')
    delete process.env.GITHUB_STEP_SUMMARY
    await appendSummary('lost')
    expect(readFileSync(file, 'utf8')).toBe('# before\n| a |\n')
  })
})
