/**
 * The contract between the router and one AWS service. Adding a service is one module exporting a
 * ServiceModule and one line in server.ts's service list: the router matches awsJson requests by
 * `targetPrefix` and awsQuery requests by `signingName`, and encodes the handler's result (or
 * AwsError) in whichever protocol the request used.
 */
import type { Simulation } from '../simulation.js'
import type { QueryCompatible } from '../protocols/json.js'
import type { Coercions } from '../protocols/query.js'
import type { World } from '../world.js'

export interface HandlerContext {
  world: World
  sim: Simulation
  /** Request start, ms epoch. */
  now: number
}

/** Input is the decoded request (JSON object, or the unflattened and coerced form). The output is
 * the operation's output structure, which the protocol encodes (JSON, or XML under XResult). */
export type Handler = (
  input: Record<string, unknown>,
  ctx: HandlerContext
) => Record<string, unknown> | Promise<Record<string, unknown>>

export interface ServiceModule {
  /** Short name used in the request log and in service-qualified fault targets (`elbv2:ModifyRule`). */
  name: string
  /** awsJson: the X-Amz-Target prefix, e.g. `AmazonEC2ContainerServiceV20141113`. */
  targetPrefix?: string
  /** awsJson with `@awsQueryCompatible`: handlers throw awsQuery codes, encoded as described in
   * protocols/json.ts. */
  queryCompatible?: QueryCompatible
  /** The IAM action prefix in AccessDenied messages, when not the signing name or `name`. */
  iamPrefix?: string
  /** awsQuery: the SigV4 signing name in the credential scope, e.g. `elasticloadbalancing`. */
  signingName?: string
  /** awsQuery: the response xmlns. */
  xmlns?: string
  /** awsQuery: member names whose string values are numbers or booleans. */
  queryTypes?: Coercions
  operations: Record<string, Handler>
}

/** An error AWS would return; the protocol layer encodes it (JSON `__type` or XML `<Code>`). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
    this.name = code
  }
}

// Small input readers: request members arrive untyped, and AWS answers a missing or mistyped
// required member with a validation error rather than a crash.

export function optString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function reqString(input: Record<string, unknown>, key: string, errorCode: string): string {
  const value = optString(input, key)
  if (value === undefined) {
    throw new AwsError(
      errorCode,
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`
    )
  }
  return value
}

export function stringList(input: Record<string, unknown>, key: string): string[] | undefined {
  const value = input[key]
  if (value === undefined || value === null) return undefined
  if (value === '') return []
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
}
