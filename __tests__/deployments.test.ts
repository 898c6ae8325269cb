/**
 * GitHub Deployments from run(): the statuses a canary, a promote and a rollback post, against
 * the sandbox's GitHub API served over HTTP (GITHUB_API_URL), with AWS mocked.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import * as core from '../__fixtures__/core.js'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { GithubSandbox } from '../sandbox/services/github.js'

jest.unstable_mockModule('../src/workflow-commands.js', () => core)
const { run } = await import('../src/main.js')

const github = new GithubSandbox()
let server: Server
let apiUrl = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const answer = github.handle(
        req.method ?? 'GET',
        req.url ?? '/',
        req.headers.authorization,
        body
      )
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

let aws: MockAws
let inputs: Record<string, string>
const ENV = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242'
}

beforeEach(() => {
  jest.clearAllMocks()
  core.summary.clear()
  github.clear()
  aws = mockAws()
  inputs = {
    mode: 'canary',
    cluster: 'mycluster',
    service: 'myservice',
    'stack-name': 'mystack',
    environment: 'production',
    'environment-url': 'https://shop.example.com',
    'github-token': 'ghs_token'
  }
  core.getInput.mockImplementation((name: string) => inputs[name] ?? '')
  Object.assign(process.env, ENV, {
    AWS_REGION: 'us-east-1',
    GITHUB_STEP_SUMMARY: '/dev/null',
    RUNNER_TEMP: tmpdir(),
    GITHUB_API_URL: apiUrl
  })
})
afterEach(() => {
  aws.restore()
  for (const name of [...Object.keys(ENV), 'GITHUB_API_URL']) delete process.env[name]
})

const states = (id: number) => github.statusesOf(id).map((s) => s.state)

describe('GitHub deployments', () => {
  it('a canary creates one deployment for the canary version: in_progress, then success', async () => {
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning.mock.calls.map(([m]) => String(m))).not.toContainEqual(
      expect.stringContaining('GitHub')
    )
    expect(github.deployments).toEqual([
      expect.objectContaining({
        ref: ENV.GITHUB_SHA,
        environment: 'production',
        payload: {
          tool: 'ecs-canary-action',
          service: ARN.service,
          color: 'Green',
          taskDefinition: ARN.greenTd,
          images: ['myapp:1.0.1'],
          share: 10
        }
      })
    ])
    const created = github.requests.find(
      (r) => r.method === 'POST' && r.path.endsWith('/deployments')
    )
    expect(created?.body).toMatchObject({ auto_merge: false, required_contexts: [] })
    const [id] = github.deployments.map((d) => d.id)
    expect(states(id)).toEqual(['in_progress', 'success'])
    expect(github.statusesOf(id)[1]).toMatchObject({
      description: 'Canary: 10% of traffic (myservice)',
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/acme/shop/actions/runs/4242'
    })
  })

  it('canary 10, canary 50, promote: one deployment; the replaced version becomes inactive', async () => {
    // The version Blue runs was deployed earlier and is live.
    github.handle(
      'POST',
      '/repos/acme/shop/deployments',
      'Bearer x',
      JSON.stringify({
        ref: 'old',
        environment: 'production',
        required_contexts: [],
        payload: {
          tool: 'ecs-canary-action',
          service: ARN.service,
          color: 'Blue',
          taskDefinition: ARN.blueTd,
          share: 100
        }
      })
    )
    github.handle(
      'POST',
      '/repos/acme/shop/deployments/1/statuses',
      'Bearer x',
      '{"state":"success"}'
    )
    await run()
    inputs['canary-weight'] = '50'
    await run()
    inputs.mode = 'promote'
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(github.deployments).toHaveLength(2)
    const green = github.deployments[1].id
    expect(states(green)).toEqual([
      'in_progress',
      'success',
      'in_progress',
      'success',
      'in_progress',
      'success'
    ])
    expect(github.statusesOf(green).at(-1)?.description).toBe(
      'Promoted: myservice serves all traffic'
    )
    expect(states(1)).toEqual(['success', 'inactive'])
  })

  it('a rollback fails the canary deployment, with the reason', async () => {
    await run()
    inputs.mode = 'rollback'
    await run()
    const [id] = github.deployments.map((d) => d.id)
    expect(states(id)).toEqual(['in_progress', 'success', 'failure'])
    expect(github.statusesOf(id).at(-1)?.description).toBe(
      'Rolled back: all traffic is on Blue (myservice)'
    )
  })

  it('a failed gate: failure with the message', async () => {
    aws.world.health[ARN.greenTg] = []
    inputs['health-timeout-seconds'] = '0'
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const [id] = github.deployments.map((d) => d.id)
    expect(states(id)).toEqual(['in_progress', 'failure'])
    expect(github.statusesOf(id)[1].description).toMatch(/^The canary colour Green was not healthy/)
    expect(github.statusesOf(id)[1].description.length).toBeLessThanOrEqual(140)
  })

  it('a refusal after discovery: the deployment it opened fails', async () => {
    aws.world.rules[0].Actions = [forward(90, 10)]
    const until = new Date(Date.now() + 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    aws.world.service!.tags.StableStackLease = `run 77 attempt 1 job deploy canary until ${until} id 0123456789ab`
    inputs['canary-weight'] = '20'
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const [id] = github.deployments.map((d) => d.id)
    expect(states(id).at(-1)).toBe('failure')
  })

  it('a token without deployments: write is one warning; the traffic change stands', async () => {
    github.readOnlyTokens.add('ghs_token')
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    const warnings = core.warning.mock.calls
      .map(([m]) => String(m))
      .filter((m) => m.includes('GitHub'))
    expect(warnings).toEqual([
      expect.stringMatching(
        /^No GitHub deployment recorded for environment "production" \(GET|POST .*HTTP 403: Resource not accessible by integration\): give the job "permissions: deployments: write"/
      )
    ])
    expect(aws.writes()).toContain('ModifyRule')
  })

  it('outside a repository: a warning and no request', async () => {
    delete process.env.GITHUB_REPOSITORY
    await run()
    expect(core.warning).toHaveBeenCalledWith(
      '"environment" is production, but GITHUB_REPOSITORY and GITHUB_SHA do not name a commit: no GitHub deployment is recorded.'
    )
    expect(github.requests).toEqual([])
  })

  it.each([['status'], ['canary-dry-run']])('%s records nothing', async (what) => {
    if (what === 'status') inputs.mode = 'status'
    else inputs['dry-run'] = 'true'
    await run()
    expect(github.requests).toEqual([])
  })

  it('without environment: no request', async () => {
    delete inputs.environment
    await run()
    expect(github.requests).toEqual([])
  })
})
