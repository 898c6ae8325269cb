import * as core from '@actions/core'
import { createClients } from './aws/clients.js'
import { Inputs } from './constants.js'
import { ActionError } from './errors.js'
import { NOTHING_WRITTEN } from './execute/journal.js'
import { parseInputs } from './inputs.js'
import { newRunIdentity } from './lease.js'
import { runPipeline, type Outcome } from './pipeline.js'
import { stepOutputs } from './report/outputs.js'
import { logLine } from './report/log-line.js'
import { renderFailure, renderSummary } from './report/summary.js'
import { sentence } from './report/text.js'
import { formatSplit } from './shares.js'

/**
 * The runner's log. Every text, whatever its source, goes through logLine before it reaches
 * `@actions/core` (report/log-line.ts says why), here and in the few calls run() makes itself.
 */
const runnerLog = {
  info: (message: string) => core.info(logLine(message)),
  warning: (message: string) => core.warning(logLine(message)),
  debug: (message: string) => core.debug(logLine(message)),
  group: <T>(name: string, fn: () => Promise<T>) => core.group(logLine(name), fn),
  notice: (message: string) => core.notice(logLine(message)),
  fail: (message: string) => core.setFailed(logLine(message))
}

/** The action: inputs → pipeline → outputs, summary and one notice. Never throws. */
export async function run(): Promise<void> {
  const cancel = new AbortController()
  const onSignal = (signal: string) => {
    runnerLog.info(`${signal} received: rolling back the canary before exiting.`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  let result: Outcome | undefined
  try {
    const inputs = parseInputs((name) => core.getInput(name), process.env)
    for (const warning of inputs.warnings) runnerLog.warning(warning)
    // The runner cancels with SIGINT, then SIGTERM: a canary run catches both to roll back first.
    // With on-cancel hold, the signals end the process as usual and the weights stay.
    if (inputs.mode === 'canary' && inputs.onCancel === 'rollback' && !inputs.dryRun) {
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
    }
    result = await runPipeline(inputs, {
      clients: createClients(inputs.region),
      log: runnerLog,
      signal: cancel.signal,
      identity: newRunIdentity(process.env)
    })
    for (const [name, value] of Object.entries(stepOutputs(result))) core.setOutput(name, value)
    await writeSummary(renderSummary(result))
    if (result.failure) runnerLog.fail(result.failure)
    else runnerLog.notice(noticeLine(result))
  } catch (error) {
    const thrown = error instanceof Error ? error.message : String(error)
    if (!(error instanceof ActionError) && error instanceof Error && error.stack) {
      runnerLog.debug(error.stack)
    }
    // runPipeline throws only before its first write. Once it has returned, only reporting can
    // fail (the summary file, say): then the message still says what the step did.
    const state = result ? (result.failure ?? noticeLine(result)) : NOTHING_WRITTEN
    const message = `${sentence(thrown)} ${state}`
    runnerLog.fail(message)
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
