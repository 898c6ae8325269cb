import { ECSClient } from '@aws-sdk/client-ecs'

/**
 * Every AWS client's settings. Endpoints are left to the SDK so that AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE> keep working (emulators, the project's sandbox). Five attempts ride
 * out a short throttling storm; the SDK's backoff only adds time when AWS actually pushes back.
 */
export function clientConfig(region: string): { region: string; maxAttempts: number } {
  return { region, maxAttempts: 5 }
}

/**
 * The ECS client, apart from the others: every run's first request is ECS DescribeServices, sent
 * before the rest of the action is loaded (run-step.ts), so this module and the ECS SDK are all
 * the AWS code the bundle's entry file holds.
 */
export function createEcsClient(region: string): ECSClient {
  return new ECSClient(clientConfig(region))
}
