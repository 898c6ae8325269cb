import { otherColor } from '../color.js'
import type { Journal } from './journal.js'
import type { Logger } from '../logger.js'
import { sameSplit, splitFor } from '../shares.js'
import type { Shape } from '../shape.js'
import { shiftAndVerify } from './shift.js'

/**
 * The emergency exit inside a run: all traffic to the stable colour at once (no gate, no bake),
 * then test traffic taken away and the canary's leftover units released. Writes nothing when the
 * canary has no traffic, the run opened no test route and left nothing to release. Returns true
 * when it moved traffic.
 */
export async function rollBack(
  shape: Shape,
  journal: Journal,
  log: Logger,
  openedTestTraffic: boolean
): Promise<boolean> {
  const { router, testTraffic, workload } = shape
  const stable = journal.stable
  const canary = otherColor(stable)
  const target = splitFor(stable, 1000)
  const moves = !sameSplit(journal.split, target)
  const release = workload.releasable(canary)
  if (!moves && !(openedTestTraffic && testTraffic) && !release) return false
  await log.group('Roll back', async () => {
    if (moves) {
      const wrote = (line: string) => journal.wrote(line)
      journal.split = await shiftAndVerify(router, journal.split, target, wrote)
    }
    if (testTraffic) await testTraffic.close(stable, (line) => journal.wrote(line))
    // Canary units no route needs now (a standalone task a health check exposed) are stopped.
    if (release) journal.wrote(...(await workload.release(canary)))
  })
  journal.rolledBack = moves
  return moves
}
