import {
  ModifyListenerCommand,
  type Action,
  type ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import { NotFoundError } from '../../errors.js'
import { AlbForwardRouter } from './alb-forward-router.js'
import { describeListenerActions } from './elb-reads.js'
import type { RulePlacement } from './placement.js'

/** A listener whose default action is the weighted forward. Only DefaultActions are sent. */
export class ListenerRouter extends AlbForwardRouter {
  readonly kind = 'listener'
  /** The default actions as read already (started before the stack answered). */
  private preloaded?: Promise<Action[]>

  withPreloaded(actions: Promise<Action[]>): this {
    this.preloaded = actions
    return this
  }

  protected get label(): string {
    return `Listener ${this.id} (default action)`
  }

  protected fetchActions(): Promise<Action[]> {
    const actions = this.preloaded ?? readListenerActions(this.elb, this.id)
    this.preloaded = undefined
    return actions
  }

  placement(): RulePlacement {
    return { listenerArn: this.id, conditions: [], preActions: this.preActions() }
  }

  /** ModifyListener answers with the listener as stored, default actions included. */
  protected async putActions(actions: Action[]): Promise<Action[] | undefined> {
    const response = await awsCall(
      'elasticloadbalancing:ModifyListener',
      () =>
        this.elb.send(new ModifyListenerCommand({ ListenerArn: this.id, DefaultActions: actions })),
      whenNotFound('Listener', () => listenerNotFound(this.id))
    )
    return response.Listeners?.find((l) => l.ListenerArn === this.id)?.DefaultActions
  }
}

/** A listener's default actions by ARN. */
export function readListenerActions(
  elb: ElasticLoadBalancingV2Client,
  arn: string
): Promise<Action[]> {
  return describeListenerActions(elb, arn, () => listenerNotFound(arn))
}

function listenerNotFound(arn: string): NotFoundError {
  return new NotFoundError(`Listener ${arn} was not found. Check "listener-arn" and "aws-region".`)
}
