import type { AwsClients } from './aws/clients.js'
import type { Color, PerColor } from './color.js'
import { discover, type Discovery } from './discover/discover.js'
import { IncompletePromotionError, VerificationError } from './errors.js'
import { realClock, waitUntilReady, type GateClock, type GateResult } from './gate.js'
import type { ActionInputs } from './inputs.js'
import type { Logger } from './logger.js'
import { plan, type Plan } from './plan.js'
import { writeStableTag } from './stable-tag.js'
import { formatWeights } from './report/text.js'
import type { TaskDefinitionInfo } from './workloads/workload.js'

export type GateOutcome =
  { kind: 'not-needed' } | { kind: 'passed'; result: GateResult } | { kind: 'skipped'; why: string }

export interface DeployResult {
  inputs: ActionInputs
  discovery: Discovery
  plan: Plan
  gate: GateOutcome
  /** One line per AWS write that was made, in order. */
  writes: string[]
  changed: boolean
  /** The stable colour after the step (unchanged by a dry run). */
  stableAfter: Color
  /** Weights after the step: read back after a write, else as discovered. */
  weightsAfter: PerColor<number>
  details: PerColor<TaskDefinitionInfo | undefined>
}

export interface DeployDeps {
  clients: AwsClients
  log: Logger
  clock?: GateClock
  pollMs?: number
}

/** The pipeline: discover → plan → gate → apply → verify. Reporting is the caller's. */
export async function deploy(inputs: ActionInputs, deps: DeployDeps): Promise<DeployResult> {
  const { clients, log } = deps
  const discovery = await log.group('Discover', async () => {
    const found = await discover(inputs, clients)
    log.info(`Service ${found.service.arn}: stable colour ${found.stable} (tag ${inputs.tagKey})`)
    log.info(`Route: ${found.router.kind} ${found.router.arn}`)
    log.info(`Weights: ${formatWeights(found.weights)}`)
    return found
  })

  const decided = plan({
    mode: inputs.mode,
    stable: discovery.stable,
    weights: discovery.weights,
    canaryShare: inputs.canaryShare
  })
  await log.group('Plan', async () => {
    log.info(decided.reason)
    if (decided.writeWeights) {
      log.info(
        `Weights: ${formatWeights(decided.weightsBefore)} → ${formatWeights(decided.weightsAfter)}`
      )
    }
    if (decided.tagAfter) log.info(`Tag: ${inputs.tagKey}=${decided.tagAfter}`)
    if (!decided.writeWeights && !decided.tagAfter) log.info('No change needed.')
  })

  const writes: string[] = []
  const gate = await runGate(inputs, discovery, decided.gate, deps, writes)
  const base = { inputs, discovery, plan: decided, gate }
  if (inputs.dryRun || inputs.mode === 'status') {
    if (inputs.dryRun) log.info('Dry run: nothing was written.')
    return {
      ...base,
      writes,
      changed: false,
      stableAfter: discovery.stable,
      weightsAfter: discovery.weights,
      details: await discovery.workload.details()
    }
  }

  let weightsAfter = discovery.weights
  if (decided.writeWeights) {
    weightsAfter = await log.group('Apply', async () => {
      const { router } = discovery
      await router.write(decided.weightsAfter)
      log.info(`Wrote ${formatWeights(decided.weightsAfter)} to ${router.kind} ${router.arn}`)
      writes.push(
        `${router.kind} ${router.arn}: ${formatWeights(decided.weightsBefore)} → ${formatWeights(decided.weightsAfter)}`
      )
      const readBack = await router.readBack()
      if (
        readBack.Blue !== decided.weightsAfter.Blue ||
        readBack.Green !== decided.weightsAfter.Green
      ) {
        throw new VerificationError(
          `Wrote ${formatWeights(decided.weightsAfter)} to ${router.kind} ${router.arn}, but it reads back ` +
            `${formatWeights(readBack)}: another writer changed it. Make sure only one workflow moves ` +
            'this service at a time (a concurrency group), then run this step again.'
        )
      }
      log.info(`Verified: ${formatWeights(readBack)}`)
      return readBack
    })
  }
  if (decided.tagAfter) {
    const color = decided.tagAfter
    await log.group('Tag', async () => {
      try {
        await writeStableTag(clients.ecs, discovery.service.arn, inputs.tagKey, color)
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error)
        throw new IncompletePromotionError(
          `All traffic now goes to ${color}, but setting the tag ${inputs.tagKey}=${color} failed: ${why} ` +
            'Run promote again to finish; it will only write the tag.'
        )
      }
      writes.push(`service tag ${inputs.tagKey}: ${discovery.stable} → ${color}`)
      log.info(`Tagged ${discovery.service.arn} ${inputs.tagKey}=${color}`)
    })
  }
  return {
    ...base,
    writes,
    changed: writes.length > 0,
    stableAfter: decided.stableAfter,
    weightsAfter,
    details: await discovery.workload.details()
  }
}

async function runGate(
  inputs: ActionInputs,
  discovery: Discovery,
  color: Color | undefined,
  deps: DeployDeps,
  writes: string[]
): Promise<GateOutcome> {
  if (!color) return { kind: 'not-needed' }
  if (!inputs.waitForHealthy) {
    deps.log.warning(
      `wait-for-healthy is false: ${color} gets more traffic without a health check.`
    )
    return { kind: 'skipped', why: 'wait-for-healthy is false' }
  }
  const { workload, router } = discovery
  if (inputs.dryRun) return { kind: 'skipped', why: 'dry run' }
  return deps.log.group(`Wait for ${color} to be healthy`, async () => {
    // A load balancer health-checks only target groups a route names: a route that lacks the
    // canary (the legacy single-group forward) first gets it at weight 0, at the same split.
    const attached = await router.attach()
    if (attached.length > 0) {
      const line = `${router.kind} ${router.arn}: added ${attached.join(', ')} at weight 0 so its targets are health-checked (traffic unchanged)`
      writes.push(line)
      deps.log.info(line)
    }
    const result = await waitUntilReady(
      color,
      attached.length > 0 ? await workload.probe(color) : workload.health[color],
      () => workload.probe(color),
      inputs.healthTimeoutSeconds * 1000,
      deps.clock ?? realClock,
      (reasons) => deps.log.info(`Waiting: ${reasons.join('; ')}`),
      deps.pollMs
    )
    deps.log.info(
      `${color} is healthy (${result.checks} check(s), ${Math.round(result.waitedMs / 1000)} s).`
    )
    return { kind: 'passed', result }
  })
}
