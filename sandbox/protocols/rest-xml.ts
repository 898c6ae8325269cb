/**
 * restXml (Route 53): the operation is the method and path, the input in the query string and an
 * XML body, the output an XML document named after the operation. Lists are written with a member
 * element named by the list (`ResourceRecordSets` holds `ResourceRecordSet`s). Errors are
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` with the
 * HTTP status of the error.
 */
import { escapeXml } from './query.js'
import type { WireResponse } from './wire.js'

/** One parsed element: its children in order, and its text when it has no children. */
export interface XmlNode {
  name: string
  children: XmlNode[]
  text: string
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) =>
    entity.startsWith('#x')
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith('#')
        ? String.fromCodePoint(Number(entity.slice(1)))
        : ENTITIES[entity]
  )
}

/**
 * Parses the XML the SDK sends: elements, attributes (ignored) and text; no DTDs, comments or
 * CDATA, which no client this project uses sends. Throws on unbalanced tags.
 */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#document', children: [], text: '' }
  const stack = [root]
  const token = /<\?[^>]*\?>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g
  for (const match of xml.matchAll(token)) {
    const [whole, closing, name, selfClosing, text] = match
    const top = stack[stack.length - 1]
    if (whole.startsWith('<?')) continue
    if (text !== undefined) {
      top.text += unescape(text)
    } else if (closing) {
      if (top.name !== name) throw new Error(`Unexpected </${name}> in <${top.name}>`)
      stack.pop()
    } else {
      const node: XmlNode = { name, children: [], text: '' }
      top.children.push(node)
      if (!selfClosing) stack.push(node)
    }
  }
  if (stack.length !== 1) throw new Error(`Unclosed <${stack[stack.length - 1].name}>`)
  const [document] = root.children
  if (!document) throw new Error('No XML document')
  return document
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name)
}

export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const found = child(node, name)
  return found ? found.text.trim() : undefined
}

/** Writes one element; an array is written as `<name><member/>…</name>` with `members[name]`. */
export function restXmlElement(
  name: string,
  value: unknown,
  members: Record<string, string>
): string {
  if (value === undefined || value === null) return ''
  let inner: string
  if (Array.isArray(value)) {
    const member = members[name] ?? 'member'
    inner = value.map((v) => restXmlElement(member, v, members)).join('')
  } else if (value instanceof Date) {
    inner = value.toISOString()
  } else if (typeof value === 'object') {
    inner = Object.entries(value)
      .map(([k, v]) => restXmlElement(k, v, members))
      .join('')
  } else {
    inner = escapeXml(String(value))
  }
  return `<${name}>${inner}</${name}>`
}

export function restXmlSuccess(
  root: string,
  xmlns: string,
  output: Record<string, unknown>,
  members: Record<string, string>,
  requestId: string
): WireResponse {
  const inner = Object.entries(output)
    .map(([k, v]) => restXmlElement(k, v, members))
    .join('')
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${inner}</${root}>`
  }
}

export function restXmlError(
  code: string,
  message: string,
  status: number,
  xmlns: string,
  requestId: string
): WireResponse {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
      `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`
  }
}
