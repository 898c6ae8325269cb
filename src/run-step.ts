import { createClients } from './aws/clients.js'
import { Inputs, Outputs, type OutputName } from './constants.js'
import type { Discovery } from './discover/discover.js'
import { ActionError, messageOf, sentence } from './errors.js'
import { NOTHING_WRITTEN } from './execute/journal.js'
import { DeploymentTracker, deploymentSettings } from './github/deployments.js'
import { parseInputs, type ActionInputs, type InputReader } from './inputs.js'
import { newRunIdentity } from './lease.js'
import type { Logger } from './logger.js'
import { runPipeline, type Outcome } from './pipeline.js'
import { knownOutputs, stepOutputs } from './report/outputs.js'
import { earlyResult, runResult, type RunResult } from './report/result.js'
import { renderFailure, renderSummary } from './report/summary.js'
import { formatSplit } from './shares.js'

/** What a step reports, for the action (outputs, summary) and the command line alike. */
export interface StepReport {
  result: RunResult
  /** Every output but `result-file`, which names where the caller put `result`. */
  outputs: Partial<Record<OutputName, string>>
  /** The job summary, as markdown. */
  summary: string
  /** The failure message, ending with what was and was not changed; absent when the step did what was asked. */
  failure?: string
  /** One line saying what the step did, when it did not fail. */
  notice?: string
  /** The stack of an unexpected error, for the debug log. */
  stack?: string
  /** The finished run; absent when it failed before the pipeline returned. */
  outcome?: Outcome
}

export interface StepDeps {
  log: Logger
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** Called once the inputs are valid, before anything is read from AWS (signal handlers). */
  onInputs?: (inputs: ActionInputs) => void
}

/**
 * One step: inputs → pipeline → what to report. Never throws: a failure before the pipeline
 * returns (bad input, a refusal, an AWS error while reading) is a report with
 * `outcome: failed-before-write` and the outputs that are known.
 */
export async function runStep(read: InputReader, deps: StepDeps): Promise<StepReport> {
  const { log, env } = deps
  let discovered: Discovery | undefined
  let deployments: DeploymentTracker | undefined
  try {
    const inputs = parseInputs(read, env)
    for (const warning of inputs.warnings) log.warning(warning)
    deps.onInputs?.(inputs)
    const settings = deploymentSettings(inputs, env, log)
    deployments = settings && new DeploymentTracker(settings, inputs, log)
    const outcome = await runPipeline(inputs, {
      clients: createClients(inputs.region),
      log,
      signal: deps.signal,
      identity: newRunIdentity(env),
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

/**
 * Whether a cancel (SIGINT, SIGTERM) should be caught to roll back first: a canary run with
 * on-cancel rollback that writes. Other runs end as the signal ends them, with the weights as
 * they are; nothing else they do needs undoing.
 */
export function rollsBackOnCancel(inputs: ActionInputs): boolean {
  return inputs.mode === 'canary' && inputs.onCancel === 'rollback' && !inputs.dryRun
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
