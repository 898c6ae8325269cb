import { sentence } from './errors.js'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Outputs } from './constants.js'
import { logLine } from './report/log-line.js'
import { RepeatFolder } from './report/repeats.js'
import { rollsBackOnCancel, runStep } from './run-step.js'
import * as workflow from './workflow-commands.js'

/**
 * The runner's log. Every text, whatever its source, goes through logLine before it reaches
 * the runner (`workflow-commands.ts`) (report/log-line.ts says why), here and in the few calls run() makes itself.
 * Identical lines in a row (a bake's polls) are printed once with a count.
 */
const folder = new RepeatFolder((line) => workflow.info(logLine(line)))
const runnerLog = {
  info: (message: string) => folder.line(message),
  warning: (message: string) => {
    folder.flush()
    workflow.warning(logLine(message))
  },
  debug: (message: string) => workflow.debug(logLine(message)),
  group: <T>(name: string, fn: () => Promise<T>) =>
    workflow.group(logLine(name), async () => {
      try {
        return await fn()
      } finally {
        folder.flush()
      }
    }),
  notice: (message: string) => workflow.notice(logLine(message)),
  fail: (message: string) => workflow.setFailed(logLine(message))
}

/** The action: inputs → pipeline → outputs, result file, summary and one notice. Never throws. */
export async function run(): Promise<void> {
  const cancel = new AbortController()
  const onSignal = (signal: string) => {
    runnerLog.info(`${signal} received: rolling back the canary before exiting.`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  try {
    const report = await runStep((name) => workflow.getInput(name), {
      log: runnerLog,
      env: process.env,
      signal: cancel.signal,
      // The runner cancels with SIGINT, then SIGTERM: a canary run catches both to roll back
      // first. With on-cancel hold, the signals end the process as usual and the weights stay.
      onInputs: (inputs) => {
        if (rollsBackOnCancel(inputs)) {
          process.on('SIGINT', onInt)
          process.on('SIGTERM', onTerm)
        }
      }
    })
    folder.flush()
    if (report.stack) runnerLog.debug(report.stack)
    for (const [name, value] of Object.entries(report.outputs)) workflow.setOutput(name, value)
    // Reporting comes after the traffic change: when it fails, the step still says what it did.
    const file = await writeResultFile(report.outputs[Outputs.Result] ?? '{}').catch(
      (error: unknown) => {
        runnerLog.warning(`The result file was not written: ${reason(error)}`)
        return ''
      }
    )
    workflow.setOutput(Outputs.ResultFile, file)
    await workflow
      .appendSummary(report.summary)
      .catch((error: unknown) =>
        runnerLog.warning(`The job summary was not written: ${reason(error)}`)
      )
    if (report.failure) runnerLog.fail(report.failure)
    else if (report.notice) runnerLog.notice(report.notice)
  } catch (error) {
    // runStep never throws; this is the last guard, so the step fails with a message.
    runnerLog.fail(sentence(reason(error)))
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}

/** The result as a file in the runner's temporary folder, which the runner empties after the job. */
async function writeResultFile(json: string): Promise<string> {
  const dir = process.env.RUNNER_TEMP || tmpdir()
  const path = join(dir, `ecs-canary-result-${randomUUID()}.json`)
  await writeFile(path, json + '\n', { mode: 0o600 })
  return path
}

function reason(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message
  return typeof message === 'string' ? message : String(error)
}
