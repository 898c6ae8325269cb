import type { ECRClient } from '@aws-sdk/client-ecr'
import { NotFoundError, StateError } from '../errors.js'
import type { EcrLocation } from '../deploy/image-ref.js'
import { awsCall } from './call.js'

/**
 * Amazon ECR, loaded only when an image is in ECR: most runs never deploy, so they never read or
 * evaluate the ECR client (the bundler puts it in a chunk file of its own beside dist/index.js).
 */
async function ecrModule() {
  return import('@aws-sdk/client-ecr')
}

const clients = new Map<string, ECRClient>()

/** One client per region (an image may live in another region than the service). */
export async function ecrClient(region: string): Promise<ECRClient> {
  const found = clients.get(region)
  if (found) return found
  const { ECRClient } = await ecrModule()
  const client = new ECRClient({ region, maxAttempts: 5 })
  clients.set(region, client)
  return client
}

/** What DescribeImages found for a tag or digest. */
export interface FoundImage {
  digest: string
  tags: string[]
}

/**
 * The digest of `tag` or `digest` in the repository. Refuses, naming the repository, an image or
 * repository that is not there; for a missing image it lists the most recent tags.
 */
export async function findImage(
  ecr: ECRClient,
  where: EcrLocation,
  wanted: { tag?: string; digest?: string }
): Promise<FoundImage> {
  const { DescribeImagesCommand } = await ecrModule()
  const repo = `${where.repository} (registry ${where.registryId}, ${where.region})`
  const what = wanted.digest ?? `tag ${wanted.tag}`
  const notFound = async () => {
    const recent = await recentTags(ecr, where).catch(() => undefined)
    const listed =
      recent === undefined
        ? ''
        : recent.length > 0
          ? ` Its most recent tags: ${recent.join(', ')}.`
          : ' It has no tagged images.'
    return new NotFoundError(
      `Image ${what} is not in ECR repository ${repo}.${listed} Push it first, or check "image".`
    )
  }
  let missing = false
  const response = await awsCall(
    'ecr:DescribeImages',
    () =>
      ecr.send(
        new DescribeImagesCommand({
          registryId: where.registryId,
          repositoryName: where.repository,
          imageIds: [
            wanted.digest ? { imageDigest: wanted.digest } : { imageTag: wanted.tag ?? 'latest' }
          ]
        })
      ),
    (name) => {
      if (name === 'RepositoryNotFoundException') {
        return new NotFoundError(
          `ECR repository ${repo} was not found. Check "image" (the repository part) and that ` +
            'the role may read it.'
        )
      }
      if (name === 'ImageNotFoundException') missing = true
      return missing ? new StateError('image not found') : undefined
    }
  ).catch(async (error: unknown) => {
    if (missing) throw await notFound()
    throw error
  })
  const detail = response.imageDetails?.[0]
  if (!detail?.imageDigest) throw await notFound()
  if (wanted.digest && wanted.tag && !(detail.imageTags ?? []).includes(wanted.tag)) {
    throw new StateError(
      `Image ${wanted.digest} in ECR repository ${repo} is not tagged ${wanted.tag} (its tags: ` +
        `${(detail.imageTags ?? []).join(', ') || 'none'}). Give the tag or the digest alone.`
    )
  }
  return { digest: detail.imageDigest, tags: detail.imageTags ?? [] }
}

/** Up to five tags, most recently pushed first, for the message about a missing image. */
async function recentTags(ecr: ECRClient, where: EcrLocation): Promise<string[]> {
  const { DescribeImagesCommand } = await ecrModule()
  const response = await awsCall('ecr:DescribeImages', () =>
    ecr.send(
      new DescribeImagesCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        filter: { tagStatus: 'TAGGED' },
        maxResults: 100
      })
    )
  )
  return (response.imageDetails ?? [])
    .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
    .flatMap((d) => d.imageTags ?? [])
    .slice(0, 5)
}

/**
 * Adds `tag` to the image with `digest`: the manifest BatchGetImage returns is put back under the
 * new tag. ECR answers ImageAlreadyExistsException when the tag already names this digest, which
 * is what was asked. Returns what was written, or undefined when nothing was.
 */
export async function tagImage(
  ecr: ECRClient,
  where: EcrLocation,
  digest: string,
  tag: string
): Promise<string | undefined> {
  const { BatchGetImageCommand, PutImageCommand } = await ecrModule()
  const got = await awsCall('ecr:BatchGetImage', () =>
    ecr.send(
      new BatchGetImageCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        imageIds: [{ imageDigest: digest }]
      })
    )
  )
  const image = got.images?.[0]
  if (!image?.imageManifest) {
    throw new NotFoundError(`Image ${digest} is no longer in ECR repository ${where.repository}.`)
  }
  let already = false
  await awsCall(
    'ecr:PutImage',
    () =>
      ecr.send(
        new PutImageCommand({
          registryId: where.registryId,
          repositoryName: where.repository,
          imageManifest: image.imageManifest,
          ...(image.imageManifestMediaType
            ? { imageManifestMediaType: image.imageManifestMediaType }
            : {}),
          imageTag: tag,
          imageDigest: digest
        })
      ),
    (name) => {
      already = name === 'ImageAlreadyExistsException'
      return undefined
    }
  ).catch((error: unknown) => {
    if (!already) throw error
  })
  return already ? undefined : `ECR ${where.repository}: tag ${tag} → ${digest}`
}
