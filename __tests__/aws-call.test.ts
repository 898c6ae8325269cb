/**
 * src/aws/call.ts: every AWS failure becomes a named ActionError.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { awsCall, toActionError, type ErrorTranslator } from '../src/aws/call.js'
import {
  AccessDeniedError,
  ActionError,
  AwsCallError,
  ConnectionError,
  CredentialsError,
  InputError,
  NotFoundError,
  StateError,
  ThrottledError
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
    const error = toActionError(IAM, awsError('InternalFailure', 'Unknown error'), translate)
    expect(translate).toHaveBeenCalledTimes(1)
    expect(error).toBeInstanceOf(AwsCallError)
    expect(error.message).toBe(`${IAM} failed: InternalFailure: Unknown error`)
  })

  it('an unknown error becomes an AwsCallError with its code', () => {
    const error = toActionError(IAM, awsError('ValidationError', 'Bad weight'))
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).code).toBe('ValidationError')
    expect((error as AwsCallError).iamAction).toBe(IAM)
    expect(error.message).toBe(`${IAM} failed: ValidationError: Bad weight`)
  })

  it.each<[string, unknown, string, string]>([
    [
      'a Code property',
      Object.assign(new Error('x'), { Code: 'ServiceUnavailable' }),
      'ServiceUnavailable',
      'x'
    ],
    [
      'a code property',
      Object.assign(new Error('boom'), { code: 'ServerException' }),
      'ServerException',
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

/** An error as the SDK throws it after its retries: `$metadata.attempts` counts every try. */
function sdkError(name: string, message: string, extra: object, attempts?: number): Error {
  const error = Object.assign(new Error(message), extra, {
    ...(attempts !== undefined ? { $metadata: { attempts } } : {})
  })
  error.name = name
  return error
}

describe('a connection that failed on every attempt', () => {
  it.each<[string, string, object, number | undefined, string]>([
    [
      'a reset (the SDK names it TimeoutError)',
      'ecs:DescribeServices',
      { name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' },
      5,
      'ecs:DescribeServices got no answer: the connection to Amazon ECS was reset ' +
        '(ECONNRESET: socket hang up); retried 4 times, with the same result each time.'
    ],
    [
      'a pipe closed while sending',
      'elasticloadbalancing:ModifyRule',
      { name: 'TimeoutError', code: 'EPIPE', message: 'write EPIPE' },
      2,
      'elasticloadbalancing:ModifyRule got no answer: the connection to Elastic Load Balancing ' +
        'was closed while the request was being sent (EPIPE: write EPIPE); retried once, with ' +
        'the same result each time.'
    ],
    [
      'a refused connection',
      'cloudformation:DescribeStacks',
      { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4566' },
      1,
      'cloudformation:DescribeStacks got no answer: the connection to AWS CloudFormation was ' +
        'refused (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4566); not retried.'
    ],
    [
      "the SDK's own timeout, without a code",
      'cloudwatch:DescribeAlarms',
      { name: 'TimeoutError', message: 'the request socket timed out after 30000 ms' },
      undefined,
      'cloudwatch:DescribeAlarms got no answer: the connection to Amazon CloudWatch timed out ' +
        '(the request socket timed out after 30000 ms).'
    ],
    [
      'a host name that does not resolve',
      'ecs:DescribeTaskSets',
      { name: 'Error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND ecs.example' },
      5,
      "ecs:DescribeTaskSets got no answer: the connection to Amazon ECS could not be opened: the endpoint's host name did not resolve " +
        '(ENOTFOUND: getaddrinfo ENOTFOUND ecs.example); retried 4 times, with the same result each time.'
    ],
    [
      'a service without a name of its own',
      'tag:GetResources',
      { name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' },
      3,
      'tag:GetResources got no answer: the connection to the AWS endpoint was reset ' +
        '(ECONNRESET: socket hang up); retried 2 times, with the same result each time.'
    ]
  ])(
    '%s says what happened and how often it was retried',
    (_what, iam, fields, attempts, message) => {
      const { name, message: detail, ...extra } = fields as { name: string; message: string }
      const error = toActionError(iam, sdkError(name, detail, extra, attempts))
      expect(error).toBeInstanceOf(ConnectionError)
      expect(error).toBeInstanceOf(AwsCallError)
      expect(error.message).toBe(message)
    }
  )
})

describe('throttling that outlasted the retries', () => {
  it.each([
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'SlowDown'
  ])('%s says AWS throttled the call and nothing more was written', (name) => {
    const error = toActionError(IAM, sdkError(name, 'Rate exceeded', {}, 5))
    expect(error).toBeInstanceOf(ThrottledError)
    expect((error as ThrottledError).code).toBe(name)
    expect(error.message).toBe(
      `AWS throttled ${IAM} (${name}: Rate exceeded) on all 5 attempts, so the action stopped ` +
        'there and wrote nothing more.'
    )
  })

  it('without a count of attempts it says every retry was used', () => {
    const error = toActionError('ecs:DescribeServices', awsError('ThrottlingException', 'Slow'))
    expect(error.message).toBe(
      'AWS throttled ecs:DescribeServices (ThrottlingException: Slow) through every retry, so ' +
        'the action stopped there and wrote nothing more.'
    )
  })

  it('a translator still has the first word', () => {
    const translated = new StateError('translated')
    expect(toActionError(IAM, awsError('Throttling'), () => translated)).toBe(translated)
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
