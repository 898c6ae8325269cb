/**
 * Only the weights change: authenticate actions, stickiness and conditions survive a canary, and
 * the legacy single-TargetGroupArn forward becomes a weighted ForwardConfig naming both colours.
 */
import { describe, expect, it } from '@jest/globals'
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { RuleState } from '../../sandbox/world.js'
import { operations, ruleWeights, step, targetGroupArn, useSandbox } from './harness.js'

const sandbox = useSandbox()

/** `actions` with the forward's colour weights replaced, everything else as it was. */
function withWeights(actions: Action[], blue: number, green: number): Action[] {
  const weights: Record<string, number> = {
    [targetGroupArn(sandbox.world, 'blue-tg')]: blue,
    [targetGroupArn(sandbox.world, 'green-tg')]: green
  }
  return structuredClone(actions).map((action) => {
    for (const group of action.ForwardConfig?.TargetGroups ?? []) {
      group.Weight = weights[group.TargetGroupArn ?? '']
    }
    return action
  })
}

/** Runs canary 10 and returns the rule before, the rule after and the ModifyRule request. */
async function canary10(extra: Record<string, string> = {}): Promise<{
  before: RuleState
  after: RuleState
  sent: Record<string, unknown>
}> {
  const before = structuredClone(sandbox.world.rules[0])
  let sent: Record<string, unknown> | undefined
  sandbox.faults.afterWrite('ModifyRule', ({ input }) => {
    sent = structuredClone(input)
  })
  const run = await step(sandbox, { mode: 'canary', 'canary-weight': '10', ...extra })
  expect(run.code).toBe(0)
  expect(run.errors).toEqual([])
  expect(operations(run.writes)).toEqual(['ModifyRule'])
  expect(JSON.parse(run.outputs.weights)).toEqual({ Blue: 90, Green: 10 })
  expect(sent).toBeDefined()
  return { before, after: sandbox.world.rules[0], sent: sent! }
}

describe('rule shapes the action must keep', () => {
  it('oidc: the authenticate-oidc action keeps its order and config; conditions unchanged', async () => {
    sandbox.reset('oidc')
    const { before, after, sent } = await canary10()

    expect(after.actions).toEqual(withWeights(before.actions, 90, 10))
    expect(after.actions.map((a) => [a.Type, a.Order])).toEqual([
      ['authenticate-oidc', 1],
      ['forward', 2]
    ])
    expect(after.actions[0].AuthenticateOidcConfig).toEqual(
      before.actions[0].AuthenticateOidcConfig
    )
    expect(after.conditions).toEqual(before.conditions)
    expect(after.priority).toBe(before.priority)
    // ELB never returns the secret: the write must ask it to keep the one it has, and must not
    // send conditions at all.
    const oidc = (sent.Actions as Action[]).find((a) => a.Type === 'authenticate-oidc')
    expect(oidc?.AuthenticateOidcConfig?.UseExistingClientSecret).toBe(true)
    expect(sent).not.toHaveProperty('Conditions')
  })

  it('stickiness: the group stickiness config survives; conditions unchanged', async () => {
    sandbox.reset('stickiness')
    const { before, after, sent } = await canary10()

    expect(after.actions).toEqual(withWeights(before.actions, 90, 10))
    expect(after.actions[0].ForwardConfig?.TargetGroupStickinessConfig).toEqual({
      Enabled: true,
      DurationSeconds: 3600
    })
    expect(after.conditions).toEqual(before.conditions)
    expect(sent).not.toHaveProperty('Conditions')
  })

  it('oidc+stickiness together: both survive', async () => {
    sandbox.reset('oidc+stickiness')
    const { before, after } = await canary10()

    expect(after.actions).toEqual(withWeights(before.actions, 90, 10))
    expect(after.actions[0].Type).toBe('authenticate-oidc')
    expect(after.actions[1].ForwardConfig?.TargetGroupStickinessConfig).toEqual({
      Enabled: true,
      DurationSeconds: 3600
    })
    expect(after.conditions).toEqual(before.conditions)
  })

  it('legacy-forward: becomes a ForwardConfig naming both colours', async () => {
    sandbox.reset('legacy-forward')
    // Without the gate the conversion is a single write (the next test covers the gate).
    const { before, after } = await canary10({ 'wait-for-healthy': 'false' })

    expect(before.actions).toEqual([
      { Type: 'forward', TargetGroupArn: targetGroupArn(sandbox.world, 'blue-tg') }
    ])
    expect(after.actions).toHaveLength(1)
    const [forward] = after.actions
    expect(forward.Type).toBe('forward')
    expect(forward.TargetGroupArn).toBeUndefined()
    expect(forward.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: targetGroupArn(sandbox.world, 'blue-tg'), Weight: 90 },
      { TargetGroupArn: targetGroupArn(sandbox.world, 'green-tg'), Weight: 10 }
    ])
    expect(after.conditions).toEqual(before.conditions)

    // The rewritten rule is an ordinary weighted rule now: the next step reads it back as such.
    const status = await step(sandbox, { mode: 'status' })
    expect(status.code).toBe(0)
    expect(JSON.parse(status.outputs.weights)).toEqual({ Blue: 90, Green: 10 })
  })

  it('legacy-forward with the health gate on: Green joins at weight 0, passes the gate, then gets 10 %', async () => {
    sandbox.reset('legacy-forward')
    // ELB health-checks only target groups a route names, so Green's targets start `unused`.
    const sent: Action[][] = []
    sandbox.faults.afterWrite('ModifyRule', ({ input }) => {
      sent.push(structuredClone(input.Actions as Action[]))
    })
    const run = await step(sandbox, {
      mode: 'canary',
      'canary-weight': '10',
      'health-timeout-seconds': '30'
    })
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule'])
    const blue = targetGroupArn(sandbox.world, 'blue-tg')
    const green = targetGroupArn(sandbox.world, 'green-tg')
    // First write: both colours named, all traffic still on Blue.
    expect(sent[0][0].ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: blue, Weight: 1 },
      { TargetGroupArn: green, Weight: 0 }
    ])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 90, Green: 10 })
    expect(run.summary).toContain('added Green at weight 0 so its targets are health-checked')
  })
})
