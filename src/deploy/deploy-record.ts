import { isColor, type Color } from '../color.js'

/**
 * The record a deploy leaves on the service: which version it put into which colour, the image
 * digest it pinned, and when. With the promotion record it tells "a canary deployed and not yet
 * promoted" (promote it) from "a promote that finished" (nothing to do). Pure.
 *
 * Tag value: `Green myapp:3 at 2026-11-23T10:00:00Z sha256:<64 hex>` (the digest only when the
 * image was pinned).
 */
export interface DeployRecord {
  color: Color
  /** `family:revision`. */
  version: string
  at: string
  digest?: string
}

const PATTERN =
  /^(Blue|Green) ([A-Za-z0-9_-]{1,255}:\d{1,9}) at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?: (sha256:[0-9a-f]{64}))?$/

export function formatDeployRecord(record: DeployRecord): string | undefined {
  const value = `${record.color} ${record.version} at ${record.at}${record.digest ? ` ${record.digest}` : ''}`
  return value.length <= 256 ? value : undefined
}

export function parseDeployRecord(value: string | undefined): DeployRecord | undefined {
  const match = value === undefined ? null : PATTERN.exec(value.trim())
  if (!match || !isColor(match[1])) return undefined
  return {
    color: match[1],
    version: match[2],
    at: match[3],
    ...(match[4] ? { digest: match[4] } : {})
  }
}
