/**
 * src/report/log-line.ts: no text the action prints can start a workflow command, and every call
 * that prints through `src/workflow-commands.ts` passes its text through logLine.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { logLine } from '../src/report/log-line.js'

/** What the runner would read as a command: `::` after leading white space, or `##[` anywhere. */
function startsCommand(line: string): boolean {
  // .NET's TrimStart also trims NEL (U+0085), which JavaScript's \s does not match.
  return /^[\s\u0085]*::/.test(line) || line.includes('##[')
}

/** Lines as the runner splits its input (CR, LF, CRLF), and as stricter viewers do. */
const LINE_BREAKS = /[\r\n\v\f\u0085\u2028\u2029]/

const pieces = fc.constantFrom(
  '::',
  ':',
  '##[',
  '#',
  '[',
  ' ',
  '\t',
  '\u00a0',
  '\r',
  '\n',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\v',
  '\f',
  '\u001b[31m',
  '\u0000',
  'add-mask',
  'error',
  'stop-commands',
  'x'
)
const hostile = fc.oneof(
  fc.string({ unit: pieces, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 40 })
)

describe('logLine', () => {
  it.each([
    ['plain text', 'plain text'],
    ['Threshold crossed\n::add-mask::Blue', 'Threshold crossed ⏎ ::add-mask::Blue'],
    ['a\r\n::error::b\rc', 'a ⏎ ::error::b ⏎ c'],
    ['::stop-commands::token', ': :stop-commands::token'],
    ['  ::warning::indented', '  : :warning::indented'],
    ['\u2028::notice::x', ' ⏎ ::notice::x'],
    ['reason ##[add-mask]Failed', 'reason ## [add-mask]Failed'],
    ['###[x]', '### [x]'],
    ['colour \u001b[31mred\u001b[0m', 'colour \\x1b[31mred\\x1b[0m'],
    ['nul\u0000', 'nul\\x00'],
    ['tab\tkept', 'tab\tkept'],
    [':one colon is fine', ':one colon is fine'],
    ['Blue 90% / Green 10%', 'Blue 90% / Green 10%']
  ])('logLine(%j) is %j', (text, expected) => {
    expect(logLine(text)).toBe(expected)
  })

  it('makes one line that the runner cannot read as a command, whatever the text', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const line = logLine(text)
        expect(line).not.toMatch(LINE_BREAKS)
        expect(startsCommand(line)).toBe(false)
        // eslint-disable-next-line no-control-regex
        expect(line).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/)
      }),
      { numRuns: 500 }
    )
  })

  it('stays safe after a prefix, as the logger adds one (`Alarms: …`)', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        expect(startsCommand(logLine(`${a}: ${b}`))).toBe(false)
      })
    )
  })

  it('changes nothing in ordinary text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w .,;%/()→=@-]*$/), (text) => {
        expect(logLine(text)).toBe(text)
      })
    )
  })
})

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

describe('the source', () => {
  it('prints through the workflow commands only with text that went through logLine', () => {
    const printing =
      /\bworkflow\.(info|warning|error|notice|debug|setFailed|group)\(\s*(?!logLine\()/g
    const found = sources('src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(printing)].map((m) => `${file}: ${m[0]}`)
    )
    expect(found).toEqual([])
  })
})
