import {
  DescribeListenersCommand,
  ModifyListenerCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import { COLORS, otherColor, type Color, type PerColor } from '../../color.js'
import { NotFoundError, StateError } from '../../errors.js'
import { FULL, type Permille, type Split } from '../../shares.js'
import type { TestTraffic, TrafficRouter } from '../router.js'
import {
  forwardOnlyTo,
  keepExistingSecrets,
  readForwardWeights,
  rewriteForwardWeights
} from './forward.js'
import { albWeightsFor, splitOfWeights } from './weights.js'

/**
 * Blue/green by listener swap: a production listener forwards to the live colour, a test listener
 * to the idle one. The production listener is the router: all-or-nothing when its default action
 * forwards to one colour (a promote points it at the other), weighted like the listener router
 * when it names both. The test listener is the shape's test traffic: it follows the colour that
 * is not stable, so a canary exposes the new version to testers and a promote swaps both.
 */
export interface SwapListeners {
  production: string
  test: string
}

/** Reads one listener; `role` names it in messages. */
async function describeListener(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
  role: string
): Promise<Listener> {
  const notFound = () =>
    new NotFoundError(`The ${role} listener ${arn} was not found. Check "${role}-listener-arn".`)
  const response = await awsCall(
    'elasticloadbalancing:DescribeListeners',
    () => elb.send(new DescribeListenersCommand({ ListenerArns: [arn] })),
    whenNotFound('Listener', notFound)
  )
  const listener = response.Listeners?.[0]
  if (!listener) throw notFound()
  return listener
}

async function putDefaultActions(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
  actions: Action[]
): Promise<Action[] | undefined> {
  const response = await awsCall('elasticloadbalancing:ModifyListener', () =>
    elb.send(
      new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: keepExistingSecrets(actions) })
    )
  )
  return response.Listeners?.find((l) => l.ListenerArn === arn)?.DefaultActions
}

/**
 * The actions with the forward sending everything to one target group, in the shape ELB reports
 * a simple forward (TargetGroupArn beside a one-group ForwardConfig), so it reads back as the
 * single form; undefined when it forwards there already.
 */
function forwardTo(actions: Action[], arn: string, where: string): Action[] | undefined {
  const single = actions.find((a) => a.Type === 'forward')
  const named = single?.ForwardConfig?.TargetGroups ?? []
  if (single?.TargetGroupArn === arn && named.every((g) => g.TargetGroupArn === arn))
    return undefined
  return (forwardOnlyTo(actions, arn, where) ?? actions).map((action) =>
    action.Type === 'forward' ? { ...action, TargetGroupArn: arn } : action
  )
}

/** True when the forward names both colours (with any weights): the listener can split. */
export function isWeighted(weights: PerColor<number>, actions: Action[]): boolean {
  const forward = actions.find((a) => a.Type === 'forward')
  return (forward?.ForwardConfig?.TargetGroups?.length ?? 0) > 1 && weights.Blue + weights.Green > 0
}

export class ListenerSwapRouter implements TrafficRouter {
  readonly kind = 'listener-swap'
  readonly id: string
  private actions?: Action[]
  private weighted = false

  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    readonly listeners: SwapListeners,
    private readonly targetGroups: PerColor<string>
  ) {
    this.id = listeners.production
  }

  private get label(): string {
    return `Production listener ${this.id} (default action)`
  }

  /**
   * Reads both listeners at once: they must sit on one load balancer, and each default action
   * must be a forward to the colours (a redirect or fixed response cannot be swapped).
   */
  async read(): Promise<Split> {
    const [production, test] = await Promise.all([
      describeListener(this.elb, this.listeners.production, 'production'),
      describeListener(this.elb, this.listeners.test, 'test')
    ])
    if (production.LoadBalancerArn !== test.LoadBalancerArn) {
      throw new StateError(
        `The production listener ${this.listeners.production} is on load balancer ` +
          `${production.LoadBalancerArn} and the test listener ${this.listeners.test} on ` +
          `${test.LoadBalancerArn}. A listener swap moves target groups between two listeners of ` +
          'one load balancer; give "production-listener-arn" and "test-listener-arn" of the same one.'
      )
    }
    readForwardWeights(
      test.DefaultActions ?? [],
      this.targetGroups,
      `Test listener ${test.ListenerArn}`
    )
    return this.take(production.DefaultActions ?? [])
  }

  /**
   * A weighted production forward sets any whole permille; a forward to one colour all or nothing
   * (the planner then refuses a share between, and lets a promote go from 0 %).
   */
  reachable(share: Permille): Permille[] {
    const exact = Number.isInteger(share) && share >= 0 && share <= FULL
    if (this.weighted) return exact ? [share] : [Math.floor(share), Math.ceil(share)]
    return exact && (share === 0 || share === FULL) ? [share] : [0, FULL]
  }

  /** Health checks run through the test listener, which points at the canary before any share. */
  async exposeForHealthChecks(): Promise<string | undefined> {
    return undefined
  }

  async shift(split: Split): Promise<Split> {
    const actions = this.current()
    const full = COLORS.find((c) => split[c] === FULL)
    const next =
      this.weighted || !full
        ? rewriteForwardWeights(actions, this.targetGroups, albWeightsFor(split))
        : (forwardTo(actions, this.targetGroups[full], this.label) ?? actions)
    const stored = (await putDefaultActions(this.elb, this.id, next)) ?? next
    return this.take(stored)
  }

  async verify(): Promise<Split> {
    const listener = await describeListener(this.elb, this.id, 'production')
    return this.take(listener.DefaultActions ?? [])
  }

  private take(actions: Action[]): Split {
    const weights = readForwardWeights(actions, this.targetGroups, this.label)
    this.actions = actions
    this.weighted = isWeighted(weights, actions)
    return splitOfWeights(weights)
  }

  private current(): Action[] {
    if (!this.actions) throw new StateError(`${this.label} was written before it was read.`)
    return this.actions
  }
}

/**
 * The test listener of a swap: it points at the colour that is not stable. A canary points it at
 * the canary; a promote or rollback (close, given the colour stable after it) at the other one,
 * which after a promote is the colour just replaced: that is the swap. Writes nothing when it
 * points there already, so a rerun writes nothing.
 */
export class SwapTestListener implements TestTraffic {
  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly arn: string,
    private readonly targetGroups: PerColor<string>
  ) {}

  open(canary: Color, wrote: (line: string) => void): Promise<void> {
    return this.pointAt(canary, wrote)
  }

  close(stable: Color, wrote: (line: string) => void): Promise<void> {
    return this.pointAt(otherColor(stable), wrote)
  }

  async warnings(): Promise<readonly string[]> {
    return []
  }

  private async pointAt(color: Color, wrote: (line: string) => void): Promise<void> {
    const listener = await describeListener(this.elb, this.arn, 'test')
    const label = `Test listener ${this.arn}`
    readForwardWeights(listener.DefaultActions ?? [], this.targetGroups, label)
    const next = forwardTo(listener.DefaultActions ?? [], this.targetGroups[color], label)
    if (!next) return
    await putDefaultActions(this.elb, this.arn, next)
    wrote(`test listener ${this.arn}: forwards to ${color} (${this.targetGroups[color]})`)
  }
}
