import { InputError } from './errors.js'
import { parseDuration } from './schedule.js'

/**
 * The `analysis` input: `true`, `false`, or a small block of `key: value` lines (YAML) or a JSON
 * object that overrides the defaults below. Pure; every bad value is one InputError naming the
 * key and its valid range.
 */
export interface AnalysisInputs {
  /** Fail when the canary's error rate is more than this many percentage points above stable's… */
  errorRatePoints: number
  /** …and more than this many times stable's. Both must hold. */
  errorRateRatio: number
  /** Fail when the canary's p99 response time is more than this many times stable's… */
  p99Ratio: number
  /** …and more than this many ms above it, so that jitter on a fast service is no regression. */
  p99MinIncreaseMs: number
  /** Fewer canary requests than this in the window: the verdict is inconclusive. */
  minRequests: number
  /** The span of metrics judged, ending `delayMs` before now; a valid CloudWatch period. */
  windowMs: number
  /** How long CloudWatch takes to publish a period's data: the window ends this long ago. */
  delayMs: number
  /** How long a step may be held past its bake while the verdict is inconclusive. */
  maxWaitMs: number
  /** What an inconclusive verdict does once `maxWaitMs` has passed. */
  onInconclusive: 'fail' | 'pass'
}

export const ANALYSIS_DEFAULTS: AnalysisInputs = Object.freeze({
  errorRatePoints: 1,
  errorRateRatio: 2,
  p99Ratio: 1.5,
  p99MinIncreaseMs: 50,
  minRequests: 50,
  windowMs: 120_000,
  delayMs: 60_000,
  maxWaitMs: 300_000,
  onInconclusive: 'fail'
})

const KEYS = {
  'error-rate-points': 'errorRatePoints',
  'error-rate-ratio': 'errorRateRatio',
  'p99-ratio': 'p99Ratio',
  'p99-min-increase': 'p99MinIncreaseMs',
  'min-requests': 'minRequests',
  window: 'windowMs',
  delay: 'delayMs',
  'max-wait': 'maxWaitMs',
  'on-inconclusive': 'onInconclusive'
} as const satisfies Record<string, keyof AnalysisInputs>

type Key = keyof typeof KEYS

/** What a valid value of each key is, for the messages. */
const VALID: Record<Key, string> = {
  'error-rate-points': 'a number of percentage points from 0 to 100, e.g. 1',
  'error-rate-ratio': 'a number of at least 1, e.g. 2',
  'p99-ratio': 'a number of at least 1, e.g. 1.5',
  'p99-min-increase': 'a duration up to 1m, e.g. 50ms or 1s',
  'min-requests': 'a whole number from 1 to 1000000, e.g. 50',
  window: 'a duration of 1s, 5s, 10s, 30s or whole minutes up to 1h, e.g. 2m',
  delay: 'a duration up to 15m, e.g. 1m',
  'max-wait': 'a duration up to 1h, e.g. 5m',
  'on-inconclusive': 'fail or pass'
}

const NAME = 'analysis'

/** Undefined when analysis is off. */
export function parseAnalysis(text: string): AnalysisInputs | undefined {
  const trimmed = text.trim()
  const lower = trimmed.toLowerCase()
  if (lower === 'false' || lower === '') return undefined
  if (lower === 'true') return { ...ANALYSIS_DEFAULTS }
  const entries = trimmed.startsWith('{') ? jsonEntries(trimmed) : lineEntries(trimmed)
  const config: AnalysisInputs = { ...ANALYSIS_DEFAULTS }
  for (const [key, raw] of entries) {
    if (!Object.hasOwn(KEYS, key)) {
      throw new InputError(
        `"${NAME}" has an unknown key "${key}": the keys are ${Object.keys(KEYS).join(', ')}.`
      )
    }
    Object.assign(config, { [KEYS[key as Key]]: parseValue(key as Key, raw) })
  }
  return config
}

function jsonEntries(text: string): [string, string][] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new InputError(`"${NAME}" starts with "{" but is not a JSON object: ${example()}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`"${NAME}" is not a JSON object: ${example()}`)
  }
  return Object.entries(parsed).map(([key, value]) => [key, String(value)])
}

/** `key: value`, one a line (YAML's block mapping) or separated by commas; `#` starts a comment. */
function lineEntries(text: string): [string, string][] {
  return text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^([a-z0-9-]+)\s*:\s*(.+)$/i.exec(line)
      if (!match) {
        throw new InputError(`"${NAME}" has "${line}", which is not "key: value": ${example()}`)
      }
      return [match[1].toLowerCase(), match[2].trim().replace(/^(['"])(.*)\1$/, '$2')]
    })
}

function example(): string {
  return 'write true, or lines such as "error-rate-points: 1" and "p99-ratio: 1.5".'
}

function parseValue(key: Key, raw: string): number | string {
  const bad = () => new InputError(`"${NAME}" has ${key} "${raw}": it must be ${VALID[key]}.`)
  const number = (min: number, max: number, whole = false) => {
    if (!/^\d+(\.\d+)?$/.test(raw)) throw bad()
    const value = Number(raw)
    if (value < min || value > max || (whole && !Number.isInteger(value))) throw bad()
    return value
  }
  const duration = (max: number) => {
    let ms: number
    try {
      ms = parseDuration(raw, NAME)
    } catch {
      throw bad()
    }
    if (ms > max) throw bad()
    return ms
  }
  switch (key) {
    case 'error-rate-points':
      return number(0, 100)
    case 'error-rate-ratio':
    case 'p99-ratio':
      return number(1, 1000)
    case 'min-requests':
      return number(1, 1_000_000, true)
    case 'p99-min-increase': {
      const match = /^(\d+)ms$/.exec(raw)
      const value = match ? Number(match[1]) : duration(60_000)
      if (value > 60_000) throw bad()
      return value
    }
    case 'window': {
      const ms = duration(3_600_000)
      if (!isCloudWatchPeriod(ms)) throw bad()
      return ms
    }
    case 'delay':
      return duration(900_000)
    case 'max-wait':
      return duration(3_600_000)
    case 'on-inconclusive': {
      const lower = raw.toLowerCase()
      if (lower !== 'fail' && lower !== 'pass') throw bad()
      return lower
    }
  }
}

/** GetMetricData accepts periods of 1, 5, 10 and 30 s, or any multiple of 60 s. */
export function isCloudWatchPeriod(ms: number): boolean {
  const s = ms / 1000
  return Number.isInteger(s) && s > 0 && ([1, 5, 10, 30].includes(s) || s % 60 === 0)
}
