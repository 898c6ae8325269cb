import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { PerColor } from '../../color.js'
import { listenerArnOf } from './listener-rule.js'
import { foreignGroups, type ListenerRules } from './test-route-read.js'

/**
 * Pure: which test rules and listeners the action may change. A service tag only says where to
 * look; anyone who can tag the service can write it, so what it names is used only when the
 * resource is one the action made (or was told to point) and cannot carry production traffic.
 */

export interface TestRouteFacts {
  rules: ListenerRules
  /** Test listeners read, by ARN; undefined when ELB has no such listener. */
  listeners: Map<string, Listener | undefined>
  /** The weighted rule; undefined when the route is the listener's default action. */
  weightedRuleArn?: string
  targetGroups: PerColor<string>
  serviceArn: string
  names: { testRule: string; testListener: string; ruleMarker: string }
  /** What the service tags name now. */
  tagged: { rule?: string; listener?: string }
  /** `test-listener-arn`. */
  inputListener?: string
}

/** What a service tag names: nothing, something the action may change, a deleted one, or not ours. */
export type Standing = 'none' | 'ours' | 'gone' | 'suspect'

export interface TestRouteAssessment {
  /** This service's test rules, lowest priority first: the action may change or delete them. */
  owned: Rule[]
  taggedRule: Standing
  taggedListener: Standing
  /** Listeners the action may point at a colour (the tagged one and the input), by ARN. */
  pointable: Map<string, Listener>
  /** One message per thing to leave alone: what names it, what is wrong, how to fix it. */
  problems: string[]
}

export function assessTestRoute(facts: TestRouteFacts): TestRouteAssessment {
  const owned = ownedRules(facts)
  const problems: string[] = []
  const taggedRule = ruleStanding(facts, owned, problems)
  const pointable = new Map<string, Listener>()
  let taggedListener: Standing = 'none'
  const { listener: tagged } = facts.tagged
  if (tagged) {
    const { listener, what } = judgeListener(facts, tagged)
    taggedListener = listener ? 'ours' : what ? 'suspect' : 'gone'
    if (listener) pointable.set(tagged, listener)
    if (what) problems.push(listenerTagProblem(facts, tagged, what))
  }
  const input = facts.inputListener
  if (input && input !== tagged) {
    const { listener, what } = judgeListener(facts, input)
    if (listener) pointable.set(input, listener)
    else problems.push(inputListenerProblem(input, what ?? 'it was not found'))
  } else if (input && taggedListener === 'gone') {
    problems.push(inputListenerProblem(input, 'it was not found'))
  }
  return { owned, taggedRule, taggedListener, pointable, problems }
}

/** Rules on the listener marked as this service's, that forward only to the colours. */
export function ownedRules(
  facts: Pick<TestRouteFacts, 'rules' | 'weightedRuleArn' | 'serviceArn' | 'names'>
): Rule[] {
  const { rules, tags } = facts.rules
  return rules
    .filter(
      (r) =>
        r.RuleArn !== facts.weightedRuleArn &&
        tags.get(r.RuleArn ?? '')?.[facts.names.ruleMarker] === facts.serviceArn
    )
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
}

function ruleStanding(facts: TestRouteFacts, owned: Rule[], problems: string[]): Standing {
  const arn = facts.tagged.rule
  if (!arn) return 'none'
  if (owned.some((r) => r.RuleArn === arn)) return 'ours'
  const { listenerArn, rules } = facts.rules
  const rule = rules.find((r) => r.RuleArn === arn)
  const onListener = arn.includes(':listener-rule/') && listenerArnOf(arn) === listenerArn
  // A rule's ARN names its listener for good: one of this listener's that ELB no longer lists
  // was deleted, and only the tag is left (a run that stopped between the two writes).
  if (!rule && onListener) return 'gone'
  const what = rule
    ? whyNotOurs(facts, rule)
    : `it is not on the weighted route's listener ${listenerArn}`
  problems.push(
    `The service tag ${facts.names.testRule} names listener rule ${arn}, but ${what}. The action ` +
      "changes or deletes only a test rule it created: one on the weighted route's listener, not " +
      `the weighted rule, tagged ${facts.names.ruleMarker}=${facts.serviceArn}, that forwards only ` +
      `to the Blue and Green target groups. ${untagAdvice(facts, facts.names.testRule)} Delete ` +
      'a test rule left behind yourself.'
  )
  return 'suspect'
}

/** Why a rule of the listener that is not among the owned ones is not ours. */
function whyNotOurs(facts: TestRouteFacts, rule: Rule): string {
  const { ruleMarker } = facts.names
  const arn = rule.RuleArn ?? ''
  if (arn === facts.weightedRuleArn) return 'it is the weighted rule'
  if (rule.IsDefault) return "it is the listener's default rule"
  // Only rules that forward to nothing but the colours had their tags read.
  const tags = facts.rules.tags.get(arn)
  if (!tags) return forwardProblem(foreignGroups(rule.Actions ?? [], facts.targetGroups) ?? [])
  const marker = tags[ruleMarker]
  return marker === undefined
    ? `it does not carry the tag ${ruleMarker}=${facts.serviceArn} that the action puts on the test rules it creates`
    : `its tag ${ruleMarker} names ${marker}, not this service`
}

function forwardProblem(foreign: string[]): string {
  return foreign.length === 0
    ? 'it has no forward action'
    : `it forwards to ${foreign.join(', ')}, not only to the Blue and Green target groups`
}

/**
 * A listener the action may point at a colour: an ALB listener on the weighted route's load
 * balancer, not the weighted route's own listener, whose default action forwards only to the
 * colours. `what` says why not; neither is set when ELB has no such listener.
 */
function judgeListener(facts: TestRouteFacts, arn: string): { listener?: Listener; what?: string } {
  const weighted = facts.rules.listenerArn
  if (!isListenerArn(arn)) return { what: 'it is not the ARN of a load balancer listener' }
  if (arn === weighted) return { what: "it is the weighted route's own listener" }
  const listener = facts.listeners.get(arn)
  if (!listener) return {}
  const home = loadBalancerArnOf(weighted)
  if (listener.LoadBalancerArn !== home) {
    return {
      what: `it is on load balancer ${listener.LoadBalancerArn ?? 'unknown'}, not the weighted route's ${home}`
    }
  }
  const actions = listener.DefaultActions ?? []
  const foreign = foreignGroups(actions, facts.targetGroups)
  if (foreign) return { what: `its default action ${forwardProblem(foreign).replace(/^it /, '')}` }
  if (actions.filter((a) => a.Type === 'forward').length > 1) {
    return { what: 'its default actions hold more than one forward' }
  }
  return { listener }
}

function listenerTagProblem(facts: TestRouteFacts, arn: string, what: string): string {
  return (
    `The service tag ${facts.names.testListener} names listener ${arn}, but ${what}. The action ` +
    "points only a test listener on the weighted route's load balancer, other than the weighted " +
    "route's listener, whose default action forwards only to the Blue or Green target group. " +
    untagAdvice(facts, facts.names.testListener)
  )
}

function inputListenerProblem(arn: string, what: string): string {
  return (
    `"test-listener-arn" names listener ${arn}, but ${what}. Give a second listener on the ` +
    "weighted route's load balancer whose default action forwards only to the Blue or Green " +
    'target group.'
  )
}

function untagAdvice(facts: TestRouteFacts, tag: string): string {
  return (
    `If the tag is wrong, remove it (aws ecs untag-resource --resource-arn ${facts.serviceArn} ` +
    `--tag-keys ${tag}).`
  )
}

export const isListenerArn = (arn: string): boolean =>
  /^arn:[\w-]+:elasticloadbalancing:[^:]*:\d*:listener\//.test(arn)

/** `…:listener/app/lb/1/2` → `…:loadbalancer/app/lb/1`: a listener's ARN embeds its load balancer's. */
export function loadBalancerArnOf(listenerArn: string): string {
  return listenerArn.replace(':listener/', ':loadbalancer/').replace(/\/[^/]+$/, '')
}
