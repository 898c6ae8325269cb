import {
  ModifyListenerCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../../aws/call.js'
import { otherColor, type Color, type PerColor } from '../../color.js'
import type { TestTrafficInputs } from '../../inputs.js'
import type { ServiceTags } from '../../service-tags.js'
import type { TestTraffic } from '../router.js'
import { forwardOnlyTo, keepExistingSecrets } from './forward.js'
import type { RulePlacement } from './placement.js'
import type { TestRouteAssessment } from './test-route-check.js'
import type { TestRules } from './test-rules.js'

/** The service tags test traffic keeps. */
export interface TestRouteTags {
  /** Names the test rule in use. */
  testRule: string
  /** Names the listener a canary pointed at the canary colour. */
  testListener: string
}

/**
 * Test traffic on an ALB: a rule above the weighted one that sends only requests carrying the
 * test header or query to the canary, and a second listener that points at the canary while a
 * canary runs. The service tags say which rule and listener are in use; only what the assessment
 * found to be the action's own is written. Every write leaves a state the next run finishes or
 * undoes: a rule carries its marker from creation, a listener is recorded before it is pointed,
 * and a tag is removed only after what it names is gone or back on the stable colour.
 */
export class AlbTestTraffic implements TestTraffic {
  private readonly leftAlone: readonly string[]
  /** Default actions of the listeners this run may point, kept current as it writes them. */
  private readonly listeners: Map<string, Action[]>

  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly placement: () => RulePlacement | undefined,
    private readonly traffic: TestTrafficInputs,
    private readonly targetGroups: PerColor<string>,
    private readonly tags: ServiceTags,
    private readonly names: TestRouteTags,
    private readonly rules: TestRules,
    private readonly assessment: TestRouteAssessment
  ) {
    this.leftAlone = assessment.problems.map((problem) => `Left alone: ${problem}`)
    this.listeners = new Map(
      [...assessment.pointable].map(([arn, l]) => [arn, l.DefaultActions ?? []])
    )
  }

  async warnings(): Promise<readonly string[]> {
    return this.leftAlone
  }

  async open(canary: Color, wrote: (line: string) => void): Promise<void> {
    const record: Record<string, string> = {}
    let extras: Rule[] = []
    const placement = this.placement()
    if ((this.traffic.header || this.traffic.query) && placement) {
      const synced = await this.rules.sync(
        placement,
        this.targetGroups[canary],
        this.traffic,
        wrote
      )
      extras = synced.extras
      if (synced.arn !== this.tags.get(this.names.testRule))
        record[this.names.testRule] = synced.arn
    }
    const input = this.traffic.listenerArn
    const tagged = this.tags.get(this.names.testListener)
    if (input && input !== tagged) {
      // The listener an earlier canary pointed goes back before the tag stops naming it.
      if (tagged && this.listeners.has(tagged)) {
        await this.point(tagged, otherColor(canary), wrote)
      }
      record[this.names.testListener] = input
    }
    // Recorded before the listener is pointed: a run that stops next leaves a tag naming a
    // listener still on the stable colour, which promote and rollback handle the same way.
    if (Object.keys(record).length > 0) await this.tags.set(record)
    // Two runs that raced both made a rule; the one the tag names stays.
    await this.rules.remove(extras, wrote)
    if (input) await this.point(input, canary, wrote)
  }

  async close(stable: Color, wrote: (line: string) => void): Promise<void> {
    await this.rules.remove(this.rules.owned, wrote)
    for (const arn of this.listeners.keys()) await this.point(arn, stable, wrote)
    const { taggedRule, taggedListener } = this.assessment
    const keys = [
      ...(taggedRule !== 'suspect' ? [this.names.testRule] : []),
      ...(taggedListener !== 'suspect' ? [this.names.testListener] : [])
    ].filter((key) => this.tags.get(key) !== undefined)
    if (keys.length > 0) await this.tags.remove(keys)
  }

  /** Points the listener's default forward at one colour; every other action stays. */
  private async point(
    listenerArn: string,
    color: Color,
    wrote: (line: string) => void
  ): Promise<void> {
    const actions = this.listeners.get(listenerArn)
    if (!actions) return
    const group = this.targetGroups[color]
    const next = forwardOnlyTo(actions, group, `Test listener ${listenerArn}`)
    if (!next) return
    await awsCall('elasticloadbalancing:ModifyListener', () =>
      this.elb.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: keepExistingSecrets(next)
        })
      )
    )
    this.listeners.set(listenerArn, next)
    wrote(`test listener ${listenerArn}: forwards to ${group}`)
  }
}
