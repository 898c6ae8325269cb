/**
 * Reaction times against the sandbox without added latency: how long after an alarm goes to
 * ALARM, and after the runner's SIGINT, the canary's traffic is back on the stable colour. Both
 * start the clock from a timer armed by an after-write hook on the shift's ModifyRule, so the
 * moment inside the bake does not depend on how fast the process starts.
 */
import type { ChildProcess } from 'node:child_process'
import { applyMutation } from '../mutations.js'
import { errorLines, type ActionRun } from '../run-action.js'
import type { RequestLogEntry, Sandbox } from '../server.js'
import { BenchError, clock, runBounded } from './runs.js'
import { stackInputs } from './scenarios.js'
import { spread } from './stats.js'

export const ALARM = 'myservice-5xx'
export const CANARY = { ...stackInputs, mode: 'canary', steps: '10,50', 'bake-time': '60s' }
/**
 * Delays after the shift, spread evenly over the runs (ms). The alarm's range spans more than one
 * bake poll interval (at most 3 s), so the worst phase — the alarm just after a poll — is sampled.
 */
export const ALARM_DELAYS = [250, 6250] as const
export const SIGNAL_DELAYS = [500, 2000] as const

export interface AlarmSample {
  /** Alarm state change → end of the rollback's ModifyRule. */
  reactionMs: number
  /** DescribeAlarms calls in the bake: from the shift's end to the rollback's start. */
  alarmReads: number
  bakeMs: number
  /** From the bake's start to the first DescribeAlarms, then between them. */
  pollGapsMs: number[]
}

export interface SignalSample {
  /** SIGINT → end of the rollback's ModifyRule. */
  toRollbackMs: number
  /** SIGINT → the process's exit. */
  toExitMs: number
}

const modifies = (log: RequestLogEntry[]) => log.filter((e) => e.operation === 'ModifyRule')

/** Fails the bench unless the run shifted, rolled back after `cause` (its clock time), exited 1. */
function rolledBack(label: string, sandbox: Sandbox, run: ActionRun, cause: number) {
  const [shift, rollback] = modifies(sandbox.log)
  if (run.code === 1 && rollback && cause > 0 && rollback.start >= cause) return { shift, rollback }
  const fired =
    cause > 0 ? `fired ${(cause - (shift?.end ?? 0)).toFixed(0)} ms after the shift` : 'never fired'
  throw new BenchError(
    `${label}: expected a shift, a rollback after the cause, and exit 1; got exit ${run.code}, ` +
      `${modifies(sandbox.log).length} ModifyRule, the cause ${fired}. ${errorLines(run).join(' ')}`
  )
}

async function alarmRun(sandbox: Sandbox, delayMs: number): Promise<AlarmSample> {
  const label = `alarm → rollback (alarm ${delayMs.toFixed(0)} ms after the shift)`
  sandbox.reset('alarms')
  let alarmAt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  sandbox.faults.afterWrite('ModifyRule', () => {
    timer = setTimeout(() => {
      applyMutation(sandbox.world, { type: 'set-alarm', name: ALARM, state: 'ALARM' })
      alarmAt = clock()
    }, delayMs)
  })
  try {
    const run = await runBounded(
      { endpoint: sandbox.url, inputs: { ...CANARY, alarms: ALARM } },
      label
    )
    const { shift, rollback } = rolledBack(label, sandbox, run, alarmAt)
    const reads = sandbox.log.filter(
      (e) => e.operation === 'DescribeAlarms' && e.start > shift.end && e.start < rollback.start
    )
    const polls = [shift.end, ...reads.map((e) => e.start)]
    return {
      reactionMs: rollback.end - alarmAt,
      alarmReads: reads.length,
      bakeMs: rollback.start - shift.end,
      pollGapsMs: polls.slice(1).map((at, i) => at - polls[i])
    }
  } finally {
    clearTimeout(timer)
  }
}

async function signalRun(sandbox: Sandbox, delayMs: number): Promise<SignalSample> {
  const label = `SIGINT → rollback (SIGINT ${delayMs.toFixed(0)} ms after the shift)`
  sandbox.reset()
  let child: ChildProcess | undefined
  let signalledAt = 0
  let exitedAt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  sandbox.faults.afterWrite('ModifyRule', () => {
    timer = setTimeout(() => {
      signalledAt = clock()
      child?.kill('SIGINT')
    }, delayMs)
  })
  try {
    const run = await runBounded(
      {
        endpoint: sandbox.url,
        inputs: CANARY,
        onSpawn: (spawned) => {
          child = spawned
          spawned.on('exit', () => (exitedAt = clock()))
        }
      },
      label
    )
    const { rollback } = rolledBack(label, sandbox, run, signalledAt)
    return { toRollbackMs: rollback.end - signalledAt, toExitMs: exitedAt - signalledAt }
  } finally {
    clearTimeout(timer)
  }
}

export async function measureReactions(
  sandbox: Sandbox,
  runs: number
): Promise<{ alarm: AlarmSample[]; signal: SignalSample[] }> {
  const alarm: AlarmSample[] = []
  for (const delay of spread(...ALARM_DELAYS, runs)) alarm.push(await alarmRun(sandbox, delay))
  const signal: SignalSample[] = []
  for (const delay of spread(...SIGNAL_DELAYS, runs)) signal.push(await signalRun(sandbox, delay))
  return { alarm, signal }
}
