import type { AwsClients } from '../aws/clients.js'
import { ecrClient, findImage } from '../aws/ecr.js'
import { cancellable, type Clock } from '../clock.js'
import { otherColor } from '../color.js'
import type { Discovered } from '../discover/discover.js'
import { StateError, messageOf, sentence } from '../errors.js'
import { LeaseGuard } from '../execute/lease-guard.js'
import { shiftAndVerify } from '../execute/shift.js'
import type { ActionInputs } from '../inputs.js'
import type { Logger } from '../logger.js'
import { recordTime, versionOf } from '../promotion-record.js'
import { ServiceTags } from '../service-tags.js'
import { formatPercent, formatSplit, splitFor } from '../shares.js'
import type { DeployRequest } from './deploy-inputs.js'
import { formatDeployRecord } from './deploy-record.js'
import { pinned, type ImageRef } from './image-ref.js'
import type { Write } from './replacement.js'
import { stackReplacement } from './stack-path.js'
import { standaloneReplacement } from './standalone-path.js'
import { taskSetReplacement } from './task-set-path.js'

/** What the deploy did (or, in a dry run, would do), for the report. */
export interface DeployOutcome {
  /** True when it wrote anything. */
  changed: boolean
  writes: string[]
  /** What changes, one line each (shown by a dry run). */
  diff: string[]
  digest?: string
  container?: string
  oldImage?: string
  newImage?: string
  /** The canary's task definition after the deploy, when it put one there. */
  taskDefinitionArn?: string
  /** Set when the stable colour runs the version already: why nothing was deployed. */
  current?: string
  /** Set when a write was made and a later one failed; ends with what is true now. */
  failure?: string
}

export interface DeployDeps {
  clients: AwsClients
  log: Logger
  clock: Clock
  pollMs?: number
  /** Aborted when the runner cancels the job: the deploy's waits end there. */
  signal?: AbortSignal
  /** Keep the lease at the end: the traffic steps that follow take it over. */
  keepLease: boolean
}

/**
 * Puts the requested version into the canary colour, before any traffic moves: the image checked
 * in ECR and pinned to its digest, the revision built from the stable colour's, the colour
 * replaced (by the stack or by task set calls) and healthy at 0 %, and the deploy recorded on the
 * service. Throws before its first write (bad image, bad state); after it, returns a failure that
 * says what was written and that the stable colour keeps its traffic.
 */
export async function deployVersion(
  inputs: ActionInputs,
  request: DeployRequest,
  found: Discovered,
  deps: DeployDeps
): Promise<DeployOutcome> {
  const { state, shape } = found
  const { log } = deps
  // A cancel ends the waits (stack update, new task set); what was written is then reported.
  const clock = cancellable(deps.clock, deps.signal)
  const stable = state.stable
  const canary = otherColor(stable)
  const image = request.image ? await resolveImage(request.image, inputs.region) : undefined
  const live = state.split[canary]
  const context = {
    clients: deps.clients,
    cluster: inputs.cluster,
    ...(inputs.stackName ? { stackName: inputs.stackName } : {}),
    request,
    state,
    workload: shape.workload,
    stable,
    canary,
    split: live > 0 && request.replaceLiveCanary ? splitFor(canary, 0) : state.split,
    ...(image ? { image: image.text } : {}),
    clock,
    log,
    timeoutMs: inputs.healthTimeoutSeconds * 1000,
    pollMs: deps.pollMs ?? 5000
  }
  const replacement = inputs.stackName
    ? await stackReplacement(context)
    : state.shapeKind === 'standalone-task'
      ? await standaloneReplacement(context, inputs.canaryTasks)
      : await taskSetReplacement(context)
  const base = {
    diff: replacement.diff,
    ...(image?.digest ? { digest: image.digest } : {}),
    ...(replacement.container ? { container: replacement.container } : {}),
    ...(replacement.oldImage ? { oldImage: replacement.oldImage } : {}),
    ...(replacement.newImage ? { newImage: replacement.newImage } : {})
  }
  if (replacement.current) {
    log.info(`Deploy: ${replacement.current}; nothing to deploy.`)
    return { ...base, changed: false, writes: [], current: replacement.current }
  }
  if (!replacement.apply) {
    log.info(`Deploy: ${canary} runs this version already; nothing to deploy.`)
    return { ...base, changed: false, writes: [] }
  }
  for (const line of replacement.diff) log.info(`Deploy: ${line}`)
  if (inputs.dryRun) return { ...base, changed: false, writes: [] }

  if (live > 0 && !request.replaceLiveCanary) {
    throw new StateError(
      `The canary colour ${canary} carries ${formatPercent(live)}% of traffic, and its version is ` +
        'replaced only while it carries none. Run mode rollback first, or set ' +
        '"replace-live-canary: true" to take its share to 0 before the deploy.'
    )
  }
  const guard = new LeaseGuard(shape.lease, inputs.mode, log)
  const writes: string[] = []
  const write: Write = async (run) => {
    await guard.confirm()
    const line = await run()
    if (line) {
      writes.push(line)
      log.info(line)
    }
  }
  try {
    await guard.take(clock.now(), inputs.healthTimeoutSeconds * 2000 + 600_000)
    if (live > 0) {
      await write(async () => {
        const lines: string[] = []
        await shiftAndVerify(shape.router, state.split, splitFor(canary, 0), (l) => lines.push(l))
        return lines.join('; ')
      })
    }
    const result = await replacement.apply(write)
    const tags = new ServiceTags(deps.clients.ecs, state.service, state.service.tags, inputs.tagKey)
    const version = result.taskDefinitionArn && versionOf(result.taskDefinitionArn)
    const record =
      version &&
      formatDeployRecord({
        color: canary,
        version,
        at: recordTime(clock.now()),
        ...(image?.digest ? { digest: image.digest } : {})
      })
    if (record) {
      await write(async () => {
        await tags.set({ [tags.names.deploy]: record })
        return `service tag ${tags.names.deploy}: ${record}`
      })
    }
    // Kept only for traffic steps that take it over; a deploy that wrote nothing gives it back.
    if (!deps.keepLease || writes.length === 0) await guard.release()
    return {
      ...base,
      changed: writes.length > 0,
      writes,
      ...(result.taskDefinitionArn ? { taskDefinitionArn: result.taskDefinitionArn } : {})
    }
  } catch (error) {
    const left = await guard.releaseOrExplain(clock.now())
    if (writes.length === 0) throw error
    const message = messageOf(error)
    const traffic =
      live > 0 || state.split[stable] > 0
        ? `The canary colour ${canary} carries no traffic; the stable colour ${stable} keeps all of it.`
        : `Traffic is ${formatSplit(state.split)}.`
    return {
      ...base,
      changed: true,
      writes,
      failure: `${sentence(message)} Written: ${writes.join('; ')}. ${traffic}${left ? ` ${left}` : ''}`
    }
  }
}

/** The image to run: pinned to its digest when it is in ECR (and found there), else as given. */
async function resolveImage(
  ref: ImageRef,
  fallbackRegion: string
): Promise<{ text: string; digest?: string }> {
  if (!ref.ecr) return { text: ref.text }
  const ecr = await ecrClient(ref.ecr.region || fallbackRegion)
  const found = await findImage(ecr, ref.ecr, {
    ...(ref.tag ? { tag: ref.tag } : {}),
    ...(ref.digest ? { digest: ref.digest } : {})
  })
  return { text: pinned(ref, found.digest), digest: found.digest }
}
