/** The pure part of scripts/release-notes.ts, so tests can run it on any changelog. */
export interface ReleaseNotesRequest {
  tag: string
  /** package.json's version. */
  version: string
  changelog: string
  dryRun: boolean
}

const TAG = /^v(1\.\d+\.\d+)$/
const HEADING = /^## \[(\d+\.\d+\.\d+)\](?: - (\S+))?\s*$/

/** The body of the tag's section of the changelog, ending in one newline; throws what is wrong. */
export function releaseNotes({ tag, version, changelog, dryRun }: ReleaseNotesRequest): string {
  const match = TAG.exec(tag)
  if (!match) throw new Error(`"${tag}" is not a release tag: use v1.MINOR.PATCH, e.g. v1.2.3.`)
  const wanted = match[1]
  if (version !== wanted) {
    throw new Error(
      `package.json says version ${version}, the tag says ${wanted}: set one to the other.`
    )
  }
  const lines = changelog.split('\n')
  const start = lines.findIndex((line) => HEADING.exec(line)?.[1] === wanted)
  if (start < 0) throw new Error(`CHANGELOG.md has no section "## [${wanted}] - YYYY-MM-DD".`)
  const date = HEADING.exec(lines[start])?.[2] ?? ''
  if (!dryRun && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error(`CHANGELOG.md: give the release date in "## [${wanted}] - YYYY-MM-DD".`)
  }
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.startsWith('## '))
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
  if (!body) throw new Error(`CHANGELOG.md: the section for ${wanted} is empty.`)
  return body + '\n'
}
