/**
 * src/execute/contention.ts, lease-guard.ts and service-lease.ts: what a run does about another
 * run on the same service, with a fake route, a fake stable tag and a fake lease whose looks the
 * test scripts. (The e2e reliability matrices run the same rules against the sandbox.)
 */
import { describe, expect, it } from '@jest/globals'
import type { Color } from '../src/color.js'
import { ConcurrentRunError, LeaseHeldError } from '../src/errors.js'
import {
  checkAtEnd,
  lookAfterRelease,
  yieldTo,
  type RunContext
} from '../src/execute/contention.js'
import { Journal } from '../src/execute/journal.js'
import { LeaseGuard } from '../src/execute/lease-guard.js'
import type { Mode } from '../src/inputs.js'
import { formatLease, type RunIdentity } from '../src/lease.js'
import { MemoryLogger } from '../src/logger.js'
import { planRun, type RunPlan } from '../src/plan.js'
import { ServiceLease } from '../src/service-lease.js'
import type { ServiceTags } from '../src/service-tags.js'
import { splitFor, type Split } from '../src/shares.js'
import type { LeaseLook, RunLease, Shape } from '../src/shape.js'

const NOW = Date.parse('2026-11-23T10:00:00Z')
const clock = { now: () => NOW, sleep: async () => undefined }

/** The route, the tag and the lease's answers, as the fakes see them. */
interface World {
  route: Split
  tag: Color
  /** The stable tag as the run found it. */
  found: Color
  looks: LeaseLook[]
  writes: string[]
}

function fakeShape(world: World): Shape {
  return {
    router: {
      kind: 'rule',
      id: 'r1',
      read: async () => ({ ...world.route }),
      reachable: (share) => [share],
      exposeForHealthChecks: async () => undefined,
      shift: async (split) => {
        world.writes.push(`route ${split.Blue}/${split.Green}`)
        world.route = { ...split }
        return split
      },
      verify: async () => ({ ...world.route })
    },
    workload: { releasable: () => false } as unknown as Shape['workload'],
    marker: {
      promote: async (_from, to) => {
        world.tag = to
        return `tag ${to}`
      },
      undo: async (_from, to) => {
        world.writes.push(`tag ${to}`)
        world.tag = to
        return `tag ${to}`
      },
      forget: async () => 'forgot',
      putBack: async () => {
        world.writes.push(`tag ${world.found}`)
        world.tag = world.found
        return `tag ${world.found}`
      }
    }
  }
}

function fakeLease(world: World, failures: { take?: boolean; release?: boolean } = {}): RunLease {
  return {
    take: async (_mode, _now, _duration, left) => {
      if (failures.take) throw new Error('denied')
      world.writes.push(left ? `lease left ${left}` : 'lease')
      return undefined
    },
    look: async () => world.looks.shift() ?? { ours: true, stable: world.tag },
    release: async () => {
      if (failures.release) throw new Error('throttled')
      world.writes.push('release')
    },
    leftBehind: () => 'The lease stays'
  }
}

async function context(
  mode: Mode,
  world: World,
  over: {
    split: Split
    stable: Color
    wroteRoute?: boolean
    stableBefore?: Color
    lease?: RunLease
  }
): Promise<RunContext> {
  const log = new MemoryLogger()
  const plan: RunPlan = planRun(
    {
      mode,
      schedule: { steps: [100], bakeMs: 0, source: 'canary-weight', walk: false },
      undoPromotion: false,
      scaleDownAfterPromote: false
    },
    {
      stable: over.stableBefore ?? over.stable,
      split: over.split,
      previousTag: 'StableStackPrevious',
      versions: { Blue: 'web:1', Green: 'web:2' },
      retired: { Blue: false, Green: false },
      recordTag: 'StableStackPromotion'
    },
    (share) => [share]
  )
  const journal = new Journal(plan, log)
  journal.split = over.split
  journal.stable = over.stable
  const guard = new LeaseGuard(over.lease ?? fakeLease(world), mode, log)
  await guard.take(NOW, 60_000)
  return {
    plan,
    shape: fakeShape(world),
    journal,
    guard,
    log,
    clock,
    wroteRoute: over.wroteRoute ?? true
  }
}

const world = (over: Partial<World> = {}): World => ({
  route: { Blue: 900, Green: 100 },
  tag: 'Blue',
  found: 'Blue',
  looks: [],
  writes: [],
  ...over
})

describe('the last look of a run that holds the lease', () => {
  it('passes when the route and the tag are what the run left', async () => {
    const w = world()
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    await checkAtEnd(run)
    expect(w.writes).toEqual(['lease'])
  })

  it("writes its weights again over a write that landed after its own: the holder's stand", async () => {
    const w = world({ route: { Blue: 500, Green: 500 } })
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    await checkAtEnd(run)
    expect(w.writes).toEqual(['lease', 'route 900/100'])
    expect(run.journal.split).toEqual({ Blue: 900, Green: 100 })
  })

  it('does not write a route it never wrote: it says another writer changed it', async () => {
    const w = world({ route: { Blue: 500, Green: 500 } })
    const run = await context('canary', w, {
      split: { Blue: 900, Green: 100 },
      stable: 'Blue',
      wroteRoute: false
    })
    await expect(checkAtEnd(run)).rejects.toThrow(ConcurrentRunError)
    expect(run.journal.split).toEqual({ Blue: 500, Green: 500 })
  })

  it('stops when the lease is another run’s', async () => {
    const w = world({ looks: [{ ours: false, holder: 'canary run 7' }] })
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    await expect(checkAtEnd(run)).rejects.toThrow('Another run took over this service')
  })
})

describe("a rollback's last look", () => {
  it('follows the stable tag another run wrote, and says so', async () => {
    const w = world({ route: { Blue: 1000, Green: 0 }, tag: 'Green' })
    const run = await context('rollback', w, { split: splitFor('Blue', 1000), stable: 'Blue' })
    await expect(checkAtEnd(run)).rejects.toThrow('Another run made Green stable')
    expect(w.writes).toEqual(['lease', 'route 0/1000', 'lease left Green'])
    expect(run.journal.split).toEqual(splitFor('Green', 1000))
  })

  it('puts traffic back when another run moved it, and looks again until nothing moves', async () => {
    const w = world({ route: { Blue: 500, Green: 500 } })
    const run = await context('rollback', w, { split: splitFor('Blue', 1000), stable: 'Blue' })
    await checkAtEnd(run)
    // The route write, the look that finds it settled, then the lease left expired with the
    // colour the rollback left all traffic on.
    expect(w.writes).toEqual(['lease', 'route 1000/0', 'lease left Blue'])
    expect((run.log as MemoryLogger).lines).toContain(
      'Another run moved traffic while this rollback ran; all traffic is on Blue again.'
    )
  })
})

describe('the look after the release', () => {
  it('passes when nothing changed after the run let go', async () => {
    const w = world()
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    await lookAfterRelease(run)
    expect(run.journal.split).toEqual({ Blue: 900, Green: 100 })
  })

  it('answers a rollback seen there as at any other look', async () => {
    const w = world({
      route: splitFor('Blue', 1000),
      looks: [{ ours: false, holder: 'rollback run 9', byRollback: true }]
    })
    const run = await context('canary', w, { split: { Blue: 500, Green: 500 }, stable: 'Blue' })
    const error = await lookAfterRelease(run).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConcurrentRunError)
    expect((error as ConcurrentRunError).byRollback).toBe(true)
  })

  it('reports a change that holds still, not its own weights', async () => {
    const w = world({ route: splitFor('Blue', 1000) })
    const run = await context('canary', w, { split: { Blue: 500, Green: 500 }, stable: 'Blue' })
    await expect(lookAfterRelease(run)).rejects.toThrow(
      'After this run released the service, another run changed the service.'
    )
    expect(run.journal.split).toEqual(splitFor('Blue', 1000))
    expect(w.writes).toEqual(['lease'])
  })

  it('waits out a change still moving that ends where this run left it', async () => {
    // A rollback whose lease this run removed: it follows the tag this run wrote, one write later.
    const w = world({ route: splitFor('Blue', 1000), tag: 'Green' })
    const lease = fakeLease(w)
    const look = lease.look
    let looks = 0
    lease.look = async () => {
      looks += 1
      if (looks === 2) w.route = splitFor('Green', 1000)
      return look()
    }
    const run = await context('promote', w, {
      split: splitFor('Green', 1000),
      stable: 'Green',
      stableBefore: 'Blue',
      lease
    })
    await lookAfterRelease(run)
    expect(looks).toBe(2)
    expect(run.journal.split).toEqual(splitFor('Green', 1000))
  })
})

describe('a finished rollback', () => {
  it('waits for a run it caught to agree with it, then reports', async () => {
    // The promote it caught puts the tag back first, then the route: two looks see it moving.
    const w = world({ route: splitFor('Blue', 1000) })
    const moving = [
      { route: splitFor('Green', 1000), tag: 'Green' as const },
      { route: splitFor('Green', 1000), tag: 'Blue' as const }
    ]
    const lease = fakeLease(w)
    const look = lease.look
    let looks = 0
    lease.look = async () => {
      looks += 1
      // The settle look finds all on Blue; the caught promote's writes land after the expire.
      const now = looks >= 2 ? moving.shift() : undefined
      if (now) Object.assign(w, now)
      else if (looks >= 2) w.route = splitFor('Blue', 1000)
      return look()
    }
    const run = await context('rollback', w, {
      split: splitFor('Blue', 1000),
      stable: 'Blue',
      lease
    })
    await checkAtEnd(run)
    expect(looks).toBe(4)
    expect(w.writes).toEqual(['lease', 'lease left Blue'])
  })

  it('reports the live state when another run overtook it and never came back', async () => {
    const w = world({ route: splitFor('Blue', 1000) })
    const lease = fakeLease(w)
    const look = lease.look
    let looks = 0
    lease.look = async () => {
      looks += 1
      if (looks === 2) Object.assign(w, { route: splitFor('Green', 1000), tag: 'Green' })
      return look()
    }
    const run = await context('rollback', w, {
      split: splitFor('Blue', 1000),
      stable: 'Blue',
      lease
    })
    run.journal.wrote('ModifyRule: all traffic to Blue')
    await expect(checkAtEnd(run)).rejects.toThrow(
      'After this rollback put all traffic on Blue, another run changed the service.'
    )
    expect(run.journal.state()).toBe(
      'Traffic is now Blue 0% / Green 100%; the stable colour is Green.'
    )
  })
})

describe('a run that lost the lease', () => {
  it('to a canary: writes nothing more and says what is live', async () => {
    const w = world({ route: { Blue: 500, Green: 500 } })
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    const done = await yieldTo(run, new ConcurrentRunError('Another run took over.', false))
    expect(w.writes).toEqual(['lease'])
    expect(done.failure).toBe(
      'Another run took over. This run stopped and wrote nothing more. ' +
        'No traffic was moved; nothing was written.'
    )
  })

  it('to a rollback: a canary rolls back too', async () => {
    const w = world()
    const run = await context('canary', w, { split: { Blue: 900, Green: 100 }, stable: 'Blue' })
    const done = await yieldTo(run, new ConcurrentRunError('A rollback took over.', true))
    expect(w.writes).toEqual(['lease', 'route 1000/0'])
    expect(done.failure).toMatch(/rolled back too\. Rolled back: all traffic is on Blue again\.$/)
  })

  it('to a rollback that took the route back: a promote puts its tag back too', async () => {
    const w = world({ route: splitFor('Blue', 1000), tag: 'Green' })
    const run = await context('promote', w, {
      split: splitFor('Green', 1000),
      stable: 'Green',
      stableBefore: 'Blue'
    })
    await yieldTo(run, new ConcurrentRunError('A rollback took over.', true))
    expect(w.writes).toEqual(['lease', 'tag Blue'])
    expect(w.tag).toBe('Blue')
  })

  it('to a rollback, with all traffic still on what it promoted: the promote keeps its tag', async () => {
    const w = world({ route: splitFor('Green', 1000), tag: 'Green' })
    const run = await context('promote', w, {
      split: splitFor('Green', 1000),
      stable: 'Green',
      stableBefore: 'Blue'
    })
    const done = await yieldTo(run, new ConcurrentRunError('A rollback took over.', true))
    expect(w.writes).toEqual(['lease'])
    expect(done.failure).toContain('This run had already made Green stable')
  })
})

describe('a run caught by a rollback that has said what it left', () => {
  const finished = (left: Color): LeaseLook => ({
    ours: false,
    holder: 'rollback run 9',
    byRollback: true,
    until: NOW,
    left
  })

  it('a promote whose writes landed after the rollback finished undoes itself', async () => {
    // The rollback looked, found all on Blue and finished; this promote's route and tag came later.
    const w = world({ route: splitFor('Green', 1000), tag: 'Green', looks: [finished('Blue')] })
    const run = await context('promote', w, {
      split: splitFor('Green', 1000),
      stable: 'Green',
      stableBefore: 'Blue'
    })
    const done = await yieldTo(run, new ConcurrentRunError('A rollback took over.', true))
    expect(w.writes).toEqual(['lease', 'tag Blue', 'route 1000/0'])
    expect({ tag: w.tag, route: w.route }).toEqual({ tag: 'Blue', route: splitFor('Blue', 1000) })
    expect(done.failure).toMatch(/rolled back too\./)
  })

  it('a promote whose tag the rollback followed keeps it', async () => {
    const w = world({ route: splitFor('Green', 1000), tag: 'Green', looks: [finished('Green')] })
    const run = await context('promote', w, {
      split: splitFor('Green', 1000),
      stable: 'Green',
      stableBefore: 'Blue'
    })
    const done = await yieldTo(run, new ConcurrentRunError('A rollback took over.', true))
    expect(w.writes).toEqual(['lease'])
    expect(done.failure).toContain('the rollback sent traffic to it')
  })

  it('waits while the rollback runs, and gives up on one whose lease ran out', async () => {
    const running: LeaseLook = { ours: false, byRollback: true, until: NOW + 1 }
    const w = world({ looks: [running, running, finished('Blue')] })
    const guard = new LeaseGuard(fakeLease(w), 'promote', new MemoryLogger())
    let slept = 0
    const ticking = { now: () => NOW, sleep: async () => void (slept += 1) }
    expect(await guard.rollbackOutcome(ticking, 10_000)).toBe('Blue')
    expect(slept).toBe(2)
    const dead = world({ looks: [{ ours: false, byRollback: true, until: NOW }] })
    const gone = new LeaseGuard(fakeLease(dead), 'promote', new MemoryLogger())
    expect(await gone.rollbackOutcome(ticking, 10_000)).toBeUndefined()
  })
})

describe('LeaseGuard', () => {
  it('a rollback whose lease write fails rolls back anyway, and has nothing to mark done', async () => {
    const w = world()
    const log = new MemoryLogger()
    const guard = new LeaseGuard(fakeLease(w, { take: true }), 'rollback', log)
    await guard.take(NOW, 60_000)
    expect(await guard.releaseOrExplain(NOW)).toBeUndefined()
    expect(log.lines.some((l) => l.includes("rollback's lease tag was not written"))).toBe(true)
  })

  it('names the lease it could not remove', async () => {
    const w = world()
    const guard = new LeaseGuard(fakeLease(w, { release: true }), 'canary', new MemoryLogger())
    await guard.take(NOW, 60_000)
    expect(await guard.releaseOrExplain(NOW)).toBe('Removing the lease failed. The lease stays.')
  })

  it('never removes a lease it forfeited', async () => {
    const w = world()
    const guard = new LeaseGuard(fakeLease(w), 'canary', new MemoryLogger())
    await guard.take(NOW, 60_000)
    guard.forfeit()
    await guard.release()
    expect(w.writes).toEqual(['lease'])
  })
})

describe('ServiceLease', () => {
  const me: RunIdentity = { runId: '2', attempt: 1, job: 'deploy', id: 'aaaaaaaaaaaa' }
  const other = formatLease({
    runId: '1',
    attempt: 1,
    job: 'deploy',
    id: 'bbbbbbbbbbbb',
    mode: 'canary',
    until: NOW + 60_000,
    url: 'https://github.com/acme/shop/actions/runs/1'
  })

  function tags(values: Record<string, string>) {
    const written: Record<string, string>[] = []
    const fake = {
      names: { stable: 'StableStack', lease: 'StableStackLease' },
      arn: 'arn:aws:ecs:us-east-1:1:service/c/s',
      get: (key: string) => values[key],
      set: async (t: Record<string, string>) => {
        written.push(t)
        Object.assign(values, t)
      },
      read: async () => ({ ...values }),
      remove: async () => undefined
    }
    return { fake: fake as unknown as ServiceTags, written }
  }

  it('refuses a canary while another live run holds it, and writes nothing', async () => {
    const { fake, written } = tags({ StableStackLease: other })
    const lease = new ServiceLease(fake, me, 'shop')
    await expect(lease.take('canary', NOW, 1000)).rejects.toThrow(LeaseHeldError)
    expect(written).toEqual([])
  })

  it('lets a rollback take it, and says from whom', async () => {
    const { fake } = tags({ StableStackLease: other, StableStack: 'Green' })
    const lease = new ServiceLease(fake, me, 'shop')
    expect(await lease.take('rollback', NOW, 1000)).toBe(
      'rollback takes the service from canary run https://github.com/acme/shop/actions/runs/1 (attempt 1, job deploy)'
    )
    expect(await lease.look()).toMatchObject({ ours: true, stable: 'Green' })
  })

  it('sees another run’s lease, and a rollback’s', async () => {
    const { fake } = tags({ StableStackLease: other.replace(' canary ', ' rollback ') })
    const look = await new ServiceLease(fake, me, 'shop').look()
    expect(look).toMatchObject({ ours: false, byRollback: true })
    expect(new ServiceLease(fake, me, 'shop').leftBehind()).toContain(
      'aws ecs untag-resource --resource-arn arn:aws:ecs:us-east-1:1:service/c/s --tag-keys StableStackLease'
    )
  })
})
