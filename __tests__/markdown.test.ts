/**
 * src/report/markdown.ts: escaping of AWS and input values for the job summary.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse } from 'yaml'
import { code, md, table, yamlScalar } from '../src/report/markdown.js'

/** Characters with a meaning in Markdown, HTML or YAML, to make generated strings interesting. */
const special = fc.constantFrom(...'|`<>&\\*_[](){}#+-!~\n\r:\'" .@%?,=\t'.split(''))
const interesting = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(special, fc.constantFrom('a', 'Z', '0', '9')), maxLength: 20 })
)

/** True when every `|` in `text` is escaped: preceded by an odd number of backslashes. */
function pipesEscaped(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '|') continue
    let backslashes = 0
    for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) backslashes++
    if (backslashes % 2 === 0) return false
  }
  return true
}

describe('md', () => {
  it.each<[string | number | undefined, string]>([
    [undefined, '—'],
    ['', '—'],
    [0, '0'],
    [42, '42'],
    ['plain text', 'plain text'],
    ['a|b', 'a\\|b'],
    ['`rm -rf`', '\\`rm -rf\\`'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['[link](x)', '\\[link\\]\\(x\\)'],
    ['line one\nline two', 'line one line two'],
    ['a\r\n\r\nb', 'a b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['*bold* _it_ ~x~ #h !i {c} +', '\\*bold\\* \\_it\\_ \\~x\\~ \\#h \\!i \\{c\\} \\+'],
    ['&amp; & <b>', '&amp;amp; &amp; &lt;b&gt;']
  ])('md(%j) is %j', (value, expected) => {
    expect(md(value)).toBe(expected)
  })

  it('leaves no unescaped pipe, no <, no > and no line break in any string', () => {
    fc.assert(
      fc.property(interesting, (s) => {
        const out = md(s)
        expect(pipesEscaped(out)).toBe(true)
        expect(out).not.toMatch(/[<>\r\n]/)
        // Every backtick is escaped too, so nothing can open a code span.
        expect(out.replace(/\\\\/g, '')).not.toMatch(/(^|[^\\])`/)
      }),
      { numRuns: 200 }
    )
  })

  it('keeps letters, digits and spaces as they are', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ]{1,30}$/), (s) => {
        expect(md(s)).toBe(s)
      })
    )
  })
})

describe('code', () => {
  it.each([
    ['ecs-svc/1000', '`ecs-svc/1000`'],
    ['a`b', "`a'b`"],
    ['a|b', '`a\\|b`'],
    ['two\nlines', '`two lines`']
  ])('code(%j) is %j', (value, expected) => {
    expect(code(value)).toBe(expected)
  })

  it('never contains an inner backtick, a line break or an unescaped pipe', () => {
    fc.assert(
      fc.property(interesting, (s) => {
        const out = code(s)
        expect(out.startsWith('`')).toBe(true)
        expect(out.endsWith('`')).toBe(true)
        const inner = out.slice(1, -1)
        expect(inner).not.toContain('`')
        expect(inner).not.toMatch(/[\r\n]/)
        expect(inner.replace(/\\\|/g, '')).not.toContain('|')
      }),
      { numRuns: 200 }
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

describe('table', () => {
  it('renders a two-column table with an empty header', () => {
    expect(
      table([
        ['a', '1'],
        ['b', md('x|y')]
      ])
    ).toBe('| | |\n|---|---|\n| a | 1 |\n| b | x\\|y |')
  })
})
