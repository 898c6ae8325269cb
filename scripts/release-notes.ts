/**
 * Prints the CHANGELOG.md section of a release, for the release workflow's notes:
 * `tsx scripts/release-notes.ts [--dry-run] v1.2.3`. Fails (exit 1, one line on stderr) when the
 * tag is not v1.x.y, package.json has another version, or the section is missing or empty; a real
 * release also needs a date in the heading (`## [1.2.3] - 2026-11-23`), a dry run accepts
 * `Unreleased`.
 */
import { readFileSync } from 'node:fs'
import { releaseNotes } from './release-notes-lib.js'

const args = process.argv.slice(2)
const dryRun = args.includes('--dry-run')
const tag = args.find((arg) => !arg.startsWith('--')) ?? ''
const root = new URL('../', import.meta.url)
try {
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    version: string
  }
  const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8')
  process.stdout.write(releaseNotes({ tag, version, changelog, dryRun }))
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
