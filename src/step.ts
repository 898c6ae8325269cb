import type { ECSClient } from '@aws-sdk/client-ecs'
import type { OutputName } from './constants.js'
import type { ServiceState } from './discover/service.js'
import type { DeploymentTracker } from './github/deployments.js'
import type { ActionInputs } from './inputs.js'
import type { RunIdentity } from './lease.js'
import type { Logger } from './logger.js'
import type { Outcome } from './pipeline.js'
import type { RunResult } from './report/result.js'

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
 * What a step did before the rest of the action was loaded: the inputs checked, and the first
 * request (the service's DescribeServices) sent; or the error that stopped it there.
 */
export interface StepStart {
  /** Set once the GitHub Deployments settings were read, so a failure after them is reported there. */
  deployments?: DeploymentTracker
  begun?: {
    inputs: ActionInputs
    identity: RunIdentity
    /** The client the service read went out on, for the rest of the run. */
    ecs: ECSClient
    /** The service's read, when it was sent before the rest was loaded. */
    service?: Promise<ServiceState>
  }
  /** Why the step stopped before its first request (bad input). */
  error?: unknown
}
