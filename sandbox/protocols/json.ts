/**
 * awsJson1_0 / awsJson1_1: `POST /` with `X-Amz-Target: <TargetPrefix>.<Operation>` and a JSON body.
 * Errors carry the code in both `__type` and the `x-amzn-errortype` header; the SDK reads either and
 * looks the code up in the client's error registry, so `ClusterNotFoundException` becomes an
 * instance of the SDK's ClusterNotFoundException class.
 */
import type { WireResponse } from './wire.js'

export interface JsonCall {
  targetPrefix: string
  operation: string
  /** Echoed back in the response content type (`application/x-amz-json-1.1` for ECS and ECR). */
  contentType: string
}

/** Splits `AmazonEC2ContainerServiceV20141113.DescribeServices` into prefix and operation. */
export function parseTarget(target: string, contentType: string | undefined): JsonCall {
  const dot = target.lastIndexOf('.')
  return {
    targetPrefix: target.slice(0, dot),
    operation: target.slice(dot + 1),
    contentType: contentType?.startsWith('application/x-amz-json')
      ? contentType
      : 'application/x-amz-json-1.1'
  }
}

/** The JSON body as an object; an empty body is `{}` (the SDK sends `{}` for empty input). */
export function parseJsonInput(body: string): Record<string, unknown> {
  if (body.trim() === '') return {}
  const value: unknown = JSON.parse(body)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('request body is not a JSON object')
  }
  return value as Record<string, unknown>
}

/** Dates (services that also speak awsQuery return them) go out as epoch seconds. */
function jsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key]
  return raw instanceof Date ? epochSeconds(raw.getTime()) : value
}

export function jsonSuccess(
  call: Pick<JsonCall, 'contentType'>,
  output: unknown,
  requestId: string
): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': call.contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output ?? {}, jsonReplacer)
  }
}

/**
 * A service with Smithy's `@awsQueryCompatible` trait (CloudWatch) speaks awsJson but keeps its
 * awsQuery error codes: handlers throw the query code (`ResourceNotFound`, `ValidationError`), the
 * response carries it in `x-amzn-query-error: Code;Sender`, and `__type` names the JSON error shape
 * (`com.amazonaws.cloudwatch#ValidationException`). The SDK reads the header first.
 */
export interface QueryCompatible {
  /** Smithy namespace of the error shapes, e.g. `com.amazonaws.cloudwatch`. */
  namespace: string
  /** Query error code → JSON error shape name, where they differ. */
  shapes: Record<string, string>
}

export function jsonError(
  call: Pick<JsonCall, 'contentType'>,
  code: string,
  message: string,
  status: number,
  requestId: string,
  compat?: QueryCompatible
): WireResponse {
  if (compat) {
    const shape = Object.hasOwn(compat.shapes, code) ? compat.shapes[code] : code
    return {
      status,
      headers: {
        'content-type': call.contentType,
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}`,
        'x-amzn-errortype': shape
      },
      body: JSON.stringify({ __type: `${compat.namespace}#${shape}`, message })
    }
  }
  return {
    status,
    headers: {
      'content-type': call.contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': code
    },
    body: JSON.stringify({ __type: code, message })
  }
}

/** JSON protocols send timestamps as epoch seconds; the world keeps ms. */
export function epochSeconds(ms: number): number {
  return ms / 1000
}
