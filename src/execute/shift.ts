import { VerificationError } from '../errors.js'
import type { TrafficRouter } from '../routers/router.js'
import { formatSplit, sameSplit, type Split } from '../shares.js'

/**
 * Writes a split and reads it back. The read-back is what catches another writer between our
 * read and our write (a write's response only shows what we sent); a mismatch is an error that
 * says so rather than a report of weights that are not live.
 */
export async function shiftAndVerify(
  router: TrafficRouter,
  before: Split,
  target: Split,
  wrote: (line: string) => void
): Promise<Split> {
  await router.shift(target)
  wrote(`${router.kind} ${router.id}: ${formatSplit(before)} → ${formatSplit(target)}`)
  const live = await router.verify()
  if (!sameSplit(live, target)) {
    throw new VerificationError(
      `Wrote ${formatSplit(target)} to ${router.kind} ${router.id}, but it reads back ` +
        `${formatSplit(live)}: another writer changed it. Make sure only one workflow moves ` +
        'this service at a time (a concurrency group), then run this step again.',
      live
    )
  }
  return live
}
