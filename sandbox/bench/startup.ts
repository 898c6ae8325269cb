/**
 * Start-up reference points, measured in the same run on the same machine as the action and
 * interleaved with it: bare Node, bundles that only make the SDK clients the action uses and send
 * one request, the action minified, and optionally another action's bundle (BENCH_COMPARE_ACTION). Each is spawned like the action
 * (runs.ts) and timed from spawn to its first request in the sandbox log (bare Node: to exit).
 */
import { execFile } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { lazyModuleWrappers } from '../../scripts/build-dist.js'
import { ACTION_ENTRY } from '../run-action.js'
import type { Sandbox } from '../server.js'
import { BenchError, clock, spawnLikeRunner, type Spawned } from './runs.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The SDK half of the action's start-up: imports, four clients, one DescribeServices. */
const SDK_ENTRY = `import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'

const config = { region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 }
const ecs = new ECSClient(config)
new ElasticLoadBalancingV2Client(config)
new CloudFormationClient(config)
new CloudWatchClient(config)
await ecs.send(new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] }))
`

/** The least any run of the action loads before its first request: the ECS client alone. */
const ECS_ENTRY = `import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs'

const ecs = new ECSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 })
await ecs.send(new DescribeServicesCommand({ cluster: 'mycluster', services: ['myservice'] }))
`

/** The ECS client and the runner toolkit most actions read their inputs with. */
const CORE_ENTRY = `import * as core from '@actions/core'
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs'

const service = core.getInput('service') || 'myservice'
const ecs = new ECSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 })
await ecs.send(new DescribeServicesCommand({ cluster: 'mycluster', services: [service] }))
`

/** The reference bundles built at the start of the bench, each sending one DescribeServices. */
export const REFERENCE_BUNDLES = [
  { name: 'SDK clients only (ncc bundle)', source: SDK_ENTRY },
  { name: 'ECS client only (ncc bundle)', source: ECS_ENTRY },
  { name: 'ECS client and `@actions/core` (ncc bundle)', source: CORE_ENTRY }
] as const

export interface Reference {
  name: string
  /** What is timed, for the report. */
  measures: string
  /** Milliseconds, one per run. */
  samples: number[]
  /** Set when the reference was not measured, saying why. */
  skipped?: string
}

export interface CompareConfig {
  entry: string
  inputs: Record<string, string>
}

/** BENCH_COMPARE_ACTION and BENCH_COMPARE_INPUTS, checked before anything runs. */
export function compareConfig(env = process.env): CompareConfig | undefined {
  const entry = env.BENCH_COMPARE_ACTION
  if (!entry) return undefined
  let inputs: unknown
  try {
    inputs = JSON.parse(env.BENCH_COMPARE_INPUTS ?? '{}')
  } catch (err) {
    throw new BenchError(`BENCH_COMPARE_INPUTS is not JSON: ${(err as Error).message}`)
  }
  const valid =
    inputs !== null &&
    typeof inputs === 'object' &&
    !Array.isArray(inputs) &&
    Object.values(inputs).every((v) => typeof v === 'string')
  if (!valid) throw new BenchError('BENCH_COMPARE_INPUTS must be a JSON object of strings')
  return { entry, inputs: inputs as Record<string, string> }
}

export interface SdkBundle {
  entry: string
  buildMs: number
  dispose(): void
}

/**
 * Bundles `source` (one of REFERENCE_BUNDLES) with ncc into a temp dir, ESM like the action
 * (package.json type module), with the module wrappers made plain functions as
 * `npm run build` makes them (scripts/build-dist.ts), so that it is built as the action is. The dir links the project's
 * node_modules so the same SDK versions are bundled.
 */
export async function buildSdkBundle(source: string): Promise<SdkBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-canary-sdk-bundle-'))
  const modules = join(dir, 'node_modules')
  const dispose = () => {
    rmSync(modules, { force: true }) // the link only, never what it points at
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    symlinkSync(join(ROOT, 'node_modules'), modules, 'dir')
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(join(dir, 'entry.ts'), source)
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', types: ['node'] }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, skipLibCheck: true },
        files: ['entry.ts']
      })
    )
    const started = clock()
    const out = join(dir, 'out')
    const args = ['ncc', 'build', join(dir, 'entry.ts'), '-o', out, '--target', 'es2022']
    await promisify(execFile)('npx', args, { cwd: ROOT }).catch((err: { stderr?: string }) => {
      throw new BenchError(`ncc could not build the SDK reference bundle:\n${err.stderr ?? err}`)
    })
    const entry = join(out, 'index.js')
    writeFileSync(entry, lazyModuleWrappers(readFileSync(entry, 'utf8'), entry))
    return { entry, buildMs: clock() - started, dispose }
  } catch (err) {
    dispose()
    throw err
  }
}

export interface MinifiedAction extends SdkBundle {
  /** An index.js that enables source maps, then imports the minified bundle. */
  withSourceMaps: string
}

/**
 * The shipped dist/ minified: every file of it through esbuild's whitespace minifier with
 * non-ASCII characters escaped (module wrappers stay plain functions) and a source map beside
 * each, into a temp dir, to show what minifying would still save. Not shipped: its stack traces
 * point into one long line, and Node applies a source map only when source maps are enabled,
 * which makes it read and parse the maps as the bundle loads: `withSourceMaps` measures that.
 */
export async function minifyAction(): Promise<MinifiedAction> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-canary-minified-'))
  const dispose = () => rmSync(dir, { recursive: true, force: true })
  try {
    const started = clock()
    const { transform } = await import('esbuild')
    const dist = join(ROOT, 'dist')
    const out = join(dir, 'out')
    mkdirSync(out)
    for (const name of readdirSync(dist)) {
      const text = readFileSync(join(dist, name), 'utf8')
      if (!name.endsWith('.js')) {
        writeFileSync(join(out, name), text)
        continue
      }
      const { code, map } = await transform(text, {
        format: 'esm',
        minifyWhitespace: true,
        charset: 'ascii',
        sourcemap: 'external',
        sourcefile: join(dist, name)
      })
      writeFileSync(join(out, name), `${code}//# sourceMappingURL=${name}.map\n`)
      writeFileSync(join(out, `${name}.map`), map)
    }
    // Named index.js, as a runner starts it (src/cli/args.ts tells the action from the CLI so).
    const maps = join(dir, 'maps')
    mkdirSync(maps)
    writeFileSync(join(maps, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(
      join(maps, 'index.js'),
      "process.setSourceMapsEnabled(true)\nawait import('../out/index.js')\n"
    )
    return {
      entry: join(out, 'index.js'),
      withSourceMaps: join(maps, 'index.js'),
      buildMs: clock() - started,
      dispose
    }
  } catch (err) {
    dispose()
    throw err
  }
}

/** The inputs of mode `status` from the default world's stack, as the bench's modes use them. */
const STATUS_INPUTS = {
  mode: 'status',
  cluster: 'mycluster',
  service: 'myservice',
  'stack-name': 'myservice-canary'
}

/** Spawn → first request of the action (`entry`: dist/index.js or a copy) in mode `status`. */
async function actionStatus(sandbox: Sandbox, entry: string): Promise<number> {
  sandbox.reset()
  const run = await spawnLikeRunner([entry], { endpoint: sandbox.url, inputs: STATUS_INPUTS })
  if (run.code !== 0 || sandbox.log.length === 0) {
    throw new BenchError(`${entry}: exit ${run.code}:\n${run.output.slice(-2000)}`)
  }
  return firstRequest(sandbox, run)
}

/** Spawn → exit of `node -e 0`. */
async function bareNode(sandbox: Sandbox): Promise<number> {
  const run = await spawnLikeRunner(['-e', '0'], { endpoint: sandbox.url })
  if (run.code !== 0) throw new BenchError(`node -e 0 exited with ${run.code}`)
  return run.exitedAt - run.startedAt
}

/** Spawn → first request of the SDK bundle, which must send exactly one DescribeServices. */
async function sdkBundle(sandbox: Sandbox, entry: string): Promise<number> {
  sandbox.reset()
  const run = await spawnLikeRunner([entry], { endpoint: sandbox.url })
  const ops = sandbox.log.map((e) => `${e.operation} ${e.status}`)
  if (run.code !== 0 || ops.join() !== 'DescribeServices 200') {
    throw new BenchError(`SDK bundle: exit ${run.code}, requests [${ops}]:\n${run.output}`)
  }
  return firstRequest(sandbox, run)
}

/** Spawn → first request of another action; it is stopped 2 s after that request. */
async function otherAction(sandbox: Sandbox, config: CompareConfig): Promise<number> {
  sandbox.reset()
  const run = await spawnLikeRunner([config.entry], {
    endpoint: sandbox.url,
    inputs: config.inputs,
    onSpawn: (child, stop) => {
      let grace: ReturnType<typeof setTimeout> | undefined
      const watch = setInterval(() => {
        if (sandbox.log.length === 0) return
        clearInterval(watch)
        grace = setTimeout(stop, 2000)
      }, 20)
      child.on('exit', () => {
        clearInterval(watch)
        clearTimeout(grace)
      })
    }
  })
  if (sandbox.log.length === 0) {
    throw new BenchError(
      `BENCH_COMPARE_ACTION ${config.entry} made no AWS request (exit ${run.code}):\n` +
        run.output.slice(-2000)
    )
  }
  return firstRequest(sandbox, run)
}

function firstRequest(sandbox: Sandbox, run: Spawned): number {
  return Math.min(...sandbox.log.map((e) => e.start)) - run.startedAt
}

/** The shipped action's reference: its start-up in mode `status`, measured among the others. */
export const ACTION_REFERENCE = 'this action, mode `status`'

/** The action and every reference, `runs` times each, interleaved run by run. */
export async function measureReferences(
  sandbox: Sandbox,
  runs: number,
  bundles: { name: string; bundle: SdkBundle }[],
  compare: CompareConfig | undefined,
  minified: MinifiedAction
): Promise<Reference[]> {
  const bare: Reference = { name: '`node -e 0`', measures: 'spawn → exit', samples: [] }
  const sdks = bundles.map(({ name, bundle }) => ({
    bundle,
    ref: { name, measures: 'spawn → first request', samples: [] } as Reference
  }))
  const other: Reference = {
    name: compare ? `another action: \`${compare.entry}\`` : 'another action',
    measures: 'spawn → first request',
    samples: [],
    ...(compare ? {} : { skipped: 'not measured: BENCH_COMPARE_ACTION is not set' })
  }
  const action: Reference = {
    name: ACTION_REFERENCE,
    measures: 'spawn → first request',
    samples: []
  }
  const small: Reference = {
    name: 'this action, minified (not shipped)',
    measures: 'spawn → first request',
    samples: []
  }
  const mapped: Reference = {
    name: 'this action, minified, source maps on (not shipped)',
    measures: 'spawn → first request',
    samples: []
  }
  for (let i = 0; i < runs; i++) {
    action.samples.push(await actionStatus(sandbox, ACTION_ENTRY))
    bare.samples.push(await bareNode(sandbox))
    for (const { bundle, ref } of sdks) ref.samples.push(await sdkBundle(sandbox, bundle.entry))
    small.samples.push(await actionStatus(sandbox, minified.entry))
    mapped.samples.push(await actionStatus(sandbox, minified.withSourceMaps))
    if (compare) other.samples.push(await otherAction(sandbox, compare))
  }
  return [action, bare, ...sdks.map((s) => s.ref), small, mapped, other]
}
