import { InputError } from './errors.js'
import { parseDuration } from './schedule.js'

/**
 * Parsers for the inputs of the smoke check and the lifecycle hooks. Pure; each bad value is one
 * InputError naming the input and what a valid value is.
 */

export interface SmokeInputs {
  /** A full http(s) URL, or a path resolved against the load balancer's DNS name. */
  url: string
  /** Accepted statuses: exact codes (`200`) and classes (`2xx`). */
  expectStatus: string[]
  expectBody?: string
  /** Each request must answer within this. */
  timeoutMs: number
  count: number
}

export interface HookInputs {
  afterTestTraffic?: string
  beforeTraffic?: string
  afterTraffic?: string
  timeoutMs: number
}

export const DEFAULT_SMOKE_STATUS = '2xx'
export const DEFAULT_SMOKE_TIMEOUT = '5s'
export const DEFAULT_SMOKE_COUNT = 20
export const DEFAULT_HOOK_TIMEOUT = '10m'

export function smokeUrl(text: string): string {
  if (text.startsWith('/') && !text.startsWith('//') && !/\s/.test(text)) return text
  let url: URL
  try {
    url = new URL(text)
  } catch {
    url = undefined as unknown as URL
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(
      `"smoke-url" is "${text}": give a path on the load balancer such as /health, or a full http(s) URL.`
    )
  }
  return text
}

export function smokeExpectStatus(text: string): string[] {
  const codes = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((c) => c.toLowerCase())
  if (codes.length === 0 || codes.some((c) => !/^[1-5](\d\d|xx)$/.test(c))) {
    throw new InputError(
      `"smoke-expect-status" is "${text}": give HTTP statuses or classes separated by commas, e.g. 200,204 or 2xx.`
    )
  }
  return codes
}

/** True when `status` is one of the accepted codes or classes. */
export function statusAccepted(status: number, expected: readonly string[]): boolean {
  const text = String(status)
  return expected.some((e) => e === text || (e.endsWith('xx') && e[0] === text[0]))
}

export function smokeTimeout(text: string): number {
  const ms = durationOf(text, 'smoke-timeout')
  if (ms < 1000 || ms > 300_000) {
    throw new InputError(`"smoke-timeout" is "${text}": it must be from 1s to 5m, e.g. 5s.`)
  }
  return ms
}

export function smokeCount(text: string): number {
  const value = Number(text)
  if (!/^\d{1,4}$/.test(text) || value < 1 || value > 1000) {
    throw new InputError(`"smoke-count" is "${text}": it must be a whole number from 1 to 1000.`)
  }
  return value
}

/** A Lambda function's name, partial ARN or ARN, with an optional version or alias. */
export function hookFunction(name: string): (text: string) => string {
  return (text) => {
    const pattern =
      /^(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/
    if (text.length > 170 || !pattern.test(text)) {
      throw new InputError(
        `"${name}" is "${text}": give a Lambda function name (my-hook), with an optional alias (my-hook:live), or its ARN.`
      )
    }
    return text
  }
}

export function hookTimeout(text: string): number {
  const ms = durationOf(text, 'hook-timeout')
  if (ms < 1000 || ms > 3_600_000) {
    throw new InputError(`"hook-timeout" is "${text}": it must be from 1s to 1h, e.g. 10m.`)
  }
  return ms
}

function durationOf(text: string, name: string): number {
  return parseDuration(text, name)
}
