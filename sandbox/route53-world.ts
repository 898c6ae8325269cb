/**
 * The two-service shape with Route 53 weighted records (the `route53` world variant): services
 * `web-blue` and `web-green` of the ECS controller, each with its own target group, and the hosted
 * zone `example.com` whose two weighted CNAME records `shop.example.com` (set identifiers Blue and
 * Green) point at each colour's own load balancer, which forwards to that colour's target group. Blue is stable: `web-blue` carries the StableStack tag.
 */
import { ecsArn, elbArn, type World } from './world.js'

export const ROUTE53_ZONE_ID = 'Z0SANDBOX1EXAMPLE'
export const ROUTE53_RECORD = 'shop.example.com.'
export const BLUE_SERVICE = 'web-blue'
export const GREEN_SERVICE = 'web-green'
/** The health check attached to Blue's record, which every change must keep. */
export const BLUE_HEALTH_CHECK = 'b7c3a1d2-0e4f-4a5b-9c6d-7e8f9a0b1c2d'

export function addRoute53Shape(w: World): void {
  const created = Date.parse('2026-01-01T00:00:00Z')
  const tg = (name: string, id: string) =>
    elbArn(w.region, w.accountId, `targetgroup/${name}/${id}`)
  const groups = {
    Blue: tg('web-blue-tg', '8a1f2e3d4c5b6a79'),
    Green: tg('web-green-tg', '1b2c3d4e5f6a7b8c')
  }
  for (const [name, arn] of [
    ['web-blue-tg', groups.Blue],
    ['web-green-tg', groups.Green]
  ]) {
    w.targetGroups.push({
      name,
      arn,
      port: 80,
      protocol: 'HTTP',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      health: 'healthy',
      targets: [],
      healthChecks: 0
    })
  }
  // Each colour is reached through its own load balancer, whose listener forwards to its group.
  const dns: Record<string, string> = {}
  for (const [color, id] of [
    ['Blue', '3c4d5e6f7a8b9c0d'],
    ['Green', '4d5e6f7a8b9c0d1e']
  ] as const) {
    const name = `web-${color.toLowerCase()}-alb`
    const lbArn = elbArn(w.region, w.accountId, `loadbalancer/app/${name}/${id}`)
    dns[color] = `${name}-1234567890.${w.region}.elb.amazonaws.com`
    w.loadBalancers.push({ name, arn: lbArn, dnsName: dns[color], vpcId: 'vpc-0a1b2c3d4e5f67890' })
    const listener = elbArn(
      w.region,
      w.accountId,
      `listener/app/${name}/${id}/${id.slice(8)}${id.slice(0, 8)}`
    )
    w.listeners.push({
      arn: listener,
      loadBalancerArn: lbArn,
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ Type: 'forward', TargetGroupArn: groups[color] }],
      defaultRuleArn: elbArn(
        w.region,
        w.accountId,
        `listener-rule/app/${name}/${id}/${id.slice(8)}${id.slice(0, 8)}/${id}`
      )
    })
  }
  const service = (name: string, revision: number, targetGroupArn: string, stable: boolean) => ({
    name,
    arn: ecsArn(w.region, w.accountId, `service/mycluster/${name}`),
    clusterName: 'mycluster',
    status: 'ACTIVE' as const,
    desiredCount: 2,
    runningCount: 2,
    rolloutState: 'COMPLETED' as const,
    deploymentController: 'ECS' as const,
    taskDefinition: ecsArn(w.region, w.accountId, `task-definition/myapp:${revision}`),
    loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 80 }],
    tags: stable ? [{ key: 'StableStack', value: 'Blue' }] : [],
    taskSets: [],
    createdAt: created
  })
  w.services.push(
    service(BLUE_SERVICE, 1, groups.Blue, true),
    service(GREEN_SERVICE, 2, groups.Green, false)
  )
  w.hostedZones = [
    {
      id: ROUTE53_ZONE_ID,
      name: 'example.com.',
      records: [
        {
          Name: 'example.com.',
          Type: 'NS',
          TTL: 172800,
          ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }]
        },
        {
          Name: ROUTE53_RECORD,
          Type: 'CNAME',
          SetIdentifier: 'Blue',
          Weight: 100,
          TTL: 60,
          ResourceRecords: [{ Value: dns.Blue }],
          HealthCheckId: BLUE_HEALTH_CHECK
        },
        {
          Name: ROUTE53_RECORD,
          Type: 'CNAME',
          SetIdentifier: 'Green',
          Weight: 0,
          TTL: 60,
          ResourceRecords: [{ Value: dns.Green }]
        }
      ]
    }
  ]
}

/** The two weighted records' weights, by set identifier. */
export function recordWeights(w: World): { Blue?: number; Green?: number } {
  const records = w.hostedZones?.find((z) => z.id === ROUTE53_ZONE_ID)?.records ?? []
  const weight = (id: string) =>
    records.find((r) => r.Name === ROUTE53_RECORD && r.SetIdentifier === id)?.Weight
  return { Blue: weight('Blue'), Green: weight('Green') }
}
