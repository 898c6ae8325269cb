import type { Journal } from './journal.js'
import type { Logger } from '../logger.js'
import { sameSplit, splitFor } from '../shares.js'
import type { Shape } from '../shape.js'
import { shiftAndVerify } from './shift.js'

/**
 * The emergency exit inside a run: all traffic to the stable colour at once (no gate, no bake),
 * then test traffic taken away. Writes nothing when the canary has no traffic and the run opened
 * no test route. Returns true when it moved traffic.
 */
export async function rollBack(
  shape: Shape,
  journal: Journal,
  log: Logger,
  openedTestTraffic: boolean
): Promise<boolean> {
  const { router, testTraffic } = shape
  const stable = journal.stable
  const target = splitFor(stable, 1000)
  const moves = !sameSplit(journal.split, target)
  if (!moves && !(openedTestTraffic && testTraffic)) return false
  await log.group('Roll back', async () => {
    if (moves) {
      const wrote = (line: string) => journal.wrote(line)
      journal.split = await shiftAndVerify(router, journal.split, target, wrote)
    }
    if (testTraffic) await testTraffic.close(stable, (line) => journal.wrote(line))
  })
  journal.rolledBack = moves
  return moves
}
