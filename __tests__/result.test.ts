/** The `result` output: one object per run that matches docs/result.schema.json, in every mode. */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as core from '../__fixtures__/core.js'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { Outputs } from '../src/constants.js'
import { RUN_OUTCOMES } from '../src/report/result.js'
import { resultErrors } from './e2e/result-schema.js'

jest.unstable_mockModule('../src/workflow-commands.js', () => core)
const { run } = await import('../src/main.js')

const schema = JSON.parse(
  readFileSync(new URL('../docs/result.schema.json', import.meta.url), 'utf8')
) as { properties: { outcome: { enum: string[] } } }

let aws: MockAws
let inputs: Record<string, string>

beforeEach(() => {
  jest.clearAllMocks()
  core.summary.clear()
  aws = mockAws()
  inputs = { mode: 'canary', cluster: 'mycluster', service: 'myservice', 'stack-name': 'mystack' }
  core.getInput.mockImplementation((name: string) => inputs[name] ?? '')
  process.env.AWS_REGION = 'us-east-1'
  process.env.GITHUB_STEP_SUMMARY = '/dev/null'
  process.env.RUNNER_TEMP = tmpdir()
})
afterEach(() => aws.restore())

/** The result of one run, after checking it against the schema and the file. */
async function result(): Promise<Record<string, unknown>> {
  await run()
  const outputs = Object.fromEntries(core.setOutput.mock.calls.map(([k, v]) => [k, String(v)]))
  const value = JSON.parse(outputs[Outputs.Result]) as Record<string, unknown>
  expect(resultErrors(value)).toEqual([])
  const file = outputs[Outputs.ResultFile]
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(value)
  rmSync(file)
  expect(outputs[Outputs.Outcome]).toBe(value.outcome)
  return value
}

describe('result', () => {
  it('the schema lists exactly the outcomes the code reports', () => {
    expect(schema.properties.outcome.enum).toEqual(RUN_OUTCOMES)
  })

  it('the schema check fails on a result that is not one', () => {
    expect(resultErrors({ schemaVersion: 1, mode: 'canary', outcome: 'fine' })).not.toEqual([])
    expect(
      resultErrors({
        schemaVersion: 1,
        mode: 'status',
        outcome: 'unchanged',
        cluster: 'c',
        service: 's',
        dryRun: false,
        steps: [],
        alarms: [],
        writes: [],
        warnings: []
      })
    ).toEqual(
      expect.arrayContaining([
        "/ must have required property 'before'",
        "/ must have required property 'plan'"
      ])
    )
  })

  it('canary: the plan, the step, the writes and the state before and after', async () => {
    const value = await result()
    expect(value).toMatchObject({
      schemaVersion: 1,
      mode: 'canary',
      outcome: 'changed',
      cluster: 'mycluster',
      service: 'myservice',
      dryRun: false,
      before: { stable: 'Blue', canary: 'Green', weights: { Blue: 100, Green: 0 } },
      after: { stable: 'Blue', canary: 'Green', weights: { Blue: 90, Green: 10 } },
      colors: {
        Blue: { taskDefinition: ARN.blueTd, targetGroup: ARN.blueTg },
        Green: { taskDefinition: ARN.greenTd, targetGroup: ARN.greenTg }
      },
      route: { id: ARN.rule },
      plan: {
        steps: [{ kind: 'shift', canary: 'Green', share: 10, write: true, gated: true }]
      },
      steps: [{ kind: 'shift', share: 10, outcome: 'shifted', bakeSeconds: 0 }],
      writes: [expect.stringContaining('Blue 90% / Green 10%')]
    })
    const [step] = value.steps as { startedAt: string; gates: { gate: string }[] }[]
    expect(Date.parse(step.startedAt)).not.toBeNaN()
    expect(step.gates.map((g) => g.gate)).toContain('health gate')
  })

  it.each([
    ['status', {}, 'unchanged'],
    ['promote', {}, 'changed'],
    ['rollback', {}, 'changed'],
    ['canary', { 'dry-run': 'true' }, 'dry-run']
  ])('%s %j: outcome %s', async (mode, extra, outcome) => {
    aws.world.rules[0].Actions = [forward(80, 20)]
    Object.assign(inputs, { mode, ...extra })
    expect((await result()).outcome).toBe(outcome)
  })

  it('a failed gate before the first shift: failed-before-write, with the reason', async () => {
    aws.world.health[ARN.greenTg] = []
    inputs['health-timeout-seconds'] = '0'
    const value = await result()
    expect(value).toMatchObject({
      outcome: 'failed-before-write',
      message: expect.stringMatching(/not healthy.*nothing was written\.$/),
      writes: []
    })
  })

  it('bad input: failed-before-write with the names given and no state', async () => {
    inputs['canary-weight'] = 'ten'
    const value = await result()
    expect(value).toMatchObject({
      mode: 'canary',
      outcome: 'failed-before-write',
      cluster: 'mycluster',
      service: 'myservice'
    })
    expect(value.before).toBeUndefined()
  })
})
