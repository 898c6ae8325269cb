import type { AwsClients } from '../aws/clients.js'
import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import type { Discovery } from '../discover/discover.js'
import type { Logger } from '../logger.js'
import type { Split } from '../shares.js'
import type { Workload } from '../workloads/workload.js'
import type { DeployRequest } from './deploy-inputs.js'

/**
 * Runs one write under the lease (confirmed right before it) and records the line it returns;
 * undefined means nothing was written.
 */
export type Write = (write: () => Promise<string | undefined>) => Promise<void>

/** How the canary colour gets the new version: by the stack, or by task set calls. */
export interface Replacement {
  /** What would change, one line each, for the log and a dry run. */
  diff: string[]
  container?: string
  oldImage?: string
  newImage?: string
  /**
   * Set when the stable colour runs the version already (a rerun after its promote): nothing to
   * deploy, and the canary must not start; says so, one clause.
   */
  current?: string
  /** Undefined when the canary colour runs the version already (and nothing is left to tidy). */
  apply?: (write: Write) => Promise<{ taskDefinitionArn?: string }>
}

/** What both ways need: the discovery, the clients, the request and how long to wait. */
export interface ReplaceContext {
  clients: AwsClients
  cluster: string
  stackName?: string
  request: DeployRequest
  state: Discovery
  /** The workload discovery composed (a standalone deploy starts its canary tasks through it). */
  workload: Workload
  stable: Color
  canary: Color
  /** The split while the version is replaced: the canary at 0 % once a live canary is taken there. */
  split: Split
  /** The image to run, pinned to its digest when it is in ECR. */
  image?: string
  clock: Clock
  log: Logger
  timeoutMs: number
  pollMs: number
}
