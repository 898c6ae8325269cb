import { StateError } from '../errors.js'
import type { Mode } from '../inputs.js'
import { describeHolder, parseLease } from '../lease.js'
import type { RouteSplit } from '../routers/router.js'
import { formatSplit, sameSplit } from '../shares.js'

/**
 * Routes that move in lockstep must hold one split. When they do not, the run goes on only if
 * it will realign them: a rollback (the emergency exit, which puts every route on the stable
 * colour), a status (which writes nothing), or a rerun after a run that stopped between its
 * writes (its lease is still on the service; the rerun writes every route together again). Any
 * other disagreement was made by hand, and the action does not guess which route is right.
 * Pure: returns a line for the log, or undefined when the routes agree.
 */
export function checkRoutesAgree(
  routes: readonly RouteSplit[] | undefined,
  mode: Mode,
  leaseValue: string | undefined
): string | undefined {
  if (!routes || routes.every((r) => sameSplit(r.split, routes[0].split))) return undefined
  const each = routes.map((r) => `${r.kind} ${r.id} holds ${formatSplit(r.split)}`).join('; ')
  if (mode === 'rollback') {
    return `The routes that move together disagree (${each}); this rollback writes all of them.`
  }
  if (mode === 'status') return `The routes that move together disagree: ${each}.`
  const holder = parseLease(leaseValue)
  // A finished rollback left them agreeing; its lease explains nothing that came after.
  if (holder && !holder.left) {
    return (
      `The routes that move together disagree (${each}): the ${describeHolder(holder)} stopped ` +
      'between its writes. This run writes all of them together again.'
    )
  }
  throw new StateError(
    `The routes that move together disagree: ${each}. Something other than this action changed ` +
      'some of them, and the action will not guess which one is right. Run mode rollback: it ' +
      'puts every route back on the stable colour. Or set the same weights on all of them by hand.'
  )
}
