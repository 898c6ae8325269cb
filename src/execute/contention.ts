import type { Clock } from '../clock.js'
import { ConcurrentRunError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { RunPlan } from '../plan.js'
import { formatSplit, FULL, sameSplit, splitFor, type Split } from '../shares.js'
import { sentence } from '../report/text.js'
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
 * The last look, before the report: the lease is still this run's, and the route and the tag are
 * what this run left. A rollback instead makes sure traffic follows the stable tag.
 */
export async function checkAtEnd(run: RunContext): Promise<void> {
  if (!run.guard.active) return
  if (run.plan.mode === 'rollback') {
    try {
      await settleRollback(run)
    } finally {
      await run.guard.expire(run.clock.now())
    }
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
 * Another run took the service. A rollback's lease means the emergency exit was pulled: this
 * run rolls back too, and a promote whose tag landed after the rollback took the route back
 * puts the tag back as well; a promote whose route still carries all traffic keeps its tag,
 * which the rollback follows. Any other run owns the service now: this run writes nothing more
 * and says what is live.
 */
export async function yieldTo(run: RunContext, error: ConcurrentRunError): Promise<Execution> {
  const { journal, plan } = run
  run.guard.forfeit()
  const last = journal.steps.at(-1)
  if (last) last.outcome = 'failed'
  const live = await run.shape.router.read().catch(() => undefined)
  if (live) journal.split = live
  const promoted = journal.stable !== plan.stableBefore
  // A promote whose route a rollback has not taken back keeps its tag: the rollback follows it.
  const keepPromote = promoted && live !== undefined && live[journal.stable] === FULL
  if (!error.byRollback || keepPromote) {
    const why = keepPromote
      ? ` This run had already made ${journal.stable} stable; the rollback sends traffic to it. ` +
        `To make ${plan.stableBefore} stable again, run rollback with undo-promotion.`
      : ''
    return journal.seal(
      `${sentence(error.message)}${why} This run stopped and wrote nothing more. ${journal.state()}`,
      error
    )
  }
  try {
    // The rollback took the route back before this promote's tag landed: the tag goes back too,
    // so route and tag agree whichever run looks last.
    if (promoted) {
      journal.wrote(await run.shape.marker.undo(journal.stable, plan.stableBefore))
      journal.stable = plan.stableBefore
    }
    await rollBack(run.shape, journal, run.log, plan.openTestTraffic)
    journal.rolledBack = true
  } catch (rollbackError) {
    const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError)
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
