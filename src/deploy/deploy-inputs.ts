import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { Inputs, STACK_PARAMETERS } from '../constants.js'
import { InputError } from '../errors.js'
import type { ModeReader } from '../mode-reader.js'
import { imageTag, parseImageRef, type ImageRef } from './image-ref.js'
import { parseRevisionFile, type Revision } from './revision.js'

/** The version a run puts into the canary colour, as the inputs give it. Validated; no AWS yet. */
export interface DeployRequest {
  image?: ImageRef
  /** Default: the container the canary task set's load balancer entry names. */
  containerName?: string
  /** An existing revision (family:revision or ARN), or a file's revision. */
  taskDefinition?: { reference: string } | { file: string; revision: Revision }
  /** Take the canary's traffic to 0 before replacing its version, instead of refusing. */
  replaceLiveCanary: boolean
  /** The stack's names for the parameters of templates/ecs-canary.yaml. */
  stackParameters: StackParameterNames
}

export type StackParameterKey = (typeof STACK_PARAMETERS)[number]
export type StackParameterNames = Record<StackParameterKey, string>

const REFERENCE = /^[A-Za-z0-9_-]{1,255}:\d{1,9}$/
const PARAMETER_NAME = /^[A-Za-z0-9]{1,255}$/

/** Reads `image`, `container-name`, `task-definition` and friends for the modes that deploy. */
export function parseDeployRequest(
  reader: ModeReader,
  env: NodeJS.ProcessEnv
): DeployRequest | undefined {
  const image = reader.read(Inputs.Image, (text) => parseImageRef(text), undefined)
  const taskDefinition = reader.read(
    Inputs.TaskDefinition,
    (text) => taskDefinitionInput(text, env),
    undefined
  )
  const containerName = reader.read(Inputs.ContainerName, containerNameInput, undefined)
  const replaceLiveCanary = reader.read(Inputs.ReplaceLiveCanary, flag, false)
  const stackParameters = reader.read(Inputs.StackParameters, parameterNames, defaultNames())
  if (reader.mode === 'deploy' && !image && !taskDefinition) {
    throw new InputError(
      'Mode deploy needs a version to deploy: set "image" (e.g. registry/repository:tag) or ' +
        '"task-definition" (family:revision, an ARN, or a task definition JSON file).'
    )
  }
  if (!image && !taskDefinition) return undefined
  return {
    ...(image ? { image } : {}),
    ...(containerName ? { containerName } : {}),
    ...(taskDefinition ? { taskDefinition } : {}),
    replaceLiveCanary,
    stackParameters
  }
}

export function promoteImageTag(reader: ModeReader): string | undefined {
  return reader.read(
    Inputs.PromoteImageTag,
    (text) => imageTag(text, Inputs.PromoteImageTag),
    undefined
  )
}

function taskDefinitionInput(
  text: string,
  env: NodeJS.ProcessEnv
): { reference: string } | { file: string; revision: Revision } {
  if (text.startsWith('arn:')) {
    if (!/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/.test(text)) {
      throw new InputError(
        `"task-definition" is "${text}", which is not a task definition ARN ` +
          '(arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION).'
      )
    }
    return { reference: text }
  }
  if (REFERENCE.test(text)) return { reference: text }
  const path = isAbsolute(text) ? text : resolve(env.GITHUB_WORKSPACE ?? process.cwd(), text)
  let content: string
  try {
    if (!statSync(path).isFile()) throw new Error('not a file')
    content = readFileSync(path, 'utf8')
  } catch {
    throw new InputError(
      `"task-definition" is "${text}": no such file in the workspace, and not family:revision ` +
        'or a task definition ARN. Check the path (relative to the workspace) or the revision.'
    )
  }
  return { file: text, revision: parseRevisionFile(content, text) }
}

function containerNameInput(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(text)) {
    throw new InputError(
      `"container-name" is "${text}": a container name is up to 255 letters, digits, "_" and "-".`
    )
  }
  return text
}

function flag(text: string): boolean {
  const lower = text.toLowerCase()
  if (lower === 'true' || lower === 'false') return lower === 'true'
  throw new InputError(`"${Inputs.ReplaceLiveCanary}" is "${text}": it must be true or false.`)
}

function defaultNames(): StackParameterNames {
  return Object.fromEntries(STACK_PARAMETERS.map((k) => [k, k])) as StackParameterNames
}

/** `BlueImage=WebBlue, GreenImage=WebGreen`: the stack's names for the template's parameters. */
export function parameterNames(text: string): StackParameterNames {
  const names = defaultNames()
  for (const pair of text
    .split(/[\n,]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, name, ...rest] = pair.split('=').map((p) => p.trim())
    if (!(STACK_PARAMETERS as readonly string[]).includes(key) || !name || rest.length > 0) {
      throw new InputError(
        `"stack-parameters" has "${pair}": write Key=Name pairs, the keys being ` +
          `${STACK_PARAMETERS.join(', ')}.`
      )
    }
    if (!PARAMETER_NAME.test(name)) {
      throw new InputError(`"stack-parameters" has "${pair}": "${name}" is not a parameter name.`)
    }
    names[key as StackParameterKey] = name
  }
  return names
}
