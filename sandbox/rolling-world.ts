/**
 * A plain service of the ECS (rolling update) controller behind one target group (the `rolling`
 * world variant), the shape templates/ecs-rolling-canary.yaml creates: service `web` in
 * `mycluster` (desired 2, Fargate, awsvpc) running `webapp:1` (image tag 1.0.0 from the ECR
 * repository `webapp`), its tasks registered in `web-tg` (target type ip), and `myalb`'s HTTP:80
 * listener forwarding to web-tg alone. No rules, no StableStack tag, no stack. The group drains a
 * deregistered target for 300 ms while reporting a 5 s deregistration delay, so tests stay fast.
 */
import { ecrRegistry, ecsArn, elbArn, repository, type ServiceState, type World } from './world.js'

export const ROLLING_SERVICE = 'web'
export const ROLLING_TARGET_GROUP = 'web-tg'
export const ROLLING_FAMILY = 'webapp'
export const ROLLING_SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60729']
export const ROLLING_SECURITY_GROUP = 'sg-0a1b2c3d4e5f60730'

export function addRollingShape(w: World): void {
  const created = Date.parse('2026-01-01T00:00:00Z')
  const tgArn = elbArn(w.region, w.accountId, 'targetgroup/web-tg/6f1e2d3c4b5a6978')
  w.targetGroups = [
    {
      name: ROLLING_TARGET_GROUP,
      arn: tgArn,
      port: 80,
      protocol: 'HTTP',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      health: 'healthy',
      targets: [],
      healthChecks: 0,
      targetType: 'ip',
      deregistrationDelaySeconds: 5,
      drainMs: 300
    }
  ]
  w.rules = []
  w.listeners = [w.listeners[0]]
  w.listeners[0].defaultActions = [
    {
      Type: 'forward',
      TargetGroupArn: tgArn,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }],
        TargetGroupStickinessConfig: { Enabled: false }
      }
    }
  ]
  const registry = ecrRegistry(w.region, w.accountId)
  const taskDefinitionArn = ecsArn(w.region, w.accountId, `task-definition/${ROLLING_FAMILY}:1`)
  const role = (name: string) => `arn:aws:iam::${w.accountId}:role/${name}`
  w.taskDefinitions.push({
    family: ROLLING_FAMILY,
    revision: 1,
    arn: taskDefinitionArn,
    status: 'ACTIVE',
    containers: [{ name: 'web', image: `${registry}/webapp:1.0.0`, port: 80 }],
    tags: [],
    registeredAt: created,
    definition: {
      family: ROLLING_FAMILY,
      taskRoleArn: role('webapp-task'),
      executionRoleArn: role('webapp-execution'),
      networkMode: 'awsvpc',
      containerDefinitions: [
        {
          name: 'web',
          image: `${registry}/webapp:1.0.0`,
          essential: true,
          portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]
        }
      ],
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512'
    }
  })
  w.repositories = [
    ...(w.repositories ?? []),
    repository(w.region, w.accountId, 'webapp', ['1.0.0', '1.0.1', '1.0.2', 'bad'], created)
  ]
  const service: ServiceState = {
    name: ROLLING_SERVICE,
    arn: ecsArn(w.region, w.accountId, `service/mycluster/${ROLLING_SERVICE}`),
    clusterName: 'mycluster',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    rolloutState: 'COMPLETED',
    deploymentController: 'ECS',
    taskDefinition: taskDefinitionArn,
    loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 80 }],
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ROLLING_SUBNETS,
        securityGroups: [ROLLING_SECURITY_GROUP],
        assignPublicIp: 'DISABLED'
      }
    },
    tags: [],
    taskSets: [],
    createdAt: created
  }
  w.services = [service]
  w.stacks = []
}
