import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { invokedAsCommand } from './cli/args.js'
import { cli } from './cli/cli.js'
import { run } from './main.js'

// The AWS SDK warns on Node < 22 that its releases from 2027 will need Node 22. The action runs
// on node24; the command line and the tests support Node 20 with the SDK versions pinned here
// (README, "Using a release"), so the warning says nothing a run can act on. A caller who sets
// the variable keeps their choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

// One bundle for both: a runner starts `node dist/index.js` with no arguments; the command line
// (bin/ecs-canary.js, or the bundle with arguments) passes a mode and flags.
if (invokedAsCommand(process.argv)) {
  process.exitCode = await cli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    version: packageVersion(),
    onSignal: (handler) => {
      const onInt = () => handler('SIGINT')
      const onTerm = () => handler('SIGTERM')
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
      return () => {
        process.off('SIGINT', onInt)
        process.off('SIGTERM', onTerm)
      }
    }
  })
} else {
  await run()
}

/**
 * package.json sits one folder above the started script (bin/ecs-canary.js or dist/index.js).
 * Found from the script's path at run time, so the bundler does not copy it into dist/.
 */
function packageVersion(): string {
  try {
    const script = realpathSync(process.argv[1] ?? '')
    const text = readFileSync(join(dirname(script), '..', 'package.json'), 'utf8')
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
