/**
 * The lease: a service tag (`StableStackLease`) naming the run that is changing the service. A
 * second run refuses while a live one holds it, naming the first run's page; a stale lease is
 * taken over and said so; a rerun of the same job takes over from its dead attempt; a rollback
 * never waits for it and stops a running canary.
 */
import { describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../sandbox/mutations.js'
import {
  expectCleanFailure,
  operations,
  ruleWeights,
  serviceTags,
  setRuleWeights,
  stableTag,
  step,
  useSandbox,
  waitForRequest
} from './harness.js'

const sandbox = useSandbox()

const OTHER_RUN = 'https://github.com/acme/shop/actions/runs/77'

function leaseHeldBy(until: Date, mode = 'canary'): void {
  const stamp = until.toISOString().replace(/\.\d{3}Z$/, 'Z')
  applyMutation(sandbox.world, {
    type: 'set-tag',
    key: 'StableStackLease',
    value: `run 77 attempt 1 job deploy ${mode} until ${stamp} id 0123456789ab ${OTHER_RUN}`
  })
}

const inAnHour = () => new Date(Date.now() + 3_600_000)

describe('one run at a time', () => {
  it('a canary takes the lease before its first change and gives it back at the end', async () => {
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(run.code).toBe(0)
    expect(operations(run.allWrites)).toEqual(['TagResource', 'ModifyRule', 'UntagResource'])
    expect(operations(run.leaseWrites)).toEqual(['TagResource', 'UntagResource'])
    // The lease is read back before the change: two runs that wrote it together see one winner.
    const ops = operations(run.requests)
    expect(ops.indexOf('ListTagsForResource')).toBeGreaterThan(ops.indexOf('TagResource'))
    expect(ops.indexOf('ListTagsForResource')).toBeLessThan(ops.indexOf('ModifyRule'))
    expect(serviceTags(sandbox.world).StableStackLease).toBeUndefined()
  })

  it.each(['canary', 'promote'])('%s refuses while another live run holds it', async (mode) => {
    setRuleWeights(sandbox, 90, 10)
    leaseHeldBy(inAnHour())
    const run = await step(sandbox, { mode, 'canary-weight': '50' })
    const message = expectCleanFailure(run)
    expect(operations(run.allWrites)).toEqual([])
    expect(message).toContain(`Another run is changing service myservice: canary run ${OTHER_RUN}`)
    expect(message).toContain('run mode rollback (it never waits for a lease) or remove the tag')
    expect(message).toMatch(/No traffic was moved; nothing was written\.$/)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
  })

  it('a stale lease is taken over, and the log says so', async () => {
    leaseHeldBy(new Date(Date.now() - 1000))
    const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Lease: taking over a stale lease from canary run ${OTHER_RUN}`)
    expect(serviceTags(sandbox.world).StableStackLease).toBeUndefined()
  })

  it('the rerun of a job takes over the lease its dead attempt left', async () => {
    applyMutation(sandbox.world, {
      type: 'set-tag',
      key: 'StableStackLease',
      value: `run 1000 attempt 1 job deploy canary until ${inAnHour().toISOString().slice(0, 19)}Z id 0123456789ab`
    })
    const refused = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(refused.code).toBe(1)
    const rerun = await step(
      sandbox,
      { mode: 'canary', 'canary-weight': '10' },
      { env: { GITHUB_RUN_ATTEMPT: '2' } }
    )
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain('Lease: taking over from attempt 1 of this job')
  })
})

describe('rollback, the emergency exit', () => {
  it('does not wait for a live lease, and leaves one that blocks nobody', async () => {
    setRuleWeights(sandbox, 50, 50)
    leaseHeldBy(inAnHour())
    const rollback = await step(sandbox, { mode: 'rollback' })
    expect(rollback.code).toBe(0)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(rollback.stdout).toContain(`rollback takes the service from canary run ${OTHER_RUN}`)
    expect(serviceTags(sandbox.world).StableStackLease).toMatch(
      /^run 1000 attempt 1 job deploy rollback /
    )

    const next = await step(sandbox, { mode: 'canary', 'canary-weight': '10' })
    expect(next.code).toBe(0)
  })

  it('stops a canary that is baking: both end with all traffic on Blue', async () => {
    const canary = step(sandbox, { mode: 'canary', steps: '10,50', 'bake-time': '3s' })
    await waitForRequest(sandbox, 'ModifyRule')
    const rollback = await step(sandbox, { mode: 'rollback' }, { env: { GITHUB_RUN_ID: '2000' } })
    const walked = await canary

    expect(rollback.code).toBe(0)
    expect(walked.code).toBe(1)
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(stableTag(sandbox.world)).toBe('Blue')
    expect(walked.errors).toHaveLength(1)
    expect(walked.errors[0]).toMatch(/Rolled back: all traffic is on Blue again\.$/)
  })
})
