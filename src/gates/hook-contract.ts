/**
 * The lifecycle hook contract of Amazon ECS blue/green deployments, the pure part: a hook function
 * answers `{"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS", "callBackDelay": seconds,
 * "hookDetails": {...}}`; IN_PROGRESS means "invoke me again after callBackDelay seconds".
 */

export type HookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS'

export type HookAnswer =
  | { status: HookStatus; callBackDelayMs?: number; details?: unknown }
  /** Anything else, quoted (cut short) for the message. */
  | { invalid: string }

/** ECS invokes an IN_PROGRESS hook again after 30 s when it names no callBackDelay. */
export const DEFAULT_CALLBACK_DELAY_MS = 30_000

const STATUSES: readonly string[] = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS']
const SHOWN = 200

export function parseHookAnswer(payload: string): HookAnswer {
  const invalid = { invalid: quote(payload) }
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return invalid
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid
  const answer = value as Record<string, unknown>
  const status = answer.hookStatus
  if (typeof status !== 'string' || !STATUSES.includes(status)) return invalid
  const delay = answer.callBackDelay
  if (delay !== undefined && (typeof delay !== 'number' || !(delay >= 0) || delay > 3600)) {
    return invalid
  }
  return {
    status: status as HookStatus,
    ...(typeof delay === 'number' ? { callBackDelayMs: Math.round(delay * 1000) } : {}),
    ...(answer.hookDetails !== undefined ? { details: answer.hookDetails } : {})
  }
}

/** The payload on one line, cut short: a message names what came back, it does not reproduce it. */
export function quote(text: string): string {
  const cut = text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text
  return JSON.stringify(cut)
}

/** What a hook is told: which service, which colours and versions, where the canary is. */
export interface HookPayload {
  hook: string
  service: string
  cluster: string
  canaryColor: string
  stableColor: string
  taskDefinitions: Record<string, string | undefined>
  /** The canary's share of production traffic now, in percent. */
  canaryShare: number
  /** 1-based step of the run. */
  step: number
  /** 1-based invocation of this hook at this point (more than 1 after IN_PROGRESS). */
  invocation: number
  runUrl?: string
  /** The hookDetails the function returned last time, handed back as ECS does. */
  hookDetails?: unknown
}
