/**
 * A minimal GitHub REST API for deployments, served beside the AWS services: point
 * GITHUB_API_URL at the sandbox. Paths, status codes, error bodies and the rules that matter to
 * the action follow the REST API (version 2022-11-28):
 * - `POST /repos/{owner}/{repo}/deployments` (201; 422 without `ref`; 409 when commit status
 *   checks are required, as they are unless `required_contexts` is `[]`)
 * - `GET /repos/{owner}/{repo}/deployments?environment=&sha=&ref=&task=&per_page=&page=` (newest
 *   first)
 * - `POST /repos/{owner}/{repo}/deployments/{id}/statuses` (201; 422 for an unknown state or a
 *   description over 140 characters; `auto_inactive`, default true, marks the environment's
 *   earlier successful deployments inactive)
 * - `GET /repos/{owner}/{repo}/deployments/{id}/statuses` (newest first)
 * Every request needs `Authorization: Bearer <token>` or `token <token>` (401 without); a token in
 * `readOnlyTokens` gets 403 "Resource not accessible by integration" on writes, as a workflow
 * token without `deployments: write` does.
 */
import type { WireResponse } from '../protocols/wire.js'

export interface GithubDeployment {
  id: number
  sha: string
  ref: string
  task: string
  environment: string
  payload: unknown
  description: string | null
  transient_environment: boolean
  production_environment: boolean
  created_at: string
}

export interface GithubStatus {
  id: number
  deployment_id: number
  state: string
  description: string
  environment_url: string
  log_url: string
  created_at: string
}

export interface GithubRequest {
  method: string
  path: string
  status: number
  body?: Record<string, unknown>
}

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']
const DOCS = 'https://docs.github.com/rest/deployments'

export class GithubSandbox {
  readonly deployments: GithubDeployment[] = []
  readonly statuses: GithubStatus[] = []
  /** Every request, in order. */
  readonly requests: GithubRequest[] = []
  /** Tokens that may read but not write deployments. */
  readonly readOnlyTokens = new Set<string>()
  private nextId = 1

  clear(): void {
    this.deployments.length = 0
    this.statuses.length = 0
    this.requests.length = 0
    this.readOnlyTokens.clear()
    this.nextId = 1
  }

  /** The statuses of one deployment, oldest first. */
  statusesOf(id: number): GithubStatus[] {
    return this.statuses.filter((s) => s.deployment_id === id)
  }

  handle(
    method: string,
    url: string,
    authorization: string | undefined,
    body: string
  ): WireResponse {
    const [path, query = ''] = url.split('?')
    let input: Record<string, unknown> | undefined
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : undefined
    } catch {
      return this.answer(method, path, input, 400, { message: 'Problems parsing JSON' })
    }
    const token = /^(?:Bearer|token) (\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) return this.answer(method, path, input, 401, { message: 'Requires authentication' })
    if (method === 'POST' && this.readOnlyTokens.has(token)) {
      return this.answer(method, path, input, 403, {
        message: 'Resource not accessible by integration'
      })
    }
    const list = /^\/repos\/[^/]+\/[^/]+\/deployments$/.exec(path)
    const statuses = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(path)
    if (list && method === 'POST') return this.create(path, input ?? {})
    if (list && method === 'GET') return this.list(path, new URLSearchParams(query))
    if (statuses) {
      const id = Number(statuses[1])
      if (!this.deployments.some((d) => d.id === id)) {
        return this.answer(method, path, input, 404, { message: 'Not Found' })
      }
      if (method === 'POST') return this.addStatus(path, id, input ?? {})
      if (method === 'GET') {
        return this.answer(method, path, input, 200, [...this.statusesOf(id)].reverse())
      }
    }
    return this.answer(method, path, input, 404, { message: 'Not Found' })
  }

  private create(path: string, input: Record<string, unknown>): WireResponse {
    if (typeof input.ref !== 'string' || !input.ref) {
      return this.invalid('POST', path, input, 'ref')
    }
    const contexts = input.required_contexts
    if (!Array.isArray(contexts) || contexts.length > 0) {
      // The sandbox's commits have no passing checks: a deployment that waits for them conflicts.
      return this.answer('POST', path, input, 409, {
        message: `Conflict: Commit status checks failed for ${input.ref}.`
      })
    }
    const environment = typeof input.environment === 'string' ? input.environment : 'production'
    const deployment: GithubDeployment = {
      id: this.nextId++,
      sha: input.ref,
      ref: input.ref,
      task: typeof input.task === 'string' ? input.task : 'deploy',
      environment,
      payload: input.payload ?? {},
      description: typeof input.description === 'string' ? input.description : null,
      transient_environment: input.transient_environment === true,
      production_environment: input.production_environment ?? environment === 'production',
      created_at: new Date().toISOString()
    } as GithubDeployment
    this.deployments.push(deployment)
    return this.answer('POST', path, input, 201, deployment)
  }

  private list(path: string, query: URLSearchParams): WireResponse {
    const filters = ['environment', 'sha', 'ref', 'task'] as const
    const matching = [...this.deployments]
      .reverse()
      .filter((d) => filters.every((key) => !query.has(key) || d[key] === query.get(key)))
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30) || 30)
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1)
    const slice = matching.slice((page - 1) * perPage, page * perPage)
    return this.answer('GET', path, undefined, 200, slice)
  }

  private addStatus(path: string, id: number, input: Record<string, unknown>): WireResponse {
    const state = input.state
    if (typeof state !== 'string' || !STATES.includes(state)) {
      return this.invalid('POST', path, input, 'state')
    }
    const description = typeof input.description === 'string' ? input.description : ''
    if (description.length > 140) return this.invalid('POST', path, input, 'description')
    const status: GithubStatus = {
      id: this.nextId++,
      deployment_id: id,
      state,
      description,
      environment_url: typeof input.environment_url === 'string' ? input.environment_url : '',
      log_url: typeof input.log_url === 'string' ? input.log_url : '',
      created_at: new Date().toISOString()
    }
    this.statuses.push(status)
    if (state === 'success' && input.auto_inactive !== false) this.inactivateOthers(id)
    return this.answer('POST', path, input, 201, status)
  }

  /** auto_inactive: earlier non-transient, non-production deployments that had a success. */
  private inactivateOthers(id: number): void {
    const deployment = this.deployments.find((d) => d.id === id)
    for (const other of this.deployments) {
      if (other.id === id || other.environment !== deployment?.environment) continue
      if (other.transient_environment || other.production_environment) continue
      const states = this.statusesOf(other.id).map((s) => s.state)
      if (!states.includes('success') || states.at(-1) === 'inactive') continue
      this.statuses.push({
        id: this.nextId++,
        deployment_id: other.id,
        state: 'inactive',
        description: '',
        environment_url: '',
        log_url: '',
        created_at: new Date().toISOString()
      })
    }
  }

  private invalid(
    method: string,
    path: string,
    input: Record<string, unknown>,
    field: string
  ): WireResponse {
    return this.answer(method, path, input, 422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Deployment', field, code: 'invalid' }],
      documentation_url: DOCS
    })
  }

  private answer(
    method: string,
    path: string,
    input: Record<string, unknown> | undefined,
    status: number,
    body: unknown
  ): WireResponse {
    this.requests.push({ method, path, status, ...(input ? { body: input } : {}) })
    const withDocs =
      status >= 400 && body && typeof body === 'object' && !Array.isArray(body)
        ? { documentation_url: DOCS, ...body }
        : body
    return {
      status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28'
      },
      body: JSON.stringify(withDocs)
    }
  }
}
