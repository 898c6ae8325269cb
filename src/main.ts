import * as core from '@actions/core'
import { createClients } from './aws/clients.js'
import { Inputs } from './constants.js'
import { ActionError } from './errors.js'
import { parseInputs } from './inputs.js'
import { newRunIdentity } from './lease.js'
import type { Logger } from './logger.js'
import { runPipeline, type Outcome } from './pipeline.js'
import { stepOutputs } from './report/outputs.js'
import { renderFailure, renderSummary } from './report/summary.js'
import { formatSplit } from './shares.js'

/**
 * `core.info` writes its text as it is, and the runner reads any line of the log that starts with
 * `::` as a workflow command. Text from AWS (an alarm's state reason, a name) can hold line
 * breaks, so a log line is kept on one line: nothing after a break can start a command.
 * (warning, error, notice and group names are workflow commands themselves and escape their data.)
 */
export function oneLine(message: string): string {
  return message.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ⏎ ')
}

const coreLogger: Logger = {
  info: (message) => core.info(oneLine(message)),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  group: (name, fn) => core.group(name, fn)
}

/** The action: inputs → pipeline → outputs, summary and one notice. Never throws. */
export async function run(): Promise<void> {
  const cancel = new AbortController()
  const onSignal = (signal: string) => {
    core.info(`${signal} received: rolling back the canary before exiting.`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  try {
    const inputs = parseInputs((name) => core.getInput(name), process.env)
    for (const warning of inputs.warnings) core.warning(warning)
    // The runner cancels with SIGINT, then SIGTERM: a canary run catches both to roll back first.
    // With on-cancel hold, the signals end the process as usual and the weights stay.
    if (inputs.mode === 'canary' && inputs.onCancel === 'rollback' && !inputs.dryRun) {
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
    }
    const result = await runPipeline(inputs, {
      clients: createClients(inputs.region),
      log: coreLogger,
      signal: cancel.signal,
      identity: newRunIdentity(process.env)
    })
    for (const [name, value] of Object.entries(stepOutputs(result))) core.setOutput(name, value)
    await writeSummary(renderSummary(result))
    if (result.failure) core.setFailed(result.failure)
    else core.notice(noticeLine(result))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!(error instanceof ActionError) && error instanceof Error && error.stack) {
      core.debug(error.stack)
    }
    core.setFailed(message)
    await writeSummary(
      renderFailure(core.getInput(Inputs.Mode), core.getInput(Inputs.Service), message)
    ).catch(() => undefined)
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (a local run without GITHUB_STEP_SUMMARY) there is nowhere to write it.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown).write()
}

function noticeLine(result: Outcome): string {
  const { inputs, plan } = result
  const name = result.state.service.name
  if (inputs.dryRun) {
    const tag = plan.stableAfter !== plan.stableBefore ? ` and stable ${plan.stableAfter}` : ''
    return `${inputs.mode} (dry run): ${name} would go from ${formatSplit(plan.splitBefore)} to ${formatSplit(plan.splitAfter)}${tag}; nothing written.`
  }
  const state = `${formatSplit(result.splitAfter)}, stable ${result.stableAfter}`
  return result.changed
    ? `${inputs.mode}: ${name} now ${state}.`
    : `${inputs.mode}: ${name} unchanged at ${state}.`
}
