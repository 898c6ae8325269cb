import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { PerColor } from '../../color.js'
import { TestRouteError, messageOf } from '../../errors.js'
import type { TestTrafficInputs } from '../../inputs.js'
import type { ServiceTags } from '../../service-tags.js'
import type { TestTraffic } from '../router.js'
import type { RulePlacement } from './placement.js'
import {
  assessTestRoute,
  isListenerArn,
  ownedRules,
  type TestRouteFacts
} from './test-route-check.js'
import { readListeners, readListenerRules } from './test-route-read.js'
import { TestRules } from './test-rules.js'
import { AlbTestTraffic } from './test-traffic.js'

/**
 * Assembles ALB test traffic from what was read: starts the reads beside discovery's, then checks
 * what the service tags name before the shape exists, so a refusal comes before any write.
 */

/** What the test route's reads found, or why they failed. */
export type TestRouteRead = { facts: TestRouteFacts } | { failed: string }

/** The weighted route's listener, and its rule when the route is a rule. */
export interface WeightedListener {
  listenerArn: string
  ruleArn?: string
}

export interface TestRouteSources {
  /** False: no reads at all (status, or a canary with no test traffic asked for or recorded). */
  wanted: Promise<boolean>
  weighted: Promise<WeightedListener>
  targetGroups: Promise<PerColor<string>>
  service: Promise<{ arn: string; tags: Record<string, string> }>
  names: TestRouteFacts['names']
  inputListener?: string
  /** A rollback goes on without test traffic when these reads fail; other modes stop. */
  tolerateFailure: boolean
}

/**
 * The listener's rules with the tags of those that may be test rules, and the test listeners,
 * each read as soon as what it needs is known.
 */
export function startTestRouteRead(
  elb: ElasticLoadBalancingV2Client,
  sources: TestRouteSources
): Promise<TestRouteRead | undefined> {
  const { wanted, weighted, targetGroups, service, names, inputListener } = sources
  const rules = Promise.all([wanted, weighted, targetGroups]).then(([want, at, groups]) =>
    want ? readListenerRules(elb, at.listenerArn, groups, at.ruleArn) : undefined
  )
  const listeners = Promise.all([wanted, service]).then(([want, s]) => {
    const arns = [inputListener, s.tags[names.testListener]].filter(
      (arn): arn is string => arn !== undefined && isListenerArn(arn)
    )
    return want ? readListeners(elb, arns) : undefined
  })
  const read = Promise.all([rules, listeners, weighted, targetGroups, service]).then(
    ([r, l, at, groups, s]): TestRouteRead | undefined =>
      r && l
        ? {
            facts: {
              rules: r,
              listeners: l,
              weightedRuleArn: at.ruleArn,
              targetGroups: groups,
              serviceArn: s.arn,
              names,
              tagged: { rule: s.tags[names.testRule], listener: s.tags[names.testListener] },
              inputListener
            }
          }
        : undefined
  )
  if (!sources.tolerateFailure) return read
  return read.catch((error: unknown) => ({
    failed: messageOf(error)
  }))
}

export interface TestTrafficParts {
  placement: () => RulePlacement | undefined
  traffic: TestTrafficInputs
  targetGroups: PerColor<string>
  tags: ServiceTags
  /** True when the run may not write around a test route it cannot use (all but rollback). */
  strict: boolean
}

/**
 * Test traffic over what was read. Refuses (TestRouteError) when a service tag or input names a
 * rule or listener the action may not change, unless `strict` is off: then those are left alone
 * and reported as warnings.
 */
export function albTestTraffic(
  elb: ElasticLoadBalancingV2Client,
  read: TestRouteRead,
  parts: TestTrafficParts
): TestTraffic {
  if ('failed' in read) return unreadTestRoute(read.failed)
  const { facts } = read
  const assessment = assessTestRoute(facts)
  if (assessment.problems.length > 0 && parts.strict) {
    throw new TestRouteError(`${assessment.problems.join(' ')} Nothing was written.`)
  }
  const marker = { Key: facts.names.ruleMarker, Value: facts.serviceArn }
  const view = { rules: facts.rules.rules, owned: assessment.owned }
  const rules = new TestRules(elb, view, marker, async () => {
    const { listenerArn } = facts.rules
    const again = await readListenerRules(
      elb,
      listenerArn,
      parts.targetGroups,
      facts.weightedRuleArn
    )
    return { rules: again.rules, owned: ownedRules({ ...facts, rules: again }) }
  })
  return new AlbTestTraffic(
    elb,
    parts.placement,
    parts.traffic,
    parts.targetGroups,
    parts.tags,
    facts.names,
    rules,
    assessment
  )
}

/**
 * Test traffic whose reads are still running: they are awaited only when test traffic is opened
 * or closed, so a rollback writes the route first. Only a rollback uses it: it never refuses, so
 * nothing in what the reads find can stop its first write.
 */
export function deferredTestTraffic(
  read: Promise<TestRouteRead | undefined>,
  build: (read: TestRouteRead) => TestTraffic
): TestTraffic {
  const ready = read.then((found) => found && build(found))
  // Reported when test traffic is used; a run that ends before that must not leave it unhandled.
  ready.catch(() => undefined)
  return {
    open: async (canary, wrote) => (await ready)?.open(canary, wrote),
    close: async (stable, wrote) => (await ready)?.close(stable, wrote),
    warnings: async () => (await ready.catch(() => undefined))?.warnings() ?? []
  }
}

/** A rollback whose test-route reads failed still rolls traffic back; it says what it left. */
function unreadTestRoute(why: string): TestTraffic {
  return {
    open: async () => undefined,
    close: async () => undefined,
    warnings: async () => [
      `Test traffic was left as it is: reading the test rule and listener failed (${why}). ` +
        'Run rollback again to take it away.'
    ]
  }
}
