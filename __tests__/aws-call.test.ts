/**
 * src/aws/call.ts: every AWS failure becomes a named ActionError.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { awsCall, toActionError, type ErrorTranslator } from '../src/aws/call.js'
import {
  AccessDeniedError,
  ActionError,
  AwsCallError,
  CredentialsError,
  InputError,
  NotFoundError,
  StateError
} from '../src/errors.js'

const IAM = 'elasticloadbalancing:ModifyRule'

/** An error shaped like the SDK's: `name` carries the AWS error code. */
function awsError(name: string, message = `${name} happened`): Error {
  const error = new Error(message)
  error.name = name
  return error
}

describe('toActionError', () => {
  it.each(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError'])(
    '%s becomes an AccessDeniedError naming the IAM action',
    (name) => {
      const error = toActionError(IAM, awsError(name, 'User is not authorized'))
      expect(error).toBeInstanceOf(AccessDeniedError)
      expect((error as AccessDeniedError).iamAction).toBe(IAM)
      expect(error.message).toContain(`not allowed to call ${IAM}`)
      expect(error.message).toContain(`Allow ${IAM}`)
      expect(error.message).toContain('User is not authorized')
      expect(error.name).toBe('AccessDeniedError')
    }
  )

  it('access denied is not handed to the translator', () => {
    const translate = jest.fn<ErrorTranslator>(() => new NotFoundError('nope'))
    expect(toActionError(IAM, awsError('AccessDenied'), translate)).toBeInstanceOf(
      AccessDeniedError
    )
    expect(translate).not.toHaveBeenCalled()
  })

  it('CredentialsProviderError becomes a CredentialsError pointing at configure-aws-credentials', () => {
    const error = toActionError(IAM, awsError('CredentialsProviderError', 'no creds'))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.message).toContain('No AWS credentials found')
    expect(error.message).toContain('aws-actions/configure-aws-credentials')
  })

  it('a "Could not load credentials" message also becomes a CredentialsError', () => {
    const error = toActionError(IAM, new Error('Could not load credentials from any providers'))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.message).toContain('configure-aws-credentials')
  })

  it.each([
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'SignatureDoesNotMatch',
    'InvalidSignatureException'
  ])('%s becomes a CredentialsError naming the code', (name) => {
    const translate = jest.fn<ErrorTranslator>(() => undefined)
    const error = toActionError(IAM, awsError(name, 'The security token has expired'), translate)
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.message).toContain(`${name}: The security token has expired`)
    expect(error.message).toContain('aws-actions/configure-aws-credentials')
    expect(translate).not.toHaveBeenCalled()
  })

  it('hands other names to the translator and uses its answer', () => {
    const translated = new NotFoundError('Listener rule r1 does not exist.')
    const translate = jest.fn<ErrorTranslator>(() => translated)
    const error = toActionError(
      IAM,
      awsError('RuleNotFound', 'One or more rules not found'),
      translate
    )
    expect(error).toBe(translated)
    expect(translate).toHaveBeenCalledWith('RuleNotFound', 'One or more rules not found')
  })

  it('falls back to AwsCallError when the translator returns undefined', () => {
    const translate = jest.fn<ErrorTranslator>(() => undefined)
    const error = toActionError(IAM, awsError('Throttling', 'Rate exceeded'), translate)
    expect(translate).toHaveBeenCalledTimes(1)
    expect(error).toBeInstanceOf(AwsCallError)
    expect(error.message).toBe(`${IAM} failed: Throttling: Rate exceeded`)
  })

  it('an unknown error becomes an AwsCallError with its code', () => {
    const error = toActionError(IAM, awsError('ValidationError', 'Bad weight'))
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).code).toBe('ValidationError')
    expect((error as AwsCallError).iamAction).toBe(IAM)
    expect(error.message).toBe(`${IAM} failed: ValidationError: Bad weight`)
  })

  it.each<[string, unknown, string, string]>([
    ['a Code property', Object.assign(new Error('x'), { Code: 'Throttling' }), 'Throttling', 'x'],
    [
      'a code property',
      Object.assign(new Error('boom'), { code: 'ECONNRESET' }),
      'ECONNRESET',
      'boom'
    ],
    ['a plain Error', new Error('boom'), 'Error', 'boom'],
    ['a string', 'just text', 'Error', 'just text'],
    ['null', null, 'Error', 'null']
  ])('finds the code of %s', (_name, thrown, code, detail) => {
    const error = toActionError(IAM, thrown)
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).code).toBe(code)
    expect(error.message).toBe(`${IAM} failed: ${code}: ${detail}`)
  })

  it('a Code property naming access denied is recognised too', () => {
    expect(toActionError(IAM, { Code: 'AccessDenied' })).toBeInstanceOf(AccessDeniedError)
  })

  it.each<ActionError>([
    new InputError('bad input'),
    new StateError('bad state'),
    new AccessDeniedError('ecs:TagResource', 'denied'),
    new AwsCallError('ecs:DescribeServices', 'Throttling', 'slow down')
  ])('passes an ActionError through unchanged (%s)', (original) => {
    const translate = jest.fn<ErrorTranslator>(() => new NotFoundError('x'))
    expect(toActionError(IAM, original, translate)).toBe(original)
    expect(translate).not.toHaveBeenCalled()
  })
})

describe('awsCall', () => {
  it('returns the result of a call that succeeds', async () => {
    await expect(awsCall(IAM, async () => 42)).resolves.toBe(42)
  })

  it('throws the mapped error of a call that fails', async () => {
    await expect(
      awsCall(IAM, async () => {
        throw awsError('AccessDeniedException', 'denied')
      })
    ).rejects.toBeInstanceOf(AccessDeniedError)
  })
})
