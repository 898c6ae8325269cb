/**
 * The sandbox's in-memory AWS state ("world") and the default world.
 *
 * The world is plain JSON-compatible data on purpose: it can be written as a literal in a test,
 * loaded from a JSON file, dumped by `GET /_sandbox/state`, and deep-copied with structuredClone
 * to reset. ARNs are stored, not derived, so a test can look them up directly. Times are ms epoch
 * numbers; each protocol converts them (JSON: epoch seconds, XML: ISO 8601).
 *
 * ELB actions and conditions use the SDK's own types so the stored shape is exactly the wire shape.
 */
import { createHash } from 'node:crypto'
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Output } from '@aws-sdk/client-cloudformation'

/** What DescribeTargetHealth reports for every target of a target group. `flapping` alternates
 * healthy, unhealthy, healthy, ... on successive DescribeTargetHealth calls for that group. */
export type HealthScenario =
  'healthy' | 'unhealthy' | 'initial' | 'draining' | 'unused' | 'flapping'

export interface Tag {
  key: string
  value: string
}

export interface TaskSetState {
  /** `ecs-svc/` followed by 19 digits, as ECS generates it. */
  id: string
  arn: string
  externalId?: string
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING'
  /** Task definition ARN. */
  taskDefinition: string
  scale: { value: number; unit: 'PERCENT' }
  computedDesiredCount: number
  runningCount: number
  pendingCount: number
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING'
  stabilityStatusAt: number
  /** Overrides the sandbox-wide steady delay for this task set (the "slow" variant). */
  stabilizeDelayMs?: number
  loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[]
  createdAt: number
  updatedAt: number
  /** As CreateTaskSet was given them; absent for the default world's (Fargate, fixed network). */
  launchType?: string
  capacityProviderStrategy?: unknown[]
  platformVersion?: string
  networkConfiguration?: unknown
  /** CreateTaskSet's clientToken: the same token returns the same task set. */
  clientToken?: string
}

export interface ServiceState {
  name: string
  /** Long ARN form: arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE. */
  arn: string
  clusterName: string
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  desiredCount: number
  deploymentController: 'EXTERNAL' | 'ECS' | 'CODE_DEPLOY'
  /** Only services with the ECS (rolling update) controller have a service-level task definition. */
  taskDefinition?: string
  tags: Tag[]
  taskSets: TaskSetState[]
  createdAt: number
  /**
   * ECS controller only: tasks running now (default: the desired count) and the rollout state of
   * the primary deployment (default COMPLETED). UpdateService makes it IN_PROGRESS until the
   * steady delay has passed, then the running count follows the desired count.
   */
  runningCount?: number
  rolloutState?: 'COMPLETED' | 'IN_PROGRESS' | 'FAILED'
  /** ECS controller only: the target groups its tasks register in (one IP per running task). */
  loadBalancers?: { targetGroupArn: string; containerName: string; containerPort: number }[]
  /**
   * ECS controller only: its deployments, newest first (sandbox/rolling.ts). A world may leave
   * them out: the simulation derives one COMPLETED PRIMARY deployment from the fields above.
   */
  deployments?: DeploymentState[]
  /** As DescribeServices reports them (ECS controller); defaults: FARGATE, LATEST, the default
   * world's subnets and security group. */
  launchType?: string
  capacityProviderStrategy?: unknown[]
  platformVersion?: string
  networkConfiguration?: unknown
  /** Service events, newest first (DescribeServices `events`), e.g. a circuit breaker's. */
  events?: { id: string; createdAt: number; message: string }[]
}

/** A deployment of a service of the ECS (rolling update) controller. */
export interface DeploymentState {
  /** `ecs-svc/` and 19 digits; also the `startedBy` of the deployment's tasks. */
  id: string
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE'
  taskDefinition: string
  desiredCount: number
  runningCount: number
  failedTasks: number
  rolloutState: 'COMPLETED' | 'IN_PROGRESS' | 'FAILED'
  rolloutStateReason: string
  createdAt: number
  updatedAt: number
}

/** An ECS task: one a service's deployment runs, or one started by RunTask (sandbox/tasks.ts). */
export interface TaskState {
  arn: string
  /** The 32 hex digits at the end of the ARN. */
  id: string
  clusterName: string
  taskDefinition: string
  /** `service:NAME` for a service's task, `family:FAMILY` for RunTask's. */
  group: string
  startedBy?: string
  /** The service whose deployment runs it (absent for RunTask's tasks). */
  serviceName?: string
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED'
  desiredStatus: 'RUNNING' | 'STOPPED'
  launchType?: string
  capacityProviderName?: string
  platformVersion?: string
  /** awsvpc tasks have an ENI: its subnet and id at once, its private IP once PENDING. */
  eni?: { attachmentId: string; id: string; subnetId: string; mac: string }
  privateIp?: string
  availabilityZone: string
  createdAt: number
  startedAt?: number
  stoppingAt?: number
  stoppedAt?: number
  stopCode?:
    'UserInitiated' | 'EssentialContainerExited' | 'TaskFailedToStart' | 'ServiceSchedulerInitiated'
  stoppedReason?: string
  /** The essential container's exit, once stopped. */
  exitCode?: number
  containerReason?: string
  tags: Tag[]
  /** RunTask's clientToken: the same token returns the same tasks. */
  clientToken?: string
}

export interface ClusterState {
  name: string
  arn: string
  status: 'ACTIVE' | 'INACTIVE'
  tags: Tag[]
}

export interface TaskDefinitionState {
  family: string
  revision: number
  arn: string
  status: 'ACTIVE' | 'INACTIVE'
  containers: { name: string; image: string; port: number }[]
  tags: Tag[]
  registeredAt: number
  /**
   * The RegisterTaskDefinition input (without tags) of a revision the action registered; the
   * default world's revisions have none and are described from `containers`.
   */
  definition?: Record<string, unknown>
}

/** An image in an ECR repository: its manifest, digest (sha256 of the manifest) and tags. */
export interface ImageState {
  digest: string
  manifest: string
  mediaType: string
  tags: string[]
  pushedAt: number
}

export interface RepositoryState {
  name: string
  registryId: string
  arn: string
  /** The image URI prefix, `<registry>.dkr.ecr.<region>.amazonaws.com/<name>`. */
  uri: string
  images: ImageState[]
}

export interface StackEventState {
  id: string
  logicalId: string
  resourceType: string
  status: string
  reason?: string
  at: number
}

export interface LoadBalancerState {
  name: string
  arn: string
  dnsName: string
  vpcId: string
  /** ELB tags (AddTags / DescribeTags); absent means none. */
  tags?: Tag[]
}

export interface ListenerState {
  arn: string
  loadBalancerArn: string
  port: number
  protocol: 'HTTP' | 'HTTPS'
  defaultActions: Action[]
  /** ELB exposes the default actions as a rule with IsDefault=true and Priority "default". */
  defaultRuleArn: string
  tags?: Tag[]
  /** Tags of the default rule (a rule ARN of its own, taggable like any rule). */
  defaultRuleTags?: Tag[]
}

export interface RuleState {
  arn: string
  listenerArn: string
  priority: number
  conditions: RuleCondition[]
  actions: Action[]
  tags?: Tag[]
}

export interface TargetState {
  id: string
  port: number
  availabilityZone: string
  /** Registered by RegisterTargets (kept when the simulation rebuilds a group's targets). */
  registered?: boolean
  /** `initial` until the first health checks pass, `draining` after DeregisterTargets; absent:
   * in service. */
  phase?: 'initial' | 'draining'
}

export interface TargetGroupState {
  name: string
  arn: string
  port: number
  protocol: 'HTTP' | 'HTTPS'
  vpcId: string
  health: HealthScenario
  targets: TargetState[]
  /** DescribeTargetHealth calls so far; drives the `flapping` scenario. */
  healthChecks: number
  tags?: Tag[]
  /** Default `ip`. RegisterTargets checks targets against it. */
  targetType?: 'ip' | 'instance' | 'lambda'
  /** `deregistration_delay.timeout_seconds` (default 300, as ELB). */
  deregistrationDelaySeconds?: number
  /** How long a deregistered target really drains in the sandbox, in ms (default: the
   * deregistration delay); a world sets it short so tests do not wait minutes. */
  drainMs?: number
}

export interface StackState {
  name: string
  id: string
  status: string
  description?: string
  outputs: Output[]
  createdAt: number
  /** The template's parameters (templates/ecs-canary.yaml's), as the last create or update set them. */
  parameters?: Tag[]
  capabilities?: string[]
  /** Newest last. */
  events?: StackEventState[]
  /** The next update fails at this resource (a test's way to make CloudFormation fail). */
  failNextUpdate?: { logicalId: string; resourceType: string; reason: string }
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'

/** A CloudWatch alarm. Metric alarms watch one metric; composite alarms combine other alarms with
 * an `alarmRule` such as `ALARM("a") OR ALARM("b")`, and the sandbox re-evaluates them whenever a
 * child changes state (as CloudWatch does). */
export interface AlarmState {
  name: string
  /** arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME */
  arn: string
  type: 'MetricAlarm' | 'CompositeAlarm'
  description?: string
  state: AlarmStateValue
  stateReason: string
  /** JSON text, as SetAlarmState's StateReasonData. */
  stateReasonData?: string
  /** Last state or reason update, ms epoch. */
  stateUpdatedAt: number
  /** Last change of the state value itself, ms epoch. */
  stateTransitionedAt: number
  configurationUpdatedAt: number
  actionsEnabled: boolean
  alarmActions: string[]
  okActions: string[]
  insufficientDataActions: string[]
  /** Metric alarms. */
  metric?: {
    namespace: string
    metricName: string
    dimensions: { name: string; value: string }[]
    statistic: string
    period: number
    evaluationPeriods: number
    datapointsToAlarm?: number
    threshold: number
    comparisonOperator: string
    treatMissingData: string
    unit?: string
  }
  /** Composite alarms. */
  alarmRule?: string
}

/** One request the demo router sent to a target group (sandbox/metrics.ts publishes them). */
export interface RequestRecord {
  at: number
  loadBalancerArn: string
  targetGroupArn: string
  status: number
  /** Milliseconds the target took; undefined when no target answered. */
  ms?: number
  /** `target`: the app answered; `connection`: the load balancer could not reach it (502). */
  source: 'target' | 'connection'
}

export interface MetricsState {
  /** CloudWatch's publication delay: a record is visible to GetMetricData this long after it. */
  delayMs: number
  records: RequestRecord[]
}

/**
 * A Lambda function as a lifecycle hook (sandbox/services/lambda.ts). Its handler is data: the
 * n-th invocation returns `responses[n]` (the last one again once they run out) as its payload.
 * A response `{ "errorType": ... }` is a function error (X-Amz-Function-Error: Unhandled).
 */
export interface LambdaFunctionState {
  name: string
  arn: string
  responses: unknown[]
  /** Every payload it was invoked with, in order. */
  invocations: unknown[]
  /** InvokeFunction is denied to the caller (AccessDeniedException). */
  denied?: boolean
}

/**
 * A Route 53 resource record set, in the SDK's (and the wire's) member names; only the members the
 * sandbox models. Weighted records have SetIdentifier and Weight.
 */
export interface RecordSetState {
  Name: string
  Type: string
  SetIdentifier?: string
  Weight?: number
  TTL?: number
  ResourceRecords?: { Value: string }[]
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean }
  HealthCheckId?: string
}

/** A Route 53 hosted zone: `id` without the `/hostedzone/` prefix, `name` with the final dot. */
export interface HostedZoneState {
  id: string
  name: string
  records: RecordSetState[]
}

/** A submitted change batch: PENDING until `insyncAt`, then INSYNC (as GetChange answers). */
export interface Route53ChangeState {
  id: string
  submittedAt: number
  insyncAt: number
  comment?: string
}

export interface World {
  /** Route 53 hosted zones; none in the default world (see the `route53` variant). */
  hostedZones?: HostedZoneState[]
  /** Change batches Route 53 accepted, for GetChange. */
  route53Changes?: Route53ChangeState[]
  /** How long a change stays PENDING (default 300 ms; Route 53 takes seconds to a minute). */
  route53InsyncDelayMs?: number
  /** Request records and the publication delay; none until the demo router records one. */
  metrics?: MetricsState
  /** Lambda functions; none in the default world. */
  functions?: LambdaFunctionState[]
  region: string
  accountId: string
  clusters: ClusterState[]
  services: ServiceState[]
  taskDefinitions: TaskDefinitionState[]
  loadBalancers: LoadBalancerState[]
  listeners: ListenerState[]
  rules: RuleState[]
  targetGroups: TargetGroupState[]
  stacks: StackState[]
  /** CloudWatch alarms; none in the default world (see the `alarms` variant). */
  alarms: AlarmState[]
  /** ECR repositories; absent in worlds written before ECR was modelled. */
  repositories?: RepositoryState[]
  /** ECS tasks (services' and RunTask's), stopped ones included; absent means none yet. */
  tasks?: TaskState[]
  /** Tasks started so far: numbers their private IPs (10.1.x.y). */
  taskCounter?: number
  /**
   * RunTask places nothing and answers this `failures` reason (e.g. `RESOURCE:MEMORY`), for the
   * next `remaining` calls (absent: until cleared). Set with the `set-run-task-failure` mutation.
   */
  runTaskFailure?: { reason: string; detail?: string; remaining?: number }
}

export const DEFAULT_REGION = 'us-east-1'
export const DEFAULT_ACCOUNT = '123456789012'

/** Fixed IDs keep the default world identical between runs, so tests and docs can quote ARNs. */
const LB_ID = '50dc6c495c0c9188'
const LISTENER_ID = 'f2f7dc8efc522ab2'
export const BLUE_TASK_SET_ID = 'ecs-svc/4803195628157046012'
export const GREEN_TASK_SET_ID = 'ecs-svc/1795617305829441305'

export function ecsArn(region: string, account: string, resource: string): string {
  return `arn:aws:ecs:${region}:${account}:${resource}`
}

export function elbArn(region: string, account: string, resource: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:${resource}`
}

export function alarmArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`
}

/** 16 hex digits, the shape of the IDs at the end of ELB ARNs. */
export function hexId(): string {
  return Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('')
}

/** A forward action with weights, in the ForwardConfig form the console and SDK users write. */
export function weightedForward(
  weights: { arn: string; weight: number }[],
  order?: number
): Action {
  return {
    Type: 'forward',
    ...(order === undefined ? {} : { Order: order }),
    ForwardConfig: {
      TargetGroups: weights.map((w) => ({ TargetGroupArn: w.arn, Weight: w.weight })),
      TargetGroupStickinessConfig: { Enabled: false }
    }
  }
}

/** The default world: one EXTERNAL service with Blue (stable) and Green task sets behind a weighted
 * rule, and the CloudFormation stack that names them. Every call builds a fresh copy. */
export function defaultWorld(region = DEFAULT_REGION, account = DEFAULT_ACCOUNT): World {
  const created = Date.parse('2026-01-01T00:00:00Z')
  const ecs = (resource: string) => ecsArn(region, account, resource)
  const elb = (resource: string) => elbArn(region, account, resource)
  const lbArn = elb(`loadbalancer/app/myalb/${LB_ID}`)
  const listenerArn = elb(`listener/app/myalb/${LB_ID}/${LISTENER_ID}`)
  const ruleArn = elb(`listener-rule/app/myalb/${LB_ID}/${LISTENER_ID}/9683b2d02a6cabee`)
  const blueTg = elb('targetgroup/blue-tg/73e2d6bc24d8a067')
  const greenTg = elb('targetgroup/green-tg/2453ed029918f21f')
  const serviceArn = ecs('service/mycluster/myservice')

  const taskSet = (
    id: string,
    colour: 'blue' | 'green',
    revision: number,
    targetGroupArn: string
  ): TaskSetState => ({
    id,
    arn: ecs(`task-set/mycluster/myservice/${id}`),
    externalId: `myservice-${colour}`,
    status: colour === 'blue' ? 'PRIMARY' : 'ACTIVE',
    taskDefinition: ecs(`task-definition/myapp:${revision}`),
    scale: { value: 100, unit: 'PERCENT' },
    computedDesiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    stabilityStatus: 'STEADY_STATE',
    stabilityStatusAt: created,
    loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 80 }],
    createdAt: created,
    updatedAt: created
  })

  const targetGroup = (name: string, arn: string): TargetGroupState => ({
    name,
    arn,
    port: 80,
    protocol: 'HTTP',
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    health: 'healthy',
    targets: [],
    healthChecks: 0
  })

  const taskDefinition = (revision: number, image: string): TaskDefinitionState => ({
    family: 'myapp',
    revision,
    arn: ecs(`task-definition/myapp:${revision}`),
    status: 'ACTIVE',
    containers: [{ name: 'app', image, port: 80 }],
    tags: [],
    registeredAt: created
  })

  return {
    region,
    accountId: account,
    clusters: [{ name: 'mycluster', arn: ecs('cluster/mycluster'), status: 'ACTIVE', tags: [] }],
    services: [
      {
        name: 'myservice',
        arn: serviceArn,
        clusterName: 'mycluster',
        status: 'ACTIVE',
        desiredCount: 2,
        deploymentController: 'EXTERNAL',
        tags: [{ key: 'StableStack', value: 'Blue' }],
        taskSets: [
          taskSet(BLUE_TASK_SET_ID, 'blue', 1, blueTg),
          taskSet(GREEN_TASK_SET_ID, 'green', 2, greenTg)
        ],
        createdAt: created
      }
    ],
    taskDefinitions: [taskDefinition(1, 'myapp:1.0.0'), taskDefinition(2, 'myapp:1.0.1')],
    loadBalancers: [
      {
        name: 'myalb',
        arn: lbArn,
        dnsName: `myalb-1234567890.${region}.elb.amazonaws.com`,
        vpcId: 'vpc-0a1b2c3d4e5f67890'
      }
    ],
    listeners: [
      {
        arn: listenerArn,
        loadBalancerArn: lbArn,
        port: 80,
        protocol: 'HTTP',
        defaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: '' }
          }
        ],
        defaultRuleArn: elb(`listener-rule/app/myalb/${LB_ID}/${LISTENER_ID}/0a8c1b2d3e4f5a6b`)
      }
    ],
    rules: [
      {
        arn: ruleArn,
        listenerArn,
        priority: 10,
        // AWS echoes a path-pattern condition in both the legacy Values and the PathPatternConfig form.
        conditions: [
          { Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } }
        ],
        actions: [
          weightedForward([
            { arn: blueTg, weight: 100 },
            { arn: greenTg, weight: 0 }
          ])
        ]
      }
    ],
    targetGroups: [targetGroup('blue-tg', blueTg), targetGroup('green-tg', greenTg)],
    stacks: [
      {
        name: 'myservice-canary',
        id: `arn:aws:cloudformation:${region}:${account}:stack/myservice-canary/6c3e4d10-e6b1-11f0-9a3b-0a1b2c3d4e5f`,
        status: 'CREATE_COMPLETE',
        description: 'Blue/green task sets and the weighted listener rule for myservice',
        outputs: [
          {
            OutputKey: 'BlueTaskSet',
            OutputValue: BLUE_TASK_SET_ID,
            Description: 'Blue task set ID'
          },
          {
            OutputKey: 'GreenTaskSet',
            OutputValue: GREEN_TASK_SET_ID,
            Description: 'Green task set ID'
          },
          {
            OutputKey: 'BlueTargetGroup',
            OutputValue: blueTg,
            Description: 'Blue target group ARN'
          },
          {
            OutputKey: 'GreenTargetGroup',
            OutputValue: greenTg,
            Description: 'Green target group ARN'
          },
          {
            OutputKey: 'ListenerRule',
            OutputValue: ruleArn,
            Description: 'Weighted listener rule ARN'
          }
        ],
        createdAt: created,
        parameters: [
          { key: 'ClusterName', value: 'mycluster' },
          { key: 'ServiceName', value: 'myservice' },
          { key: 'BlueImage', value: 'myapp:1.0.0' },
          { key: 'GreenImage', value: 'myapp:1.0.1' },
          { key: 'ContainerName', value: 'app' },
          { key: 'ContainerPort', value: '80' },
          { key: 'StableColor', value: 'Blue' },
          { key: 'BlueWeight', value: '100' },
          { key: 'GreenWeight', value: '0' }
        ],
        capabilities: ['CAPABILITY_IAM'],
        events: []
      }
    ],
    alarms: [],
    repositories: [repository(region, account, 'myapp', ['1.0.0', '1.0.1', '1.0.2'], created)]
  }
}

export function ecrRegistry(region: string, account: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com`
}

/** An image manifest whose digest is its sha256, as a registry computes it. */
export function imageOf(tag: string, pushedAt: number): ImageState {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: sha256(`config ${tag}`),
      size: 1024
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        digest: sha256(`layer ${tag}`),
        size: 4096
      }
    ]
  })
  return {
    digest: sha256(manifest),
    manifest,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    tags: [tag],
    pushedAt
  }
}

export function repository(
  region: string,
  account: string,
  name: string,
  tags: string[],
  pushedAt: number
): RepositoryState {
  return {
    name,
    registryId: account,
    arn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
    uri: `${ecrRegistry(region, account)}/${name}`,
    images: tags.map((tag, i) => imageOf(tag, pushedAt + i * 60_000))
  }
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

// Lookup helpers shared by services, variants and the control API.

export function findTargetGroup(world: World, nameOrArn: string): TargetGroupState | undefined {
  return world.targetGroups.find((tg) => tg.arn === nameOrArn || tg.name === nameOrArn)
}

export function findService(world: World, name = 'myservice'): ServiceState | undefined {
  return world.services.find((s) => s.name === name || s.arn === name)
}

export function findAlarm(world: World, nameOrArn: string): AlarmState | undefined {
  return world.alarms.find((a) => a.name === nameOrArn || a.arn === nameOrArn)
}

/** Every target group ARN an action list sends traffic to (ForwardConfig and the legacy form). */
export function forwardedTargetGroups(actions: Action[]): string[] {
  const arns = new Set<string>()
  for (const action of actions) {
    if (action.Type !== 'forward') continue
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn)
    for (const tg of action.ForwardConfig?.TargetGroups ?? []) {
      if (tg.TargetGroupArn) arns.add(tg.TargetGroupArn)
    }
  }
  return [...arns]
}

/**
 * The version (image tag) a task definition runs: its first container's tag, or for an image
 * pinned to its digest (a deploy does that) the tag that digest carries in the world's ECR.
 */
export function taskDefinitionVersion(
  world: World,
  taskDefinition: string | undefined
): string | undefined {
  const definition = world.taskDefinitions.find((d) => d.arn === taskDefinition)
  const image = definition?.containers[0]?.image
  const [name, digest] = image?.split('@') ?? []
  if (digest) {
    // Two repositories may hold the same digest under different tags: the image's own one decides.
    const repository = world.repositories?.find((r) => r.uri === name || r.name === name)
    return repository?.images.find((i) => i.digest === digest)?.tags[0]
  }
  return image?.split(':').pop()
}

/** A task definition whose image is tagged `bad`: its tasks run but fail their health checks,
 * so a deployment of it trips the circuit breaker. */
export const BAD_VERSION = 'bad'
