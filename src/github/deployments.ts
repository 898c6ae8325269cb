import { otherColor, type Color, type PerColor } from '../color.js'
import type { Discovery } from '../discover/discover.js'
import type { ActionInputs } from '../inputs.js'
import type { Logger } from '../logger.js'
import type { Outcome } from '../pipeline.js'
import { formatPercent } from '../shares.js'
import type { TaskDefinitionInfo } from '../workloads/workload.js'
import { githubApi, type GithubApi, type GithubResponse } from './api.js'

/**
 * GitHub Deployments for an environment: the repository's Environments page shows what runs
 * there, since when and from which run. A canary or a deploy creates a deployment for the version
 * it brings (found again by its payload on every later step), `in_progress` while it shifts and
 * bakes, `success` when done, `failure` with the reason when a gate fails or it is rolled back; after a
 * promote the replaced version's deployment becomes `inactive`.
 *
 * Best effort by design: no call here can fail or hold back a traffic change. They start once
 * discovery is done and run beside the pipeline, the last ones after it; every error is one
 * warning (a token without `deployments: write` is the usual one), after which the rest is skipped.
 */
export interface DeploymentSettings {
  api: GithubApi
  /** owner/name */
  repo: string
  /** The commit being deployed (GITHUB_SHA). */
  ref: string
  environment: string
  environmentUrl?: string
  /** The run's page, linked from each status. */
  logUrl?: string
}

/** What the deployment's payload records, and what finds it again. */
export interface EcsPayload {
  tool: 'ecs-canary-action'
  service: string
  color: Color
  taskDefinition: string | null
  /** The container images of that task definition, as it names them (a digest when pinned). */
  images: string[]
  /** The canary's percent when the deployment was created. */
  share: number
}

interface Deployment {
  id: number
  payload?: unknown
}

type State = 'in_progress' | 'success' | 'failure' | 'inactive'

const TOOL = 'ecs-canary-action'
/** GitHub refuses a longer status description. */
const MAX_DESCRIPTION = 140

/** The settings for this run, or undefined when no environment is set or the run writes nothing. */
export function deploymentSettings(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: Logger
): DeploymentSettings | undefined {
  const wanted = inputs.deployments
  if (!wanted || inputs.mode === 'status' || inputs.dryRun) return undefined
  const repo = env.GITHUB_REPOSITORY ?? ''
  const ref = env.GITHUB_SHA ?? ''
  // The command line has no token input by default: it reads GITHUB_TOKEN.
  const token = wanted.token || env.GITHUB_TOKEN || ''
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || !ref || !token) {
    const missing = !token
      ? 'there is no GitHub token'
      : 'GITHUB_REPOSITORY and GITHUB_SHA do not name a commit'
    log.warning(
      `"environment" is ${wanted.environment}, but ${missing}: no GitHub deployment is recorded.`
    )
    return undefined
  }
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const runId = env.GITHUB_RUN_ID
  return {
    api: githubApi(env.GITHUB_API_URL || 'https://api.github.com', token),
    repo,
    ref,
    environment: wanted.environment,
    ...(wanted.url ? { environmentUrl: wanted.url } : {}),
    ...(runId ? { logUrl: `${server}/${repo}/actions/runs/${runId}` } : {})
  }
}

/** One run's deployment statuses: `started` once discovery is done, `finished` at the end. */
export class DeploymentTracker {
  private opening: Promise<Deployment | undefined> = Promise.resolve(undefined)
  /** Set after the first error: one warning, then no more calls. */
  private broken = false

  constructor(
    private readonly settings: DeploymentSettings,
    private readonly inputs: ActionInputs,
    private readonly log: Logger
  ) {}

  /**
   * Starts the deployment of the colour that gets traffic (or, for a deploy, the new version);
   * does not wait for GitHub.
   */
  started(
    state: Discovery,
    details: () => Promise<PerColor<TaskDefinitionInfo | undefined>>
  ): void {
    const { mode } = this.inputs
    if (mode !== 'canary' && mode !== 'promote' && mode !== 'deploy') return
    const canary = otherColor(state.stable)
    // A deploy moves no traffic: its deployment records the share the canary colour has.
    const share =
      mode === 'promote'
        ? 100
        : mode === 'deploy'
          ? state.split[canary] / 10
          : (this.inputs.schedule.steps.at(-1) ?? 0) / 10
    this.opening = this.guard(async () => {
      const images = (await details())[canary]?.images ?? []
      const deployment = await this.findOrCreate(state, canary, share, images)
      await this.status(
        deployment,
        'in_progress',
        `${startLine(mode, share)} (${state.service.name})`
      )
      return deployment
    })
  }

  /** The final statuses for a run that returned an outcome. */
  async finished(outcome: Outcome): Promise<void> {
    const opened = await this.opening
    await this.guard(async () => {
      const { inputs, plan, state } = outcome
      const name = state.service.name
      const failure = outcome.failure
      const promoted = outcome.stableAfter !== plan.stableBefore
      if (inputs.mode === 'canary' || inputs.mode === 'promote' || inputs.mode === 'deploy') {
        if (!opened) return
        if (failure) {
          await this.status(opened, 'failure', failure)
          return
        }
        const canary = otherColor(plan.stableBefore)
        const share = formatPercent(outcome.splitAfter[canary])
        await this.status(
          opened,
          'success',
          promoted
            ? `Promoted: ${name} serves all traffic`
            : inputs.mode === 'deploy'
              ? `Deployed to ${canary} with ${share}% of traffic (${name})`
              : `Canary: ${share}% of traffic (${name})`
        )
        if (promoted) {
          const replaced = await this.find(state, plan.stableBefore)
          if (replaced) await this.status(replaced, 'inactive', `Replaced by a promote of ${name}`)
        }
        return
      }
      // A rollback: the colour that lost its traffic failed, and after an undo the colour that
      // serves again is the live deployment once more.
      if (!outcome.changed) return
      const lost = promoted ? plan.stableBefore : plan.canaryBefore
      const dropped = await this.find(state, lost)
      const why = failure ?? `Rolled back: all traffic is on ${outcome.stableAfter} (${name})`
      if (dropped) await this.status(dropped, 'failure', why)
      if (promoted) {
        const back = await this.find(state, outcome.stableAfter)
        if (back) await this.status(back, 'success', `Serves all traffic again (${name})`)
      }
    })
  }

  /** A run that failed before the pipeline returned: its deployment, if any, failed. */
  async failedEarly(message: string): Promise<void> {
    const opened = await this.opening
    if (opened) await this.guard(() => this.status(opened, 'failure', message))
  }

  private async findOrCreate(
    state: Discovery,
    color: Color,
    share: number,
    images: string[]
  ): Promise<Deployment> {
    const found = await this.find(state, color)
    if (found) return found
    const payload: EcsPayload = {
      tool: TOOL,
      service: state.service.arn,
      color,
      taskDefinition: state.health[color].unit.taskDefinitionArn ?? null,
      images,
      share
    }
    const { repo, ref, environment } = this.settings
    return (await this.call('POST', `/repos/${repo}/deployments`, {
      ref,
      environment,
      payload,
      description:
        `${state.service.name}: ${color} ${payload.taskDefinition?.split('/').pop() ?? ''}`.trim(),
      // Deploy this exact commit: no merge of the default branch, no wait for commit checks.
      auto_merge: false,
      required_contexts: [],
      transient_environment: false
    })) as Deployment
  }

  /** The newest deployment of this environment whose payload names this service, colour and version. */
  private async find(state: Discovery, color: Color): Promise<Deployment | undefined> {
    const { repo, environment } = this.settings
    const query = `environment=${encodeURIComponent(environment)}&per_page=100`
    const list = (await this.call('GET', `/repos/${repo}/deployments?${query}`)) as Deployment[]
    const version = state.health[color].unit.taskDefinitionArn ?? null
    return list.find((deployment) => {
      const payload = deployment.payload as Partial<EcsPayload> | undefined
      return (
        payload?.tool === TOOL &&
        payload.service === state.service.arn &&
        payload.color === color &&
        payload.taskDefinition === version
      )
    })
  }

  private async status(deployment: Deployment, state: State, description: string): Promise<void> {
    const { repo, environmentUrl, logUrl } = this.settings
    await this.call('POST', `/repos/${repo}/deployments/${deployment.id}/statuses`, {
      state,
      description: shorten(description),
      ...(environmentUrl && state !== 'inactive' ? { environment_url: environmentUrl } : {}),
      ...(logUrl ? { log_url: logUrl } : {}),
      // A canary's success must not mark the stable version's deployment inactive: it still
      // serves most of the traffic. The promote marks it inactive itself.
      auto_inactive: false
    })
  }

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    const response = await this.settings.api(method, path, body)
    if (response.status >= 200 && response.status < 300) return response.body
    throw new GithubCallError(method, path, response)
  }

  /** Runs `fn` unless an earlier call failed; turns its error into the one warning. */
  private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.broken) return undefined
    try {
      return await fn()
    } catch (error) {
      this.broken = true
      this.log.warning(warningFor(error, this.settings.environment))
      return undefined
    }
  }
}

class GithubCallError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly response: GithubResponse
  ) {
    const body = response.body as { message?: unknown } | undefined
    const detail = typeof body?.message === 'string' ? `: ${body.message}` : ''
    super(`${method} ${path.split('?')[0]} answered HTTP ${response.status}${detail}`)
  }
}

function warningFor(error: unknown, environment: string): string {
  const tail = 'The traffic change is not affected.'
  if (error instanceof GithubCallError && [401, 403, 404].includes(error.response.status)) {
    return (
      `No GitHub deployment recorded for environment "${environment}" (${error.message}): give the ` +
      `job "permissions: deployments: write" and pass a token that has it. ${tail}`
    )
  }
  const message = (error as { message?: unknown } | undefined)?.message
  return `GitHub deployment for environment "${environment}" not updated: ${typeof message === 'string' ? message : String(error)}. ${tail}`
}

function startLine(mode: 'canary' | 'promote' | 'deploy', share: number): string {
  if (mode === 'promote') return 'Promoting'
  if (mode === 'deploy') return 'Deploying the new version'
  return `Canary: shifting to ${formatPercent(share * 10)}%`
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 1)}…`
}
