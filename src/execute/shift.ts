import { VerificationError } from '../errors.js'
import type { TrafficRouter } from '../routers/router.js'
import { formatSplit, sameSplit, type Split } from '../shares.js'

/**
 * Writes a split and checks the write's response: the route must hold exactly what was sent.
 * No separate read-back here: it would add a round trip to every shift (and to rollback, the
 * emergency exit) and catch only a writer in the few milliseconds after ours. A writer while a
 * step holds is caught by `routeUnchanged` at every poll of a bake.
 */
export async function shiftAndVerify(
  router: TrafficRouter,
  before: Split,
  target: Split,
  wrote: (line: string) => void
): Promise<Split> {
  const stored = await router.shift(target)
  wrote(`${router.kind} ${router.id}: ${formatSplit(before)} → ${formatSplit(target)}`)
  if (!sameSplit(stored, target)) {
    throw new VerificationError(
      `Wrote ${formatSplit(target)} to ${router.kind} ${router.id}, but it holds ` +
        `${formatSplit(stored)}: the load balancer did not store what was sent. Nothing more was ` +
        'written; check the route, then run this step again.',
      stored
    )
  }
  return stored
}

/**
 * Reads the route again while a step holds; a split other than `expected` means another writer
 * moved traffic behind the run's back, which ends the run without writing more.
 */
export async function routeUnchanged(router: TrafficRouter, expected: Split): Promise<void> {
  const live = await router.verify()
  if (sameSplit(live, expected)) return
  throw new VerificationError(
    `${router.kind} ${router.id} holds ${formatSplit(live)}, not the ${formatSplit(expected)} ` +
      'this run wrote: another writer changed it. Make sure only one workflow moves this service ' +
      'at a time (a concurrency group), then run this step again.',
    live
  )
}
