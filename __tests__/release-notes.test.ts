import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { releaseNotes } from '../scripts/release-notes-lib.js'

const root = new URL('../', import.meta.url)
const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8')
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  version: string
}

const sample = [
  '# Changelog',
  '',
  '## [1.2.0] - 2026-12-01',
  '',
  '- Two.',
  '',
  '## [1.1.0] - 2026-11-01',
  '',
  '- One.',
  ''
].join('\n')

describe('release notes', () => {
  it("the release workflow's dry run passes on this repository's changelog and version", () => {
    const notes = releaseNotes({ tag: `v${version}`, version, changelog, dryRun: true })
    expect(notes.length).toBeGreaterThan(100)
    expect(notes).not.toContain('## [')
  })

  it.each([
    ['v1.2.0', '1.2.0', '- Two.\n'],
    ['v1.1.0', '1.1.0', '- One.\n']
  ])('%s gets its own section only', (tag, v, notes) => {
    expect(releaseNotes({ tag, version: v, changelog: sample, dryRun: false })).toBe(notes)
  })

  it.each([
    ['v2.0.0', '2.0.0', sample, /not a release tag/],
    ['1.2.0', '1.2.0', sample, /not a release tag/],
    ['v1.2', '1.2.0', sample, /not a release tag/],
    ['v1.2.0', '1.1.0', sample, /package.json says version 1.1.0/],
    ['v1.3.0', '1.3.0', sample, /no section/],
    ['v1.3.0', '1.3.0', '## [1.3.0] - Unreleased\n\n- x\n', /release date/],
    ['v1.3.0', '1.3.0', '## [1.3.0] - 2026-12-02\n\n## [1.2.0]\n', /is empty/]
  ])('refuses %s (package.json %s)', (tag, v, text, message) => {
    expect(() => releaseNotes({ tag, version: v, changelog: text, dryRun: false })).toThrow(message)
  })

  it('a dry run accepts a section not yet dated', () => {
    const text = '## [1.3.0] - Unreleased\n\n- x\n'
    expect(releaseNotes({ tag: 'v1.3.0', version: '1.3.0', changelog: text, dryRun: true })).toBe(
      '- x\n'
    )
  })
})
