import { createClients } from './aws/clients.js'
import { Inputs, Outputs } from './constants.js'
import type { Discovery } from './discover/discover.js'
import { ActionError, messageOf, sentence } from './errors.js'
import { NOTHING_WRITTEN } from './execute/journal.js'
import type { InputReader } from './inputs.js'
import { runPipeline, type Outcome } from './pipeline.js'
import { knownOutputs, stepOutputs } from './report/outputs.js'
import { earlyResult, runResult } from './report/result.js'
import { renderFailure, renderSummary } from './report/summary.js'
import { formatSplit } from './shares.js'
import type { StepDeps, StepReport, StepStart } from './step.js'

/**
 * The rest of a step once its first request is under way (run-step.ts): the pipeline on the
 * service read already sent, then what to report. Never throws.
 */
export async function finishStep(
  read: InputReader,
  deps: StepDeps,
  start: StepStart
): Promise<StepReport> {
  const { log } = deps
  const { deployments } = start
  let discovered: Discovery | undefined
  try {
    if (!start.begun) throw start.error
    const { inputs, identity, ecs, service } = start.begun
    const outcome = await runPipeline(inputs, {
      clients: createClients(inputs.region, ecs),
      ...(service ? { service } : {}),
      log,
      signal: deps.signal,
      identity,
      onDiscovered: (state) => {
        discovered = state
      },
      onVersionKnown: (state, details) => deployments?.started(state, details)
    })
    await deployments?.finished(outcome)
    const result = runResult(outcome)
    return {
      result,
      outputs: {
        ...stepOutputs(outcome),
        [Outputs.Outcome]: result.outcome,
        [Outputs.Result]: JSON.stringify(result)
      },
      summary: renderSummary(outcome),
      outcome,
      ...(outcome.failure ? { failure: outcome.failure } : { notice: noticeLine(outcome) })
    }
  } catch (error) {
    const thrown = messageOf(error)
    // runPipeline throws only before its first write.
    const failure = endsNothingWritten(thrown)
    await deployments?.failedEarly(failure)
    const mode = read(Inputs.Mode).trim()
    const service = read(Inputs.Service).trim()
    const result = earlyResult({
      mode,
      cluster: read(Inputs.Cluster).trim(),
      service,
      message: failure,
      ...(discovered ? { state: discovered } : {})
    })
    return {
      result,
      outputs: {
        ...knownOutputs(discovered),
        [Outputs.Outcome]: result.outcome,
        [Outputs.Result]: JSON.stringify(result)
      },
      summary: renderFailure(mode, service, failure),
      failure,
      ...(!(error instanceof ActionError) && error instanceof Error && error.stack
        ? { stack: error.stack }
        : {})
    }
  }
}

export function noticeLine(result: Outcome): string {
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

/**
 * An early failure's message, ending with the one sentence that says nothing was written. A
 * refusal that already says so in its own words has that ending replaced, not repeated.
 */
export function endsNothingWritten(message: string): string {
  const text = sentence(message)
  for (const ending of [NOTHING_WRITTEN, 'Nothing was written.']) {
    if (text.toLowerCase().endsWith(ending.toLowerCase())) {
      return `${text.slice(0, -ending.length).trimEnd()} ${NOTHING_WRITTEN}`.trimStart()
    }
  }
  return `${text} ${NOTHING_WRITTEN}`
}
