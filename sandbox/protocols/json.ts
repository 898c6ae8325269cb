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

export function jsonSuccess(
  call: Pick<JsonCall, 'contentType'>,
  output: unknown,
  requestId: string
): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': call.contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output ?? {})
  }
}

export function jsonError(
  call: Pick<JsonCall, 'contentType'>,
  code: string,
  message: string,
  status: number,
  requestId: string
): WireResponse {
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
