import { createEcsClient } from './aws/ecs-client.js'
import { readService } from './discover/service.js'
import { DeploymentTracker, deploymentSettings } from './github/deployments.js'
import { namesRouteOrTaskSets, parseInputs, type ActionInputs, type InputReader } from './inputs.js'
import { newRunIdentity } from './lease.js'
import type { StepDeps, StepReport, StepStart } from './step.js'

export type { StepDeps, StepReport } from './step.js'

/**
 * One step: inputs → pipeline → what to report. Never throws: a failure before the pipeline
 * returns (bad input, a refusal, an AWS error while reading) is a report with
 * `outcome: failed-before-write` and the outputs that are known.
 *
 * Every run's first request is the service's DescribeServices, and all it needs is the inputs
 * and the ECS client; so that request is sent first, and the rest of the action (the other SDKs,
 * routers, workloads, gates, the report) is a chunk file of its own, read and compiled while the
 * request is in flight. Discovery takes the read already under way. When the inputs name a route
 * or target groups, their reads belong beside the service's, not a load later: the service is
 * then read with them, once the rest is loaded.
 */
export async function runStep(read: InputReader, deps: StepDeps): Promise<StepReport> {
  const start = startStep(read, deps)
  const { finishStep } = await import('./finish-step.js')
  return finishStep(read, deps, start)
}

/** Checks the inputs and sends the first request; every input check comes before it. */
function startStep(read: InputReader, deps: StepDeps): StepStart {
  const { log, env } = deps
  const start: StepStart = {}
  try {
    const inputs = parseInputs(read, env)
    for (const warning of inputs.warnings) log.warning(warning)
    deps.onInputs?.(inputs)
    const settings = deploymentSettings(inputs, env, log)
    if (settings) start.deployments = new DeploymentTracker(settings, inputs, log)
    const identity = newRunIdentity(env)
    const ecs = createEcsClient(inputs.region)
    start.begun = { inputs, identity, ecs }
    if (!readsBesideService(inputs)) {
      const service = readService(ecs, inputs.cluster, inputs.service)
      // Reported where discovery awaits it; it must not go unhandled while the rest loads.
      service.catch(() => undefined)
      start.begun.service = service
    }
  } catch (error) {
    start.error = error
  }
  return start
}

/**
 * Whether the inputs name something discovery reads at once beside the service, from the inputs
 * alone (compose.ts, `kindFromInputs` and `startRouteRead`): target groups, task sets, a rule, a
 * listener, a Route 53 record set, two services. A stack is not one of them: its read needs the
 * CloudFormation SDK, which the rest of the action loads anyway.
 */
export function readsBesideService(inputs: ActionInputs): boolean {
  return Boolean(inputs.services) || namesRouteOrTaskSets(inputs)
}

/**
 * Whether a cancel (SIGINT, SIGTERM) should be caught to roll back first: a canary run with
 * on-cancel rollback that writes. Other runs end as the signal ends them, with the weights as
 * they are; nothing else they do needs undoing.
 */
export function rollsBackOnCancel(inputs: ActionInputs): boolean {
  return inputs.mode === 'canary' && inputs.onCancel === 'rollback' && !inputs.dryRun
}
