import { InputError } from './errors.js'
import { FULL, parsePercent, type Permille } from './shares.js'

/**
 * A canary run as a list of shares to walk through, each held for the bake time while the gates
 * are watched. A final share of 100 % means promote at the end.
 */
export interface Schedule {
  steps: Permille[]
  bakeMs: number
  /** Where the steps came from, for the log and the summary. */
  source: string
  /** True for `steps` and `strategy`: resume past done steps, and promote at a step of 100 %. */
  walk: boolean
}

const MINUTE = 60_000

/** The CodeDeploy-named presets; `CanaryXPercentYMinutes` and `LinearXPercentEveryYMinutes` too. */
export const PRESETS = [
  'AllAtOnce',
  'Canary10Percent5Minutes',
  'Canary10Percent15Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery3Minutes'
] as const

/** `90s`, `5m`, `1h`, `1m30s`, `0`; at most 6 hours (a job runs at most 6 hours on GitHub). */
export function parseDuration(text: string, name: string): number {
  const trimmed = text.trim()
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed)
  const ms =
    trimmed === '0'
      ? 0
      : match && trimmed !== ''
        ? (Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 1000
        : undefined
  if (ms === undefined || ms > 6 * 3600_000) {
    throw new InputError(
      `"${name}" is "${text}": give a duration such as 90s, 5m, 1h or 1m30s (at most 6h).`
    )
  }
  return ms
}

/** `5,25,50` or `5 25 50 100`: strictly increasing shares above 0. */
export function parseSteps(text: string): Permille[] {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  const steps = parts.map((part) => {
    const share = parsePercent(part)
    if (share === undefined || share === 0) {
      throw new InputError(
        `"steps" has "${part}": each step is a percent above 0 and up to 100 with at most one decimal.`
      )
    }
    return share
  })
  if (steps.length === 0) throw new InputError('"steps" is empty: give shares such as 5,25,50.')
  steps.forEach((share, i) => {
    if (i > 0 && share <= steps[i - 1]) {
      throw new InputError(`"steps" must increase: ${parts.join(', ')} does not.`)
    }
  })
  return steps
}

/** Steps and bake time of a preset name; throws an InputError naming the valid forms. */
export function parseStrategy(name: string): { steps: Permille[]; bakeMs: number } {
  if (name === 'AllAtOnce') return { steps: [FULL], bakeMs: 0 }
  const canary = /^Canary(\d{1,2})Percent(\d{1,3})Minutes?$/.exec(name)
  if (canary) {
    const share = Number(canary[1]) * 10
    if (share > 0) return { steps: [share, FULL], bakeMs: Number(canary[2]) * MINUTE }
  }
  const linear = /^Linear(\d{1,3})PercentEvery(\d{1,3})Minutes?$/.exec(name)
  if (linear) {
    const step = Number(linear[1]) * 10
    if (step > 0 && step <= FULL) {
      const steps: Permille[] = []
      for (let share = step; share < FULL; share += step) steps.push(share)
      return { steps: [...steps, FULL], bakeMs: Number(linear[2]) * MINUTE }
    }
  }
  throw new InputError(
    `Unknown strategy "${name}". Use one of ${PRESETS.join(', ')}, or ` +
      'CanaryXPercentYMinutes (X from 1 to 99) or LinearXPercentEveryYMinutes.'
  )
}
