import {
  DescribeListenersCommand,
  ModifyListenerCommand,
  type Action
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall, type ErrorTranslator } from '../aws/call.js'
import { NotFoundError } from '../errors.js'
import { AlbForwardRouter } from './alb-forward-router.js'
import type { RulePlacement } from './router.js'

/** A listener whose default action is the weighted forward. Only DefaultActions are sent. */
export class ListenerRouter extends AlbForwardRouter {
  readonly kind = 'listener'

  protected get label(): string {
    return `Listener ${this.arn} (default action)`
  }

  protected async fetchActions(): Promise<Action[]> {
    const response = await awsCall(
      'elasticloadbalancing:DescribeListeners',
      () => this.elb.send(new DescribeListenersCommand({ ListenerArns: [this.arn] })),
      this.notFound
    )
    const listener = response.Listeners?.[0]
    if (!listener) throw this.notFoundError()
    return listener.DefaultActions ?? []
  }

  placement(): RulePlacement {
    return { listenerArn: this.arn, conditions: [], preActions: this.preActions() }
  }

  protected async putActions(actions: Action[]): Promise<void> {
    await awsCall(
      'elasticloadbalancing:ModifyListener',
      () =>
        this.elb.send(
          new ModifyListenerCommand({ ListenerArn: this.arn, DefaultActions: actions })
        ),
      this.notFound
    )
  }

  private notFound: ErrorTranslator = (name) =>
    name === 'ListenerNotFoundException' || name === 'ListenerNotFound'
      ? this.notFoundError()
      : undefined

  private notFoundError(): NotFoundError {
    return new NotFoundError(
      `Listener ${this.arn} was not found. Check "listener-arn" and "aws-region".`
    )
  }
}
