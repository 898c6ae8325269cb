import type { HttpClient } from '@actions/http-client'

/** One answer of the GitHub REST API. */
export interface GithubResponse {
  status: number
  body: unknown
}

/** The few REST calls the deployments reporter makes, behind one function so tests can fake it. */
export type GithubApi = (
  method: 'GET' | 'POST',
  path: string,
  body?: object
) => Promise<GithubResponse>

/** A request that gets no answer in this long is given up; the traffic change never waits on it. */
const TIMEOUT_MS = 10_000

/**
 * The REST API at `baseUrl` (GITHUB_API_URL: api.github.com, or a GitHub Enterprise Server's
 * /api/v3), through `@actions/http-client`, which honours the runner's proxy settings. It is
 * loaded on the first call: a run without `environment` never reads or evaluates it (a chunk file
 * of its own beside dist/index.js).
 */
export function githubApi(baseUrl: string, token: string): GithubApi {
  let loading: Promise<HttpClient> | undefined
  const httpClient = () =>
    (loading ??= import('@actions/http-client').then(
      ({ HttpClient }) => new HttpClient('ecs-canary-action', [], { socketTimeout: TIMEOUT_MS })
    ))
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json'
  }
  const base = baseUrl.replace(/\/+$/, '')
  return async (method, path, body) => {
    const client = await httpClient()
    const response = await client.request(
      method,
      `${base}${path}`,
      body ? JSON.stringify(body) : null,
      headers
    )
    const text = await response.readBody()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // Not JSON (a proxy's error page): kept as text for the message.
    }
    return { status: response.message.statusCode ?? 0, body: parsed }
  }
}
