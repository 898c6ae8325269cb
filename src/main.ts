import * as core from '@actions/core'
import { createClients } from './aws/clients.js'
import { Inputs } from './constants.js'
import { deploy, type DeployResult } from './deploy.js'
import { ActionError } from './errors.js'
import { parseInputs } from './inputs.js'
import type { Logger } from './logger.js'
import { stepOutputs } from './report/outputs.js'
import { renderFailure, renderSummary } from './report/summary.js'
import { formatWeights } from './report/text.js'

const coreLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  group: (name, fn) => core.group(name, fn)
}

/** The action: inputs → deploy pipeline → outputs, summary and one notice. Never throws. */
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
    // The runner cancels with SIGINT, then SIGTERM: a canary run catches both to roll back first.
    // With on-cancel hold, the signals end the process as usual and the weights stay.
    if (inputs.mode === 'canary' && inputs.onCancel === 'rollback' && !inputs.dryRun) {
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
    }
    const result = await deploy(inputs, {
      clients: createClients(inputs.region),
      log: coreLogger,
      signal: cancel.signal
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

function noticeLine(result: DeployResult): string {
  const { inputs, plan } = result
  const name = result.discovery.service.name
  if (inputs.dryRun) {
    return `${inputs.mode} (dry run): ${name} would go from ${formatWeights(plan.weightsBefore)} to ${formatWeights(plan.weightsAfter)}${plan.tagAfter ? ` and stable ${plan.tagAfter}` : ''}; nothing written.`
  }
  const state = `${formatWeights(result.weightsAfter)}, stable ${result.stableAfter}`
  return result.changed
    ? `${inputs.mode}: ${name} now ${state}.`
    : `${inputs.mode}: ${name} unchanged at ${state}.`
}
