import { otherColor, type Color, type PerColor } from './color.js'
import { PlanError } from './errors.js'
import type { Mode } from './inputs.js'
import { replacedVersion, type PromotionRecord } from './promotion-record.js'
import type { Schedule } from './schedule.js'
import {
  formatPercent,
  FULL,
  isEmpty,
  sameSplit,
  splitFor,
  type Permille,
  type Split
} from './shares.js'

/** What was asked, as the planner needs it. */
export interface Intent {
  mode: Mode
  /** canary mode: the shares to walk through and how long to hold each. */
  schedule: Schedule
  undoPromotion: boolean
  scaleDownAfterPromote: boolean
  /**
   * Set when the deploy before a canary found the stable colour running the version asked for (a
   * rerun after its promote): why the canary gets nothing, one clause.
   */
  servedAlready?: string
}

/** What was read, as the planner needs it. */
export interface PlanState {
  /** The colour the stable tag names now. */
  stable: Color
  split: Split
  /** The value of the tag that names the colour stable before the last promote, if any. */
  previousStable?: string
  /** The name of that tag, for messages. */
  previousTag: string
  /** What each colour runs (`family:revision`), when known. */
  versions: PerColor<string | undefined>
  /** True for a colour whose capacity was freed (promote with scale-down). */
  retired: PerColor<boolean>
  /** The record of the last promote, when the service has one that parses. */
  record?: PromotionRecord
  /** The record tag's name and raw value, for messages. */
  recordTag: string
  recordText?: string
  /** The colour and version the last deploy put there, when the service records one. */
  deployed?: { color: Color; version: string }
}

/** The shares a router can set nearest to a share: `[share]` when it can set it exactly. */
export type Reachable = (share: Permille) => Permille[]

export type StepKind = 'shift' | 'promote' | 'rollback' | 'undo'

/** One step: the canary's share after it, and what surrounds the shift. */
export interface StepPlan {
  kind: StepKind
  /** The colour whose share the step sets. */
  canary: Color
  /** Its share after the step. */
  share: Permille
  split: Split
  /** True when the route must be written (it does not have `split` yet). */
  write: boolean
  /** True when the step raises the canary's share: the gates judge it first. */
  gate: boolean
  /** Which gates: all of them, or only readiness (an undo brings back the old version). */
  gates: 'all' | 'readiness'
  bakeMs: number
  /** The colour the stable tag names after the step, when it changes. */
  tag?: Color
  /** Bring the canary colour back to full size before the gates (undo after a scale-down). */
  restore: boolean
  /** Free this colour's capacity after the step (promote with scale-down). */
  retire?: Color
  /** The versions the tag change makes stable and replaces, recorded with it. */
  record?: PromotionRecord
}

/** The whole decision: every step, what happens to test traffic, and the way back. */
export interface RunPlan {
  mode: Mode
  stableBefore: Color
  canaryBefore: Color
  splitBefore: Split
  steps: StepPlan[]
  stableAfter: Color
  splitAfter: Split
  /** Point test traffic at the canary before the first step (canary runs). */
  openTestTraffic: boolean
  /** Take test traffic away at the end (promote, rollback, undo). */
  closeTestTraffic: boolean
  /** Remove the record of the colour stable before the last promote (an undo stopped halfway). */
  forgetPrevious: boolean
  /** What a failed gate or a cancel does: all traffic to the stable colour, no gate. */
  rollback: StepPlan
  /** Why the plan is what it is, in one sentence for the log and the summary. */
  reason: string
  /** What the run could not check, for the log; the plan is still safe to run. */
  warnings: string[]
}

/**
 * The only place that decides, as a pure function of what was read and what was asked. A state
 * that already matches the target plans no write, so a rerun of a finished run writes nothing.
 * Shares the router cannot set are refused here, before any write.
 */
export function planRun(intent: Intent, state: PlanState, reachable: Reachable): RunPlan {
  const { stable, split } = state
  const canary = otherColor(stable)
  const base = {
    mode: intent.mode,
    stableBefore: stable,
    canaryBefore: canary,
    splitBefore: split,
    openTestTraffic: false,
    closeTestTraffic: false,
    forgetPrevious: false,
    rollback: step('rollback', canary, 0, split, { bakeMs: 0 }),
    warnings: [] as string[]
  }
  const finish = (steps: StepPlan[], reason: string, extra: Partial<RunPlan> = {}): RunPlan => {
    const last = steps.at(-1)
    return {
      ...base,
      steps,
      stableAfter: last?.tag ?? stable,
      splitAfter: last?.split ?? split,
      reason,
      ...extra
    }
  }
  switch (intent.mode) {
    case 'status':
      return finish([], 'Status only: nothing is written.')
    case 'rollback':
      if (intent.undoPromotion) return planUndo(state, finish)
      return finish(
        [base.rollback],
        `Rollback: all traffic back to the stable colour ${stable}.${unchanged(base.rollback)}`,
        { closeTestTraffic: true }
      )
    case 'deploy':
      return finish(
        [],
        `Deploy: the canary colour ${canary} runs ${state.versions[canary] ?? 'the new version'} ` +
          `at ${formatPercent(split[canary])}%; no traffic is shifted.`
      )
    case 'promote': {
      if (split[stable] === FULL && !deployedToCanary(state) && !swapsWhole(state, reachable)) {
        return finish(
          finishPromote(intent, state),
          `Nothing to promote: ${stable} is stable and already serves all traffic. ` +
            `Shift traffic to ${canary} with mode canary first (canary-weight 100 for all at once).`,
          { closeTestTraffic: true }
        )
      }
      const promote = promoteStep(canary, split, intent, state)
      const why =
        split[canary] === 0
          ? `Promote: ${canary} runs ${state.versions[canary]}, deployed and not yet promoted; ` +
            'it gets all traffic at once and becomes the stable colour.'
          : `Promote: ${canary} becomes the stable colour.`
      return refuseReplaced(
        finish([promote], why, {
          closeTestTraffic: true
        }),
        intent,
        state,
        finish
      )
    }
    case 'canary':
      // A canary of what production runs has nothing to show, and a rerun never moves it back.
      if (intent.servedAlready) {
        return finish(
          [],
          `Nothing to canary: ${intent.servedAlready}. Deploy a new image or revision for a canary.`
        )
      }
      return refuseReplaced(planCanary(intent, state, reachable, finish), intent, state, finish)
  }
}

/**
 * A plan that would give the canary colour traffic is replaced by "nothing to deploy" when that
 * colour runs a version an earlier promote replaced: rerunning a finished workflow must not walk
 * the old version back. What the promote that replaced it left undone (scale-down, test route) is
 * finished instead. Without a record the plan stands, with a warning that says how to record one.
 */
function refuseReplaced(plan: RunPlan, intent: Intent, state: PlanState, finish: Finish): RunPlan {
  const raises = plan.steps.some((s) => s.gate || (s.kind === 'promote' && s.tag))
  if (!raises) return plan
  const canary = plan.canaryBefore
  const replaced = replacedVersion(state.versions[canary], state.record)
  if (!replaced) return { ...plan, warnings: [...plan.warnings, ...recordWarnings(state)] }
  return finish(
    finishPromote(intent, state),
    `Nothing to deploy: the canary colour ${canary} runs ${replaced}. A rerun never gives traffic ` +
      `back to a replaced version: deploy a new version to ${canary} first (or use mode rollback ` +
      'with undo-promotion to go back to it on purpose).',
    { closeTestTraffic: true }
  )
}

/**
 * True when the last deploy put the version the canary colour runs now into it, and no promote
 * has made that version stable since: a promote from 0 % then has something to promote. After a
 * promote the deployed colour is the stable one, so a rerun finds nothing.
 */
function deployedToCanary(state: PlanState): boolean {
  const canary = otherColor(state.stable)
  const version = state.versions[canary]
  return (
    version !== undefined &&
    state.deployed?.color === canary &&
    state.deployed.version === version &&
    state.record?.promoted !== version
  )
}

/** What a promote does after its tag: free the old colour when asked. Empty when done already. */
function finishPromote(intent: Intent, state: PlanState): StepPlan[] {
  const old = otherColor(state.stable)
  const promotedHere =
    state.record !== undefined &&
    state.record.promoted === state.versions[state.stable] &&
    state.record.replaced === state.versions[old]
  if (!intent.scaleDownAfterPromote || !promotedHere || state.retired[old]) return []
  return [{ ...step('promote', state.stable, FULL, state.split, { bakeMs: 0 }), retire: old }]
}

function recordWarnings(state: PlanState): string[] {
  const stableVersion = state.versions[state.stable]
  if (state.record || !stableVersion) return []
  const what =
    state.recordText === undefined
      ? `The service has no ${state.recordTag} tag`
      : `${state.recordTag}="${state.recordText}" is not a record this action reads`
  return [
    `${what}, so this run cannot tell whether the canary runs a version an earlier promote ` +
      `replaced. The next promote records it; to record the stable version now, tag the service ` +
      `with ${state.recordTag}=${stableVersion}.`
  ]
}

type Finish = (steps: StepPlan[], reason: string, extra?: Partial<RunPlan>) => RunPlan

/**
 * A single `canary-weight` sets that share, up or down. A walk (`steps`, `strategy`) resumes:
 * steps at or below the canary's current share count as done, and a step of 100 % is a promote.
 */
function planCanary(intent: Intent, state: PlanState, reachable: Reachable, finish: Finish) {
  const { schedule } = intent
  const canary = otherColor(state.stable)
  for (const share of schedule.steps) refuseUnreachable(share, reachable)
  const current = state.split[canary]
  const remaining = schedule.walk
    ? schedule.steps.filter((share) => share > current || share === FULL)
    : schedule.steps
  const steps: StepPlan[] = []
  let now = state.split
  for (const share of remaining) {
    const next =
      share === FULL && schedule.walk
        ? promoteStep(canary, now, intent, state)
        : step('shift', canary, share, now, { bakeMs: schedule.bakeMs })
    steps.push(next)
    now = next.split
  }
  if (steps.length === 0) {
    return finish(
      [],
      `Every step of ${schedule.source} is done already: ${canary} has at least the last share.`
    )
  }
  const reason = schedule.walk
    ? `Canary ${canary} walks ${schedule.source}: ${steps.length} step(s) to go, ` +
      `holding each ${Math.round(schedule.bakeMs / 1000)} s.`
    : `Canary: ${canary} is the canary colour.${unchanged(steps[0])}`
  return finish(steps, reason, {
    openTestTraffic: true,
    closeTestTraffic: steps.some((s) => s.kind === 'promote')
  })
}

/**
 * Undo of the last promote: the colour promote recorded as stable before it gets the traffic and
 * the tag back. Without that record there is nothing to undo, and nothing is written.
 */
function planUndo(state: PlanState, finish: Finish): RunPlan {
  const { stable, previousStable, previousTag } = state
  const target = otherColor(stable)
  if (previousStable === stable) {
    // An undo writes the tag, then removes this record: it stopped between the two.
    return finish(
      [],
      `No promotion to undo: an undo already gave ${stable} the tag; its record ${previousTag}=` +
        `${previousStable} is removed.`,
      { forgetPrevious: true }
    )
  }
  if (previousStable !== target) {
    return finish(
      [],
      previousStable === undefined
        ? `No promotion to undo: the service has no ${previousTag} tag (promote writes it, an undo removes it).`
        : `No promotion to undo: ${previousTag}=${previousStable} does not name the other colour.`
    )
  }
  // Only readiness gates: the alarms that fired on the new version are why an undo runs.
  const undo: StepPlan = {
    ...step('undo', target, FULL, state.split, { bakeMs: 0 }),
    tag: target,
    restore: true,
    gates: 'readiness',
    ...recordOf(target, state)
  }
  return finish(
    [undo],
    `Undo the last promotion: traffic and the tag go back to ${target}, stable before it.`,
    { closeTestTraffic: true }
  )
}

function promoteStep(canary: Color, now: Split, intent: Intent, state: PlanState): StepPlan {
  return {
    ...step('promote', canary, FULL, now, { bakeMs: 0 }),
    tag: canary,
    ...(intent.scaleDownAfterPromote ? { retire: otherColor(canary) } : {}),
    ...recordOf(canary, state)
  }
}

/** The record a tag change to `to` writes: its version, and the stable one it replaces. */
function recordOf(to: Color, state: PlanState): { record?: PromotionRecord } {
  const promoted = state.versions[to]
  if (!promoted) return {}
  const replaced = state.versions[otherColor(to)]
  return { record: { promoted, ...(replaced && replaced !== promoted ? { replaced } : {}) } }
}

function step(
  kind: StepKind,
  canary: Color,
  share: Permille,
  now: Split,
  { bakeMs }: { bakeMs: number }
): StepPlan {
  const split = splitFor(canary, share)
  // Only a positive share can raise the canary; a rollback (share 0) therefore never waits,
  // even from a route that sends nothing anywhere.
  const raises = share > 0 && (isEmpty(now) || share > now[canary])
  return {
    kind,
    canary,
    share,
    split,
    write: !sameSplit(split, now),
    gate: raises,
    gates: 'all',
    bakeMs,
    restore: false
  }
}

function unchanged(step: StepPlan): string {
  return step.write ? '' : ' The route already has the target weights.'
}

/** True when the route moves all traffic or none (a swap): it cannot give the canary a share. */
function allOrNothing(reachable: Reachable): boolean {
  const half = reachable(FULL / 2)
  return half.length === 2 && half[0] === 0 && half[1] === FULL
}

/**
 * A route that moves all or nothing promotes from 0 %: testers had the canary on the test route.
 * It stays version-aware: the canary colour must run a known version, and `refuseReplaced` turns
 * a rerun after the swap (the canary colour now runs the replaced version) into "nothing to deploy".
 */
function swapsWhole(state: PlanState, reachable: Reachable): boolean {
  return allOrNothing(reachable) && state.versions[otherColor(state.stable)] !== undefined
}

/**
 * Refuses, before anything is written (a deploy comes before the plan), a canary share the
 * route cannot set.
 */
export function refuseUnreachableShares(intent: Intent, reachable: Reachable): void {
  if (intent.mode === 'canary')
    for (const share of intent.schedule.steps) refuseUnreachable(share, reachable)
}

function refuseUnreachable(share: Permille, reachable: Reachable): void {
  const nearest = reachable(share)
  if (nearest.length === 1 && nearest[0] === share) return
  if (allOrNothing(reachable)) {
    throw new PlanError(
      `This route moves all traffic or none (it forwards to one colour), so it cannot give the ` +
        `canary ${formatPercent(share)}%. Use canary-weight 0 to show the canary to testers ` +
        'through the test route only, then mode promote to move all traffic; or make the route a ' +
        'weighted forward that names both target groups.'
    )
  }
  throw new PlanError(
    `This route cannot give the canary exactly ${formatPercent(share)}%: the nearest shares it can ` +
      `set are ${nearest.map((s) => `${formatPercent(s)}%`).join(' and ')}. Use one of those.`
  )
}
