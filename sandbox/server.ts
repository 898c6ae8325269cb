/**
 * The sandbox HTTP server: one endpoint for every service, like AWS_ENDPOINT_URL expects.
 * A request is routed by protocol — `X-Amz-Target` for awsJson (ECS, ECR, and CloudWatch, whose
 * SDK v3 client sends awsJson1_0 with awsQuery-compatible errors), the SigV4 credential scope for
 * awsQuery — to a ServiceModule, after latency and faults are applied; `/_sandbox/*` is the
 * control API (control.ts), `/repos/*` GitHub's deployments API (services/github.ts). Signatures
 * are not verified.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { handleControl } from './control.js'
import { Faults, type FaultKind } from './faults.js'
import { jsonError, jsonSuccess, parseJsonInput, parseTarget } from './protocols/json.js'
import {
  accessKeyOf,
  coerce,
  parseQueryBody,
  queryError,
  querySuccess,
  signingService
} from './protocols/query.js'
import type { WireResponse } from './protocols/wire.js'
import { cloudformation } from './services/cloudformation.js'
import { cloudwatch } from './services/cloudwatch.js'
import { ecr } from './services/ecr.js'
import { ecs } from './services/ecs.js'
import { elbv2 } from './services/elbv2.js'
import { GithubSandbox } from './services/github.js'
import { INVOKE_PATH, lambda, lambdaSuccess, restJsonError } from './services/lambda.js'
import {
  route53,
  route53Body,
  route53Error,
  route53Request,
  route53Success
} from './services/route53.js'
import { AwsError, type ServiceModule } from './services/service.js'
import type { RequestLogEntry, Sandbox } from './sandbox-types.js'
import { Scheduler } from './schedule.js'
import { Simulation } from './simulation.js'
import { buildWorld } from './variants.js'
import type { World } from './world.js'

export type { RequestLogEntry, Sandbox } from './sandbox-types.js'

/** Adding a service: write its module and list it here. */
export const SERVICES: readonly ServiceModule[] = [
  ecs,
  elbv2,
  cloudformation,
  ecr,
  cloudwatch,
  lambda,
  route53
]

export interface SandboxOptions {
  /** A world, or a variant name (several joined by '+'). Default: 'default'. */
  world?: World | string
  /** 0 (default) picks a free port. */
  port?: number
  /** Added to every AWS request (not control requests). Default 0. */
  latencyMs?: number
  /** How long a created or changed task set stays STABILIZING. Default 100 ms. */
  steadyDelayMs?: number
}

/** A decoded request bound to its protocol's encoders. */
interface Call {
  module?: ServiceModule
  protocol: 'json' | 'query' | 'rest-json' | 'rest-xml'
  /** Errors use awsQuery codes (awsQuery, or awsJson with @awsQueryCompatible). */
  queryCodes: boolean
  operation: string
  input: Record<string, unknown>
  /** Set when the body could not be parsed; answered as SerializationException. */
  decodeError?: string
  success(output: Record<string, unknown>, requestId: string): WireResponse
  error(code: string, message: string, status: number, requestId: string): WireResponse
}

const now = () => performance.timeOrigin + performance.now()

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const initial = options.world ?? 'default'
  let world = buildWorld(initial)
  const faults = new Faults()
  faults.latencyMs = options.latencyMs ?? 0
  const log: RequestLogEntry[] = []
  const sim = new Simulation(() => world, options.steadyDelayMs ?? 100)
  sim.start()
  const scheduler = new Scheduler(() => world)
  const github = new GithubSandbox()

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, headers: {}, body: String(err) })
    })
  })

  const sandbox: Sandbox = {
    url: '',
    port: 0,
    get world() {
      return world
    },
    faults,
    log,
    github,
    sim,
    scheduler,
    schedule: (delayMs, mutation) => scheduler.schedule(delayMs, mutation),
    reset(spec) {
      sandbox.observe = undefined
      sim.clear()
      scheduler.clear()
      world = buildWorld(spec ?? initial)
      sim.start()
      faults.clear()
      faults.latencyMs = options.latencyMs ?? 0
      log.length = 0
      github.clear()
    },
    async stop() {
      sim.clear()
      scheduler.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const path = (req.url ?? '/').split('?')[0]
    if (path.startsWith('/_sandbox/')) {
      send(res, await handleControl(sandbox, req.method ?? 'GET', path, body))
      return
    }
    // GitHub's REST API (GITHUB_API_URL): kept out of the AWS request log and its faults.
    if (path.startsWith('/repos/')) {
      send(res, github.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, body))
      return
    }
    const entry: RequestLogEntry = {
      service: 'unknown',
      operation: 'unknown',
      start: now(),
      end: 0,
      status: 0
    }
    const caller = accessKeyOf(req.headers.authorization)
    if (caller) entry.caller = caller
    log.push(entry)
    const requestId = randomUUID()
    const call = decode(req, path, body)
    entry.service = call.module?.name ?? 'unknown'
    entry.operation = call.operation
    entry.input = call.input
    if (faults.latencyMs > 0) await sleep(faults.latencyMs)

    const info = { service: entry.service, operation: call.operation }
    // Before the request changes anything: a test can see the world as this request finds it.
    sandbox.observe?.(entry)
    const fault = faults.take(info)
    if (fault) entry.faulted = fault
    if (fault === 'reset') {
      entry.end = now()
      req.socket.destroy()
      return
    }
    const response = fault ? faultResponse(call, fault, requestId) : await invoke(call, requestId)
    if (response.status === 200) {
      for (const hook of faults.takeHooks(info)) await hook({ ...info, world, input: call.input })
    }
    entry.status = response.status
    entry.end = now()
    send(res, response)
  }

  async function invoke(call: Call, requestId: string): Promise<WireResponse> {
    if (call.decodeError)
      return call.error('SerializationException', call.decodeError, 400, requestId)
    const operations = call.module?.operations ?? {}
    // hasOwn: an operation name like `toString` must not reach Object.prototype.
    const handler = Object.hasOwn(operations, call.operation)
      ? operations[call.operation]
      : undefined
    if (!call.module || !handler) {
      return !call.queryCodes
        ? call.error(
            'UnknownOperationException',
            `Unknown operation ${call.operation}`,
            400,
            requestId
          )
        : call.error(
            'InvalidAction',
            `The action ${call.operation} is not valid for this web service.`,
            400,
            requestId
          )
    }
    try {
      const output = await handler(call.input, { world, sim, now: Date.now() })
      return call.success(output, requestId)
    } catch (err) {
      if (err instanceof AwsError) return call.error(err.code, err.message, err.status, requestId)
      // A sandbox bug, not an AWS answer: say so loudly, and answer like an AWS server fault.
      console.error(`sandbox: ${call.operation} handler failed`, err)
      const message = err instanceof Error ? err.message : String(err)
      return call.error('InternalFailure', `Sandbox handler failed: ${message}`, 500, requestId)
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  sandbox.port = port
  sandbox.url = `http://127.0.0.1:${port}`
  return sandbox
}

/** Picks the protocol from the request's shape and the service from the target or credential scope. */
function decode(req: IncomingMessage, path: string, body: string): Call {
  // Route 53 speaks restXml: the operation is the method and path; its errors use query codes.
  const r53 = route53Request(req.method ?? 'GET', req.url ?? '/')
  if (r53) {
    let decodeError: string | undefined
    try {
      if (r53.parseBody) r53.input.body = route53Body(body)
    } catch (err) {
      decodeError = err instanceof Error ? err.message : String(err)
    }
    return {
      module: route53,
      protocol: 'rest-xml',
      queryCodes: true,
      operation: r53.operation,
      input: r53.input,
      decodeError,
      success: (output, id) => route53Success(r53.operation, output, id),
      error: (code, message, status, id) => route53Error(code, message, status, id)
    }
  }
  // Lambda speaks restJson1: the operation is the path, the payload the raw body.
  const invocation = req.method === 'POST' ? INVOKE_PATH.exec(path) : null
  if (invocation) {
    return {
      module: lambda,
      protocol: 'rest-json',
      queryCodes: false,
      operation: 'Invoke',
      input: { FunctionName: decodeURIComponent(invocation[1]), Payload: body },
      success: (output, id) => lambdaSuccess(output, id),
      error: (code, message, status, id) => restJsonError(code, message, status, id)
    }
  }
  const target = req.headers['x-amz-target']
  if (typeof target === 'string') {
    const json = parseTarget(target, req.headers['content-type'])
    let input: Record<string, unknown> = {}
    let decodeError: string | undefined
    try {
      input = parseJsonInput(body)
    } catch (err) {
      decodeError = err instanceof Error ? err.message : String(err)
    }
    const module = SERVICES.find((s) => s.targetPrefix === json.targetPrefix)
    const compat = module?.queryCompatible
    return {
      module,
      protocol: 'json',
      queryCodes: compat !== undefined,
      operation: json.operation,
      input,
      decodeError,
      success: (output, id) => jsonSuccess(json, output, id),
      error: (code, message, status, id) => jsonError(json, code, message, status, id, compat)
    }
  }
  // Smithy RPC v2 CBOR is not decoded (no client this project uses sends it; CloudWatch SDK
  // v3.1162.0 sends awsJson1_0): with no module, invoke() answers UnknownOperationException, in
  // JSON because CBOR encoding is out of scope.
  const rpcv2 = path.match(/^\/service\/[^/]+\/operation\/([^/]+)$/)
  if (rpcv2) {
    const json = { contentType: 'application/json' }
    return {
      protocol: 'json',
      queryCodes: false,
      operation: rpcv2[1],
      input: {},
      success: (output, id) => jsonSuccess(json, output, id),
      error: (code, message, status, id) => jsonError(json, code, message, status, id)
    }
  }
  const form = parseQueryBody(body)
  const scope = signingService(req.headers.authorization)
  // Without a signature (curl), fall back to the service that has the action.
  const module = scope
    ? SERVICES.find((s) => s.signingName === scope)
    : SERVICES.find((s) => s.signingName && Object.hasOwn(s.operations, form.action))
  const input = module?.queryTypes ? coerce(form.params, module.queryTypes) : form.params
  return {
    module,
    protocol: 'query',
    queryCodes: true,
    operation: form.action,
    input: input as Record<string, unknown>,
    success: (output, id) => querySuccess(form.action, module?.xmlns ?? '', output, id),
    error: (code, message, status, id) => queryError(code, message, status, id)
  }
}

/** The AWS-shaped answer for an injected fault, in the request's protocol. */
function faultResponse(
  call: Call,
  fault: Exclude<FaultKind, 'reset'>,
  requestId: string
): WireResponse {
  const json = !call.queryCodes
  const prefix = call.module?.iamPrefix ?? call.module?.signingName ?? call.module?.name ?? 'aws'
  const action = `${prefix}:${call.operation}`
  switch (fault) {
    case 'throttle':
      return call.error(
        json ? 'ThrottlingException' : 'Throttling',
        'Rate exceeded',
        400,
        requestId
      )
    case 'deny':
      return call.error(
        json ? 'AccessDeniedException' : 'AccessDenied',
        `User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: ${action}`,
        400,
        requestId
      )
    case 'http500':
      return call.error(
        'InternalFailure',
        'The request processing has failed because of an unknown error',
        500,
        requestId
      )
    case 'unavailable':
      return call.error(
        json ? 'ServiceUnavailableException' : 'ServiceUnavailable',
        'The service is unavailable. Please try again later.',
        503,
        requestId
      )
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, response: WireResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': Buffer.byteLength(response.body)
  })
  res.end(response.body)
}
