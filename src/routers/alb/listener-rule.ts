import {
  DescribeRulesCommand,
  ModifyRuleCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import { NotFoundError, StateError } from '../../errors.js'
import { AlbForwardRouter } from './alb-forward-router.js'
import type { RulePlacement } from './placement.js'

/** A weighted listener rule. Only its actions are written; its conditions are never sent. */
export class ListenerRuleRouter extends AlbForwardRouter {
  readonly kind = 'listener-rule'
  /** The rule as read already (by discovery, or started before the stack answered). */
  private preloaded?: Promise<Rule>
  private rule?: Rule

  withPreloaded(rule: Rule | Promise<Rule>): this {
    this.preloaded = Promise.resolve(rule)
    return this
  }

  protected get label(): string {
    return `Listener rule ${this.id}`
  }

  protected async fetchActions(): Promise<Action[]> {
    const rule = await (this.preloaded ?? describeRule(this.elb, this.id))
    this.preloaded = undefined
    this.rule = rule
    if (rule.IsDefault) {
      throw new StateError(
        `${this.label} is a listener's default rule, which ALB changes through the listener. ` +
          `Set "listener-arn" to ${listenerArnOf(this.id)} instead of "listener-rule-arn".`
      )
    }
    return rule.Actions ?? []
  }

  placement(): RulePlacement | undefined {
    if (!this.rule) return undefined
    const priority = Number(this.rule.Priority)
    return {
      listenerArn: listenerArnOf(this.id),
      priority: Number.isInteger(priority) ? priority : undefined,
      conditions: this.rule.Conditions ?? [],
      preActions: this.preActions()
    }
  }

  /** ModifyRule answers with the rule as stored: the actions it returns are what is live now. */
  protected async putActions(actions: Action[]): Promise<Action[] | undefined> {
    const response = await awsCall(
      'elasticloadbalancing:ModifyRule',
      () => this.elb.send(new ModifyRuleCommand({ RuleArn: this.id, Actions: actions })),
      whenNotFound('Rule', () => ruleNotFound(this.id))
    )
    return response.Rules?.find((r) => r.RuleArn === this.id)?.Actions
  }
}

/** One rule by ARN. */
export async function describeRule(elb: ElasticLoadBalancingV2Client, arn: string): Promise<Rule> {
  const response = await awsCall(
    'elasticloadbalancing:DescribeRules',
    () => elb.send(new DescribeRulesCommand({ RuleArns: [arn] })),
    whenNotFound('Rule', () => ruleNotFound(arn))
  )
  const rule = response.Rules?.[0]
  if (!rule) throw ruleNotFound(arn)
  return rule
}

function ruleNotFound(arn: string): NotFoundError {
  return new NotFoundError(
    `Listener rule ${arn} was not found. Check "listener-rule-arn" or the ListenerRule stack output, and "aws-region".`
  )
}

/** `…:listener-rule/app/lb/1/2/3` → `…:listener/app/lb/1/2`. */
export function listenerArnOf(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '')
}
