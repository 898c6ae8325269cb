/**
 * Running processes for the bench, each bounded in time, with one clock for everything: the
 * sandbox stamps its request log with `performance.timeOrigin + performance.now()` (server.ts),
 * so spawn times, signals and alarm changes are taken from the same clock here.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { runAction, runnerEnv, type ActionRun, type RunOptions } from '../run-action.js'

/** The sandbox log's clock: epoch ms with sub-millisecond resolution. */
export const clock = (): number => performance.timeOrigin + performance.now()

/** A child still running after this long is killed and the bench fails. */
export const LIMIT_MS = 30_000

/** A failure the bench reports as one clear line (no stack). */
export class BenchError extends Error {}

export interface BoundedRun extends ActionRun {
  /** `clock()` just before runAction set the run up and spawned it. */
  startedAt: number
}

/** runAction (the bundled action, run as a runner runs it), killed after LIMIT_MS. */
export async function runBounded(options: RunOptions, label: string): Promise<BoundedRun> {
  let child: ChildProcess | undefined
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child?.kill('SIGKILL')
  }, LIMIT_MS)
  const startedAt = clock()
  try {
    const run = await runAction({
      ...options,
      onSpawn: (spawned) => {
        child = spawned
        options.onSpawn?.(spawned)
      }
    })
    if (timedOut) throw new BenchError(`${label}: still running after ${LIMIT_MS / 1000} s, killed`)
    return { ...run, startedAt }
  } finally {
    clearTimeout(timer)
  }
}

export interface Spawned {
  code: number | null
  signal: NodeJS.Signals | null
  /** stdout and stderr together, for messages. */
  output: string
  /** `clock()` before the run was set up and spawned, as in runBounded. */
  startedAt: number
  /** `clock()` at the child's `exit` event. */
  exitedAt: number
}

export interface SpawnOptions {
  /** The sandbox URL, as AWS_ENDPOINT_URL. */
  endpoint: string
  /** Inputs by their action.yml names, set as INPUT_* the way run-action.ts sets them. */
  inputs?: Record<string, string>
  /** Called with the child; may call `stop()` to end it early (not a failure). */
  onSpawn?: (child: ChildProcess, stop: () => void) => void
}

/**
 * `node <args>` with the environment run-action.ts gives the action (its contract with a
 * runner, static sandbox credentials, no shared AWS config), for the start-up reference points.
 * Fails the bench when the child is still running after LIMIT_MS.
 */
export function spawnLikeRunner(args: string[], options: SpawnOptions): Promise<Spawned> {
  const startedAt = clock()
  const { env, dir } = runnerEnv(options.endpoint, options.inputs ?? {}, 'ecs-canary-bench-')
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let timedOut = false
  const stop = () => child.kill('SIGKILL')
  const timer = setTimeout(() => {
    timedOut = true
    stop()
  }, LIMIT_MS)
  options.onSpawn?.(child, stop)
  return new Promise((resolve, reject) => {
    let exitedAt = 0
    child.on('exit', () => (exitedAt = clock()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
      if (timedOut) {
        reject(new BenchError(`node ${args.join(' ')}: still running after ${LIMIT_MS / 1000} s`))
      } else resolve({ code, signal, output, startedAt, exitedAt })
    })
  })
}
