/**
 * src/report/markdown.ts: escaping of AWS and input values for the job summary.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse } from 'yaml'
import { code, md, table, tableRow, yamlScalar } from '../src/report/markdown.js'

/** Characters with a meaning in Markdown, HTML or YAML, to make generated strings interesting. */
const special = fc.constantFrom(
  ...'|`<>&\\*_[](){}#+-!~\n\r:\'" .@%?,=\t$'.split(''),
  // Sequences that mean something together: autolinks, entities, list markers, fences.
  ...['www.', 'WWW.', 'https://', 'mailto:', '@a.b', '&amp;', '&#124;', '1.', '- ', '```']
)
const interesting = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(special, fc.constantFrom('a', 'Z', '0', '9')), maxLength: 20 })
)

/**
 * Reads `md` output back as cmark-gfm would into text: backslash escapes of ASCII punctuation and
 * the four entities md writes are undone, and the word joiner md puts after `@` is dropped.
 */
function readBack(markdown: string): string {
  return markdown.replace(
    /\\([!-/:-@[-`{-~])|&(amp|lt|gt|#124);|@\u2060/g,
    (_match, escaped, entity) => {
      if (escaped) return escaped
      if (entity) return { amp: '&', lt: '<', gt: '>', '#124': '|' }[entity as string]!
      return '@'
    }
  )
}

/** True when `char` occurs in `text` only after an odd number of backslashes. */
function alwaysEscaped(text: string, char: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== char) continue
    let backslashes = 0
    for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) backslashes++
    if (backslashes % 2 === 0) return false
  }
  return true
}

/** The text of a code span as CommonMark reads it: one space off each end when both have one. */
function codeSpanText(span: string): string {
  const fence = /^`+/.exec(span)![0]
  expect(span.endsWith(fence)).toBe(true)
  const inner = span.slice(fence.length, -fence.length)
  // No run of exactly the fence's length inside, or the span would close early.
  for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length)
  return /^ .*[^ ].* $/s.test(inner) ? inner.slice(1, -1) : inner
}

/** The cells of a table row as GFM splits it: at every `|` not escaped by a backslash. */
function cellsOf(row: string): string[] {
  expect(row.startsWith('| ') && row.endsWith(' |')).toBe(true)
  return row
    .slice(2, -2)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'))
}

describe('md', () => {
  it.each<[string | number | undefined, string]>([
    [undefined, '—'],
    ['', '—'],
    [' \n ', '—'],
    [0, '0'],
    [42, '42'],
    ['plain text', 'plain text'],
    ['myservice-5xx OK', 'myservice-5xx OK'],
    ['steps 10,50,100', 'steps 10,50,100'],
    ['a|b', 'a&#124;b'],
    ['a\\|b', 'a\\\\&#124;b'],
    ['`rm -rf`', '\\`rm -rf\\`'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['[link](x)', '\\[link\\]\\(x\\)'],
    ['line one\nline two', 'line one line two'],
    ['a\r\n\r\nb', 'a b'],
    ['  four  spaces\tand a tab ', 'four spaces and a tab'],
    ['*bold* _it_ ~x~ #h !i {c} +', '\\*bold\\* \\_it\\_ \\~x\\~ \\#h \\!i \\{c\\} \\+'],
    ['&amp; & <b>', '&amp;amp; &amp; &lt;b&gt;'],
    ['$x^2$', '\\$x^2\\$'],
    ['see https://evil.example/x', 'see https\\://evil.example/x'],
    ['www.evil.example and WWW.evil.example', 'www\\.evil.example and WWW\\.evil.example'],
    ['ops@example.com', 'ops@\u2060example.com'],
    ['@octocat', '@\u2060octocat'],
    ['- not a list', '\\- not a list'],
    ['1. not a list', '1\\. not a list'],
    ['--- ', '\\---'],
    ['# not a heading', '\\# not a heading'],
    ['> not a quote', '&gt; not a quote']
  ])('md(%j) is %j', (value, expected) => {
    expect(md(value)).toBe(expected)
  })

  it('reads back as the same text, white space made single spaces', () => {
    fc.assert(
      fc.property(interesting, (s) => {
        const text = s.replace(/\s+/g, ' ').trim()
        expect(readBack(md(s))).toBe(text === '' ? '—' : text)
      }),
      { numRuns: 300 }
    )
  })

  it('leaves nothing that could start markup, a link, a table cell or a new line', () => {
    fc.assert(
      fc.property(interesting, (s) => {
        const out = md(s)
        expect(out).not.toMatch(/[|<>\r\n]/)
        const entitiesOut = out.replace(/&(amp|lt|gt|#124);/g, '')
        expect(entitiesOut).not.toContain('&')
        for (const char of '`*_~[](){}#+!$:') expect(alwaysEscaped(entitiesOut, char)).toBe(true)
        // Autolinks: a scheme's colon is escaped (above), `www.` never appears as such, and
        // every `@` is followed by a word joiner.
        expect(out).not.toMatch(/www\./i)
        expect(out).not.toMatch(/@(?!\u2060)/)
        // No block starts: a list marker, a numbered item, a quote, an indented code block.
        expect(out).not.toMatch(/^(-|\d+\.|>|\s)/)
      }),
      { numRuns: 300 }
    )
  })

  it('keeps letters, digits and single spaces as they are', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]+( [A-Za-z0-9]+)*$/), (s) => {
        expect(md(s)).toBe(s)
      })
    )
  })
})

describe('code', () => {
  it.each<[string | undefined, string]>([
    ['ecs-svc/1000', '`ecs-svc/1000`'],
    [undefined, '—'],
    ['', '—'],
    ['a`b', '``a`b``'],
    ['a``b`', '``` a``b` ```'],
    ['`start', '`` `start ``'],
    [' padded ', '`  padded  `'],
    ['   ', '`   `'],
    ['a|b', '`a|b`'],
    ['two\nlines', '`two lines`'],
    ['https://evil.example @octocat <b>', '`https://evil.example @octocat <b>`']
  ])('code(%j) is %j', (value, expected) => {
    expect(code(value)).toBe(expected)
  })

  it('is a code span that holds the value as it is, line breaks made spaces', () => {
    fc.assert(
      fc.property(
        interesting.filter((s) => s !== ''),
        (s) => {
          const out = code(s)
          expect(out).not.toMatch(/[\r\n]/)
          expect(codeSpanText(out)).toBe(s.replace(/\r\n|[\r\n]/g, ' '))
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('yamlScalar', () => {
  it.each([
    'true',
    'false',
    'no',
    'Yes',
    'NULL',
    'off',
    '~',
    '',
    ' leading space',
    'key: value',
    'a # comment',
    '#hash',
    "it's",
    'say "hi"',
    '{a}',
    '[a]',
    '*alias',
    '&anchor',
    '!tag',
    '%percent',
    '? q',
    '+1',
    'tab\there',
    'back\\slash',
    'arn:aws:ecs:us-east-1:123456789012:cluster/mycluster',
    'ecs-svc/1000',
    'my.cluster_name-1',
    '-a',
    ':a',
    'a:b'
  ])('%j parses back to itself', (s) => {
    expect(parse(yamlScalar(s))).toBe(s)
  })

  it.each([
    ['mycluster', 'mycluster'],
    ['arn:aws:ecs:us-east-1:1:cluster/c', 'arn:aws:ecs:us-east-1:1:cluster/c'],
    ['true', '"true"'],
    ['a: b', '"a: b"'],
    ['a`b', '"a\'b"'],
    ['a\nb', '"a b"'],
    ['x\r\ny', '"x y"'],
    ['1.0', '"1.0"'],
    ['10', '"10"'],
    ['-', '"-"'],
    ['a:', '"a:"'],
    ['@x', '"@x"'],
    ['.inf', '".inf"'],
    ['y', '"y"']
  ])('yamlScalar(%j) is %j', (value, expected) => {
    expect(yamlScalar(value)).toBe(expected)
  })

  it('parses back to the same string for strings without backticks or line breaks', () => {
    const yamlish = fc.oneof(
      interesting,
      fc.string({ unit: fc.constantFrom(...'aZ09_./:@-eEx+ #'.split('')), maxLength: 8 })
    )
    fc.assert(
      fc.property(
        yamlish.filter((s) => !/[`\r\n]/.test(s)),
        (s) => {
          const out = yamlScalar(s)
          expect(out).not.toMatch(/[`\r\n]/)
          expect(parse(out)).toBe(s)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('never puts a backtick or a line break in the block', () => {
    fc.assert(
      fc.property(interesting, (s) => {
        expect(yamlScalar(s)).not.toMatch(/[`\r\n]/)
      }),
      { numRuns: 200 }
    )
  })
})

describe('tableRow and table', () => {
  it.each<[string, string[], string]>([
    ['plain cells', ['a', '1'], '| a | 1 |'],
    ['an alarm name with a pipe, as text', ['alarm', md('5xx|4xx')], '| alarm | 5xx&#124;4xx |'],
    ['an alarm name with a pipe, as code', ['alarm', code('5xx|4xx')], '| alarm | `5xx\\|4xx` |'],
    ['a backslash before the pipe', ['x', code('a\\|b')], '| x | `a\\\\|b` |'],
    ['an image with markup', ['Images', code('<b>x</b>')], '| Images | `<b>x</b>` |']
  ])('%s', (_what, cells, expected) => {
    expect(tableRow(cells)).toBe(expected)
  })

  it('renders a two-column table with an empty header', () => {
    expect(
      table([
        ['a', '1'],
        ['b', md('x|y')]
      ])
    ).toBe('| | |\n|---|---|\n| a | 1 |\n| b | x&#124;y |')
  })

  it('keeps each value in its own cell, whatever it holds', () => {
    const cell = fc.oneof(interesting.map(md), interesting.map(code))
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), (cells) => {
        const split = cellsOf(tableRow(cells))
        expect(split).toHaveLength(cells.length)
        // A code span keeps its value: the table's `\|` is undone before the span is read.
        split.forEach((read, i) => {
          if (cells[i].startsWith('`')) expect(read).toBe(cells[i])
        })
      }),
      { numRuns: 300 }
    )
  })
})
