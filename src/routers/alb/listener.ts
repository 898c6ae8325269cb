import { ModifyListenerCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, whenNotFound } from '../../aws/call.js'
import { NotFoundError } from '../../errors.js'
import { AlbForwardRouter } from './alb-forward-router.js'
import { describeListenerActions } from './elb-reads.js'
import type { RulePlacement } from './placement.js'

/** A listener whose default action is the weighted forward. Only DefaultActions are sent. */
export class ListenerRouter extends AlbForwardRouter {
  readonly kind = 'listener'

  protected get label(): string {
    return `Listener ${this.id} (default action)`
  }

  protected fetchActions(): Promise<Action[]> {
    return describeListenerActions(this.elb, this.id, () => this.notFoundError())
  }

  placement(): RulePlacement {
    return { listenerArn: this.id, conditions: [], preActions: this.preActions() }
  }

  protected async putActions(actions: Action[]): Promise<void> {
    await awsCall(
      'elasticloadbalancing:ModifyListener',
      () =>
        this.elb.send(new ModifyListenerCommand({ ListenerArn: this.id, DefaultActions: actions })),
      whenNotFound('Listener', () => this.notFoundError())
    )
  }

  private notFoundError(): NotFoundError {
    return new NotFoundError(
      `Listener ${this.id} was not found. Check "listener-arn" and "aws-region".`
    )
  }
}
