import { basename } from 'node:path'
import { InputError } from '../errors.js'
import { MODES } from '../input-modes.js'
import { ACTION_INPUTS } from './action-inputs.js'

/** What the command line asked for. */
export type CommandLine =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run'
      /** Input values by their action.yml names, `mode` included. */
      values: ReadonlyMap<string, string>
      /** Print the result object on stdout instead of a line of text. */
      json: boolean
      /** No progress on stderr. */
      quiet: boolean
    }

/** Flags of the command line itself, beside one flag per input. */
export const OWN_FLAGS = {
  json: 'print the result as JSON on stdout (docs/result.schema.json)',
  quiet: 'print no progress on stderr',
  help: 'print this help',
  version: 'print the version'
} as const

/**
 * True when the bundle was started as a command: through bin/ecs-canary.js, or with arguments.
 * A runner starts the action as `node …/dist/index.js` and passes nothing.
 */
export function invokedAsCommand(argv: readonly string[]): boolean {
  return argv.length > 2 || basename(argv[1] ?? '') !== 'index.js'
}

const INPUT_NAMES = new Set(ACTION_INPUTS.map((input) => input.name))
/** Inputs whose value is true or false: `--dry-run` alone means `--dry-run true`. */
const SWITCHES = new Set(
  ACTION_INPUTS.filter((input) => input.default === 'true' || input.default === 'false').map(
    (input) => input.name
  )
)

/**
 * `<mode> --name value …` (or `--name=value`), flags named like the inputs in action.yml. A flag
 * given twice adds a line (as `alarms` takes one name a line). Throws InputError on anything else.
 */
export function parseCommandLine(args: readonly string[]): CommandLine {
  if (args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    return { kind: 'help' }
  }
  if (args.includes('--version')) return { kind: 'version' }
  const values = new Map<string, string>()
  let json = false
  let quiet = false
  const set = (name: string, value: string) =>
    values.set(name, values.has(name) ? `${values.get(name)}\n${value}` : value)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('--')) {
      if (values.has('mode')) {
        throw new InputError(`Unexpected argument "${arg}": give the mode once, then --flags.`)
      }
      values.set('mode', arg)
      continue
    }
    const at = arg.indexOf('=')
    const name = at < 0 ? arg.slice(2) : arg.slice(2, at)
    if (name === 'json' || name === 'quiet') {
      if (at >= 0) throw new InputError(`--${name} takes no value.`)
      if (name === 'json') json = true
      else quiet = true
      continue
    }
    if (!INPUT_NAMES.has(name)) throw new InputError(unknownFlag(name))
    if (at >= 0) {
      set(name, arg.slice(at + 1))
    } else if (SWITCHES.has(name) && (args[i + 1] === undefined || args[i + 1].startsWith('--'))) {
      set(name, 'true')
    } else if (args[i + 1] === undefined) {
      throw new InputError(`--${name} needs a value, e.g. --${name}=VALUE.`)
    } else {
      set(name, args[++i])
    }
  }
  if (!values.has('mode')) {
    throw new InputError(`Give a mode first: one of ${MODES.join(', ')}. See --help.`)
  }
  return { kind: 'run', values, json, quiet }
}

function unknownFlag(name: string): string {
  const near = [...INPUT_NAMES, ...Object.keys(OWN_FLAGS)].find(
    (known) => known.includes(name) || name.includes(known)
  )
  return `Unknown flag --${name}.${near ? ` Did you mean --${near}?` : ''} See --help.`
}
