/**
 * `npx tsx sandbox/main.ts [--port N] [--world NAME] [--steady-delay-ms N] [--latency-ms N]`
 *
 * Starts the sandbox in the foreground and prints the environment that points the action (or the
 * AWS CLI) at it. Runs until SIGINT/SIGTERM.
 */
import { startSandbox } from './server.js'
import { variantNames } from './variants.js'

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') args.help = 'true'
    else if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2)
      args[key] = inline ?? argv[++i] ?? ''
    }
  }
  return args
}

const number = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`)
  return n
}

/** The environment for the default world, as KEY=value lines (the .env format). */
export function environment(url: string): string[] {
  return [
    `AWS_ENDPOINT_URL=${url}`,
    'AWS_REGION=us-east-1',
    'AWS_ACCESS_KEY_ID=test',
    'AWS_SECRET_ACCESS_KEY=test',
    'INPUT_MODE=status',
    'INPUT_CLUSTER=mycluster',
    'INPUT_SERVICE=myservice',
    'INPUT_STACK-NAME=myservice-canary'
  ]
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) {
    console.log(
      'Usage: npx tsx sandbox/main.ts [--port N] [--world NAME] [--steady-delay-ms N] [--latency-ms N]\n' +
        `Worlds (combine with '+'): ${variantNames.join(', ')}`
    )
    return
  }
  const sandbox = await startSandbox({
    port: number(args.port, 'port'),
    world: args.world,
    steadyDelayMs: number(args['steady-delay-ms'], 'steady-delay-ms') ?? 2000,
    latencyMs: number(args['latency-ms'], 'latency-ms')
  })
  const env = environment(sandbox.url)
  console.log(`AWS sandbox listening on ${sandbox.url} (world: ${args.world ?? 'default'})`)
  console.log(`\nAWS_ENDPOINT_URL=${sandbox.url}\n\nEnvironment:\n${env.join('\n')}`)
  // A name with '-' cannot be `export`ed by bash, but `env` passes it through, as the runner does.
  console.log(
    `\nRun the action against it:\n  env ${env.map((e) => `'${e}'`).join(' ')} node dist/index.js`
  )
  console.log(`\nControl API: ${sandbox.url}/_sandbox/state (see sandbox/README.md). Ctrl-C stops.`)

  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping sandbox`)
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
