import {
  CreateRuleCommand,
  DeleteRuleCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, errorName, isNotFound, toActionError } from '../../aws/call.js'
import { StateError } from '../../errors.js'
import type { TestTrafficInputs } from '../../inputs.js'
import type { RulePlacement } from './placement.js'
import { choosePriority, sendableCondition, testActions, testConditions } from './test-rule.js'

/** The rules of the listener and, among them, this service's test rules (lowest priority first). */
export interface RuleView {
  rules: Rule[]
  owned: Rule[]
}

/**
 * This service's test rules on the weighted route's listener. Every rule it creates carries the
 * marker tag from the moment it exists, so a run that dies before recording the rule anywhere
 * else leaves one that the next run finds by the marker, not by its priority.
 */
export class TestRules {
  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private view: RuleView,
    private readonly marker: { Key: string; Value: string },
    /** Reads the listener again: after losing a race for a priority, the winner may be ours. */
    private readonly reread: () => Promise<RuleView>
  ) {}

  get owned(): readonly Rule[] {
    return this.view.owned
  }

  /**
   * Makes one owned rule send test requests to the canary: the one at the requested priority,
   * else the lowest, created if there is none. Says each write to `wrote` as soon as it is made;
   * returns the rule's ARN and the other owned rules, which the caller deletes once the service
   * tag names the one kept.
   */
  async sync(
    placement: RulePlacement,
    canaryGroup: string,
    traffic: TestTrafficInputs,
    wrote: (line: string) => void,
    retried = false
  ): Promise<{ arn: string; extras: Rule[] }> {
    const conditions = testConditions(placement, traffic)
    const actions = testActions(placement, canaryGroup)
    const requested = traffic.priority
    const owned = this.view.owned
    const keep = owned.find((r) => Number(r.Priority) === requested) ?? owned[0]
    const extras = owned.filter((r) => r !== keep)
    if (keep?.RuleArn) {
      const arn = keep.RuleArn
      if (sameRule(keep, conditions, actions, requested)) return { arn, extras }
      if (requested === undefined || Number(keep.Priority) === requested) {
        // testActions refuses OIDC, so there is no client secret to keep here.
        await awsCall('elasticloadbalancing:ModifyRule', () =>
          this.elb.send(
            new ModifyRuleCommand({ RuleArn: arn, Conditions: conditions, Actions: actions })
          )
        )
        this.replace(keep, { ...keep, Conditions: conditions, Actions: actions })
        wrote(`test rule ${arn}: updated`)
        return { arn, extras }
      }
      // ModifyRule cannot move a rule. Deleted first, so no two rules are ever ours at once
      // for this reason; a stop in between leaves no rule, which the next run creates.
      await this.remove([keep], wrote)
    }
    const taken = this.view.rules.map((r) => Number(r.Priority)).filter(Number.isInteger)
    const priority = choosePriority(placement, taken, requested)
    let created: Rule | undefined
    try {
      const response = await this.elb.send(
        new CreateRuleCommand({
          ListenerArn: placement.listenerArn,
          Priority: priority,
          Conditions: conditions,
          Actions: actions,
          Tags: [this.marker]
        })
      )
      created = response.Rules?.[0]
    } catch (error) {
      const name = errorName(error)
      if (name !== 'PriorityInUseException' && name !== 'PriorityInUse') {
        throw toActionError('elasticloadbalancing:CreateRule', error)
      }
      // Another run for this service may have just created the rule: take it over.
      this.view = await this.reread()
      if (!retried && this.view.owned.length > 0) {
        return this.sync(placement, canaryGroup, traffic, wrote, true)
      }
      throw new StateError(
        `Priority ${priority} is taken on ${placement.listenerArn}. Set "test-rule-priority" to a free one.`
      )
    }
    const arn = created?.RuleArn ?? ''
    const rule: Rule = created ?? { RuleArn: arn, Priority: String(priority) }
    this.view = { rules: [...this.view.rules, rule], owned: [rule, ...extras] }
    wrote(`test rule ${arn}: created at priority ${priority}`)
    return { arn, extras }
  }

  /** Deletes owned rules; one already gone is the state wanted. */
  async remove(rules: readonly Rule[], wrote: (line: string) => void): Promise<void> {
    for (const rule of [...rules]) {
      const arn = rule.RuleArn ?? ''
      try {
        await this.elb.send(new DeleteRuleCommand({ RuleArn: arn }))
      } catch (error) {
        if (!isNotFound(errorName(error), 'Rule')) {
          throw toActionError('elasticloadbalancing:DeleteRule', error)
        }
      }
      this.view = {
        rules: this.view.rules.filter((r) => r.RuleArn !== arn),
        owned: this.view.owned.filter((r) => r.RuleArn !== arn)
      }
      wrote(`test rule ${arn}: deleted`)
    }
  }

  private replace(old: Rule, next: Rule): void {
    const swap = (r: Rule) => (r === old ? next : r)
    this.view = { rules: this.view.rules.map(swap), owned: this.view.owned.map(swap) }
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
