import type { Clock } from '../clock.js'
import type { Color } from '../color.js'
import { ConcurrentRunError, messageOf, sentence } from '../errors.js'
import type { Logger } from '../logger.js'
import type { RunPlan } from '../plan.js'
import { formatSplit, FULL, sameSplit, splitFor, type Split } from '../shares.js'
import type { Shape } from '../shape.js'
import type { Execution, Journal } from './journal.js'
import type { LeaseGuard } from './lease-guard.js'
import { rollBack } from './rollback.js'
import { shiftAndVerify } from './shift.js'

/**
 * What a run does about another run on the same service: the last look before it reports, and
 * what it does once it knows another run took the service. The rules, so that two runs always end
 * in one consistent state: the lease holder's weights stand; a rollback makes traffic follow the
 * stable tag, whoever wrote last; a run that lost the lease writes nothing more, except a canary
 * whose traffic a rollback is taking away, which rolls back too.
 */
export interface RunContext {
  plan: RunPlan
  shape: Shape
  journal: Journal
  guard: LeaseGuard
  log: Logger
  clock: Clock
  /** True once this run has written the route. */
  wroteRoute: boolean
}

/** How many times a rollback looks again after it had to put traffic back on the stable colour. */
const SETTLE_LOOKS = 3
const SETTLE_PAUSE_MS = 200
/**
 * How long a run caught by a rollback waits for it to finish. A rollback takes a few round
 * trips; one that has not finished by then has most likely died.
 */
const ROLLBACK_WAIT_MS = 30_000
/** How many looks (SETTLE_PAUSE_MS apart) a finished rollback gives a run it caught to agree. */
const STAND_LOOKS = 25

/** The colour all traffic is on, if it is all on the stable colour: a rollback's last word. */
export function settledOn(journal: Journal): Color | undefined {
  return journal.split[journal.stable] === FULL ? journal.stable : undefined
}

/**
 * The last look, before the report: the lease is still this run's, and the route and the tag are
 * what this run left. A rollback instead makes sure traffic follows the stable tag.
 */
export async function checkAtEnd(run: RunContext): Promise<void> {
  if (!run.guard.active) return
  if (run.plan.mode === 'rollback') {
    try {
      await settleRollback(run)
    } finally {
      await run.guard.expire(run.clock.now(), settledOn(run.journal))
    }
    const left = settledOn(run.journal)
    if (left) await waitUntilStands(run, left)
    return
  }
  const { journal } = run
  const [look, live] = await Promise.all([run.guard.confirm(), run.shape.router.read()])
  const sameStable = (look?.stable ?? journal.stable) === journal.stable
  if (sameSplit(live, journal.split) && sameStable) return
  if (sameStable && run.wroteRoute) {
    // The lease is still this run's, so whoever wrote the route after it had lost theirs (a run
    // that started at the same moment and stops at its next look): this run's weights stand.
    run.log.info(
      `Another run wrote ${formatSplit(live)} after this run's write; writing ${formatSplit(journal.split)} again.`
    )
    journal.split = await shift(run, live, journal.split)
    return
  }
  journal.split = live
  if (look?.stable) journal.stable = look.stable
  throw new ConcurrentRunError(
    'Another writer changed the route or the stable tag while this run was working.',
    false
  )
}

/**
 * The look after a run let go of the service: what it reports is read after its last write, so
 * a change another run made after this run's last look is not reported as this run's. A change
 * seen here may still be moving (a rollback whose lease this run's release removed is one write
 * from done), so the run looks until the state holds still; a rollback's lease seen here is
 * answered as at any other look.
 */
export async function lookAfterRelease(run: RunContext): Promise<void> {
  let previous: string | undefined
  for (let look = 0; ; look++) {
    if (look > 0) await run.clock.sleep(SETTLE_PAUSE_MS)
    const [tags, live] = await Promise.all([run.guard.look(), run.shape.router.read()])
    const stable = tags?.stable ?? run.journal.stable
    if (sameSplit(live, run.journal.split) && stable === run.journal.stable) return
    if (tags?.byRollback && !tags.ours) {
      throw new ConcurrentRunError(
        `A rollback took over this service after this run's last write: ${tags.holder}.`,
        true
      )
    }
    const seen = `${formatSplit(live)} ${stable} ${tags?.holder ?? ''}`
    if (seen === previous || look >= STAND_LOOKS) {
      overtaken(run, live, stable, tags?.holder, 'this run released the service')
    }
    previous = seen
  }
}

/**
 * A finished rollback's word is final: it writes nothing more. A run it caught makes route and
 * tag agree with it (yieldTo), so the rollback waits a little for that before it reports, and
 * reports what is live if it does not come.
 */
async function waitUntilStands(run: RunContext, left: Color): Promise<void> {
  for (let look = 0; ; look++) {
    const [tags, live] = await Promise.all([run.guard.look(), run.shape.router.read()])
    const stable = tags?.stable ?? run.journal.stable
    if (stable === left && sameSplit(live, splitFor(left, FULL))) return
    if (look >= STAND_LOOKS) {
      overtaken(run, live, stable, tags?.holder, `this rollback put all traffic on ${left}`)
    }
    await run.clock.sleep(SETTLE_PAUSE_MS)
  }
}

function overtaken(
  run: RunContext,
  live: Split,
  stable: Color,
  holder: string | undefined,
  after: string
): never {
  run.journal.split = live
  run.journal.stable = stable
  run.journal.rolledBack = false
  const who = holder ? ` (the lease names ${holder})` : ''
  throw new ConcurrentRunError(`After ${after}, another run changed the service${who}.`, false)
}

/**
 * All traffic on the colour the stable tag names, whoever wrote last. After a fix it looks again
 * (a run that lost the lease may have had a write in flight) until a look finds nothing to fix.
 */
async function settleRollback(run: RunContext): Promise<void> {
  const { journal } = run
  const started = journal.stable
  let fixed = false
  for (let look = 0; look < SETTLE_LOOKS; look++) {
    if (look > 0) await run.clock.sleep(SETTLE_PAUSE_MS)
    const [tags, live] = await Promise.all([run.guard.settle(), run.shape.router.read()])
    journal.stable = tags?.stable ?? journal.stable
    const target = splitFor(journal.stable, FULL)
    if (sameSplit(live, target)) {
      journal.split = live
      break
    }
    journal.split = await shift(run, live, target)
    journal.rolledBack = true
    fixed = true
  }
  if (journal.stable !== started) {
    throw new ConcurrentRunError(
      `Another run made ${journal.stable} stable while this rollback ran, so all traffic now ` +
        `follows the stable tag to ${journal.stable}. To make ${started} stable again, run ` +
        'rollback with undo-promotion.',
      false
    )
  }
  if (fixed) {
    run.log.info(
      `Another run moved traffic while this rollback ran; all traffic is on ${journal.stable} again.`
    )
  }
}

/**
 * Another run took the service. A rollback's lease means the emergency exit was pulled: this run
 * waits for the rollback's last word (the colour it left all traffic on, written into its
 * finished lease) and makes route and tag agree with it. A promote whose tag the rollback
 * followed keeps it; any other promote puts the tags back as it found them, and a canary rolls
 * back. When the rollback never says (it died), a promote whose route still carries all traffic
 * keeps its tag. Any other run owns the service now: this run writes nothing more and says what
 * is live.
 */
export async function yieldTo(run: RunContext, error: ConcurrentRunError): Promise<Execution> {
  const { journal, plan } = run
  run.guard.forfeit()
  const last = journal.steps.at(-1)
  if (last) last.outcome = 'failed'
  const left = error.byRollback
    ? await run.guard.rollbackOutcome(run.clock, ROLLBACK_WAIT_MS)
    : undefined
  const live = await run.shape.router.read().catch(() => undefined)
  if (live) journal.split = live
  const promoted = journal.stable !== plan.stableBefore
  const keepPromote =
    promoted &&
    (left !== undefined
      ? left === journal.stable
      : live !== undefined && live[journal.stable] === FULL)
  if (!error.byRollback || keepPromote) {
    const why = keepPromote
      ? ` This run had already made ${journal.stable} stable; the rollback sent traffic to it. ` +
        `To make ${plan.stableBefore} stable again, run rollback with undo-promotion.`
      : ''
    return journal.seal(
      `${sentence(error.message)}${why} This run stopped and wrote nothing more. ${journal.state()}`,
      error
    )
  }
  try {
    // The rollback left traffic on the colour this promote replaced: the tags go back too, so
    // route and tag agree with what the rollback reported.
    if (promoted) {
      journal.wrote(await run.shape.marker.putBack())
      journal.stable = plan.stableBefore
    }
    await rollBack(run.shape, journal, run.log, plan.openTestTraffic)
    journal.rolledBack = true
  } catch (rollbackError) {
    const why = messageOf(rollbackError)
    return journal.seal(
      `${sentence(error.message)} Rolling back failed: ${why} ${journal.state()} Run mode rollback to finish.`,
      rollbackError
    )
  }
  return journal.seal(
    `${sentence(error.message)} It is a rollback, so this run rolled back too. ${journal.state()}`
  )
}

function shift(run: RunContext, from: Split, to: Split): Promise<Split> {
  return shiftAndVerify(run.shape.router, from, to, (line) => run.journal.wrote(line))
}
