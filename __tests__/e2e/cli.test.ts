/**
 * The command line against the sandbox, started the way a shell in another CI system starts it:
 * `sh -c 'bin/ecs-canary.js <mode> --flags'` with only the AWS environment (no INPUT_* or
 * GITHUB_* variables). It runs the demo lifecycle and must end every step where the action ends
 * it, with the same result.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ruleWeights, stableTag, step, useSandbox, SERVICE_INPUTS } from './harness.js'
import { resultErrors } from './result-schema.js'

const sandbox = useSandbox({ resetEach: false })
const BIN = fileURLToPath(new URL('../../bin/ecs-canary.js', import.meta.url))

const LIFECYCLE: [string, Record<string, string>][] = [
  ['status', { mode: 'status' }],
  ['canary 10', { mode: 'canary', 'canary-weight': '10' }],
  ['canary 50', { mode: 'canary', 'canary-weight': '50' }],
  ['rollback', { mode: 'rollback' }],
  ['canary 25', { mode: 'canary', 'canary-weight': '25' }],
  ['promote', { mode: 'promote' }]
]

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** A shell word, quoted. */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/** `sh -c "<BIN> <mode> --name value …"` in a plain environment pointed at the sandbox. */
function shell(inputs: Record<string, string>, extra: string[] = []): Promise<CliRun> {
  const { mode, ...flags } = { ...SERVICE_INPUTS, ...inputs }
  const words = [
    BIN,
    mode,
    ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value]),
    ...extra
  ]
  const home = mkdtempSync(join(tmpdir(), 'ecs-canary-cli-'))
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none')
  }
  const child = spawn('sh', ['-c', words.map(quote).join(' ')], { env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      rmSync(home, { recursive: true, force: true })
      resolve({ code, stdout, stderr })
    })
  })
}

/** A result without what differs between two runs of the same step (times, how long it baked). */
function comparable(result: Record<string, unknown>): Record<string, unknown> {
  const steps = (result.steps as Record<string, unknown>[]).map(
    ({ startedAt: _s, bakedSeconds: _b, ...rest }) => rest
  )
  return { ...result, steps }
}

describe('ecs-canary from a shell: the demo lifecycle', () => {
  const results: Record<string, unknown>[] = []
  const ends: { weights: object; tag: string | undefined }[] = []

  it.each(LIFECYCLE)('%s: exit 0, a result that matches the schema', async (_, inputs) => {
    const run = await shell(inputs, ['--json'])
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout) as Record<string, unknown>
    expect(resultErrors(result)).toEqual([])
    expect(result.mode).toBe(inputs.mode)
    // Progress went to stderr, one heading per phase.
    expect(run.stderr).toContain('▸ Discover\n')
    expect(run.stderr).not.toContain('NodeVersionSupportWarning')
    results.push(result)
    ends.push({ weights: ruleWeights(sandbox.world), tag: stableTag(sandbox.world) })
  })

  it('the action, run over the same lifecycle, ends each step in the same state with the same result', async () => {
    expect(results).toHaveLength(LIFECYCLE.length)
    sandbox.reset()
    for (const [index, [, inputs]] of LIFECYCLE.entries()) {
      const run = await step(sandbox, inputs)
      expect(run.code).toBe(0)
      const result = JSON.parse(run.outputs.result) as Record<string, unknown>
      expect(comparable(result)).toEqual(comparable(results[index]))
      expect({ weights: ruleWeights(sandbox.world), tag: stableTag(sandbox.world) }).toEqual(
        ends[index]
      )
    }
  })

  it('without --json: the outcome line on stdout', async () => {
    const run = await shell({ mode: 'status' })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('status: myservice unchanged at Blue 0% / Green 100%, stable Green.\n')
  })

  it('bad input: exit 1 and the message on stderr, before any AWS request', async () => {
    const before = sandbox.log.length
    const run = await shell({ mode: 'canary', 'canary-weight': '150' })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: "canary-weight" is "150"/m)
    expect(sandbox.log.length).toBe(before)
  })

  it('--help: generated from action.yml, exit 0', async () => {
    const run = await shell({ mode: 'status' }, ['--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: ecs-canary <mode>/)
    expect(run.stdout).toContain('--health-timeout-seconds VALUE')
  })
})
