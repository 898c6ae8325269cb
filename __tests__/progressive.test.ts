import { afterEach, describe, expect, it } from '@jest/globals'
import { ARN, forward, healthy, mockAws, taskSet, type MockAws } from '../__fixtures__/aws.js'
import { inputs } from '../__fixtures__/inputs.js'
import type { Clock } from '../src/clock.js'
import { AwsCallError } from '../src/errors.js'
import { MemoryLogger } from '../src/logger.js'
import { runPipeline, type PipelineDeps } from '../src/pipeline.js'
import { renderSummary } from '../src/report/summary.js'
import { stepOutputs } from '../src/report/outputs.js'

let aws: MockAws
afterEach(() => aws?.restore())

/** A clock whose sleeps pass at once; `at` runs a callback when simulated time reaches it. */
function fakeClock(events: { at: number; run: () => void }[] = []) {
  let now = 1_800_000_000_000
  const start = now
  const clock: Clock & { elapsed: () => number } = {
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      const target = now + ms
      for (const event of events.filter((e) => start + e.at > now && start + e.at <= target)) {
        now = start + event.at
        event.run()
        if (signal?.aborted) return
      }
      now = target
    },
    elapsed: () => now - start
  }
  return clock
}

function deps(extra: Partial<PipelineDeps> = {}): PipelineDeps {
  return { clients: aws.clients, log: new MemoryLogger(), clock: fakeClock(), ...extra }
}

const rule = () => aws.world.rules[0]
const weights = () =>
  Object.fromEntries(
    (rule().Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? []).map(
      (g) => [g.TargetGroupArn === ARN.blueTg ? 'Blue' : 'Green', g.Weight]
    )
  )

describe('steps and strategies', () => {
  it('a three-step run with a bake ends promoted', async () => {
    aws = mockAws()
    aws.world.alarms = { 'svc-5xx': { state: 'OK' } }
    const clock = fakeClock()
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,50,100', 'bake-time': '30s', alarms: 'svc-5xx' }),
      deps({ clock })
    )
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule', 'ModifyRule', 'TagResource'])
    expect(weights()).toEqual({ Blue: 0, Green: 100 })
    expect(aws.world.service!.tags).toMatchObject({
      StableStack: 'Green',
      StableStackPrevious: 'Blue'
    })
    expect(result.steps.map((s) => [s.share, s.outcome])).toEqual([
      [100, 'shifted'],
      [500, 'shifted'],
      [1000, 'promoted']
    ])
    expect(result.stepsCompleted).toBe(3)
    expect(clock.elapsed()).toBe(60_000)
    expect(result.steps[0].bakedMs).toBe(30_000)
    const outputs = stepOutputs(result)
    expect(outputs['steps-completed']).toBe('3')
    expect(outputs['rolled-back']).toBe('false')
    const summary = renderSummary(result)
    expect(summary).toContain('xychart-beta')
    expect(summary).toContain('line [0, 10, 50, 100]')
    // One column per gate that ran.
    expect(summary).toContain(
      '| step | canary share | started (UTC) | baked | health gate | alarms seen | outcome |'
    )
    expect(summary).toMatch(
      /\| 2 \| 50% \| .* \| 30 \/ 30 s \| healthy \| svc-5xx OK \| shifted \|/
    )
  })

  it('Canary10Percent5Minutes holds 10 % for five minutes, then promotes', async () => {
    aws = mockAws()
    const clock = fakeClock()
    const result = await runPipeline(
      inputs({ mode: 'canary', strategy: 'Canary10Percent5Minutes' }),
      deps({ clock })
    )
    expect(result.steps.map((s) => s.share)).toEqual([100, 1000])
    expect(clock.elapsed()).toBe(5 * 60_000)
    expect(result.stableAfter).toBe('Green')
    // Without alarms the steps table has the health gate column only.
    const summary = renderSummary(result)
    expect(summary).toContain(
      '| step | canary share | started (UTC) | baked | health gate | outcome |'
    )
    expect(summary).not.toContain('alarms seen')
  })

  it('AllAtOnce from 0 % gates, shifts everything to the canary and tags it', async () => {
    aws = mockAws()
    const result = await runPipeline(inputs({ mode: 'canary', strategy: 'AllAtOnce' }), deps())
    // AllAtOnce is a promote, not a no-op.
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual(['ModifyRule', 'TagResource'])
    expect(weights()).toEqual({ Blue: 0, Green: 100 })
    expect(aws.world.service!.tags).toMatchObject({
      StableStack: 'Green',
      StableStackPrevious: 'Blue'
    })
    expect(result.steps.map((s) => [s.share, s.outcome])).toEqual([[1000, 'promoted']])
    expect(result.steps[0].readings).toMatchObject([{ label: 'health gate', text: 'healthy' }])
    expect(result.stableAfter).toBe('Green')
    expect(result.splitAfter).toEqual({ Blue: 0, Green: 1000 })
  })

  it('a rerun resumes past the steps the canary already has', async () => {
    aws = mockAws()
    rule().Actions = [forward(50, 50)]
    const result = await runPipeline(inputs({ mode: 'canary', steps: '10,50,75' }), deps())
    expect(result.steps.map((s) => s.share)).toEqual([750])
    expect(weights()).toEqual({ Blue: 25, Green: 75 })
  })

  it('every step after the first reads the canary health again before its shift', async () => {
    aws = mockAws()
    let reads = 0
    // Healthy when discovery reads it, then no targets at all.
    Object.defineProperty(aws.world.health, ARN.greenTg, {
      get: () => (reads++ === 0 ? healthy() : [])
    })
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,50', 'health-timeout-seconds': '10' }),
      deps()
    )
    // The timeout is the outcome's failure; the canary had 10 % then, so it rolls back.
    expect(result.failure).toMatch(
      /^The canary colour Green was not healthy after 10 s: no targets registered/
    )
    expect(result.failure).toMatch(/Rolled back: all traffic is on Blue again\.$/)
    expect(result.error).toBeUndefined()
    expect(result.rolledBack).toBe(true)
    expect(result.steps.map((s) => s.outcome)).toEqual(['shifted', 'rolled back'])
    expect(result.steps[1].readings).toMatchObject([{ label: 'health gate', text: 'timed out' }])
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(result.writes).toEqual([
      `listener-rule ${ARN.rule}: Blue 100% / Green 0% → Blue 90% / Green 10%`,
      `listener-rule ${ARN.rule}: Blue 90% / Green 10% → Blue 100% / Green 0%`
    ])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
  })

  it('a finished walk writes nothing on a rerun', async () => {
    aws = mockAws()
    rule().Actions = [forward(25, 75)]
    const result = await runPipeline(inputs({ mode: 'canary', steps: '10,50,75' }), deps())
    expect(aws.writes()).toEqual([])
    expect(result.changed).toBe(false)
    expect(result.plan.reason).toMatch(/done already/)
  })
})

describe('alarm gates', () => {
  it('an alarm that fires in the middle of the second step rolls back and fails', async () => {
    aws = mockAws()
    aws.world.alarms = { 'svc-5xx': { state: 'OK' }, 'svc-latency': { state: 'OK' } }
    const clock = fakeClock([
      {
        at: 45_000,
        run: () =>
          (aws.world.alarms['svc-5xx'] = { state: 'ALARM', reason: 'Threshold Crossed: 5 > 1' })
      }
    ])
    const result = await runPipeline(
      inputs({
        mode: 'canary',
        steps: '10,50,100',
        'bake-time': '30s',
        alarms: 'svc-5xx\nsvc-latency'
      }),
      deps({ clock, pollMs: 5000 })
    )
    expect(result.rolledBack).toBe(true)
    expect(result.failure).toMatch(
      /Alarm during the bake of step 2 \(Green at 50%\): svc-5xx is ALARM \(Threshold Crossed: 5 > 1\)\. Rolled back: all traffic is on Blue again\.$/
    )
    expect(result.error).toBeUndefined()
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    expect(aws.world.service!.tags.StableStack).toBe('Blue')
    expect(result.steps.map((s) => s.outcome)).toEqual(['shifted', 'rolled back'])
    expect(result.stepsCompleted).toBe(1)
    expect(stepOutputs(result)['rolled-back']).toBe('true')
    const summary = renderSummary(result)
    expect(summary).toMatch(/^## ❌ myservice: canary — failed, rolled back/)
    expect(summary).toContain('line [0, 10, 50, 0]')
  })

  describe('alarms that cannot be read during a bake', () => {
    /** DescribeAlarms fails while `failing` says so (after the SDK's retries, as one error). */
    function flakyAlarms(failing: () => boolean) {
      const alarms = { 'svc-5xx': { state: 'OK' } }
      Object.defineProperty(aws.world, 'alarms', {
        get: () => {
          if (failing()) throw new Error('Service Unavailable')
          return alarms
        }
      })
    }
    const walk = () =>
      inputs({ mode: 'canary', steps: '10,50', 'bake-time': '30s', alarms: 'svc-5xx' })

    it('one failed poll is a warning; the walk goes on', async () => {
      aws = mockAws()
      let down = false
      flakyAlarms(() => down)
      const log = new MemoryLogger()
      const clock = fakeClock([
        { at: 9_000, run: () => (down = true) },
        { at: 11_000, run: () => (down = false) }
      ])
      const result = await runPipeline(walk(), deps({ clock, log, pollMs: 5000 }))
      expect(result.failure).toBeUndefined()
      expect(weights()).toEqual({ Blue: 50, Green: 50 })
      expect(log.lines.filter((l) => l.includes('Could not look'))).toEqual([
        'warning: Could not look through the gate "alarms seen": cloudwatch:DescribeAlarms failed: Error: Service Unavailable'
      ])
    })

    it('two failed polls in a row roll the canary back and fail', async () => {
      aws = mockAws()
      let down = false
      flakyAlarms(() => down)
      const clock = fakeClock([{ at: 9_000, run: () => (down = true) }])
      const result = await runPipeline(walk(), deps({ clock, pollMs: 5000 }))
      expect(result.rolledBack).toBe(true)
      expect(result.failure).toMatch(
        /^Could not look through the gate "alarms seen" during the bake of step 1 \(Green at 10%\) at 2 polls in a row: cloudwatch:DescribeAlarms failed: Error: Service Unavailable\. A canary that cannot be judged does not keep its traffic\. Rolled back: all traffic is on Blue again\.$/
      )
      expect(weights()).toEqual({ Blue: 100, Green: 0 })
      expect(result.steps.map((s) => s.outcome)).toEqual(['rolled back'])
    })

    it('a failed read at the last poll of a bake fails it too', async () => {
      aws = mockAws()
      let down = false
      flakyAlarms(() => down)
      const clock = fakeClock([{ at: 29_000, run: () => (down = true) }])
      const result = await runPipeline(walk(), deps({ clock, pollMs: 5000 }))
      expect(result.rolledBack).toBe(true)
      expect(result.failure).toContain(
        'at its last poll: cloudwatch:DescribeAlarms failed: Error: Service Unavailable.'
      )
      expect(weights()).toEqual({ Blue: 100, Green: 0 })
    })
  })

  it('an alarm already firing blocks the first shift', async () => {
    aws = mockAws()
    aws.world.alarms = { 'svc-5xx': { state: 'ALARM', reason: 'boom' } }
    const result = await runPipeline(inputs({ mode: 'canary', alarms: 'svc-5xx' }), deps())
    expect(aws.writes()).toEqual([])
    expect(result.failure).toMatch(/Alarm before step 1: svc-5xx is ALARM \(boom\)/)
    // The canary had 0 %: nothing to roll back, nothing written.
    expect(result.rolledBack).toBe(false)
    expect(result.failure).toMatch(/No traffic was moved; nothing was written\.$/)
    expect(result.alarms).toEqual([{ name: 'svc-5xx', state: 'ALARM', reason: 'boom' }])
  })

  it('promote checks the alarms too', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    aws.world.alarms = { 'svc-5xx': { state: 'ALARM' } }
    const result = await runPipeline(inputs({ mode: 'promote', alarms: 'svc-5xx' }), deps())
    expect(result.failure).toMatch(/Alarm before step 1/)
    expect(result.failure).toMatch(/Rolled back: all traffic is on Blue again\.$/)
    expect(result.rolledBack).toBe(true)
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    expect(aws.world.service!.tags.StableStack).toBe('Blue')
  })

  it.each([
    ['false', undefined],
    ['true', /svc-new is INSUFFICIENT_DATA/]
  ])('INSUFFICIENT_DATA with treat-missing-alarm-data-as-failure %s', async (flag, failure) => {
    aws = mockAws()
    aws.world.alarms = { 'svc-new': { state: 'INSUFFICIENT_DATA' } }
    const result = await runPipeline(
      inputs({
        mode: 'canary',
        'alarm-prefix': 'svc-',
        'treat-missing-alarm-data-as-failure': flag
      }),
      deps()
    )
    if (failure) expect(result.failure).toMatch(failure)
    else expect(result.failure).toBeUndefined()
  })

  it('a named alarm that does not exist is refused before any write', async () => {
    aws = mockAws()
    await expect(
      runPipeline(inputs({ mode: 'canary', alarms: 'nope', 'test-header': 'X-T: 1' }), deps())
    ).rejects.toThrow(/no alarm named nope/)
    expect(aws.writes()).toEqual([])
  })

  it('an unhealthy canary target during the bake rolls back', async () => {
    aws = mockAws()
    const clock = fakeClock([
      {
        at: 10_000,
        run: () =>
          (aws.world.health[ARN.greenTg] = [
            {
              Target: { Id: '10.0.0.7', Port: 80 },
              TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' }
            }
          ])
      }
    ])
    const result = await runPipeline(inputs({ mode: 'canary', 'bake-time': '1m' }), deps({ clock }))
    expect(result.failure).toMatch(
      /Unhealthy Green target\(s\) during the bake of step 1 \(Green at 10%\): 10\.0\.0\.7:80 \(Target.Timeout\)\. Rolled back: all traffic is on Blue again\.$/
    )
    expect(result.rolledBack).toBe(true)
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
  })
})

describe('cancel', () => {
  it('a cancelled bake rolls back before returning', async () => {
    aws = mockAws()
    const cancel = new AbortController()
    const clock = fakeClock([{ at: 20_000, run: () => cancel.abort() }])
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,50', 'bake-time': '1m' }),
      deps({ clock, signal: cancel.signal })
    )
    // The cancel message with rollback.
    expect(result.failure).toBe('Cancelled: rolled back, all traffic is on Blue.')
    expect(result.error).toBeUndefined()
    expect(result.rolledBack).toBe(true)
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    // The step stays 'cancelled' in the summary's table even though the rollback moved traffic.
    expect(result.steps.map((s) => s.outcome)).toEqual(['cancelled'])
  })

  it('a cancel during the final promote write finishes the promote', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const cancel = new AbortController()
    const actual = rule()
    let actions = actual.Actions
    // The runner cancels while ModifyRule is moving everything to Green.
    Object.defineProperty(actual, 'Actions', {
      enumerable: true,
      get: () => actions,
      set: (next: typeof actions) => {
        actions = next
        if (weights().Green === 100) cancel.abort()
      }
    })
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,100' }),
      deps({ signal: cancel.signal })
    )
    expect(cancel.signal.aborted).toBe(true)
    expect(result.failure).toBeUndefined()
    expect(result.rolledBack).toBe(false)
    expect(weights()).toEqual({ Blue: 0, Green: 100 })
    expect(aws.world.service!.tags.StableStack).toBe('Green')
  })

  it('a cancel before the promote write rolls back instead', async () => {
    aws = mockAws()
    const cancel = new AbortController()
    let reads = 0
    // Step 1 uses discovery's health read; the promote step reads it again, and the cancel
    // comes with that read.
    Object.defineProperty(aws.world.health, ARN.greenTg, {
      get: () => {
        if (reads++ > 0) cancel.abort()
        return healthy()
      }
    })
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,100' }),
      deps({ signal: cancel.signal })
    )
    expect(result.failure).toBe('Cancelled: rolled back, all traffic is on Blue.')
    expect(result.rolledBack).toBe(true)
    expect(aws.writes()).toEqual(['ModifyRule', 'ModifyRule'])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    expect(aws.world.service!.tags.StableStack).toBe('Blue')
  })

  it('on-cancel hold leaves the weights', async () => {
    aws = mockAws()
    const cancel = new AbortController()
    const clock = fakeClock([{ at: 20_000, run: () => cancel.abort() }])
    const result = await runPipeline(
      inputs({ mode: 'canary', steps: '10,50', 'bake-time': '1m', 'on-cancel': 'hold' }),
      deps({ clock, signal: cancel.signal })
    )
    expect(result.failure).toBe(
      'Cancelled: traffic left at Blue 90% / Green 10% (on-cancel: hold).'
    )
    expect(result.rolledBack).toBe(false)
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(weights()).toEqual({ Blue: 90, Green: 10 })
  })
})

describe('test traffic', () => {
  it('canary creates a header rule above the weighted one; promote deletes it', async () => {
    aws = mockAws()
    await runPipeline(inputs({ mode: 'canary', 'test-header': 'X-Canary: yes' }), deps())
    const testRule = aws.world.rules.find((r) => r.Priority === '9')
    expect(testRule?.Conditions).toEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['yes'] } }
    ])
    expect(testRule?.Actions).toEqual([
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: ARN.greenTg, Weight: 1 }] }
      }
    ])
    expect(aws.world.service!.tags.StableStackTestRule).toBe(testRule?.RuleArn)

    const again = await runPipeline(
      inputs({ mode: 'canary', 'test-header': 'X-Canary: yes' }),
      deps()
    )
    expect(again.changed).toBe(false)

    await runPipeline(inputs({ mode: 'promote' }), deps())
    expect(aws.world.rules.some((r) => r.RuleArn === testRule?.RuleArn)).toBe(false)
    expect(aws.world.service!.tags.StableStackTestRule).toBeUndefined()
  })

  describe('a test rule created during the run is deleted with its tag', () => {
    const alarmAt = (at: number) =>
      fakeClock([{ at, run: () => (aws.world.alarms['svc-5xx'] = { state: 'ALARM' }) }])

    it('when a failed gate rolls the run back', async () => {
      aws = mockAws()
      aws.world.alarms = { 'svc-5xx': { state: 'OK' } }
      const result = await runPipeline(
        inputs({
          mode: 'canary',
          steps: '10,50',
          'bake-time': '30s',
          alarms: 'svc-5xx',
          'test-header': 'X-Canary: yes'
        }),
        deps({ clock: alarmAt(45_000), pollMs: 5000 })
      )
      expect(result.rolledBack).toBe(true)
      expect(result.failure).toMatch(/Rolled back: all traffic is on Blue again\.$/)
      expect(aws.writes()).toEqual([
        'CreateRule',
        'TagResource',
        'ModifyRule',
        'ModifyRule',
        'ModifyRule',
        'DeleteRule',
        'UntagResource'
      ])
      expect(aws.world.rules.map((r) => r.RuleArn)).toEqual([ARN.rule, ARN.defaultRule])
      expect(aws.world.service!.tags).toEqual({ StableStack: 'Blue' })
      expect(result.writes.at(-1)).toMatch(/^test rule .*: deleted$/)
    })

    it('when the run is cancelled', async () => {
      aws = mockAws()
      const cancel = new AbortController()
      const clock = fakeClock([{ at: 20_000, run: () => cancel.abort() }])
      const result = await runPipeline(
        inputs({ mode: 'canary', steps: '10,50', 'bake-time': '1m', 'test-header': 'X-C: 1' }),
        deps({ clock, signal: cancel.signal })
      )
      expect(result.failure).toBe('Cancelled: rolled back, all traffic is on Blue.')
      expect(aws.writes()).toEqual([
        'CreateRule',
        'TagResource',
        'ModifyRule',
        'ModifyRule',
        'DeleteRule',
        'UntagResource'
      ])
      expect(aws.world.rules.map((r) => r.RuleArn)).toEqual([ARN.rule, ARN.defaultRule])
      expect(aws.world.service!.tags).toEqual({ StableStack: 'Blue' })
    })

    it('when the walk ends in a promote', async () => {
      aws = mockAws()
      const result = await runPipeline(
        inputs({ mode: 'canary', steps: '10,100', 'test-header': 'X-C: 1' }),
        deps()
      )
      expect(result.failure).toBeUndefined()
      // Test traffic is taken away before the stable tag, the promote's last write.
      expect(aws.writes()).toEqual([
        'CreateRule',
        'TagResource',
        'ModifyRule',
        'ModifyRule',
        'DeleteRule',
        'UntagResource',
        'TagResource'
      ])
      expect(aws.world.rules.map((r) => r.RuleArn)).toEqual([ARN.rule, ARN.defaultRule])
      expect(aws.world.service!.tags).toEqual({
        StableStack: 'Green',
        StableStackPrevious: 'Blue',
        StableStackPromotion: 'myapp:2 replaced myapp:1 at 2027-01-15T08:00:00Z'
      })
    })
  })

  it('a canary that loses the priority to a racing run takes over the rule that run made', async () => {
    aws = mockAws()
    const { CreateRuleCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2')
    const theirs = `${ARN.rule.replace(/r1$/, '')}race`
    // The other run created its rule between this run's reads and its CreateRule.
    aws.elb.on(CreateRuleCommand).callsFakeOnce((input: { Conditions: []; Actions: [] }) => {
      aws.world.rules.push({ RuleArn: theirs, Priority: '9', ...input, IsDefault: false })
      aws.world.ruleTags[theirs] = { StableStackTestRuleOf: ARN.service }
      throw Object.assign(new Error('Priority in use'), { name: 'PriorityInUseException' })
    })
    const result = await runPipeline(
      inputs({ mode: 'canary', 'test-header': 'X-Canary: yes' }),
      deps()
    )
    expect(result.failure).toBeUndefined()
    expect(aws.world.rules.map((r) => r.RuleArn)).toEqual([ARN.rule, ARN.defaultRule, theirs])
    expect(aws.world.service!.tags.StableStackTestRule).toBe(theirs)
    expect(aws.writes()).toEqual(['TagResource', 'ModifyRule'])
  })

  it("a priority taken by a rule that is not this service's is refused as before", async () => {
    aws = mockAws()
    aws.world.rules.push({ RuleArn: `${ARN.rule}x`, Priority: '3', Actions: [forward(1, 0)] })
    const result = await runPipeline(
      inputs({ mode: 'canary', 'test-header': 'X-C: 1', 'test-rule-priority': '3' }),
      deps()
    )
    expect(result.failure).toMatch(
      /^Priority 3 is taken on .*Set "test-rule-priority" to a free one\./
    )
    expect(aws.writes()).toEqual(['CreateRule'])
  })

  it('a rule deleted between DescribeRules and DescribeTags counts as gone', async () => {
    aws = mockAws()
    const { DescribeTagsCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2')
    const stale = `${ARN.rule.replace(/r1$/, '')}stale`
    const kept = `${ARN.rule.replace(/r1$/, '')}kept`
    aws.world.rules.push({ RuleArn: kept, Priority: '7', Actions: [forward(0, 1)] })
    aws.world.rules.push({ RuleArn: stale, Priority: '8', Actions: [forward(0, 1)] })
    aws.world.ruleTags[kept] = { StableStackTestRuleOf: ARN.service }
    aws.world.ruleTags[stale] = { StableStackTestRuleOf: ARN.service }
    const asked: string[][] = []
    aws.elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => {
      asked.push(input.ResourceArns)
      // The first call races a run that deletes the stale rule; ELB fails the whole call.
      if (asked.length === 1) aws.world.rules = aws.world.rules.filter((r) => r.RuleArn !== stale)
      if (input.ResourceArns.includes(stale)) {
        throw Object.assign(new Error('One or more rules not found'), { name: 'RuleNotFound' })
      }
      return {
        TagDescriptions: input.ResourceArns.map((ResourceArn) => ({
          ResourceArn,
          Tags: [{ Key: 'StableStackTestRuleOf', Value: ARN.service }]
        }))
      }
    })
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(inputs({ mode: 'rollback' }), deps())
    expect(result.failure).toBeUndefined()
    // The weighted rule's tags are never asked for. The batch failed; then one by one.
    expect(asked).toEqual([[kept, stale], [kept], [stale]])
    expect(aws.writes()).toEqual(['ModifyRule', 'DeleteRule'])
    expect(aws.world.rules.map((r) => r.RuleArn)).toEqual([ARN.rule, ARN.defaultRule])
    expect(result.warnings).toEqual([])
  })

  it('a rollback whose test-route reads fail still rolls back, and says what it left', async () => {
    aws = mockAws()
    const test = `${ARN.rule.replace(/r1$/, '')}test`
    aws.world.rules.push({ RuleArn: test, Priority: '9', Actions: [forward(0, 1)] })
    const { DescribeTagsCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2')
    aws.elb
      .on(DescribeTagsCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }))
    rule().Actions = [forward(90, 10)]
    const log = new MemoryLogger()
    const result = await runPipeline(inputs({ mode: 'rollback' }), deps({ log }))
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatch(/^Test traffic was left as it is: .*DescribeTags/)
    expect(log.lines).toContain(`warning: ${result.warnings[0]}`)
    expect(renderSummary(result)).toContain('### Left alone')
  })

  it('the test query uses the priority asked for', async () => {
    aws = mockAws()
    await runPipeline(
      inputs({ mode: 'canary', 'test-query': 'canary=true', 'test-rule-priority': '3' }),
      deps()
    )
    expect(aws.world.rules.find((r) => r.Priority === '3')?.Conditions?.[1]).toEqual({
      Field: 'query-string',
      QueryStringConfig: { Values: [{ Key: 'canary', Value: 'true' }] }
    })
  })

  it('the test listener follows the canary, then the stable colour', async () => {
    aws = mockAws()
    const groups = () =>
      aws.world.testListenerDefault[0].ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn)
    await runPipeline(inputs({ mode: 'canary', 'test-listener-arn': ARN.testListener }), deps())
    expect(groups()).toEqual([ARN.greenTg])
    await runPipeline(inputs({ mode: 'rollback', 'test-listener-arn': ARN.testListener }), deps())
    expect(groups()).toEqual([ARN.blueTg])
  })
})

describe('after promote', () => {
  it('scale-down-after-promote scales the old stable task set to 0 %', async () => {
    aws = mockAws()
    rule().Actions = [forward(90, 10)]
    const result = await runPipeline(
      inputs({ mode: 'promote', 'scale-down-after-promote': 'true' }),
      deps()
    )
    expect(aws.writes()).toEqual(['ModifyRule', 'TagResource', 'UpdateTaskSet'])
    expect(aws.world.service!.taskSets[0].scale?.value).toBe(0)
    expect(result.writes.at(-1)).toMatch(/ecs-svc\/1000 \(Blue\): scaled to 0 % after promote/)
  })

  it('undo-promotion scales the previous colour back, waits, and gives it traffic and the tag', async () => {
    aws = mockAws()
    rule().Actions = [forward(0, 100)]
    aws.world.service!.tags = { StableStack: 'Green', StableStackPrevious: 'Blue' }
    aws.world.service!.taskSets[0] = taskSet('Blue', {
      scale: { unit: 'PERCENT', value: 0 },
      computedDesiredCount: 0,
      runningCount: 0
    })
    const result = await runPipeline(inputs({ mode: 'rollback', 'undo-promotion': 'true' }), deps())
    // The stable tag first, then the record of the promote is removed.
    expect(aws.writes()).toEqual(['UpdateTaskSet', 'ModifyRule', 'TagResource', 'UntagResource'])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    // The undo records that the version it brought back replaced the one it took away.
    expect(aws.world.service!.tags).toEqual({
      StableStack: 'Blue',
      StableStackPromotion: 'myapp:1 replaced myapp:2 at 2027-01-15T08:00:00Z'
    })
    expect(result.stableAfter).toBe('Blue')
    expect(result.rolledBack).toBe(true)
    expect(stepOutputs(result)['stable-color']).toBe('Blue')
    // An undo is not a step of a walk: steps-completed stays 0, and the step says what it did.
    expect(stepOutputs(result)['steps-completed']).toBe('0')
    expect(result.steps.map((st) => st.outcome)).toEqual(['rolled back'])

    const rerun = await runPipeline(inputs({ mode: 'rollback', 'undo-promotion': 'true' }), deps())
    expect(rerun.changed).toBe(false)
    expect(rerun.plan.reason).toMatch(/No promotion to undo/)
  })

  it('undo-promotion is not blocked by the alarm that made it necessary: only health gates it', async () => {
    aws = mockAws()
    rule().Actions = [forward(0, 100)]
    aws.world.service!.tags = { StableStack: 'Green', StableStackPrevious: 'Blue' }
    aws.world.alarms = { 'svc-5xx': { state: 'ALARM', reason: 'Green is failing' } }
    const result = await runPipeline(
      inputs({ mode: 'rollback', 'undo-promotion': 'true', alarms: 'svc-5xx' }),
      deps()
    )
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual(['ModifyRule', 'TagResource', 'UntagResource'])
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
    expect(result.steps[0].readings.map((r) => r.label)).toEqual(['health gate'])
  })

  it('undo-promotion removes the record of the promote only after the stable tag is written', async () => {
    aws = mockAws()
    rule().Actions = [forward(0, 100)]
    aws.world.service!.tags = { StableStack: 'Green', StableStackPrevious: 'Blue' }
    const { TagResourceCommand } = await import('@aws-sdk/client-ecs')
    aws.ecs
      .on(TagResourceCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'ServerException' }))
    const result = await runPipeline(inputs({ mode: 'rollback', 'undo-promotion': 'true' }), deps())
    // Two sequential calls, so a failed stable tag write sends no UntagResource.
    expect(aws.calls()).toContain('ModifyRule')
    expect(aws.calls()).not.toContain('UntagResource')
    expect(aws.world.service!.tags).toEqual({ StableStack: 'Green', StableStackPrevious: 'Blue' })
    // The AWS error is in the outcome, not thrown.
    expect(result.failure).toMatch(/ecs:TagResource failed: ServerException: boom/)
    expect(result.failure).toMatch(
      /Traffic is now Blue 100% \/ Green 0%; the stable colour is Green\.$/
    )
    expect(result.error).toBeInstanceOf(AwsCallError)
    expect(weights()).toEqual({ Blue: 100, Green: 0 })
  })
})
