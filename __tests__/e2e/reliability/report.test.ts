/** docs/reliability.md's tables from plain results: counts, failure details, escaping. */
import { describe, expect, it } from '@jest/globals'
import { renderReport } from './report.js'

const report = renderReport({
  scenarios: [{ name: 'canary', inputs: { mode: 'canary' }, writes: ['CreateRule', 'ModifyRule'] }],
  date: '2026-11-23',
  node: 'v20.0.0',
  seconds: { crash: 10, outage: 5 },
  crash: [
    { id: 'canary @1', scenario: 'canary', k: 1, problems: ['tags.X <a rule> (clean: none)'] },
    { id: 'canary @2', scenario: 'canary', k: 2, problems: [] }
  ],
  outage: [],
  concurrency: [
    {
      pair: 'a | b',
      trials: 10,
      counts: { consistent: 7, refused: 1, inconsistent: 2 },
      problems: new Map([['invalid state: 2 test rules', 2]])
    }
  ],
  suites: [
    {
      title: 'Forged tags',
      meaning: 'Refused.',
      files: ['a.test.ts'],
      tests: [
        { name: 'names › the weighted rule', passed: true },
        { name: 'names › a | rule', passed: false }
      ]
    }
  ]
})

describe('renderReport', () => {
  it('says when, on what, and how long', () => {
    expect(report).toContain('Run on 2026-11-23 with Node v20.0.0')
    expect(report).toContain('15 s (crash 10 s, outage 5 s)')
  })

  it('lists each scenario with its clean writes, numbered as the boundaries are', () => {
    expect(report).toContain('| canary | mode: canary | 1. CreateRule 2. ModifyRule |')
  })

  it('counts boundaries and failures per scenario, escaping what would read as HTML or a column', () => {
    expect(report).toContain('| canary | 2 | 1 | @1: tags.X &lt;a rule&gt; (clean: none) |')
    expect(report).toContain('| **all** | 2 | 1 | 1 |')
    expect(report).toContain('| a \\| b | 10 | 7 | 1 | 2 | invalid state: 2 test rules (2×) |')
  })

  it('tabulates the Jest suites it ran, test by test, with the count that passed', () => {
    expect(report).toContain('## Forged tags')
    expect(report).toContain('1 of 2 passed.')
    expect(report).toContain('| names › a \\| rule | **failed** |')
  })
})
