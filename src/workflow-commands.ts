import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'

/**
 * What the action says to the runner: inputs from `INPUT_*`, outputs and the job summary through
 * the files the runner names, and workflow commands (`::warning::…`) on stdout. These are the
 * few parts of the runner's protocol the action uses, written here rather than loaded from a
 * toolkit: the toolkit brings an HTTP client whose evaluation was a quarter of the action's
 * start-up, on every run, the emergency rollback included (BENCHMARK.md measures it).
 *
 * The encodings follow the runner's: command data escapes `%`, CR and LF; outputs go to
 * GITHUB_OUTPUT as `name<<delimiter` blocks with a random delimiter the value cannot contain.
 */

/** An input as the runner passes it (`with: canary-weight` → `INPUT_CANARY-WEIGHT`), trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (file) {
    appendFileSync(file, outputBlock(name, value), { encoding: 'utf8' })
    return
  }
  // Outside a runner that names the file (an old runner): the command the runner used to read.
  process.stdout.write(EOL)
  command('set-output', value, { name })
}

/** A `name<<delimiter` block for GITHUB_OUTPUT; throws if the name or value holds the delimiter. */
export function outputBlock(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`
): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`The output ${name} contains its own delimiter ${delimiter}.`)
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  command('debug', message)
}

export function warning(message: string): void {
  command('warning', message)
}

export function notice(message: string): void {
  command('notice', message)
}

/** An error annotation, and the step's exit code 1. */
export function setFailed(message: string): void {
  process.exitCode = 1
  command('error', message)
}

/** Folds what `fn` prints under `name` in the log. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  command('group', name)
  try {
    return await fn()
  } finally {
    command('endgroup', '')
  }
}

/** Appends markdown to the job summary, when the runner names its file. */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  await appendFile(file, markdown, { encoding: 'utf8' })
}

/** `::name key=value,…::data`, escaped as the runner unescapes it. */
export function formatCommand(
  name: string,
  data: string,
  properties: Record<string, string> = {}
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(data)}`
}

function command(name: string, data: string, properties?: Record<string, string>): void {
  process.stdout.write(formatCommand(name, data, properties) + EOL)
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
