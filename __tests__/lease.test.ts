/** src/lease.ts: the lease tag's value, and who may take the service. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  formatLease,
  judgeLease,
  newRunIdentity,
  parseLease,
  type LeaseHolder,
  type RunIdentity
} from '../src/lease.js'

const NOW = Date.parse('2026-11-23T10:00:00Z')
const me: RunIdentity = { runId: '200', attempt: 2, job: 'deploy', id: 'aaaaaaaaaaaa' }

function holder(over: Partial<LeaseHolder> = {}): string {
  return formatLease({
    runId: '100',
    attempt: 1,
    job: 'deploy',
    id: 'bbbbbbbbbbbb',
    mode: 'canary',
    until: NOW + 60_000,
    url: 'https://github.com/acme/shop/actions/runs/100',
    ...over
  })
}

describe('the lease tag', () => {
  it('names the run, its page and its expiry, and reads back', () => {
    const text = holder()
    expect(text).toBe(
      'run 100 attempt 1 job deploy canary until 2026-11-23T10:01:00Z id bbbbbbbbbbbb https://github.com/acme/shop/actions/runs/100'
    )
    expect(parseLease(text)).toMatchObject({ runId: '100', mode: 'canary', until: NOW + 60_000 })
  })

  it("carries a finished rollback's last word: the colour it left all traffic on", () => {
    const text = holder({ mode: 'rollback', until: NOW, left: 'Blue' })
    expect(text).toContain('rollback until 2026-11-23T10:00:00Z left Blue id bbbbbbbbbbbb')
    expect(parseLease(text)).toMatchObject({ mode: 'rollback', until: NOW, left: 'Blue' })
    expect(parseLease(holder())?.left).toBeUndefined()
  })

  it('fits in a tag and uses only characters ECS allows, whatever the environment says', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string(),
        fc.string(),
        fc.constantFrom(undefined, 'Blue' as const, 'Green' as const),
        (runId, job, server, repo, left) => {
          const identity = newRunIdentity({
            GITHUB_RUN_ID: runId,
            GITHUB_JOB: job,
            GITHUB_SERVER_URL: server,
            GITHUB_REPOSITORY: repo
          })
          const mode = left ? 'rollback' : 'promote'
          const text = formatLease({ ...identity, mode, until: NOW, ...(left ? { left } : {}) })
          expect(text).toMatch(/^[A-Za-z0-9 +\-=._:/@]{1,256}$/)
          const parsed = parseLease(text)
          expect([parsed?.id, parsed?.mode, parsed?.left]).toEqual([identity.id, mode, left])
        }
      )
    )
  })

  it('builds the run page from the runner environment', () => {
    const identity = newRunIdentity({
      GITHUB_RUN_ID: '123',
      GITHUB_RUN_ATTEMPT: '3',
      GITHUB_JOB: 'ship',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop'
    })
    expect(identity).toMatchObject({
      runId: '123',
      attempt: 3,
      job: 'ship',
      url: 'https://github.com/acme/shop/actions/runs/123'
    })
    expect(newRunIdentity({}).runId).toBe('local')
  })
})

describe('judgeLease', () => {
  it.each([
    ['no lease', undefined, true],
    ['a live lease of another run', holder(), false],
    [
      'a live lease of another job of this run',
      holder({ runId: '200', attempt: 2, job: 'other' }),
      false
    ],
    ['a sibling of this attempt (a matrix job)', holder({ runId: '200', attempt: 2 }), false],
    ['an earlier attempt of this job', holder({ runId: '200', attempt: 1 }), true],
    ['an expired lease', holder({ until: NOW - 1 }), true],
    ["a running rollback's lease", holder({ mode: 'rollback' }), false],
    ["a finished rollback's lease (left expired)", holder({ mode: 'rollback', until: NOW }), true],
    ['its own lease', holder({ id: me.id }), true],
    ['a value the action did not write', 'mine', true]
  ])('%s: free = %s', (_, value, free) => {
    expect(judgeLease(value, me, NOW).free).toBe(free)
  })

  it('says when it takes over', () => {
    expect(judgeLease(holder({ until: NOW - 1 }), me, NOW)).toEqual({
      free: true,
      note: 'taking over a stale lease from canary run https://github.com/acme/shop/actions/runs/100 (attempt 1, job deploy)'
    })
  })
})
