import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import type { Gate, GateReading } from '../gates/gate.js'
import type { Logger } from '../logger.js'
import { formatPercent } from '../shares.js'
import type { StepRecord } from './journal.js'

/**
 * How often a bake looks through the gates: a fifth of the bake, between 0.5 and 3 s. The upper
 * bound keeps the time from an alarm firing to the rollback under 5 s in the worst case (one poll
 * plus two round trips); at 3 s a bake costs 20 DescribeAlarms calls a minute.
 */
export function bakePollMs(bakeMs: number): number {
  return Math.min(3000, Math.max(500, Math.floor(bakeMs / 5)))
}

/**
 * Holds a step for its bake time, asking every gate and checking the route at each poll. Returns
 * the first failing reading, or undefined when the step held to the end; a changed route throws.
 */
export async function bake(
  record: StepRecord,
  index: number,
  canary: Color,
  gates: readonly Gate[],
  {
    clock,
    log,
    pollMs,
    checkRoute
  }: { clock: Clock; log: Logger; pollMs?: number; checkRoute: () => Promise<void> }
): Promise<GateReading | undefined> {
  const poll = pollMs ?? bakePollMs(record.bakeMs)
  const start = clock.now()
  const end = start + record.bakeMs
  const share = formatPercent(record.share)
  const title = `Bake step ${index + 1}: ${canary} at ${share}% for ${Math.round(record.bakeMs / 1000)} s`
  return log.group(title, async () => {
    while (clock.now() < end) {
      await clock.sleep(Math.min(poll, end - clock.now()))
      const context = { color: canary, step: index, share: record.share, fresh: true, clock, log }
      // The route is read beside the gates: another writer is caught without a round trip more.
      const [readings] = await Promise.all([
        Promise.all(gates.map((gate) => gate.during(context))),
        checkRoute()
      ])
      record.bakedMs = clock.now() - start
      record.readings = mergeReadings(record.readings, readings)
      const failed = readings.find((reading) => reading.failure)
      if (failed) return failed
    }
    log.info(
      `Step ${index + 1} held ${Math.round(record.bakedMs / 1000)} s with every gate passing.`
    )
    return undefined
  })
}

/** The latest reading of each gate, keeping gate order. */
export function mergeReadings(kept: GateReading[], latest: GateReading[]): GateReading[] {
  const byLabel = new Map(kept.map((r) => [r.label, r]))
  for (const reading of latest) byLabel.set(reading.label, reading)
  return [...byLabel.values()]
}
