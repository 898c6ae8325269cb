import { messageOf, sentence } from '../errors.js'
import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import type { Gate, GateContext, GateReading } from '../gates/gate.js'
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
 * A gate whose read fails (after the SDK's own retries) at this many polls in a row fails the
 * bake: a canary that cannot be judged does not keep its traffic. One failed poll is tolerated,
 * as a blip; the next poll comes a few seconds later.
 */
export const UNREAD_POLLS = 2

/**
 * Holds a step for its bake time, asking every gate and checking the route at each poll. Returns
 * the first failing reading, or undefined when the step held to the end; a changed route throws.
 * A gate that could not be read at its last poll, or at UNREAD_POLLS polls in a row, is a failing
 * reading, so the executor rolls the canary back as for any failed gate.
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
  const unread = new Map<string, number>()
  const look = (gate: Gate, context: GateContext): Promise<GateReading> =>
    gate.during(context).then(
      (reading) => {
        unread.delete(gate.label)
        return reading
      },
      (error: unknown) => {
        const times = (unread.get(gate.label) ?? 0) + 1
        unread.set(gate.label, times)
        const why = messageOf(error)
        log.warning(`Could not look through the gate "${gate.label}": ${why}`)
        const last = clock.now() >= end
        return {
          label: gate.label,
          text: 'not read',
          ...(times >= UNREAD_POLLS || last
            ? {
                failure:
                  `Could not look through the gate "${gate.label}" during the bake of step ${index + 1} ` +
                  `(${canary} at ${share}%)${times > 1 ? ` at ${times} polls in a row` : ', at its last poll'}: ` +
                  `${sentence(why)} A canary that cannot be judged does not keep its traffic.`
              }
            : {})
        }
      }
    )
  return log.group(title, async () => {
    while (clock.now() < end) {
      await clock.sleep(Math.min(poll, end - clock.now()))
      const context = { color: canary, step: index, share: record.share, fresh: true, clock, log }
      // The route is read beside the gates: another writer is caught without a round trip more.
      // A route that cannot be read still throws: then nothing more is written.
      const [readings] = await Promise.all([
        Promise.all(gates.map((gate) => look(gate, context))),
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
