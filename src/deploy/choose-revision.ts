import { StateError } from '../errors.js'
import { familyOfReference, imageOf, sameRevision, withImage, type Revision } from './revision.js'

/** What the canary colour should run, and whether that needs a new revision. */
export interface RevisionChoice {
  /** Register this and run it. */
  register?: Revision
  /** Run this existing revision (the canary's own when it is the same already). */
  use?: string
  /** True when the canary runs it already: nothing to write. */
  inPlace: boolean
  container?: string
  oldImage?: string
  newImage?: string
}

export interface RevisionFacts {
  /** The revision the new one starts from: the stable colour's, a file's, or a referenced one. */
  base: Revision
  /** Set when `base` is an existing revision the inputs named (it can be run as it is). */
  baseArn?: string
  /** The stable colour's family: a named revision given an image must be of it. */
  stableFamily: string
  image?: string
  container?: string
  canary?: { arn: string; revision: Revision }
}

/**
 * The canary's next revision, pure: the base with only the container's image replaced; the
 * canary's own revision when that is the same (never registered twice); a named revision as it is
 * when no image is given.
 */
export function chooseRevision(facts: RevisionFacts): RevisionChoice {
  const { base, image, container, canary } = facts
  if (image && facts.baseArn && familyOfReference(facts.baseArn) !== facts.stableFamily) {
    throw new StateError(
      `"task-definition" names ${familyOfReference(facts.baseArn)}, but the colours run family ` +
        `${facts.stableFamily}: an image goes into a revision of the same family. Name a ` +
        `${facts.stableFamily} revision, or give "image" alone.`
    )
  }
  const target = image && container ? withImage(base, container, image) : base
  const oldImage = container && canary ? imageOf(canary.revision, container) : undefined
  const images = {
    ...(container ? { container } : {}),
    ...(oldImage ? { oldImage } : {}),
    ...(image ? { newImage: image } : {})
  }
  if (canary && (canary.arn === facts.baseArn || sameRevision(target, canary.revision))) {
    return { use: canary.arn, inPlace: true, ...images }
  }
  if (!image && facts.baseArn) return { use: facts.baseArn, inPlace: false, ...images }
  return { register: target, inPlace: false, ...images }
}
