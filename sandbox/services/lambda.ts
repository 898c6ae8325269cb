/**
 * AWS Lambda: Invoke, for lifecycle hooks.
 *
 * Protocol: restJson1 — `POST /2015-03-31/functions/<FunctionName>/invocations`, the payload as the
 * raw body; the answer's body is the function's payload, with `X-Amz-Function-Error` when the
 * function raised and `X-Amz-Executed-Version`. Errors carry their code in `x-amzn-errortype` and
 * a JSON body `{ "Type": "User", "message": … }`: `ResourceNotFoundException` (404) for an unknown
 * function, `AccessDeniedException` (403) for one the caller may not invoke,
 * `InvalidRequestContentException` (400) for a body that is not JSON.
 *
 * The functions are data in the world (`world.functions`, see LambdaFunctionState): the n-th
 * invocation answers the n-th of `responses` (the last one once they run out), so a test writes a
 * hook that answers IN_PROGRESS twice and then SUCCEEDED as three values.
 */
import type { WireResponse } from '../protocols/wire.js'
import type { LambdaFunctionState, World } from '../world.js'
import { AwsError, type ServiceModule } from './service.js'

/** The path of Invoke, with the function's name (or ARN, URL-encoded). */
export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/** `name`, `name:alias`, `arn:aws:lambda:REGION:ACCOUNT:function:name[:alias]`. */
function findFunction(world: World, nameOrArn: string): LambdaFunctionState | undefined {
  const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] : nameOrArn.split(':')[0]
  return world.functions?.find((f) => f.name === name)
}

export function lambdaFunction(
  world: World,
  name: string,
  responses: unknown[]
): LambdaFunctionState {
  return {
    name,
    arn: `arn:aws:lambda:${world.region}:${world.accountId}:function:${name}`,
    responses,
    invocations: []
  }
}

export const lambda: ServiceModule = {
  name: 'lambda',
  operations: {
    Invoke: (input, { world }) => {
      const name = String(input.FunctionName ?? '')
      const fn = findFunction(world, name)
      if (!fn) {
        throw new AwsError(
          'ResourceNotFoundException',
          `Function not found: arn:aws:lambda:${world.region}:${world.accountId}:function:${name}`,
          404
        )
      }
      if (fn.denied) {
        throw new AwsError(
          'AccessDeniedException',
          `User: arn:aws:sts::${world.accountId}:assumed-role/sandbox/test is not authorized to perform: lambda:InvokeFunction on resource: ${fn.arn} because no identity-based policy allows the lambda:InvokeFunction action`,
          403
        )
      }
      const body = String(input.Payload ?? '')
      let payload: unknown
      try {
        payload = body.trim() === '' ? {} : JSON.parse(body)
      } catch {
        throw new AwsError(
          'InvalidRequestContentException',
          'Could not parse request body into json: Unexpected character',
          400
        )
      }
      fn.invocations.push(payload)
      const answer =
        fn.responses.length > 0
          ? fn.responses[Math.min(fn.invocations.length - 1, fn.responses.length - 1)]
          : null
      const raised =
        typeof answer === 'object' && answer !== null && 'errorType' in answer
          ? 'Unhandled'
          : undefined
      return { Payload: JSON.stringify(answer), ...(raised ? { FunctionError: raised } : {}) }
    }
  }
}

export function lambdaSuccess(output: Record<string, unknown>, requestId: string): WireResponse {
  const functionError = output.FunctionError
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
      ...(typeof functionError === 'string' ? { 'x-amz-function-error': functionError } : {})
    },
    body: String(output.Payload ?? 'null')
  }
}

export function restJsonError(
  code: string,
  message: string,
  status: number,
  requestId: string
): WireResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': code
    },
    body: JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message })
  }
}
