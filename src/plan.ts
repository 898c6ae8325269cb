import { otherColor, type Color, type PerColor } from './color.js'
import type { Mode } from './inputs.js'
import { albWeightsFor, FULL, hasShare, shareOf, type Permille } from './weights.js'

export interface PlanInput {
  mode: Mode
  /** The colour the stable tag names now. */
  stable: Color
  /** Raw ALB weights read from the route. */
  weights: PerColor<number>
  /** canary mode: the share the canary colour should get. */
  canaryShare: Permille
}

export interface Plan {
  mode: Mode
  stableBefore: Color
  canaryBefore: Color
  stableAfter: Color
  weightsBefore: PerColor<number>
  weightsAfter: PerColor<number>
  /** True when the route's weights must be written. */
  writeWeights: boolean
  /** The colour to write into the stable tag, when it changes. */
  tagAfter?: Color
  /** The colour whose health gates the write: set when its share goes up. */
  gate?: Color
  /** Why the plan is what it is, in one sentence for the log and the summary. */
  reason: string
}

/**
 * The whole decision, as a pure function of what was read and what was asked. Idempotent by
 * construction: a state that already matches the target plans no write.
 */
export function plan(input: PlanInput): Plan {
  const { mode, stable, weights } = input
  const canary = otherColor(stable)
  const base = {
    mode,
    stableBefore: stable,
    canaryBefore: canary,
    stableAfter: stable,
    weightsBefore: weights,
    weightsAfter: weights,
    writeWeights: false
  }
  switch (mode) {
    case 'status':
      return { ...base, reason: 'Status only: nothing is written.' }
    case 'rollback':
      return shiftTo(base, canary, 0, `Rollback: all traffic back to the stable colour ${stable}.`)
    case 'canary':
      return shiftTo(base, canary, input.canaryShare, `Canary: ${canary} is the canary colour.`)
    case 'promote': {
      if (hasShare(stable, weights, FULL)) {
        return {
          ...base,
          reason:
            `Nothing to promote: ${stable} is stable and already serves all traffic. ` +
            `Shift traffic to ${canary} with mode canary first (canary-weight 100 for all at once).`
        }
      }
      const shifted = shiftTo(base, canary, FULL, `Promote: ${canary} becomes the stable colour.`)
      return { ...shifted, stableAfter: canary, tagAfter: canary }
    }
  }
}

function shiftTo(base: Omit<Plan, 'reason'>, canary: Color, share: Permille, reason: string): Plan {
  const stable = otherColor(canary)
  if (hasShare(canary, base.weightsBefore, share)) {
    return { ...base, reason: `${reason} The route already has the target weights.` }
  }
  const before = shareOf(canary, base.weightsBefore)
  // Only a positive share can raise the canary; rollback (share 0) therefore never waits,
  // even from a rule whose weights are all zero.
  const raises = share > 0 && (before === undefined || share > before)
  return {
    ...base,
    weightsAfter: albWeightsFor(canary, stable, share),
    writeWeights: true,
    ...(raises ? { gate: canary } : {}),
    reason
  }
}

/**
 * The plans of a canary schedule, each against the weights the previous one leaves. A single
 * `canary-weight` may lower the share. A walk (`steps`, `strategy`, promote) resumes: steps at or
 * below the canary's current share count as done, and a step of 100 % is a promote.
 */
export function planSchedule(
  stable: Color,
  weights: PerColor<number>,
  steps: Permille[],
  walk: boolean
): Plan[] {
  const canary = otherColor(stable)
  const current = shareOf(canary, weights) ?? 0
  const remaining = walk ? steps.filter((share) => share > current || share === FULL) : steps
  const plans: Plan[] = []
  let now = weights
  for (const share of remaining) {
    const step =
      share === FULL && walk
        ? plan({ mode: 'promote', stable, weights: now, canaryShare: FULL })
        : plan({ mode: 'canary', stable, weights: now, canaryShare: share })
    plans.push(step)
    now = step.weightsAfter
  }
  return plans
}
