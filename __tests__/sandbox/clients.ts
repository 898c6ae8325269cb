/** Real SDK v3 clients pointed at a sandbox. `maxAttempts: 1` where a test needs a fault to surface. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Sandbox } from '../../sandbox/server.js'

export function clients(sandbox: Sandbox, maxAttempts?: number) {
  const config = {
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...(maxAttempts === undefined ? {} : { maxAttempts })
  }
  return {
    ecs: new ECSClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    cfn: new CloudFormationClient(config),
    cw: new CloudWatchClient(config)
  }
}

/** Resolves with the rejection of `promise`, failing the test if it resolves. */
export async function rejection(
  promise: Promise<unknown>
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the call to fail')
}

/** A control API call (`/_sandbox/<path>`), answered as {status, json}. */
export async function control(
  sandbox: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, json: (await res.json()) as unknown }
}
