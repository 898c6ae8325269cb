/**
 * The listener swap: a production listener forwards to the stable colour and a test listener to
 * the other one. Call sequences of whole runs against SDK mocks, and the inputs it needs.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DescribeListenersCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { inputs } from '../__fixtures__/inputs.js'
import { InputError, PlanError, StateError } from '../src/errors.js'
import { MemoryLogger } from '../src/logger.js'
import { runPipeline, type PipelineDeps } from '../src/pipeline.js'

const SWAP = { 'production-listener-arn': ARN.listener, 'test-listener-arn': ARN.testListener }

let aws: MockAws
afterEach(() => aws?.restore())

function deps(): PipelineDeps {
  const clock = { now: () => 0, sleep: async () => undefined }
  return { clients: aws.clients, log: new MemoryLogger(), clock }
}

/** A forward to one target group, as ELB reports a simple forward. */
function only(arn: string): Action[] {
  return [
    {
      Type: 'forward',
      TargetGroupArn: arn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 1 }] }
    }
  ]
}

/** The target groups a listener's forward names with weight > 0. */
function target(actions: Action[]): string[] {
  const groups = actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? []
  return groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => g.TargetGroupArn ?? '')
}

/** Production on Blue, the test listener on Blue too (a new setup). */
function swapWorld(): MockAws {
  const mocked = mockAws()
  mocked.world.listenerDefault = only(ARN.blueTg)
  mocked.world.testListenerDefault = only(ARN.blueTg)
  mocked.world.rules = mocked.world.rules.filter((r) => r.IsDefault)
  return mocked
}

const run = (extra: Record<string, string>) => runPipeline(inputs({ ...SWAP, ...extra }), deps())

describe('listener swap (SDK mocks)', () => {
  it('canary 0 points the test listener at the canary; promote swaps; reruns write nothing', async () => {
    aws = swapWorld()
    const canary = await run({ mode: 'canary', 'canary-weight': '0' })
    expect(canary.failure).toBeUndefined()
    expect(canary.state.route).toEqual({ kind: 'listener-swap', id: ARN.listener })
    expect(aws.writes()).toEqual(['ModifyListener'])
    expect(target(aws.world.testListenerDefault)).toEqual([ARN.greenTg])
    expect(target(aws.world.listenerDefault)).toEqual([ARN.blueTg])

    await run({ mode: 'canary', 'canary-weight': '0' })
    expect(aws.writes()).toEqual(['ModifyListener'])

    const promote = await run({ mode: 'promote' })
    expect(promote.failure).toBeUndefined()
    expect(target(aws.world.listenerDefault)).toEqual([ARN.greenTg])
    expect(target(aws.world.testListenerDefault)).toEqual([ARN.blueTg])
    expect(aws.world.service!.tags.StableStack).toBe('Green')
    // The record says what the swap replaced: a rerun never swaps back.
    expect(aws.world.service!.tags.StableStackPromotion).toMatch(/^myapp:2 replaced myapp:1/)
    const writes = aws.writes().length

    const rerun = await run({ mode: 'promote' })
    expect(rerun.failure).toBeUndefined()
    expect(rerun.plan.reason).toMatch(/^Nothing to deploy/)
    expect(aws.writes()).toHaveLength(writes)
    expect(target(aws.world.listenerDefault)).toEqual([ARN.greenTg])
  })

  it('rollback points production back at the stable colour and the test listener at the other', async () => {
    aws = swapWorld()
    aws.world.listenerDefault = only(ARN.greenTg)
    const rollback = await run({ mode: 'rollback' })
    expect(rollback.failure).toBeUndefined()
    expect(target(aws.world.listenerDefault)).toEqual([ARN.blueTg])
    expect(target(aws.world.testListenerDefault)).toEqual([ARN.greenTg])
  })

  it('a share between 0 and 100 is refused as all-or-nothing, before any write', async () => {
    aws = swapWorld()
    const canary = run({ mode: 'canary', 'canary-weight': '10' })
    await expect(canary).rejects.toThrow(PlanError)
    await expect(canary).rejects.toThrow(/moves all traffic or none .* cannot give the canary 10%/)
    expect(aws.writes()).toEqual([])
  })

  it('a weighted production forward takes shares like the listener router', async () => {
    aws = swapWorld()
    aws.world.listenerDefault = [forward(100, 0)]
    const canary = await run({ mode: 'canary', 'canary-weight': '10' })
    expect(canary.failure).toBeUndefined()
    expect(canary.splitAfter).toEqual({ Blue: 900, Green: 100 })
    expect(aws.writes()).toEqual(['ModifyListener', 'ModifyListener'])
  })

  it('listeners on different load balancers are refused before any write', async () => {
    aws = swapWorld()
    aws.elb.on(DescribeListenersCommand, { ListenerArns: [ARN.testListener] }).resolves({
      Listeners: [
        {
          ListenerArn: ARN.testListener,
          LoadBalancerArn: `${ARN.lb}-other`,
          DefaultActions: only(ARN.blueTg)
        }
      ]
    })
    const status = run({ mode: 'canary', 'canary-weight': '0' })
    await expect(status).rejects.toThrow(StateError)
    await expect(status).rejects.toThrow(
      /is on load balancer .* and the test listener .* on .*-other/
    )
    expect(aws.writes()).toEqual([])
  })

  it('a listener whose default action is not a forward is refused before any write', async () => {
    aws = swapWorld()
    aws.world.testListenerDefault = [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }
    ]
    await expect(run({ mode: 'canary', 'canary-weight': '0' })).rejects.toThrow(
      /Test listener .* has no forward action \(its actions: fixed-response\)/
    )
    expect(aws.writes()).toEqual([])
  })
})

describe('listener swap inputs', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'without a test listener',
      { 'production-listener-arn': ARN.listener },
      /needs "test-listener-arn"/
    ],
    ['beside a rule', { ...SWAP, 'listener-rule-arn': ARN.rule }, /not both/],
    ['the same listener twice', { ...SWAP, 'test-listener-arn': ARN.listener }, /same listener/],
    ['with a test header', { ...SWAP, 'test-header': 'X-Canary: true' }, /"test-header"/],
    ['not a listener ARN', { ...SWAP, 'production-listener-arn': ARN.rule }, /":listener\/"/]
  ])('%s is refused', (_, given, message) => {
    expect(() => inputs({ mode: 'status', ...given })).toThrow(InputError)
    expect(() => inputs({ mode: 'status', ...given })).toThrow(message)
  })
})
