import { InputError } from '../errors.js'

/**
 * A container image reference as the `image` input gives it: `registry/repo:tag` or
 * `registry/repo@sha256:…`. Pure. Only images in Amazon ECR are checked and pinned; the others are
 * used as given, since the action has no way to ask their registry.
 */
export interface ImageRef {
  /** The text as given. */
  text: string
  /** Everything before the tag or digest, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`. */
  name: string
  tag?: string
  digest?: string
  /** Set for an image in Amazon ECR. */
  ecr?: EcrLocation
}

export interface EcrLocation {
  registryId: string
  region: string
  repository: string
}

const DIGEST = /^sha256:[0-9a-f]{64}$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
// Registry host (optional port), then lower-case path components, as the distribution spec says.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/

export function parseImageRef(text: string, input = 'image'): ImageRef {
  const bad = (why: string) =>
    new InputError(
      `"${input}" is "${text}": ${why}. Write it as registry/repository:tag or ` +
        'registry/repository@sha256:<64 hex digits>, e.g. ' +
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2.'
    )
  if (/\s/.test(text)) throw bad('an image reference has no spaces')
  const at = text.indexOf('@')
  let rest = text
  let digest: string | undefined
  if (at >= 0) {
    digest = text.slice(at + 1)
    rest = text.slice(0, at)
    if (!DIGEST.test(digest)) throw bad(`"${digest}" is not a sha256 digest`)
  }
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  let tag: string | undefined
  let name = rest
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    name = rest.slice(0, colon)
    if (!TAG.test(tag)) throw bad(`"${tag}" is not a valid tag`)
  }
  if (!tag && !digest) throw bad('it names no tag or digest, so what runs would be unknown')
  const parts = name.split('/')
  const host = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts[0] : undefined
  const path = host ? parts.slice(1) : parts
  if (path.length === 0 || !path.every((p) => COMPONENT.test(p))) {
    throw bad('the repository must be lower-case letters, digits and separators')
  }
  const ecr = host ? ECR_HOST.exec(host) : null
  return {
    text,
    name,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    ...(ecr ? { ecr: { registryId: ecr[1], region: ecr[2], repository: path.join('/') } } : {})
  }
}

/** The reference pinned to a digest: what runs is exactly what was checked. */
export function pinned(ref: ImageRef, digest: string): string {
  return `${ref.name}@${digest}`
}

/** A tag as `promote-image-tag` takes it. */
export function imageTag(text: string, input: string): string {
  if (!TAG.test(text)) {
    throw new InputError(
      `"${input}" is "${text}": an image tag is up to 128 letters, digits, "_", "." and "-", not ` +
        'starting with "." or "-".'
    )
  }
  return text
}
