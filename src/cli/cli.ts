import { InputError } from '../errors.js'
import type { Logger } from '../logger.js'
import { logLine } from '../report/log-line.js'
import { RepeatFolder } from '../report/repeats.js'
import type { RunOutcome } from '../report/result.js'
import { rollsBackOnCancel, runStep } from '../run-step.js'
import { parseCommandLine } from './args.js'
import { helpText } from './help.js'

/** What the command line touches of the process, passed in so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stderr is a terminal: the bake's time left is redrawn in place. */
  isTTY: boolean
  env: NodeJS.ProcessEnv
  version: string
  /** Calls `handler` on SIGINT and SIGTERM until the returned function is called. */
  onSignal: (handler: (signal: string) => void) => () => void
}

export const COMMAND = 'ecs-canary'

/**
 * The command line over the same core as the action: flags named like the inputs, progress on
 * stderr, the outcome (or with --json the result object) on stdout. Returns the exit status
 * (help.ts, EXIT_CODES); never throws.
 */
export async function cli(args: readonly string[], io: CliIo): Promise<number> {
  let line
  try {
    line = parseCommandLine(args)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    io.stderr(`${COMMAND}: ${error.message}\n`)
    return 1
  }
  if (line.kind === 'help') {
    io.stdout(helpText(COMMAND))
    return 0
  }
  if (line.kind === 'version') {
    io.stdout(`${io.version}\n`)
    return 0
  }
  const values = line.values
  const progress = line.quiet ? silentLog : progressLog(io)
  const cancel = new AbortController()
  let signalled = false
  let off = () => undefined as void
  try {
    const report = await runStep((name) => values.get(name) ?? '', {
      log: progress,
      env: io.env,
      signal: cancel.signal,
      // As in the action: a canary catches the signal to roll back first; other runs end with it.
      onInputs: (inputs) => {
        if (!rollsBackOnCancel(inputs)) return
        off = io.onSignal((signal) => {
          signalled = true
          progress.warning(`${signal} received: rolling back the canary before exiting.`)
          cancel.abort()
        })
      }
    })
    progress.end()
    if (report.failure) io.stderr(`error: ${logLine(report.failure)}\n`)
    if (line.json) io.stdout(JSON.stringify(report.result, null, 2) + '\n')
    else if (report.notice) io.stdout(`${logLine(report.notice)}\n`)
    return signalled ? 130 : exitCode(report.result.outcome)
  } finally {
    off()
  }
}

export function exitCode(outcome: RunOutcome): number {
  switch (outcome) {
    case 'changed':
    case 'unchanged':
    case 'dry-run':
      return 0
    case 'rolled-back':
      return 2
    case 'cancelled':
      return 130
    default:
      return 1
  }
}

interface ProgressLog extends Logger {
  /** Prints what is held back (a count of repeated lines) and clears the bake's line. */
  end(): void
}

const silentLog: ProgressLog = {
  info: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
  group: (_name, fn) => fn(),
  end: () => undefined
}

/** `Bake step 2: Green at 25% for 300 s`, as src/execute/bake.ts names the bake's group. */
const BAKE_GROUP = /^Bake step (\d+): (\w+) at ([\d.]+)% for (\d+) s$/

/**
 * Progress on stderr: a heading per phase, a line per event, repeated lines folded. On a
 * terminal, a bake shows one line with its step, share and time left, redrawn every second.
 */
function progressLog(io: CliIo): ProgressLog {
  let ticker: ReturnType<typeof setInterval> | undefined
  let live = false
  const clearLive = () => {
    if (live) io.stderr('\r\x1b[2K')
    live = false
  }
  const folder = new RepeatFolder((text) => {
    clearLive()
    io.stderr(`  ${logLine(text)}\n`)
  })
  const stopTicker = () => {
    if (ticker) clearInterval(ticker)
    ticker = undefined
    clearLive()
  }
  return {
    info: (message) => folder.line(message),
    warning: (message) => {
      folder.flush()
      clearLive()
      io.stderr(`  warning: ${logLine(message)}\n`)
    },
    debug: () => undefined,
    group: async (name, fn) => {
      folder.flush()
      clearLive()
      io.stderr(`▸ ${logLine(name)}\n`)
      const bake = BAKE_GROUP.exec(name)
      if (bake && io.isTTY) {
        const [, stepNumber, color, share, seconds] = bake
        const end = Date.now() + Number(seconds) * 1000
        const draw = () => {
          const left = Math.max(0, Math.round((end - Date.now()) / 1000))
          io.stderr(`\r\x1b[2K  step ${stepNumber}: ${color} ${share}% · bake ${left} s left`)
          live = true
        }
        draw()
        ticker = setInterval(draw, 1000)
        ticker.unref?.()
      }
      try {
        return await fn()
      } finally {
        stopTicker()
        folder.flush()
      }
    },
    end: () => {
      stopTicker()
      folder.flush()
    }
  }
}
