import { MODE_INPUTS, type Mode, type ModeInputName } from './input-modes.js'

/**
 * Reads the inputs only some modes use, for one mode. An input the mode uses is parsed, and a
 * malformed value throws its InputError. An input it does not use is not parsed: it gets its
 * default, and when its value would not parse, a warning instead of an error, so a typo in an
 * input another mode needs never blocks this run.
 */
export class ModeReader {
  private readonly found: string[] = []

  constructor(
    private readonly get: (name: string) => string | undefined,
    readonly mode: Mode
  ) {}

  /** One line per ignored input whose value is malformed. */
  get warnings(): readonly string[] {
    return [...this.found]
  }

  uses(name: ModeInputName): boolean {
    return (MODE_INPUTS[name].modes as readonly Mode[]).includes(this.mode)
  }

  /** `parse(value)` when the mode uses the input and it is given, else `fallback`. */
  read<T>(name: ModeInputName, parse: (text: string) => T, fallback: T): T {
    const text = this.get(name)
    if (text === undefined) return fallback
    if (this.uses(name)) return parse(text)
    if (!parses(parse, text)) this.found.push(ignoredWarning(name, text, this.mode))
    return fallback
  }
}

/** Any failure counts as malformed: whatever goes wrong in an ignored input, the run goes on. */
function parses(parse: (text: string) => unknown, text: string): boolean {
  try {
    parse(text)
    return true
  } catch {
    return false
  }
}

export function ignoredWarning(name: ModeInputName, text: string, mode: Mode): string {
  return (
    `"${name}" is ${quoted(text)}: mode ${mode} ignores it, so the run goes on. ` +
    `A valid value is ${MODE_INPUTS[name].valid}.`
  )
}

const SHOWN = 60

/** The value quoted on one line and cut short: the warning names it, it does not reproduce it. */
function quoted(text: string): string {
  const cut = text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text
  return JSON.stringify(cut)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
