/**
 * Deploying a version from the same step: the image checked in ECR and pinned to its digest, the
 * revision built from the stable colour's, the canary colour replaced (by the stack, or by task
 * set calls without one) and healthy at 0 %, the deploy recorded; then the traffic the mode asks
 * for. Reruns write nothing; bad input and bad state fail before any write.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findService } from '../../sandbox/world.js'
import {
  expectCleanFailure,
  operations,
  ruleWeights,
  serviceTags,
  stableTag,
  step,
  targetGroupArn,
  taskSetOf,
  useSandbox
} from './harness.js'

const sandbox = useSandbox()

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const IMAGE = `${REGISTRY}/myapp:1.0.2`

const digestOf = (tag: string) =>
  sandbox.world.repositories![0].images.find((i) => i.tags.includes(tag))!.digest

/** Inputs of the API-managed shape: no stack, the colours found by their target groups. */
const apiInputs = () => ({
  cluster: 'mycluster',
  service: 'myservice',
  'blue-target-group': targetGroupArn(sandbox.world, 'blue-tg'),
  'green-target-group': targetGroupArn(sandbox.world, 'green-tg')
})

/** The task sets registering in a target group. */
const taskSetsIn = (name: string) =>
  findService(sandbox.world)!.taskSets.filter((t) =>
    t.loadBalancers.some((lb) => lb.targetGroupArn === targetGroupArn(sandbox.world, name))
  )

const imageOfTaskSet = (taskDefinition: string) =>
  sandbox.world.taskDefinitions.find((td) => td.arn === taskDefinition)?.containers[0]?.image

describe('API-managed (no stack)', () => {
  it('deploy: new revision from the stable colour, new Green task set healthy at 0 %, old one deleted, recorded', async () => {
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', image: IMAGE },
      { bare: true }
    )
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    const pinned = `${REGISTRY}/myapp@${digestOf('1.0.2')}`
    expect(operations(run.writes)).toEqual([
      'RegisterTaskDefinition',
      'CreateTaskSet',
      'DeleteTaskSet',
      'TagResource'
    ])
    const [green] = taskSetsIn('green-tg')
    expect(taskSetsIn('green-tg')).toHaveLength(1)
    expect(green.taskDefinition).toMatch(/task-definition\/myapp:3$/)
    expect(imageOfTaskSet(green.taskDefinition)).toBe(pinned)
    expect(green.stabilityStatus).toBe('STEADY_STATE')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(serviceTags(sandbox.world).StableStackDeploy).toMatch(
      new RegExp(`^Green myapp:3 at \\S+Z ${digestOf('1.0.2')}$`)
    )
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'image-digest': digestOf('1.0.2'),
      'task-definition-arn': green.taskDefinition,
      'canary-weight': '0'
    })
    expect(run.summary).toContain('### Deploy to Green: deployed')
    expect(run.summary).toContain(`Green (app): \`myapp:1.0.1\` → \`${pinned}\``)
    expect(run.summary).toContain('Green runs the new version with no traffic yet')
    // The copy keeps what the old task set had.
    expect(green.externalId).toBe('myservice-green')
    expect(green.loadBalancers[0]).toMatchObject({ containerName: 'app', containerPort: 80 })
  })

  it('a rerun with the same image finds it in place and writes nothing', async () => {
    const inputs = { ...apiInputs(), mode: 'deploy', image: IMAGE }
    expect((await step(sandbox, inputs, { bare: true })).code).toBe(0)
    const again = await step(sandbox, inputs, { bare: true })
    expect(again.code).toBe(0)
    expect(operations(again.allWrites)).toEqual([])
    expect(again.outputs.deployed).toBe('false')
    expect(again.outputs.changed).toBe('false')
  })

  it('canary with an image deploys, then sends 10 %; promote from 0 % after a deploy promotes; its rerun writes nothing', async () => {
    const canary = await step(
      sandbox,
      { ...apiInputs(), mode: 'canary', image: IMAGE, 'canary-weight': '10' },
      { bare: true }
    )
    expect(canary.errors).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(operations(canary.writes)).toEqual([
      'RegisterTaskDefinition',
      'CreateTaskSet',
      'DeleteTaskSet',
      'TagResource',
      'ModifyRule'
    ])
    const back = await step(sandbox, { ...apiInputs(), mode: 'rollback' }, { bare: true })
    expect(back.code).toBe(0)
    const promote = await step(sandbox, { ...apiInputs(), mode: 'promote' }, { bare: true })
    expect(promote.errors).toEqual([])
    expect(stableTag(sandbox.world)).toBe('Green')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 0, Green: 100 })
    const again = await step(sandbox, { ...apiInputs(), mode: 'promote' }, { bare: true })
    expect(again.code).toBe(0)
    // Only the lease (promote always looks for a test route to close) is written and removed.
    expect(operations(again.writes)).toEqual([])
    expect(again.stdout).toContain('Nothing to promote')
  })

  it('dry run: shows the revision diff and writes nothing', async () => {
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', image: IMAGE, 'dry-run': 'true' },
      { bare: true }
    )
    expect(run.code).toBe(0)
    expect(operations(run.allWrites)).toEqual([])
    expect(run.stdout).toContain(`app: myapp:1.0.1 → ${REGISTRY}/myapp@${digestOf('1.0.2')}`)
  })

  it('a new task set that never becomes healthy: stays at 0 %, the step fails and says so', async () => {
    findService(sandbox.world)!.desiredCount = 2
    sandbox.world.targetGroups.find((tg) => tg.name === 'green-tg')!.health = 'unhealthy'
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', image: IMAGE, 'health-timeout-seconds': '1' },
      { bare: true }
    )
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('was not healthy within 1 s')
    expect(run.errors[0]).toContain('stable colour Blue keeps all of it')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(serviceTags(sandbox.world).StableStackDeploy).toBeUndefined()
  })
})

describe('a deploy that stopped halfway', () => {
  it('the rerun finds the new task set, waits for it and deletes the old one; nothing registered or created again', async () => {
    const green = sandbox.world.targetGroups.find((tg) => tg.name === 'green-tg')!
    green.health = 'unhealthy'
    const inputs = { ...apiInputs(), mode: 'deploy', image: IMAGE, 'health-timeout-seconds': '1' }
    const first = await step(sandbox, inputs, { bare: true })
    expect(first.code).toBe(1)
    expect(taskSetsIn('green-tg')).toHaveLength(2)

    green.health = 'healthy'
    const rerun = await step(sandbox, { ...inputs, 'health-timeout-seconds': '60' }, { bare: true })
    expect(rerun.errors).toEqual([])
    expect(operations(rerun.writes)).toEqual(['DeleteTaskSet', 'TagResource'])
    expect(taskSetsIn('green-tg')).toHaveLength(1)
    expect(taskSetsIn('green-tg')[0].taskDefinition).toMatch(/myapp:3$/)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })
})

describe('from a task definition', () => {
  it('a rendered task definition file with an image: registered as given, with the image replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-'))
    const file = join(dir, 'task-definition.json')
    writeFileSync(
      file,
      JSON.stringify({
        taskDefinition: {
          family: 'myapp',
          taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:1',
          revision: 1,
          containerDefinitions: [
            {
              name: 'app',
              image: 'myapp:old',
              essential: true,
              environment: [{ name: 'MODE', value: 'canary' }]
            }
          ],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512'
        }
      })
    )
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', 'task-definition': file, image: IMAGE },
      { bare: true }
    )
    expect(run.errors).toEqual([])
    const registered = run.requests.find((r) => r.operation === 'RegisterTaskDefinition')!.input!
    expect(registered).not.toHaveProperty('taskDefinitionArn')
    expect(registered.containerDefinitions).toEqual([
      expect.objectContaining({
        name: 'app',
        image: `${REGISTRY}/myapp@${digestOf('1.0.2')}`,
        environment: [{ name: 'MODE', value: 'canary' }]
      })
    ])
  })

  it('an existing revision without an image: run as it is, nothing registered', async () => {
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', 'task-definition': 'myapp:1' },
      { bare: true }
    )
    expect(run.errors).toEqual([])
    expect(operations(run.writes)).toEqual(['CreateTaskSet', 'DeleteTaskSet', 'TagResource'])
    expect(taskSetsIn('green-tg')[0].taskDefinition).toMatch(/myapp:1$/)
  })

  it('a revision of another family with an image: refused, nothing written', async () => {
    const other = { ...sandbox.world.taskDefinitions[0], family: 'other', revision: 1 }
    other.arn = other.arn.replace('myapp:1', 'other:1')
    sandbox.world.taskDefinitions.push(other)
    const run = await step(
      sandbox,
      { ...apiInputs(), mode: 'deploy', 'task-definition': 'other:1', image: IMAGE },
      { bare: true }
    )
    expect(expectCleanFailure(run)).toContain('names other, but the colours run family myapp')
  })

  it('task-definition with a stack: refused before any AWS call', async () => {
    const run = await step(sandbox, { mode: 'deploy', 'task-definition': 'myapp:1' })
    expect(expectCleanFailure(run)).toContain('builds each colour')
    expect(run.requests).toEqual([])
  })
})

describe('promote-image-tag', () => {
  it('tags the promoted image in ECR; a rerun writes nothing', async () => {
    expect((await step(sandbox, { mode: 'deploy', image: IMAGE })).code).toBe(0)
    const promote = await step(sandbox, { mode: 'promote', 'promote-image-tag': 'production' })
    expect(promote.errors).toEqual([])
    expect(stableTag(sandbox.world)).toBe('Green')
    const image = sandbox.world.repositories![0].images.find((i) => i.tags.includes('1.0.2'))!
    expect(image.tags).toEqual(['1.0.2', 'production'])
    expect(operations(promote.writes)).toContain('PutImage')
    const again = await step(sandbox, { mode: 'promote', 'promote-image-tag': 'production' })
    expect(again.code).toBe(0)
    expect(operations(again.writes)).toEqual([])
  })
})

describe('stack-managed', () => {
  it('deploy: UpdateStack with only GreenImage changed; the new task set is healthy; rerun writes nothing', async () => {
    const run = await step(sandbox, { mode: 'deploy', image: IMAGE })
    expect(run.errors).toEqual([])
    expect(operations(run.writes)).toEqual(['UpdateStack', 'TagResource'])
    const update = run.requests.find((r) => r.operation === 'UpdateStack')!
    const params = update.input?.Parameters as { ParameterKey: string; ParameterValue?: string }[]
    const changed = params.filter((p) => p.ParameterValue !== undefined)
    expect(changed).toEqual([
      { ParameterKey: 'GreenImage', ParameterValue: `${REGISTRY}/myapp@${digestOf('1.0.2')}` }
    ])
    const green = taskSetOf(sandbox.world, 'Green')
    expect(imageOfTaskSet(green.taskDefinition)).toBe(`${REGISTRY}/myapp@${digestOf('1.0.2')}`)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')

    const again = await step(sandbox, { mode: 'deploy', image: IMAGE })
    expect(again.code).toBe(0)
    expect(operations(again.allWrites)).toEqual([])
  })

  it('canary with an image after traffic moved: the weights are passed as live, nothing else moves', async () => {
    expect((await step(sandbox, { mode: 'canary', 'canary-weight': '20' })).code).toBe(0)
    expect((await step(sandbox, { mode: 'rollback' })).code).toBe(0)
    const run = await step(sandbox, { mode: 'canary', image: IMAGE, 'canary-weight': '10' })
    expect(run.errors).toEqual([])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(serviceTags(sandbox.world).StableStackDeploy).toMatch(/^Green myapp:\d+ at /)
  })

  it('a failed update names the first failed resource and its reason', async () => {
    sandbox.world.stacks[0].failNextUpdate = {
      logicalId: 'GreenTaskSet',
      resourceType: 'AWS::ECS::TaskSet',
      reason: 'Resource handler returned message: "Invalid request"'
    }
    const run = await step(sandbox, { mode: 'deploy', image: IMAGE })
    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain('UPDATE_ROLLBACK_COMPLETE')
    expect(run.errors[0]).toContain('GreenTaskSet (AWS::ECS::TaskSet): Resource handler returned')
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })
})

describe('bad input and state: one message, exit 1, no write', () => {
  it.each([
    [
      'tag not in ECR',
      { image: `${REGISTRY}/myapp:9.9.9` },
      ['9.9.9', 'myapp', '1.0.2, 1.0.1, 1.0.0']
    ],
    ['repository not found', { image: `${REGISTRY}/nope:1` }, ['repository nope', 'was not found']],
    ['malformed image', { image: 'MyApp:1' }, ['"image" is "MyApp:1"']],
    [
      'container not in the task definition',
      { image: IMAGE, 'container-name': 'sidecar', 'stack-name': '' },
      ['no container "sidecar"', 'app']
    ],
    ['stack in progress', { image: IMAGE, status: 'UPDATE_IN_PROGRESS' }, ['UPDATE_IN_PROGRESS']],
    [
      'stack without the mapped parameters',
      { image: IMAGE, 'stack-parameters': 'GreenImage=Missing' },
      ['no parameter Missing (for GreenImage)']
    ],
    ['deploy with neither image nor task definition', {}, ['needs a version to deploy']]
  ])('%s', async (_name, given, fragments) => {
    const { status, ...inputs } = given as Record<string, string>
    if (status) sandbox.world.stacks[0].status = status
    const api = inputs['stack-name'] === ''
    const run = api
      ? await step(
          sandbox,
          { ...apiInputs(), mode: 'deploy', ...inputs, 'stack-name': '' },
          { bare: true }
        )
      : await step(sandbox, { mode: 'deploy', ...inputs })
    const message = expectCleanFailure(run)
    for (const fragment of fragments) expect(message).toContain(fragment)
  })

  it('canary carrying traffic without replace-live-canary: refused; with it, taken to 0 first', async () => {
    expect((await step(sandbox, { mode: 'canary', 'canary-weight': '20' })).code).toBe(0)
    const refused = await step(sandbox, { mode: 'deploy', image: IMAGE })
    expect(expectCleanFailure(refused)).toContain('carries 20% of traffic')
    const replaced = await step(sandbox, {
      mode: 'deploy',
      image: IMAGE,
      'replace-live-canary': 'true'
    })
    expect(replaced.errors).toEqual([])
    expect(operations(replaced.writes)).toEqual(['ModifyRule', 'UpdateStack', 'TagResource'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
  })
})
