import {
  AccessDeniedError,
  ActionError,
  AwsCallError,
  ConnectionError,
  CredentialsError,
  ThrottledError,
  messageOf
} from '../errors.js'

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError'
])

const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException'
])

/**
 * The names AWS services give a throttled call. The SDK retries them with backoff (maxAttempts in
 * clients.ts), so one that reaches the action has outlasted every retry.
 */
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown'
])

/**
 * Node's codes for a connection that failed, and what happened to it. The SDK names all of the
 * first four `TimeoutError`, which says nothing true about a reset; the code does.
 */
const CONNECTION_FAILED: Record<string, string> = {
  ECONNRESET: 'was reset',
  EPIPE: 'was closed while the request was being sent',
  ECONNREFUSED: 'was refused',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: "could not be opened: the endpoint's host name did not resolve",
  EAI_AGAIN: "could not be opened: the endpoint's host name did not resolve",
  EHOSTUNREACH: 'could not be opened: there is no network route to the endpoint',
  ENETUNREACH: 'could not be opened: there is no network route to the endpoint'
}

/** The AWS service behind an IAM action's prefix, for messages about its endpoint. */
const SERVICE_NAMES: Record<string, string> = {
  ecs: 'Amazon ECS',
  elasticloadbalancing: 'Elastic Load Balancing',
  cloudformation: 'AWS CloudFormation',
  cloudwatch: 'Amazon CloudWatch',
  ecr: 'Amazon ECR',
  lambda: 'AWS Lambda',
  route53: 'Amazon Route 53'
}

/** Maps an AWS error name to the error the action raises instead; return undefined to use the default. */
export type ErrorTranslator = (name: string, message: string) => ActionError | undefined

const CONFIGURE_CREDENTIALS =
  'Add an aws-actions/configure-aws-credentials step before this one (OIDC with role-to-assume is recommended).'

/**
 * Runs one AWS call and turns its failure into a named error. `iamAction` names the permission
 * the call needs, so an access-denied message can say exactly what to allow.
 */
export async function awsCall<T>(
  iamAction: string,
  call: () => Promise<T>,
  translate?: ErrorTranslator
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toActionError(iamAction, error, translate)
  }
}

export function toActionError(
  iamAction: string,
  error: unknown,
  translate?: ErrorTranslator
): ActionError {
  if (error instanceof ActionError) return error
  const name = errorName(error)
  const message = messageOf(error)
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new CredentialsError(`No AWS credentials found. ${CONFIGURE_CREDENTIALS}`)
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new CredentialsError(
      `AWS rejected the credentials (${name}: ${message}). ${CONFIGURE_CREDENTIALS}`
    )
  }
  if (ACCESS_DENIED.has(name)) return new AccessDeniedError(iamAction, message)
  return (
    translate?.(name, message) ??
    connectionError(iamAction, name, message, error) ??
    throttledError(iamAction, name, message, error) ??
    new AwsCallError(iamAction, name, message)
  )
}

/** A connection that failed on every attempt, said as what happened to it. */
function connectionError(
  iamAction: string,
  name: string,
  message: string,
  error: unknown
): ConnectionError | undefined {
  const code = errorCode(error)
  const happened = CONNECTION_FAILED[code] ?? (name === 'TimeoutError' ? 'timed out' : undefined)
  if (!happened) return undefined
  const service = SERVICE_NAMES[iamAction.split(':')[0]] ?? 'the AWS endpoint'
  const cause = code ? `${code}: ${message}` : message
  return new ConnectionError(
    iamAction,
    code || name,
    message,
    `${iamAction} got no answer: the connection to ${service} ${happened} (${cause})` +
      retried(error)
  )
}

/** Throttling that outlasted the SDK's retries: the action stops rather than push harder. */
function throttledError(
  iamAction: string,
  name: string,
  message: string,
  error: unknown
): ThrottledError | undefined {
  if (!THROTTLED.has(name)) return undefined
  const attempts = attemptsOf(error)
  const how = attempts ? `on all ${attempts} attempts` : 'through every retry'
  return new ThrottledError(
    iamAction,
    name,
    message,
    `AWS throttled ${iamAction} (${name}: ${message}) ${how}, so the action stopped there ` +
      'and wrote nothing more.'
  )
}

/** How many attempts the SDK made, from the error's `$metadata`, when it says. */
function attemptsOf(error: unknown): number | undefined {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts
  return typeof attempts === 'number' && attempts > 0 ? attempts : undefined
}

/** The end of a message about a failed connection: how often the SDK tried again. */
function retried(error: unknown): string {
  const attempts = attemptsOf(error)
  if (attempts === undefined) return '.'
  if (attempts === 1) return '; not retried.'
  const times = attempts - 1 === 1 ? 'once' : `${attempts - 1} times`
  return `; retried ${times}, with the same result each time.`
}

/** Node's error code of a thrown value (`ECONNRESET`, …), or ''. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : ''
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const named = error as { name?: unknown; Code?: unknown; code?: unknown }
    for (const candidate of [named.name, named.Code, named.code]) {
      if (typeof candidate === 'string' && candidate !== 'Error') return candidate
    }
  }
  return 'Error'
}

/**
 * ECS and ELB name a missing resource `<Resource>NotFoundException`; ELB's query protocol can
 * also answer with the bare `<Resource>NotFound` code. One check for every resource kind.
 */
export function isNotFound(name: string, resource: string): boolean {
  return name === `${resource}NotFoundException` || name === `${resource}NotFound`
}

/** A translator that raises `error()` when the call says `resource` does not exist. */
export function whenNotFound(resource: string, error: () => ActionError): ErrorTranslator {
  return (name) => (isNotFound(name, resource) ? error() : undefined)
}

/** The AWS error name of a thrown value (`name`, `Code` or `code`), or `Error`. */
export { errorName }
