import { AccessDeniedError, ActionError, AwsCallError, CredentialsError } from '../errors.js'

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
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new CredentialsError(`No AWS credentials found. ${CONFIGURE_CREDENTIALS}`)
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new CredentialsError(
      `AWS rejected the credentials (${name}: ${message}). ${CONFIGURE_CREDENTIALS}`
    )
  }
  if (ACCESS_DENIED.has(name)) return new AccessDeniedError(iamAction, message)
  return translate?.(name, message) ?? new AwsCallError(iamAction, name, message)
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
