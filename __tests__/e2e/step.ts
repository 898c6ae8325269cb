/**
 * One run of the bundled action against a sandbox, with the requests it made. Kept apart from
 * harness.ts (which registers Jest hooks) so that scripts outside Jest, such as
 * scripts/reliability.ts, run actions exactly as the e2e tests do.
 */
import type { ChildProcess } from 'node:child_process'
import { isLeaseWrite, isWrite } from '../../sandbox/faults.js'
import { errorLines, runAction, type ActionRun } from '../../sandbox/run-action.js'
import { startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox/server.js'
import { resultErrors } from './result-schema.js'

export { isLeaseWrite }

/** Task sets settle quickly; the default world needs no settling at all. */
export const STEADY_DELAY_MS = 20

export function startE2eSandbox(steadyDelayMs = STEADY_DELAY_MS): Promise<Sandbox> {
  return startSandbox({ steadyDelayMs })
}

/** The inputs every step of the default world shares. */
export const SERVICE_INPUTS: Readonly<Record<string, string>> = {
  cluster: 'mycluster',
  service: 'myservice',
  'stack-name': 'myservice-canary'
}

export interface Step extends ActionRun {
  /** The sandbox requests made during this run, in arrival order. */
  requests: RequestLogEntry[]
  /**
   * The write requests among them (including failed attempts), except the lease's: the tag that
   * says which run holds the service, written first and removed last (leaseWrites).
   */
  writes: RequestLogEntry[]
  /** The writes of the lease tag alone. */
  leaseWrites: RequestLogEntry[]
  /** Every write request, the lease's included. */
  allWrites: RequestLogEntry[]
  /** The `::error::` messages, unescaped. */
  errors: string[]
}

export interface StepOptions {
  /** Replaces SERVICE_INPUTS instead of extending it. */
  bare?: boolean
  env?: Record<string, string>
  onSpawn?: (child: ChildProcess) => void
}

/** Runs the bundled action once with SERVICE_INPUTS plus `inputs`; collects its requests. */
export async function step(
  sandbox: Sandbox,
  inputs: Record<string, string>,
  options: StepOptions = {}
): Promise<Step> {
  const from = sandbox.log.length
  const run = await runAction({
    endpoint: sandbox.url,
    inputs: options.bare ? inputs : { ...SERVICE_INPUTS, ...inputs },
    env: options.env,
    onSpawn: options.onSpawn
  })
  const requests = sandbox.log.slice(from)
  checkResult(run)
  const allWrites = requests.filter((entry) => isWrite(entry.operation))
  return {
    ...run,
    requests,
    writes: allWrites.filter((entry) => !isLeaseWrite(entry)),
    leaseWrites: allWrites.filter(isLeaseWrite),
    allWrites,
    errors: errorLines(run).map((line) => unescapeCommand(line.slice('::error::'.length)))
  }
}

/**
 * Every run that sets `result` sets one that matches docs/result.schema.json, and the file that
 * `result-file` names holds the same object; a run killed before it reported sets neither.
 */
function checkResult(run: ActionRun): void {
  const text = run.outputs.result
  if (text === undefined) return
  const errors = resultErrors(JSON.parse(text))
  if (errors.length > 0) {
    throw new Error(
      `The result output does not match docs/result.schema.json:\n${errors.join('\n')}`
    )
  }
  if (run.resultFile !== undefined && JSON.stringify(JSON.parse(run.resultFile)) !== text) {
    throw new Error('The result file differs from the result output.')
  }
}

/** Undoes the escaping of workflow command data (`%`, CR, LF). */
export function unescapeCommand(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
