import type { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import type { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { clientConfig, createEcsClient } from './ecs-client.js'

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
 * `ecs`: the client the run's first request was sent with, when it was made before the rest
 * (ecs-client.ts says why); otherwise one is made on first use.
 *
 * The dynamic imports say `webpackMode: "eager"`: other modules of the rest of the action (the
 * chunk file run-step.ts loads) import these SDKs statically, so they are in that file anyway;
 * the import only defers evaluating them. The SDKs no run needs at start (ECR, Lambda, Route 53)
 * are chunk files of their own instead.
 */
export function createClients(region: string, ecs?: ECSClient): AwsClients {
  const config = clientConfig(region)
  let elb: ElasticLoadBalancingV2Client | undefined
  let cfn: Promise<CloudFormationClient> | undefined
  let cloudwatch: Promise<CloudWatchClient> | undefined
  return {
    get ecs() {
      return (ecs ??= createEcsClient(region))
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
