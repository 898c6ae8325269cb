import {
  DescribeRulesCommand,
  ModifyRuleCommand,
  type Action,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import { NotFoundError, StateError } from '../../errors.js'
import { AlbForwardRouter } from './alb-forward-router.js'
import type { RulePlacement } from './placement.js'

/**
 * A weighted listener rule. Only its actions are written; its conditions are never sent. (Just
 * over 60 lines with its not-found handling; each method is short.)
 */
export class ListenerRuleRouter extends AlbForwardRouter {
  readonly kind = 'listener-rule'
  /** A rule already read by discovery, used once instead of a second DescribeRules. */
  private preloaded?: Rule
  private rule?: Rule

  withPreloaded(rule: Rule): this {
    this.preloaded = rule
    return this
  }

  protected get label(): string {
    return `Listener rule ${this.id}`
  }

  protected async fetchActions(): Promise<Action[]> {
    const rule = this.preloaded ?? (await this.describe())
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

  protected async putActions(actions: Action[]): Promise<void> {
    await awsCall(
      'elasticloadbalancing:ModifyRule',
      () => this.elb.send(new ModifyRuleCommand({ RuleArn: this.id, Actions: actions })),
      this.notFound
    )
  }

  private async describe(): Promise<Rule> {
    const response = await awsCall(
      'elasticloadbalancing:DescribeRules',
      () => this.elb.send(new DescribeRulesCommand({ RuleArns: [this.id] })),
      this.notFound
    )
    const rule = response.Rules?.[0]
    if (!rule) throw this.notFoundError()
    return rule
  }

  private notFound = whenNotFound('Rule', () => this.notFoundError())

  private notFoundError(): NotFoundError {
    return new NotFoundError(
      `Listener rule ${this.id} was not found. Check "listener-rule-arn" or the ListenerRule stack output, and "aws-region".`
    )
  }
}

/** `…:listener-rule/app/lb/1/2/3` → `…:listener/app/lb/1/2`. */
export function listenerArnOf(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '')
}
