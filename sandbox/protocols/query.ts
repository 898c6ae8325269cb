/**
 * awsQuery (ELBv2, CloudFormation): `POST /` with a form body `Action=X&Version=Y&...`, lists as
 * `Name.member.N`, maps as `Name.entry.N.key` / `Name.entry.N.value`; XML responses wrapped in
 * `<XResponse><XResult>` and errors in `<ErrorResponse><Error>`.
 *
 * The body does not name the service, so the router reads the service from the SigV4 credential
 * scope (`Credential=AKID/20260101/us-east-1/elasticloadbalancing/aws4_request`).
 */
import type { WireResponse } from './wire.js'

/** A parsed form value. Everything arrives as a string; services coerce by member name. */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue }

export interface QueryCall {
  action: string
  version: string
  params: Record<string, QueryValue>
}

/** The service name in the SigV4 credential scope of an Authorization header, if any. */
export function signingService(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/)?.[1]
}

/**
 * The access key id of a SigV4 request, as CloudTrail records the caller: runs given different
 * keys can be told apart in the request log when they share one sandbox.
 */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=([^/,\s]+)\//)?.[1]
}

export function parseQueryBody(body: string): QueryCall {
  const form = new URLSearchParams(body)
  const pairs = [...form.entries()].filter(([key]) => key !== 'Action' && key !== 'Version')
  return {
    action: form.get('Action') ?? '',
    version: form.get('Version') ?? '',
    params: unflatten(pairs)
  }
}

type Tree = { [key: string]: Tree | string }

// Keys come from the client; never let one write through to Object.prototype.
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

/** `A.member.2.B=x` becomes `{A: [<1>, {B: 'x'}]}`. An empty list is sent as `A=` and stays ''. */
export function unflatten(pairs: [string, string][]): Record<string, QueryValue> {
  const root: Tree = {}
  for (const [key, value] of pairs) {
    const parts = key.split('.')
    if (parts.some((p) => UNSAFE.has(p))) continue
    let node = root
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value
        return
      }
      const next = node[part]
      node = typeof next === 'object' ? next : (node[part] = {})
    })
  }
  return collapse(root) as Record<string, QueryValue>
}

function collapse(tree: Tree | string): QueryValue {
  if (typeof tree === 'string') return tree
  const keys = Object.keys(tree)
  const byIndex = (t: Tree | string) =>
    typeof t === 'string'
      ? []
      : Object.keys(t)
          .sort((a, b) => Number(a) - Number(b))
          .map((k) => t[k])
  if (keys.length === 1 && keys[0] === 'member') return byIndex(tree.member).map(collapse)
  if (keys.length === 1 && keys[0] === 'entry') {
    const map: Record<string, QueryValue> = {}
    for (const entry of byIndex(tree.entry)) {
      if (typeof entry === 'object' && typeof entry.key === 'string' && !UNSAFE.has(entry.key)) {
        map[entry.key] = collapse(entry.value ?? '')
      }
    }
    return map
  }
  const out: Record<string, QueryValue> = {}
  for (const key of keys) out[key] = collapse(tree[key])
  return out
}

export interface Coercions {
  numbers: ReadonlySet<string>
  booleans: ReadonlySet<string>
}

/** Turns the strings of numeric and boolean members (found by member name) into real values. */
export function coerce(value: unknown, types: Coercions, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => coerce(v, types, ''))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerce(v, types, k)]))
  }
  if (typeof value === 'string' && types.numbers.has(key)) return Number(value)
  if (typeof value === 'string' && types.booleans.has(key)) return value === 'true'
  return value
}

/** An empty awsQuery list arrives as ''; absent stays undefined. */
export function asList<T>(value: unknown): T[] | undefined {
  if (value === undefined) return undefined
  if (value === '') return []
  return Array.isArray(value) ? (value as T[]) : [value as T]
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/**
 * Writes one element. Arrays become `<member>` lists, `Map`s become `<entry><key/><value/></entry>`
 * maps (a plain object is a structure, so services wrap map members in a Map), Dates become ISO 8601.
 */
export function xmlElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return ''
  let inner: string
  if (Array.isArray(value)) {
    inner = value.map((v) => xmlElement('member', v)).join('')
  } else if (value instanceof Map) {
    inner = [...value.entries()]
      .map(([k, v]) => `<entry>${xmlElement('key', k)}${xmlElement('value', v)}</entry>`)
      .join('')
  } else if (value instanceof Date) {
    inner = value.toISOString()
  } else if (typeof value === 'object') {
    inner = Object.entries(value)
      .map(([k, v]) => xmlElement(k, v))
      .join('')
  } else {
    inner = escapeXml(String(value))
  }
  return `<${name}>${inner}</${name}>`
}

export function querySuccess(
  action: string,
  xmlns: string,
  result: Record<string, unknown>,
  requestId: string
): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${xmlns}">` +
    xmlElement(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  return { status: 200, headers: xmlHeaders(requestId), body }
}

/** `Type` is Sender for client faults and Receiver for server faults, as AWS sends it. */
export function queryError(
  code: string,
  message: string,
  status: number,
  requestId: string
): WireResponse {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  return { status, headers: xmlHeaders(requestId), body }
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }
}
