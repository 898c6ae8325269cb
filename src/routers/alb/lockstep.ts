import type { Color } from '../../color.js'
import { formatSplit, sameSplit, type Split } from '../../shares.js'
import type { RouteSplit } from '../router.js'

/** Pure rules for several ALB routes moved in lockstep: what one split stands for the set. */

/**
 * The split that stands for every route: the common split when they agree, else each colour's
 * least share. A set that disagrees then reads as a split no write produces (its shares add up
 * to less than the whole), so a plan always writes it, a read-back never takes it for the
 * target, and a walk resumes from the least advanced route.
 */
export function lockstepSplit(splits: readonly Split[]): Split {
  const [first] = splits
  if (splits.every((split) => sameSplit(split, first))) return first
  const least = (color: Color) => Math.min(...splits.map((s) => s[color]))
  return { Blue: least('Blue'), Green: least('Green') }
}

/** True when every route holds the same split. */
export function routesAgree(routes: readonly RouteSplit[]): boolean {
  return routes.every((route) => sameSplit(route.split, routes[0].split))
}

/** `listener-rule …/a holds Blue 90% / Green 10%; listener …/b holds Blue 100% / Green 0%`. */
export function describeRoutes(routes: readonly RouteSplit[]): string {
  return routes.map((r) => `${r.kind} ${r.id} holds ${formatSplit(r.split)}`).join('; ')
}
