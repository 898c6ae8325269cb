/** Input and output names in one place, so a rename is one edit and tests can check action.yml. */
export const Inputs = {
  Mode: 'mode',
  Cluster: 'cluster',
  Service: 'service',
  StackName: 'stack-name',
  BlueTaskSet: 'blue-task-set',
  GreenTaskSet: 'green-task-set',
  BlueTargetGroup: 'blue-target-group',
  GreenTargetGroup: 'green-target-group',
  ListenerRuleArn: 'listener-rule-arn',
  ListenerArn: 'listener-arn',
  ProductionListenerArn: 'production-listener-arn',
  CanaryWeight: 'canary-weight',
  TagKey: 'tag-key',
  WaitForHealthy: 'wait-for-healthy',
  HealthTimeoutSeconds: 'health-timeout-seconds',
  DryRun: 'dry-run',
  AwsRegion: 'aws-region',
  Steps: 'steps',
  Strategy: 'strategy',
  BakeTime: 'bake-time',
  Alarms: 'alarms',
  AlarmPrefix: 'alarm-prefix',
  TreatMissingAlarmDataAsFailure: 'treat-missing-alarm-data-as-failure',
  OnCancel: 'on-cancel',
  TestHeader: 'test-header',
  TestQuery: 'test-query',
  TestRulePriority: 'test-rule-priority',
  TestListenerArn: 'test-listener-arn',
  ScaleDownAfterPromote: 'scale-down-after-promote',
  UndoPromotion: 'undo-promotion',
  GithubToken: 'github-token',
  Environment: 'environment',
  EnvironmentUrl: 'environment-url',
  Image: 'image',
  ContainerName: 'container-name',
  TaskDefinition: 'task-definition',
  ReplaceLiveCanary: 'replace-live-canary',
  StackParameters: 'stack-parameters',
  PromoteImageTag: 'promote-image-tag',
  Analysis: 'analysis',
  SmokeUrl: 'smoke-url',
  SmokeExpectStatus: 'smoke-expect-status',
  SmokeExpectBody: 'smoke-expect-body',
  SmokeTimeout: 'smoke-timeout',
  SmokeCount: 'smoke-count',
  HookAfterTestTraffic: 'hook-after-test-traffic',
  HookBeforeTraffic: 'hook-before-traffic',
  HookAfterTraffic: 'hook-after-traffic',
  HookTimeout: 'hook-timeout',
  BlueService: 'blue-service',
  GreenService: 'green-service',
  HostedZoneId: 'hosted-zone-id',
  RecordName: 'record-name',
  RecordType: 'record-type',
  BlueSetIdentifier: 'blue-set-identifier',
  GreenSetIdentifier: 'green-set-identifier',
  Workload: 'workload',
  CanaryTasks: 'canary-tasks',
  DeregistrationTimeoutSeconds: 'deregistration-timeout-seconds'
} as const

export const Outputs = {
  StableColor: 'stable-color',
  CanaryColor: 'canary-color',
  PreviousStableColor: 'previous-stable-color',
  CanaryWeight: 'canary-weight',
  PreviousCanaryWeight: 'previous-canary-weight',
  BlueWeight: 'blue-weight',
  GreenWeight: 'green-weight',
  Weights: 'weights',
  StableTaskSet: 'stable-task-set',
  CanaryTaskSet: 'canary-task-set',
  BlueTaskDefinition: 'blue-task-definition',
  GreenTaskDefinition: 'green-task-definition',
  StableTargetGroup: 'stable-target-group',
  CanaryTargetGroup: 'canary-target-group',
  ListenerRuleArn: 'listener-rule-arn',
  Changed: 'changed',
  RolledBack: 'rolled-back',
  StepsCompleted: 'steps-completed',
  Outcome: 'outcome',
  Result: 'result',
  ResultFile: 'result-file',
  TaskDefinitionArn: 'task-definition-arn',
  ImageDigest: 'image-digest',
  Deployed: 'deployed',
  AnalysisVerdict: 'analysis-verdict'
} as const

export type OutputName = (typeof Outputs)[keyof typeof Outputs]

/** Stack output keys the action reads. */
export const StackOutputKeys = {
  BlueTaskSet: 'BlueTaskSet',
  GreenTaskSet: 'GreenTaskSet',
  BlueTargetGroup: 'BlueTargetGroup',
  GreenTargetGroup: 'GreenTargetGroup',
  ListenerRule: 'ListenerRule'
} as const

/**
 * The parameters of templates/ecs-canary.yaml a deploy passes: each colour's image, the stable
 * colour and the weights. `stack-parameters` maps them to another stack's names.
 */
export const STACK_PARAMETERS = [
  'BlueImage',
  'GreenImage',
  'StableColor',
  'BlueWeight',
  'GreenWeight'
] as const

export const DEFAULT_TAG_KEY = 'StableStack'
export const DEFAULT_CANARY_WEIGHT = '10'
export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 600
/** ELB's own default deregistration delay: the longest a rollback waits for canary targets to drain. */
export const DEFAULT_DEREGISTRATION_TIMEOUT_SECONDS = 300

/** What runs the colours: decided from the service (`auto`), or named. */
export const WORKLOADS = ['auto', 'task-sets', 'standalone-task'] as const

/** Where the action is published: `uses: <this>@v1`, releases, and the CLI's `npx github:<this>`. */
export const ACTION_REPOSITORY = 'ecs-canary-action/ecs-canary-action'
