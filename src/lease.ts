import { randomBytes } from 'node:crypto'
import type { Color } from './color.js'
import type { Mode } from './inputs.js'

/**
 * The lease: a service tag that says which run is changing the service, until when. A run writes
 * it before its first change and looks at it again before each later change and at the end, so
 * two runs on one service do not both change it: the second refuses with the first run's
 * address. ECS tags have no conditional write, so "write, then read back" is what tells two runs
 * that started together apart (the later write wins both reads). A rollback never waits for a
 * lease: it writes its own beside its first write, which other runs wait for while the rollback
 * runs; at its end it leaves that lease expired, so it blocks nobody new, while a canary that
 * started before it still sees a rollback's lease and rolls back too. Pure apart from
 * `newRunIdentity`.
 *
 * Tag value (ECS allows letters, digits, spaces and `+ - = . _ : / @`):
 * `run 123 attempt 2 job deploy canary until 2026-11-23T10:25:00Z id 9f3a… https://github.com/…`
 * A finished rollback adds the colour it left all traffic on: `… rollback until … left Blue id …`.
 */
export interface RunIdentity {
  /** The workflow run (GITHUB_RUN_ID), or `local` outside Actions. */
  runId: string
  attempt: number
  job: string
  /** Unique per process: tells two jobs of one matrix apart. */
  id: string
  /** The run's page, to name in a refusal. */
  url?: string
}

export interface LeaseHolder extends RunIdentity {
  mode: Mode
  /** Epoch ms after which the lease is stale (its run died without releasing it). */
  until: number
  /**
   * A finished rollback's last word: the colour it left all traffic on and reported. A run that
   * the rollback caught makes route and tag agree with it.
   */
  left?: Color
}

const MAX_TAG_VALUE = 256

export function newRunIdentity(env: NodeJS.ProcessEnv): RunIdentity {
  const runId = /^\d+$/.test(env.GITHUB_RUN_ID ?? '') ? String(env.GITHUB_RUN_ID) : 'local'
  const attempt = Number(/^\d+$/.test(env.GITHUB_RUN_ATTEMPT ?? '') ? env.GITHUB_RUN_ATTEMPT : 1)
  const job = (env.GITHUB_JOB ?? '').replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40) || '-'
  const server = env.GITHUB_SERVER_URL ?? ''
  const repo = env.GITHUB_REPOSITORY ?? ''
  const url =
    runId !== 'local' &&
    /^https:\/\/[A-Za-z0-9.-]+$/.test(server) &&
    /^[\w.-]+\/[\w.-]+$/.test(repo)
      ? `${server}/${repo}/actions/runs/${runId}`
      : undefined
  return { runId, attempt, job, id: randomBytes(6).toString('hex'), ...(url ? { url } : {}) }
}

export function formatLease(holder: LeaseHolder): string {
  const until = new Date(holder.until).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const value =
    `run ${holder.runId} attempt ${holder.attempt} job ${holder.job} ${holder.mode} ` +
    `until ${until}${holder.left ? ` left ${holder.left}` : ''} id ${holder.id}`
  const withUrl = holder.url ? `${value} ${holder.url}` : value
  return withUrl.length <= MAX_TAG_VALUE ? withUrl : value
}

const PATTERN =
  /^run (\S+) attempt (\d+) job (\S+) (canary|deploy|promote|rollback|status) until (\S+)(?: left (Blue|Green))? id ([0-9a-f]+)(?: (https:\/\/\S+))?$/

/** The holder a tag value names, or undefined for a value this action did not write. */
export function parseLease(value: string | undefined): LeaseHolder | undefined {
  const match = value === undefined ? null : PATTERN.exec(value.trim())
  if (!match) return undefined
  const until = Date.parse(match[5])
  if (Number.isNaN(until)) return undefined
  return {
    runId: match[1],
    attempt: Number(match[2]),
    job: match[3],
    mode: match[4] as Mode,
    until,
    id: match[7],
    ...(match[6] ? { left: match[6] as Color } : {}),
    ...(match[8] ? { url: match[8] } : {})
  }
}

export type LeaseVerdict =
  /** No lease, or one this run may take: stale, a rollback's, or an earlier attempt of this job. */
  | { free: true; note?: string }
  /** Another live run holds it. */
  | { free: false; holder: LeaseHolder }

/** May `me` take the service, given the lease tag read from it? */
export function judgeLease(value: string | undefined, me: RunIdentity, now: number): LeaseVerdict {
  if (value === undefined) return { free: true }
  const holder = parseLease(value)
  if (!holder)
    return { free: true, note: `replacing a lease value this action cannot read: "${value}"` }
  if (holder.id === me.id) return { free: true }
  // A rollback's lease blocks while the rollback runs and is left, expired, when it is done:
  // a run that started before it still sees it and rolls back too.
  if (holder.mode === 'rollback' && holder.until <= now) return { free: true }
  if (holder.runId === me.runId && holder.job === me.job && holder.attempt < me.attempt) {
    return {
      free: true,
      note: `taking over from attempt ${holder.attempt} of this job, which did not finish`
    }
  }
  if (holder.until <= now) {
    return { free: true, note: `taking over a stale lease from ${describeHolder(holder)}` }
  }
  return { free: false, holder }
}

export function describeHolder(holder: LeaseHolder): string {
  const where = holder.url ?? `run ${holder.runId}`
  return `${holder.mode} run ${where} (attempt ${holder.attempt}, job ${holder.job})`
}

/** True when the tag value is this run's own lease. */
export function isOwnLease(value: string | undefined, me: RunIdentity): boolean {
  return parseLease(value)?.id === me.id
}
