/**
 * The snapshot normaliser, the comparisons and the check of a failure's last sentence, on plain
 * worlds: no sandbox, no action run.
 */
import { describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../../sandbox/mutations.js'
import { defaultWorld, type World } from '../../../sandbox/world.js'
import { differences, invalidities, sharesOf } from './compare.js'
import { normaliseVolatile, snapshot, type Snapshot } from './snapshot.js'
import { falseClaims, lastSentence } from './statement.js'

const tag = (world: World, key: string, value: string) =>
  applyMutation(world, { type: 'set-tag', key, value })

/** A test rule as the action creates it, at `priority`, with its ARN ending in `id`. */
function addTestRule(world: World, id: string, priority: number): string {
  const weighted = world.rules[0]
  const arn = weighted.arn.replace(/[^/]+$/, id)
  world.rules.push({
    arn,
    listenerArn: weighted.listenerArn,
    priority,
    conditions: [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] }, Values: ['/*'] },
      { HttpHeaderConfig: { Values: ['1'], HttpHeaderName: 'X-Canary' }, Field: 'http-header' }
    ],
    actions: [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: world.targetGroups[1].arn, Weight: 1 }]
        }
      }
    ]
  })
  return arn
}

describe('snapshot', () => {
  it('reads weights, tags, test rules and scale by colour', () => {
    expect(snapshot(defaultWorld())).toEqual({
      weights: { Blue: 100, Green: 0 },
      tags: { StableStack: 'Blue' },
      testRules: [],
      testListeners: [],
      scale: { Blue: 100, Green: 100 }
    })
  })

  it('ignores the ARN, priority and key order of a test rule, not its conditions', () => {
    const a = defaultWorld()
    tag(a, 'StableStackTestRule', addTestRule(a, '1111111111111111', 9))
    const b = defaultWorld()
    tag(b, 'StableStackTestRule', addTestRule(b, '2222222222222222', 5))
    b.rules[1].conditions.reverse()
    expect(snapshot(a)).toEqual(snapshot(b))
    expect(snapshot(a).testRules).toEqual([
      {
        conditions: [
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] }, Values: ['/*'] }
        ],
        forwardsTo: ['Green']
      }
    ])
    expect(snapshot(a).tags.StableStackTestRule).toBe('<a rule>')

    b.rules[1].conditions[0] = { Field: 'path-pattern', PathPatternConfig: { Values: ['/api'] } }
    expect(snapshot(a)).not.toEqual(snapshot(b))
  })

  it('tells a test-rule tag naming a deleted rule from one naming a live rule', () => {
    const world = defaultWorld()
    tag(world, 'StableStackTestRule', `${world.rules[0].arn}-gone`)
    expect(snapshot(world).tags.StableStackTestRule).toBe('<a missing rule>')
  })

  it('keeps the stable and previous tags whole; a lease as its kind of run; takes times, run ids and attempts out of others', () => {
    const run = (id: string, attempt: number, at: string) => {
      const world = defaultWorld()
      tag(world, 'StableStackPrevious', 'Green')
      tag(
        world,
        'StableStackLease',
        `run ${id} attempt ${attempt} job deploy rollback until ${at} id ${id.slice(-6)}`
      )
      tag(
        world,
        'StableStackLastRun',
        `https://github.com/o/r/actions/runs/${id}/attempts/${attempt}`
      )
      return snapshot(world, { runIds: ['17000000001', '17000000002'] })
    }
    const first = run('17000000001', 1, '2099-11-02T10:00:00.000Z')
    expect(first.tags).toEqual({
      StableStack: 'Blue',
      StableStackPrevious: 'Green',
      StableStackLastRun: 'https://github.com/o/r/actions/runs/<run>/attempts/<attempt>',
      StableStackLease: 'held by a rollback run'
    })
    expect(run('17000000002', 2, '2099-11-02T10:05:00Z')).toEqual(first)
  })

  it('leaves out an expired lease: it blocks nobody', () => {
    const world = defaultWorld()
    tag(
      world,
      'StableStackLease',
      'run 1 attempt 1 job deploy rollback until 2020-01-01T00:00:00Z id abc'
    )
    expect(snapshot(world).tags).toEqual({ StableStack: 'Blue' })
  })

  it('normalises epoch times and a run id followed by its attempt', () => {
    expect(normaliseVolatile('42/3 at 1793613600000', ['42'])).toBe('<run>/<attempt> at <time>')
    expect(normaliseVolatile('Green', ['42'])).toBe('Green')
  })

  it('reads the weighted rule from the stack output, and other listeners as test listeners', () => {
    const world = defaultWorld()
    applyMutation(world, { type: 'set-rule-weights', weights: { 'blue-tg': 90, 'green-tg': 10 } })
    const listener = world.listeners[0]
    world.listeners.push({
      ...structuredClone(listener),
      arn: `${listener.arn}-test`,
      port: 8443,
      defaultActions: [{ Type: 'forward', TargetGroupArn: world.targetGroups[1].arn }]
    })
    world.services[0].taskSets[0].scale.value = 0
    expect(snapshot(world)).toMatchObject({
      weights: { Blue: 90, Green: 10 },
      testListeners: [{ port: 8443, forwardsTo: ['Green'] }],
      scale: { Blue: 0, Green: 100 }
    })
  })
})

describe('differences', () => {
  it('names each differing field, and rule lists by their length', () => {
    const clean = snapshot(defaultWorld())
    const world = defaultWorld()
    tag(world, 'StableStackTestRule', addTestRule(world, '1111111111111111', 9))
    world.services[0].taskSets[0].scale.value = 0
    expect(differences(snapshot(world), clean)).toEqual([
      'tags.StableStackTestRule <a rule> (clean: none)',
      'testRules 1 rule(s) (clean: 0 rule(s))',
      'scale.Blue 0 (clean: 100)'
    ])
    expect(differences(clean, clean)).toEqual([])
  })
})

describe('validity and shares', () => {
  const base = (): Snapshot => snapshot(defaultWorld())

  it('a live state needs a stable colour and at most one test rule', () => {
    expect(invalidities(base())).toEqual([])
    const world = defaultWorld()
    tag(world, 'StableStack', 'blue')
    addTestRule(world, '1111111111111111', 9)
    addTestRule(world, '2222222222222222', 8)
    expect(invalidities(snapshot(world))).toEqual(['the StableStack tag is "blue"', '2 test rules'])
  })

  it('shares are percent of the weights, to a tenth', () => {
    expect(sharesOf({ ...base(), weights: { Blue: 2, Green: 1 } })).toEqual({
      Blue: 66.7,
      Green: 33.3
    })
    expect(sharesOf({ ...base(), weights: { Blue: 0, Green: 0 } })).toEqual({ Blue: 0, Green: 0 })
  })
})

describe('the last sentence of a failure', () => {
  const before = snapshot(defaultWorld())
  const at = (blue: number, green: number, stable = 'Blue'): Snapshot => ({
    ...before,
    weights: { Blue: blue, Green: green },
    tags: { StableStack: stable }
  })

  it('is the text after the last sentence end', () => {
    expect(
      lastSentence('ecs:TagResource failed: x. No traffic was moved; nothing was written.')
    ).toBe('No traffic was moved; nothing was written.')
    expect(lastSentence('Weights 10.5% set. Traffic is now Blue 89.5% / Green 10.5%.')).toBe(
      'Traffic is now Blue 89.5% / Green 10.5%.'
    )
  })

  it('passes true claims about the split, the stable colour and nothing written', () => {
    const failed = 'elasticloadbalancing:ModifyRule failed: ServiceUnavailable: down.'
    expect(
      falseClaims(
        `${failed} Traffic is now Blue 90% / Green 10%; the stable colour is Blue.`,
        at(90, 10),
        before
      )
    ).toEqual([])
    expect(
      falseClaims(`${failed} No traffic was moved; nothing was written.`, before, before)
    ).toEqual([])
    expect(falseClaims('Rolled back: all traffic is on Blue again.', at(100, 0), before)).toEqual(
      []
    )
  })

  it('names each false claim, and a last sentence that claims nothing', () => {
    expect(
      falseClaims('x. No traffic was moved; nothing was written.', at(90, 10), before)
    ).toEqual(['it says nothing was written, but the state changed'])
    expect(
      falseClaims(
        'x. Traffic is now Blue 90% / Green 10%; the stable colour is Green.',
        at(100, 0),
        before
      )
    ).toEqual([
      'it says Blue 90% / Green 10%, live is Blue 100% / Green 0%',
      'it says the stable colour is Green, the tag says Blue'
    ])
    expect(falseClaims('x. Run mode rollback to finish.', before, before)).toEqual([
      'its last sentence does not say what was and was not changed: "Run mode rollback to finish."'
    ])
  })
})
