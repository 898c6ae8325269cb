import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bundled action, run exactly as a runner runs it. */
export const ACTION_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url))

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Milliseconds from spawn to exit. */
  durationMs: number
  /** Epoch milliseconds at spawn, to compare with the sandbox's request log. */
  spawnedAt: number
  /** The file the `result-file` output names, read before the run's folder is removed. */
  resultFile?: string
}

export interface RunOptions {
  /** The sandbox's URL, handed to the SDK through AWS_ENDPOINT_URL. */
  endpoint: string
  /** Inputs by their action.yml names, e.g. `{ mode: 'canary', 'canary-weight': '10' }`. */
  inputs: Record<string, string>
  env?: Record<string, string>
  /** Called with the child process as soon as it is spawned (to signal or kill it). */
  onSpawn?: (child: ChildProcess) => void
}

/**
 * The environment a runner gives an action, pointed at the sandbox: each input as INPUT_<NAME>
 * (upper case, hyphens kept), empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in a fresh
 * temporary folder, the run's identity, static credentials, and no shared AWS config or
 * credentials files.
 */
export function runnerEnv(
  endpoint: string,
  inputs: Record<string, string>,
  prefix: string
): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    // No shared config or credentials files: the run sees only what is given here.
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    // The run the action belongs to, as a runner names it (the lease records it); a test that
    // models "Re-run jobs" raises GITHUB_RUN_ATTEMPT, one that models another run changes the id.
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface',
    // GitHub's REST API: the sandbox serves its deployments endpoints at the same address.
    GITHUB_API_URL: endpoint
  }
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return { env, dir }
}

/**
 * Spawns `node dist/index.js` with the runner's contract: each input as INPUT_<NAME> (upper case,
 * hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that the action appends to, and
 * static credentials for the sandbox.
 */
export function runAction(options: RunOptions): Promise<ActionRun> {
  const { env, dir } = runnerEnv(options.endpoint, options.inputs, 'ecs-canary-run-')
  Object.assign(env, options.env)
  const outputFile = env.GITHUB_OUTPUT
  const summaryFile = env.GITHUB_STEP_SUMMARY
  const spawnedAt = Date.now()
  const started = performance.now()
  const child = spawn(process.execPath, [ACTION_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  options.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
      const resultPath = outputs['result-file']
      const result: ActionRun = {
        code,
        signal,
        stdout,
        stderr,
        outputs,
        summary: readFileSync(summaryFile, 'utf8'),
        durationMs: performance.now() - started,
        spawnedAt,
        ...(resultPath?.startsWith(dir) ? { resultFile: readFileSync(resultPath, 'utf8') } : {})
      }
      rmSync(dir, { recursive: true, force: true })
      resolve(result)
    })
  })
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` records that `core.setOutput` appends. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (match) {
      const [, name, delimiter] = match
      const value: string[] = []
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

/** The `::error::` lines the action printed (the runner shows these as annotations). */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
}
