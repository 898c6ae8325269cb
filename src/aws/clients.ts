import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'

/** The AWS clients the action uses, created once per run and passed to whatever needs them. */
export interface AwsClients {
  ecs: ECSClient
  elb: ElasticLoadBalancingV2Client
  cfn: CloudFormationClient
}

/**
 * Endpoints are left to the SDK so that AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep
 * working (emulators, the project's sandbox). Five attempts ride out a short throttling storm;
 * the SDK's backoff only adds time when AWS actually pushes back.
 */
export function createClients(region: string): AwsClients {
  const config = { region, maxAttempts: 5 }
  return {
    ecs: new ECSClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    cfn: new CloudFormationClient(config)
  }
}
