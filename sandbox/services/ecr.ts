/**
 * Amazon ECR (awsJson1_1, target prefix AmazonEC2ContainerRegistry_V20150921): the image reads and
 * the retag a deploy and a promote make. Images carry a manifest whose sha256 is their digest, so
 * PutImage with a manifest finds the image it belongs to, as ECR does.
 */
import { createHash } from 'node:crypto'
import { epochSeconds } from '../protocols/json.js'
import type { ImageState, RepositoryState, World } from '../world.js'
import { AwsError, optString, reqString, type ServiceModule } from './service.js'

type Input = Record<string, unknown>
type ImageId = { imageDigest?: string; imageTag?: string }

function repository(world: World, input: Input): RepositoryState {
  const name = reqString(input, 'repositoryName', 'InvalidParameterException')
  const registryId = optString(input, 'registryId') ?? world.accountId
  const found = (world.repositories ?? []).find(
    (r) => r.name === name && r.registryId === registryId
  )
  if (!found) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryId}'`
    )
  }
  return found
}

function imageIds(input: Input): ImageId[] {
  const raw = input.imageIds
  if (raw === undefined) return []
  if (!Array.isArray(raw))
    throw new AwsError('InvalidParameterException', 'imageIds must be a list')
  return raw as ImageId[]
}

function find(repo: RepositoryState, id: ImageId): ImageState | undefined {
  return repo.images.find(
    (image) =>
      (id.imageDigest === undefined || image.digest === id.imageDigest) &&
      (id.imageTag === undefined || image.tags.includes(id.imageTag)) &&
      (id.imageDigest !== undefined || id.imageTag !== undefined)
  )
}

function idText(repo: RepositoryState, id: ImageId): string {
  return (
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'` +
    `${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo.name}' ` +
    `in the registry with id '${repo.registryId}'`
  )
}

function detail(repo: RepositoryState, image: ImageState) {
  return {
    registryId: repo.registryId,
    repositoryName: repo.name,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: image.tags } : {}),
    imageSizeInBytes: 5120,
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: image.mediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json'
  }
}

export const ecr: ServiceModule = {
  name: 'ecr',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  operations: {
    DescribeImages: (input, { world }) => {
      const repo = repository(world, input)
      const ids = imageIds(input)
      if (ids.length > 0) {
        const images = ids.map((id) => {
          const image = find(repo, id)
          if (!image) throw new AwsError('ImageNotFoundException', idText(repo, id))
          return image
        })
        return { imageDetails: images.map((image) => detail(repo, image)) }
      }
      const status = (input.filter as { tagStatus?: string } | undefined)?.tagStatus ?? 'ANY'
      const listed = repo.images.filter(
        (image) => status === 'ANY' || (status === 'TAGGED') === image.tags.length > 0
      )
      const max = typeof input.maxResults === 'number' ? input.maxResults : 100
      return { imageDetails: listed.slice(0, max).map((image) => detail(repo, image)) }
    },

    BatchGetImage: (input, { world }) => {
      const repo = repository(world, input)
      const images = []
      const failures = []
      for (const id of imageIds(input)) {
        const image = find(repo, id)
        if (image) {
          images.push({
            registryId: repo.registryId,
            repositoryName: repo.name,
            imageId: {
              imageDigest: image.digest,
              ...(id.imageTag ? { imageTag: id.imageTag } : {})
            },
            imageManifest: image.manifest,
            imageManifestMediaType: image.mediaType
          })
        } else {
          failures.push({
            imageId: id,
            failureCode: 'ImageNotFound',
            failureReason: 'Requested image not found'
          })
        }
      }
      return { images, failures }
    },

    PutImage: (input, { world, now }) => {
      const repo = repository(world, input)
      const manifest = reqString(input, 'imageManifest', 'InvalidParameterException')
      const tag = optString(input, 'imageTag')
      const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`
      const given = optString(input, 'imageDigest')
      if (given && given !== digest) {
        throw new AwsError(
          'ImageDigestDoesNotMatchException',
          `The provided image digest '${given}' does not match the digest of the manifest.`
        )
      }
      let image = repo.images.find((i) => i.digest === digest)
      if (image && (tag === undefined || image.tags.includes(tag))) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}'${tag ? ` and tag '${tag}'` : ''} already exists in the ` +
            `repository with name '${repo.name}' in registry with id '${repo.registryId}'`
        )
      }
      // A mutable repository moves the tag from whatever image had it.
      if (tag) for (const other of repo.images) other.tags = other.tags.filter((t) => t !== tag)
      if (!image) {
        image = {
          digest,
          manifest,
          mediaType:
            optString(input, 'imageManifestMediaType') ??
            'application/vnd.docker.distribution.manifest.v2+json',
          tags: [],
          pushedAt: now
        }
        repo.images.push(image)
      }
      if (tag) image.tags.push(tag)
      return {
        image: {
          registryId: repo.registryId,
          repositoryName: repo.name,
          imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
          imageManifest: manifest,
          imageManifestMediaType: image.mediaType
        }
      }
    }
  }
}
