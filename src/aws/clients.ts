import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'

/**
 * The AWS clients the action uses, made by one factory per run and passed to whatever needs them.
 * Each is created on first use, so a run that never reads alarms never builds a CloudWatch client.
 */
export interface AwsClients {
  readonly ecs: ECSClient
  readonly elb: ElasticLoadBalancingV2Client
  readonly cfn: CloudFormationClient
  readonly cloudwatch: CloudWatchClient
}

/**
 * Endpoints are left to the SDK so that AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep
 * working (emulators, the project's sandbox). Five attempts ride out a short throttling storm;
 * the SDK's backoff only adds time when AWS actually pushes back.
 */
export function createClients(region: string): AwsClients {
  const config = { region, maxAttempts: 5 }
  const made: Partial<Record<keyof AwsClients, unknown>> = {}
  const once = <K extends keyof AwsClients>(key: K, make: () => AwsClients[K]): AwsClients[K] =>
    (made[key] ??= make()) as AwsClients[K]
  return {
    get ecs() {
      return once('ecs', () => new ECSClient(config))
    },
    get elb() {
      return once('elb', () => new ElasticLoadBalancingV2Client(config))
    },
    get cfn() {
      return once('cfn', () => new CloudFormationClient(config))
    },
    get cloudwatch() {
      return once('cloudwatch', () => new CloudWatchClient(config))
    }
  }
}
