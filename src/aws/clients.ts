import type { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'

/**
 * The AWS clients the action uses, made by one factory per run and passed to whatever needs them.
 * ECS and ELB serve every mode; CloudFormation (a stack) and CloudWatch (alarms) only some runs,
 * so their SDK modules are loaded on first use: a run without them never evaluates that code,
 * which is most of what start-up costs.
 */
export interface AwsClients {
  readonly ecs: ECSClient
  readonly elb: ElasticLoadBalancingV2Client
  cfn(): Promise<CloudFormationClient>
  cloudwatch(): Promise<CloudWatchClient>
}

/**
 * Endpoints are left to the SDK so that AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep
 * working (emulators, the project's sandbox). Five attempts ride out a short throttling storm;
 * the SDK's backoff only adds time when AWS actually pushes back.
 *
 * The dynamic imports say `webpackMode: "eager"`: other modules of the bundle import these SDKs
 * statically, so they are in `dist/index.js` anyway; the import only defers evaluating them. The
 * SDKs no run needs at start (ECR, Lambda, Route 53) are chunk files of their own instead.
 */
export function createClients(region: string): AwsClients {
  const config = { region, maxAttempts: 5 }
  let ecs: ECSClient | undefined
  let elb: ElasticLoadBalancingV2Client | undefined
  let cfn: Promise<CloudFormationClient> | undefined
  let cloudwatch: Promise<CloudWatchClient> | undefined
  return {
    get ecs() {
      return (ecs ??= new ECSClient(config))
    },
    get elb() {
      return (elb ??= new ElasticLoadBalancingV2Client(config))
    },
    cfn: () =>
      (cfn ??= import(/* webpackMode: "eager" */ '@aws-sdk/client-cloudformation').then(
        (sdk) => new sdk.CloudFormationClient(config)
      )),
    cloudwatch: () =>
      (cloudwatch ??= import(/* webpackMode: "eager" */ '@aws-sdk/client-cloudwatch').then(
        (sdk) => new sdk.CloudWatchClient(config)
      ))
  }
}
