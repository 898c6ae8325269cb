/**
 * GitHub Deployments from the bundled action: the sandbox serves GitHub's deployments API at its
 * own URL, which the runner environment of step() gives as GITHUB_API_URL (with GITHUB_SHA), and
 * the workflow shows one deployment per canary whose statuses follow the run.
 */
import { describe, expect, it } from '@jest/globals'
import { findService } from '../../sandbox/world.js'
import { ruleWeights, setRuleWeights, step, targetGroupArn, useSandbox } from './harness.js'

const sandbox = useSandbox()

const SHA = 'feedfacefeedfacefeedfacefeedfacefeedface'
const DEPLOY = {
  environment: 'production',
  'environment-url': 'https://shop.example.com',
  'github-token': 'ghs_e2e'
}
const states = (id: number) => sandbox.github.statusesOf(id).map((s) => s.state)

/** A deploy of a new image over the API-managed shape (no stack). */
const imageInputs = () => ({
  ...DEPLOY,
  cluster: 'mycluster',
  service: 'myservice',
  'blue-target-group': targetGroupArn(sandbox.world, 'blue-tg'),
  'green-target-group': targetGroupArn(sandbox.world, 'green-tg'),
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp:1.0.2'
})

/** The task definition of the task set registering in Green's target group. */
const greenTaskDefinition = () =>
  findService(sandbox.world)!.taskSets.find((t) =>
    t.loadBalancers.some((lb) => lb.targetGroupArn === targetGroupArn(sandbox.world, 'green-tg'))
  )?.taskDefinition

describe('GitHub deployments', () => {
  it('a canary walk, then promote: one deployment whose statuses follow the run', async () => {
    const canary = await step(sandbox, {
      ...DEPLOY,
      mode: 'canary',
      steps: '10,50',
      'bake-time': '1s'
    })
    expect(canary.code).toBe(0)
    expect(sandbox.github.deployments).toHaveLength(1)
    const [deployment] = sandbox.github.deployments
    expect(deployment).toMatchObject({
      ref: SHA,
      environment: 'production',
      payload: { tool: 'ecs-canary-action', color: 'Green', share: 50 }
    })
    expect(states(deployment.id)).toEqual(['in_progress', 'success'])
    // in_progress came before the first shift was verified, success after the last bake.
    const [progress, success] = sandbox.github.statusesOf(deployment.id)
    expect(Date.parse(success.created_at) - Date.parse(progress.created_at)).toBeGreaterThanOrEqual(
      2000
    )
    expect(success).toMatchObject({
      description: 'Canary: 50% of traffic (myservice)',
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/acme/shop/actions/runs/1000'
    })

    const promote = await step(sandbox, { ...DEPLOY, mode: 'promote' })
    expect(promote.code).toBe(0)
    expect(sandbox.github.deployments).toHaveLength(1)
    expect(states(deployment.id)).toEqual(['in_progress', 'success', 'in_progress', 'success'])
    expect(sandbox.github.statusesOf(deployment.id).at(-1)?.description).toBe(
      'Promoted: myservice serves all traffic'
    )
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
  })

  it('a rollback marks the canary deployment failed', async () => {
    await step(sandbox, { ...DEPLOY, mode: 'canary', 'canary-weight': '20' })
    const rollback = await step(sandbox, { ...DEPLOY, mode: 'rollback' })
    expect(rollback.code).toBe(0)
    const [deployment] = sandbox.github.deployments
    expect(states(deployment.id)).toEqual(['in_progress', 'success', 'failure'])
    expect(sandbox.github.statusesOf(deployment.id).at(-1)?.description).toBe(
      'Rolled back: all traffic is on Blue (myservice)'
    )
  })

  it('a failed gate: failure with the reason', async () => {
    sandbox.reset('unhealthy-canary')
    setRuleWeights(sandbox, 90, 10)
    const run = await step(sandbox, { ...DEPLOY, mode: 'promote', 'health-timeout-seconds': '1' })
    expect(run.code).toBe(1)
    const [deployment] = sandbox.github.deployments
    expect(states(deployment.id)).toEqual(['in_progress', 'failure'])
    expect(sandbox.github.statusesOf(deployment.id)[1].description).toMatch(
      /^The canary colour Green was not healthy after 1 s/
    )
  })

  it('a token without deployments: write: a warning, and the shift is done', async () => {
    sandbox.github.readOnlyTokens.add('ghs_e2e')
    const run = await step(sandbox, { ...DEPLOY, mode: 'canary' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning::No GitHub deployment recorded for environment "production" \(.*HTTP 403: Resource not accessible by integration\)/
    )
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(sandbox.github.deployments).toEqual([])
  })

  it('the GitHub API is not an AWS request: the AWS log has none of it', async () => {
    await step(sandbox, { ...DEPLOY, mode: 'canary' })
    expect(sandbox.github.requests.length).toBeGreaterThan(0)
    expect(sandbox.log.every((entry) => !entry.operation.includes('Deployment'))).toBe(true)
  })

  it('canary with an image: one deployment, for the revision it deploys', async () => {
    const canary = await step(sandbox, { ...imageInputs(), mode: 'canary' }, { bare: true })
    expect(canary.errors).toEqual([])
    expect(sandbox.github.deployments).toHaveLength(1)
    const [deployment] = sandbox.github.deployments
    expect(deployment.payload).toMatchObject({
      color: 'Green',
      taskDefinition: greenTaskDefinition(),
      share: 10
    })
    expect(states(deployment.id)).toEqual(['in_progress', 'success'])
  })

  it('deploy, then canary: one deployment, for the new revision, not for the one it replaced', async () => {
    const inputs = imageInputs()
    const before = greenTaskDefinition()
    const deploy = await step(sandbox, { ...inputs, mode: 'deploy' }, { bare: true })
    expect(deploy.errors).toEqual([])
    const deployed = greenTaskDefinition()
    expect(deployed).not.toBe(before)
    expect(sandbox.github.deployments).toHaveLength(1)
    const [deployment] = sandbox.github.deployments
    expect(deployment.payload).toMatchObject({ color: 'Green', taskDefinition: deployed, share: 0 })
    expect(sandbox.github.statusesOf(deployment.id).map((s) => s.description)).toEqual([
      'Deploying the new version (myservice)',
      'Deployed to Green with 0% of traffic (myservice)'
    ])

    const canary = await step(
      sandbox,
      { ...inputs, mode: 'canary', 'canary-weight': '10' },
      { bare: true }
    )
    expect(canary.errors).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(sandbox.github.deployments).toHaveLength(1)
    expect(states(deployment.id)).toEqual(['in_progress', 'success', 'in_progress', 'success'])
  })
})
