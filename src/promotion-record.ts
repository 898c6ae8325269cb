/**
 * The record a promote leaves on the service: which version it made stable, which one it
 * replaced, and when. A rerun of an old workflow (a canary or a walk that already finished) finds
 * the canary colour running the replaced version and must not give it traffic again; this record
 * is how it knows. Pure: parsing, formatting and the one question asked of it.
 *
 * A version is a task definition's `family:revision`. The tag value reads
 * `web:42 replaced web:41 at 2026-11-23T10:00:00Z` (ECS tag values allow letters, digits, spaces
 * and `+ - = . _ : / @`); `web:42` alone is a hand-written record of the stable version.
 */
export interface PromotionRecord {
  promoted: string
  replaced?: string
  /** ISO time of the promote, to the second. */
  at?: string
}

/** ECS refuses tag values over 256 characters. */
const MAX_TAG_VALUE = 256

const VERSION = '[A-Za-z0-9_-]{1,255}:\\d{1,9}'
const PATTERN = new RegExp(
  `^(${VERSION})(?: replaced (${VERSION}))?(?: at (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ))?$`
)

/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`: the version a colour runs. */
export function versionOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn
}

export function parseRecord(value: string | undefined): PromotionRecord | undefined {
  const match = value === undefined ? null : PATTERN.exec(value.trim())
  if (!match) return undefined
  return {
    promoted: match[1],
    ...(match[2] ? { replaced: match[2] } : {}),
    ...(match[3] ? { at: match[3] } : {})
  }
}

/** The tag value, or undefined when it would not fit in a tag (families near 255 characters). */
export function formatRecord(record: PromotionRecord): string | undefined {
  const parts = [record.promoted]
  if (record.replaced) parts.push(`replaced ${record.replaced}`)
  if (record.at) parts.push(`at ${record.at}`)
  const value = parts.join(' ')
  return value.length <= MAX_TAG_VALUE ? value : undefined
}

/** An ISO time to the second, as the record holds it. */
export function recordTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Why `version` must not get traffic again, or undefined when it may: it is the version the last
 * promote replaced, or an older revision of the family that promote made stable.
 */
export function replacedVersion(
  version: string | undefined,
  record: PromotionRecord | undefined
): string | undefined {
  if (!version || !record) return undefined
  const when = record.at ? ` on ${record.at.slice(0, 10)} ${record.at.slice(11, 16)} UTC` : ''
  if (version === record.replaced) {
    return `${version}, the version that ${record.promoted} replaced${when}`
  }
  const [family, revision] = splitVersion(version)
  const [stableFamily, stableRevision] = splitVersion(record.promoted)
  if (family === stableFamily && revision < stableRevision) {
    return `${version}, older than ${record.promoted}, which was promoted${when}`
  }
  return undefined
}

function splitVersion(version: string): [string, number] {
  const at = version.lastIndexOf(':')
  return [version.slice(0, at), Number(version.slice(at + 1))]
}
