import { ecrClient, findImage, tagImage } from '../aws/ecr.js'
import { InputError } from '../errors.js'
import { parseImageRef } from './image-ref.js'

/**
 * After a promote, the promoted colour's ECR image gets `tag` (e.g. `production`), so the
 * registry shows what runs in production. An image the tag names already is left alone, so a
 * rerun writes nothing. Images outside ECR are skipped with a note. Returns the write, a note,
 * or nothing.
 */
export async function tagPromotedImages(
  images: readonly string[],
  tag: string,
  write: (run: () => Promise<string | undefined>) => Promise<string | undefined>
): Promise<{ writes: string[]; notes: string[] }> {
  const writes: string[] = []
  const notes: string[] = []
  for (const text of images) {
    let ref
    try {
      ref = parseImageRef(text)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      notes.push(`${text} is not an image reference this action reads; not tagged ${tag}.`)
      continue
    }
    if (!ref.ecr) {
      notes.push(`${text} is not in Amazon ECR; not tagged ${tag}.`)
      continue
    }
    const ecr = await ecrClient(ref.ecr.region)
    const found = await findImage(ecr, ref.ecr, {
      ...(ref.tag ? { tag: ref.tag } : {}),
      ...(ref.digest ? { digest: ref.digest } : {})
    })
    if (found.tags.includes(tag)) continue
    const where = ref.ecr
    const line = await write(() => tagImage(ecr, where, found.digest, tag))
    if (line) writes.push(line)
  }
  return { writes, notes }
}

/**
 * The images of the promoted revision to tag: the one the last deploy pinned, when it deployed to
 * this colour; else every image of the revision (the action cannot tell the app from a sidecar).
 */
export function promotedImages(images: readonly string[], deployedDigest?: string): string[] {
  const pinned = deployedDigest ? images.filter((i) => i.endsWith(`@${deployedDigest}`)) : []
  return pinned.length > 0 ? pinned : [...images]
}
