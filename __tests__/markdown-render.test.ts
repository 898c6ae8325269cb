/**
 * The summary's escaping, rendered by cmark-gfm, the parser GitHub renders job summaries with:
 * every value shows as the same text in a paragraph, a heading, a list item and a table cell, with
 * no link and no element the report did not write. These tests run where the `cmark-gfm` command
 * is installed (Debian and Ubuntu package `cmark-gfm`) and are skipped elsewhere; markdown.test.ts
 * checks the same rules without a parser.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { code, md, table } from '../src/report/markdown.js'
import { renderFailure } from '../src/report/summary.js'

const installed = spawnSync('cmark-gfm', ['--version']).status === 0

/** GitHub's extensions; tagfilter is off so that any HTML that gets through shows up as a tag. */
function render(markdown: string): string {
  const extensions = ['table', 'autolink', 'strikethrough'].flatMap((name) => ['-e', name])
  return execFileSync('cmark-gfm', extensions, { input: markdown, maxBuffer: 1 << 26 }).toString()
}

/** The text of an HTML fragment, as a browser shows it; the word joiner md adds is invisible. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '')
}

const ELEMENTS = new Set([
  'p',
  'h2',
  'ul',
  'li',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td'
])

/** Each value in each place the report puts one, then what each place rendered as text. */
function renderEverywhere(values: readonly string[]) {
  const separator = 'zzzSEPARATORzzz'
  const doc = values.flatMap((v) => [
    `## ${md(v)}`,
    md(v),
    `- ${md(v)}\n- ${code(v)}`,
    table([
      ['text', md(v)],
      ['code', code(v)]
    ]),
    separator
  ])
  const parts = render(doc.join('\n\n')).split(`<p>${separator}</p>\n`)
  return values.map((_, i) => {
    const html = parts[i]
    const all = (tag: string) =>
      [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1])
    return {
      tags: [...html.matchAll(/<([a-z][a-z0-9]*)/g)].map((m) => m[1]),
      heading: all('h2').map(textOf),
      paragraphs: all('p').map(textOf),
      items: all('li').map(textOf),
      cells: all('td').map(textOf)
    }
  })
}

const HOSTILE = [
  'Threshold Crossed: see https://evil.example/runbook or www.evil.example',
  'mail ops@example.com, ping @octocat',
  '5xx|4xx',
  'a\\|b',
  '<img src=x onerror=alert(1)> <b>bold</b> &amp;',
  '**bold** _it_ ~~struck~~ `code` [link](https://x.example) ![img](x.png) $x^2$',
  '# heading',
  '- item',
  '1. item',
  '> quote',
  '---',
  'two\n\nparagraphs\n- and a list',
  'name with ``` fence',
  '`ticked`'
]

const plain = (v: string) => v.replace(/\s+/g, ' ').trim()
const codeText = (v: string) => v.replace(/\r\n|[\r\n]/g, ' ')

;(installed ? describe : describe.skip)('rendered by cmark-gfm', () => {
  it.each(HOSTILE)('%j renders as itself everywhere, with no link or markup', (value) => {
    const [out] = renderEverywhere([value])
    expect(out.tags.filter((tag) => !ELEMENTS.has(tag))).toEqual([])
    expect(out.heading).toEqual([plain(value)])
    expect(out.paragraphs).toEqual([plain(value)])
    expect(out.items).toEqual([plain(value), codeText(value)])
    expect(out.cells).toEqual(['text', plain(value), 'code', codeText(value)])
  })

  it('any string renders as itself everywhere', () => {
    const unit = fc.oneof(
      fc.constantFrom(...'|`<>&\\*_[](){}#+-!~\n:" .@$'.split('')),
      fc.constantFrom('www.', 'https://', '@a.b', '&amp;', '1. ', '- ', 'a', 'Z', '0')
    )
    const values = fc.sample(fc.string({ unit, minLength: 1, maxLength: 24 }), 500)
    const wrong = renderEverywhere(values).flatMap((out, i) => {
      const v = values[i]
      const expected = {
        tags: out.tags.filter((tag) => ELEMENTS.has(tag)),
        heading: [plain(v) || '—'],
        paragraphs: [plain(v) || '—'],
        items: [plain(v) || '—', codeText(v)],
        cells: ['text', plain(v) || '—', 'code', codeText(v)]
      }
      try {
        expect(out).toEqual(expected)
        return []
      } catch {
        return [v]
      }
    })
    expect(wrong).toEqual([])
  })

  it('a failure summary shows the message as text', () => {
    const html = render(renderFailure('canary', 'my|svc', 'Alarm <b>x</b>: https://evil.example'))
    expect(html).not.toContain('<a ')
    expect(textOf(html)).toContain('my|svc: canary failed')
    expect(textOf(html)).toContain('Alarm <b>x</b>: https://evil.example')
  })
})
