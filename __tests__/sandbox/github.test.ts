/** sandbox/services/github.ts: the deployments API as GitHub answers it. */
import { describe, expect, it } from '@jest/globals'
import { GithubSandbox } from '../../sandbox/services/github.js'

const REPO = '/repos/acme/shop'

function call(
  gh: GithubSandbox,
  method: string,
  path: string,
  body?: object,
  auth: string | undefined = 'Bearer t'
): { status: number; body: unknown } {
  const answer = gh.handle(method, path, auth, body ? JSON.stringify(body) : '')
  return { status: answer.status, body: JSON.parse(answer.body) }
}

const deployment = { ref: 'abc', environment: 'staging', required_contexts: [], payload: { n: 1 } }

describe('GitHub sandbox: deployments', () => {
  it('creates and lists deployments newest first, filtered by environment', () => {
    const gh = new GithubSandbox()
    expect(call(gh, 'POST', `${REPO}/deployments`, deployment).status).toBe(201)
    call(gh, 'POST', `${REPO}/deployments`, { ...deployment, environment: 'qa' })
    call(gh, 'POST', `${REPO}/deployments`, { ...deployment, payload: { n: 2 } })
    const list = call(gh, 'GET', `${REPO}/deployments?environment=staging`).body as {
      payload: { n: number }
    }[]
    expect(list.map((d) => d.payload.n)).toEqual([2, 1])
  })

  it.each([
    ['no token', '', 401, 'Requires authentication'],
    ['a read-only token', 'Bearer ro', 403, 'Resource not accessible by integration']
  ])('%s: refused, nothing created', (_, auth, status, message) => {
    const gh = new GithubSandbox()
    gh.readOnlyTokens.add('ro')
    const answer = call(gh, 'POST', `${REPO}/deployments`, deployment, auth)
    expect(answer).toEqual({ status, body: expect.objectContaining({ message }) })
    expect(gh.deployments).toEqual([])
  })

  it('refuses a deployment without ref (422) or that waits for commit checks (409)', () => {
    const gh = new GithubSandbox()
    expect(call(gh, 'POST', `${REPO}/deployments`, { environment: 'x' }).status).toBe(422)
    expect(call(gh, 'POST', `${REPO}/deployments`, { ref: 'abc' }).status).toBe(409)
  })

  it('statuses: unknown deployment 404, bad state or long description 422', () => {
    const gh = new GithubSandbox()
    call(gh, 'POST', `${REPO}/deployments`, deployment)
    expect(call(gh, 'POST', `${REPO}/deployments/99/statuses`, { state: 'success' }).status).toBe(
      404
    )
    expect(call(gh, 'POST', `${REPO}/deployments/1/statuses`, { state: 'done' }).status).toBe(422)
    const long = { state: 'success', description: 'x'.repeat(141) }
    expect(call(gh, 'POST', `${REPO}/deployments/1/statuses`, long).status).toBe(422)
  })

  it('a success marks earlier successful deployments inactive unless auto_inactive is false', () => {
    const gh = new GithubSandbox()
    call(gh, 'POST', `${REPO}/deployments`, deployment)
    call(gh, 'POST', `${REPO}/deployments/1/statuses`, { state: 'success' })
    call(gh, 'POST', `${REPO}/deployments`, deployment)
    call(gh, 'POST', `${REPO}/deployments/3/statuses`, { state: 'success', auto_inactive: false })
    expect(gh.statusesOf(1).map((s) => s.state)).toEqual(['success'])
    call(gh, 'POST', `${REPO}/deployments/3/statuses`, { state: 'success' })
    expect(gh.statusesOf(1).map((s) => s.state)).toEqual(['success', 'inactive'])
    const statuses = call(gh, 'GET', `${REPO}/deployments/3/statuses`).body as { state: string }[]
    expect(statuses.map((s) => s.state)).toEqual(['success', 'success'])
  })
})
