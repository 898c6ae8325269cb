import {
  CreateRuleCommand,
  DeleteRuleCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, errorName, isNotFound, toActionError } from '../../aws/call.js'
import type { Color, PerColor } from '../../color.js'
import { StateError } from '../../errors.js'
import type { TestTrafficInputs } from '../../inputs.js'
import type { ServiceTags } from '../../service-tags.js'
import type { TestTraffic } from '../router.js'
import { describeListenerActions, listRules } from './elb-reads.js'
import { forwardOnlyTo, keepExistingSecrets } from './forward.js'
import type { RulePlacement } from './placement.js'
import { choosePriority, sendableCondition, testActions, testConditions } from './test-rule.js'

/**
 * Test traffic on an ALB: a rule above the weighted one that sends only requests carrying the
 * test header or query to the canary, and a second listener that points at the canary while a
 * canary runs. The test rule's ARN lives in a service tag, kept current by `tags`, so whatever
 * this run created is what a later rollback or promote removes. (Over 60 lines: it owns the
 * test rule and listener through their whole life, and each method is one short call sequence.)
 */
export class AlbTestTraffic implements TestTraffic {
  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly placement: () => RulePlacement | undefined,
    private readonly traffic: TestTrafficInputs,
    private readonly targetGroups: PerColor<string>,
    private readonly tags: ServiceTags
  ) {}

  async open(canary: Color): Promise<string[]> {
    const wrote: string[] = []
    const placement = this.placement()
    if ((this.traffic.header || this.traffic.query) && placement) {
      const key = this.tags.names.testRule
      const existing = this.tags.get(key)
      const { arn, line } = await this.syncRule(placement, this.targetGroups[canary], existing)
      if (line) wrote.push(line)
      if (arn !== existing) await this.tags.set({ [key]: arn })
    }
    if (this.traffic.listenerArn) {
      const line = await this.pointListener(this.traffic.listenerArn, this.targetGroups[canary])
      if (line) wrote.push(line)
    }
    return wrote
  }

  async close(stable: Color): Promise<string[]> {
    const wrote: string[] = []
    const key = this.tags.names.testRule
    const existing = this.tags.get(key)
    if (existing) {
      await this.deleteRule(existing)
      await this.tags.remove([key])
      wrote.push(`test rule ${existing}: deleted`)
    }
    if (this.traffic.listenerArn) {
      const line = await this.pointListener(this.traffic.listenerArn, this.targetGroups[stable])
      if (line) wrote.push(line)
    }
    return wrote
  }

  /** Creates or updates the test rule; returns its ARN and what was written. */
  private async syncRule(
    placement: RulePlacement,
    canaryGroup: string,
    existingArn: string | undefined
  ): Promise<{ arn: string; line?: string }> {
    const conditions = testConditions(placement, this.traffic)
    const actions = testActions(placement, canaryGroup)
    const rules = await listRules(this.elb, placement.listenerArn)
    const existing = rules.find((r) => r.RuleArn === existingArn)
    const requested = this.traffic.priority
    if (existing?.RuleArn) {
      if (sameRule(existing, conditions, actions, requested)) return { arn: existing.RuleArn }
      if (requested === undefined || Number(existing.Priority) === requested) {
        await awsCall('elasticloadbalancing:ModifyRule', () =>
          this.elb.send(
            // testActions refuses OIDC, so there is no client secret to keep here.
            new ModifyRuleCommand({
              RuleArn: existing.RuleArn,
              Conditions: conditions,
              Actions: actions
            })
          )
        )
        return { arn: existing.RuleArn, line: `test rule ${existing.RuleArn}: updated` }
      }
      // A priority change is a new rule: ModifyRule cannot move it.
      await this.deleteRule(existing.RuleArn)
    }
    const taken = rules.map((r) => Number(r.Priority)).filter(Number.isInteger)
    const priority = choosePriority(placement, taken, requested)
    const created = await awsCall(
      'elasticloadbalancing:CreateRule',
      () =>
        this.elb.send(
          new CreateRuleCommand({
            ListenerArn: placement.listenerArn,
            Priority: priority,
            Conditions: conditions,
            Actions: actions
          })
        ),
      (name) =>
        name === 'PriorityInUseException' || name === 'PriorityInUse'
          ? new StateError(
              `Priority ${priority} is taken on ${placement.listenerArn}. Set "test-rule-priority" to a free one.`
            )
          : undefined
    )
    const arn = created.Rules?.[0]?.RuleArn ?? ''
    return { arn, line: `test rule ${arn}: created at priority ${priority}` }
  }

  private async deleteRule(arn: string): Promise<void> {
    try {
      await this.elb.send(new DeleteRuleCommand({ RuleArn: arn }))
    } catch (error) {
      // Already gone is the state we want.
      if (isNotFound(errorName(error), 'Rule')) return
      throw toActionError('elasticloadbalancing:DeleteRule', error)
    }
  }

  /** Points the test listener's default forward at one target group; other actions stay. */
  private async pointListener(listenerArn: string, targetGroupArn: string) {
    const notFound = () =>
      new StateError(`Test listener ${listenerArn} was not found. Check "test-listener-arn".`)
    const actions = await describeListenerActions(this.elb, listenerArn, notFound)
    if (!actions.some((a) => a.Type === 'forward')) {
      throw new StateError(`Test listener ${listenerArn} has no forward default action to point.`)
    }
    const next = forwardOnlyTo(actions, targetGroupArn, `Test listener ${listenerArn}`)
    if (!next) return undefined
    await awsCall('elasticloadbalancing:ModifyListener', () =>
      this.elb.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: keepExistingSecrets(next)
        })
      )
    )
    return `test listener ${listenerArn}: forwards to ${targetGroupArn}`
  }
}

function sameRule(
  rule: Rule,
  conditions: ReturnType<typeof testConditions>,
  actions: ReturnType<typeof testActions>,
  priority: number | undefined
): boolean {
  const groups = (list: typeof actions) =>
    JSON.stringify(list.map((a) => a.ForwardConfig?.TargetGroups))
  return (
    groups(rule.Actions ?? []) === groups(actions) &&
    JSON.stringify((rule.Conditions ?? []).map(sendableCondition)) === JSON.stringify(conditions) &&
    (priority === undefined || Number(rule.Priority) === priority)
  )
}
