import type { Action, TargetGroupTuple } from '@aws-sdk/client-elastic-load-balancing-v2'
import { COLORS, type Color, type PerColor } from '../../color.js'
import { StateError } from '../../errors.js'

/**
 * Pure functions over an ALB action list: find the weighted forward, read the two colours'
 * weights, and write new weights while leaving every other action and field as it was.
 */

interface Forward {
  index: number
  entries: TargetGroupTuple[]
  /** The old single-`TargetGroupArn` form: one target group, no real ForwardConfig. */
  legacy: boolean
}

function findForward(actions: Action[], where: string): Forward {
  const indexes = actions.flatMap((action, index) => (action.Type === 'forward' ? [index] : []))
  if (indexes.length === 0) {
    const types = actions.map((a) => a.Type).join(', ') || 'none'
    throw new StateError(
      `${where} has no forward action (its actions: ${types}). The action changes the weights of a ` +
        'forward to the Blue and Green target groups; give it a rule that has one.'
    )
  }
  if (indexes.length > 1) throw new StateError(`${where} has more than one forward action.`)
  const index = indexes[0]
  const action = actions[index]
  const configured = action.ForwardConfig?.TargetGroups ?? []
  const single = action.TargetGroupArn
  if (configured.length === 0) {
    if (!single) throw new StateError(`${where} has a forward action with no target group.`)
    return { index, entries: [{ TargetGroupArn: single, Weight: 1 }], legacy: true }
  }
  const legacy =
    configured.length === 1 && single !== undefined && configured[0].TargetGroupArn === single
  return { index, entries: configured, legacy }
}

/**
 * The raw ALB weight of each colour. Refuses a forward that names any other target group, and a
 * weighted forward that leaves a colour out; the legacy single form may name just one colour.
 */
export function readForwardWeights(
  actions: Action[],
  targetGroups: PerColor<string>,
  where: string
): PerColor<number> {
  const forward = findForward(actions, where)
  const known = new Set(COLORS.map((c) => targetGroups[c]))
  const foreign = forward.entries
    .map((e) => e.TargetGroupArn ?? '')
    .filter((arn) => !known.has(arn))
  if (foreign.length > 0) {
    throw new StateError(
      `${where} also forwards to ${foreign.join(', ')}, which is neither the Blue (${targetGroups.Blue}) ` +
        `nor the Green (${targetGroups.Green}) target group. The action only moves traffic between ` +
        'the two colours; remove the other target group from the rule or point the action at the right rule.'
    )
  }
  const weights = { Blue: 0, Green: 0 }
  for (const color of COLORS) {
    const entry = forward.entries.find((e) => e.TargetGroupArn === targetGroups[color])
    if (!entry && !forward.legacy) {
      throw new StateError(
        `${where} does not forward to the ${color} target group ${targetGroups[color]}. Add it to ` +
          `the forward action with weight 0, or check the ${color}TargetGroup stack output or ` +
          `"${color.toLowerCase()}-target-group".`
      )
    }
    weights[color] = entry ? (entry.Weight ?? 1) : 0
  }
  return weights
}

/** Colours the forward does not name (only the legacy single form can lack one). */
export function missingColors(actions: Action[], targetGroups: PerColor<string>): Color[] {
  const named = findForward(actions, 'The rule').entries.map((e) => e.TargetGroupArn)
  return COLORS.filter((color) => !named.includes(targetGroups[color]))
}

/**
 * The same action list with only the two colours' weights replaced. The forward keeps its order,
 * stickiness and every other field; the legacy form becomes a ForwardConfig naming both colours
 * (ALB rejects TargetGroupArn next to a ForwardConfig of two groups, so it is dropped).
 */
export function rewriteForwardWeights(
  actions: Action[],
  targetGroups: PerColor<string>,
  weights: PerColor<number>
): Action[] {
  const forward = findForward(actions, 'The rule')
  const colorOf = (arn: string | undefined) => COLORS.find((c) => targetGroups[c] === arn)
  const entries: TargetGroupTuple[] = forward.entries.map((entry) => {
    const color = colorOf(entry.TargetGroupArn)
    return color ? { ...entry, Weight: weights[color] } : entry
  })
  for (const color of COLORS) {
    if (!entries.some((e) => e.TargetGroupArn === targetGroups[color])) {
      entries.push({ TargetGroupArn: targetGroups[color], Weight: weights[color] })
    }
  }
  return actions.map((action, index) => {
    if (index !== forward.index) return action
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { TargetGroupArn, ...rest } = action
    return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups: entries } }
  })
}

/**
 * The same action list with the forward sending everything to one target group, or undefined when
 * it does already. Every other action, and the forward's other fields, stay as they were.
 */
export function forwardOnlyTo(
  actions: Action[],
  targetGroupArn: string,
  where: string
): Action[] | undefined {
  const forward = findForward(actions, where)
  const named = forward.entries.map((e) => e.TargetGroupArn)
  if (named.length === 1 && named[0] === targetGroupArn) return undefined
  return actions.map((action, index) => {
    if (index !== forward.index) return action
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { TargetGroupArn, ...rest } = action
    const TargetGroups = [{ TargetGroupArn: targetGroupArn, Weight: 1 }]
    return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups } }
  })
}

/**
 * ELB never returns an OIDC client secret, and ModifyRule refuses an authenticate-oidc action
 * without one unless told to keep the secret it has. Marking those actions keeps the existing
 * secret; without it the write would fail (or, if it could succeed, drop authentication).
 */
export function keepExistingSecrets(actions: Action[]): Action[] {
  return actions.map((action) => {
    const oidc = action.AuthenticateOidcConfig
    if (action.Type !== 'authenticate-oidc' || !oidc || oidc.ClientSecret) return action
    return { ...action, AuthenticateOidcConfig: { ...oidc, UseExistingClientSecret: true } }
  })
}
