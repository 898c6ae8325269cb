import { COLORS, type PerColor } from './color.js'
import {
  DEFAULT_CANARY_WEIGHT,
  DEFAULT_DEREGISTRATION_TIMEOUT_SECONDS,
  DEFAULT_HEALTH_TIMEOUT_SECONDS,
  DEFAULT_TAG_KEY,
  Inputs,
  WORKLOADS
} from './constants.js'
import { InputError } from './errors.js'
import { MODES, type Mode, type ModeInputName } from './input-modes.js'
import {
  alarmNames,
  canaryWeight,
  environmentUrl,
  expectArn,
  ruleArnList,
  onCancel,
  testHeader,
  testListenerArn,
  testQuery,
  testRulePriority,
  trueOrFalse,
  wholeSeconds
} from './input-values.js'
import { ModeReader } from './mode-reader.js'
import { parseDeployRequest, promoteImageTag, type DeployRequest } from './deploy/deploy-inputs.js'
import { parseAnalysis, type AnalysisInputs } from './analysis-input.js'
import {
  DEFAULT_HOOK_TIMEOUT,
  DEFAULT_SMOKE_COUNT,
  DEFAULT_SMOKE_STATUS,
  DEFAULT_SMOKE_TIMEOUT,
  hookFunction,
  hookTimeout,
  smokeCount,
  smokeExpectStatus,
  smokeTimeout,
  smokeUrl,
  type HookInputs,
  type SmokeInputs
} from './check-inputs.js'
import { parseDuration, parseStrategy, parseSteps, type Schedule } from './schedule.js'
import { parseTwoServiceInputs, type TwoServiceInputs } from './two-service-inputs.js'

export { MODES, type Mode } from './input-modes.js'

/** Everything the action was asked to do, validated. Nothing here has touched AWS. */
export interface ActionInputs {
  mode: Mode
  cluster: string
  service: string
  stackName?: string
  /** Explicit per-colour values; each overrides the stack output of the same meaning. */
  taskSets: Partial<PerColor<string>>
  targetGroups: Partial<PerColor<string>>
  listenerRuleArn?: string
  listenerArn?: string
  /** A listener swap: the production listener and the test listener that swap target groups. */
  swap?: { production: string; test: string }
  /** One ECS service per colour (`blue-service`, `green-service`) instead of task sets. */
  services?: TwoServiceInputs['services']
  /** Route 53 weighted records as the route, instead of a load balancer's. */
  route53?: TwoServiceInputs['route53']
  /** What runs the colours: `auto` decides from the inputs, else from the service's controller. */
  workload: (typeof WORKLOADS)[number]
  /** Standalone canary tasks a canary starts beside a rolling service (`canary-tasks`). */
  canaryTasks: number
  /** The longest wait for a canary target to drain after deregistration. */
  deregistrationTimeoutSeconds: number
  tagKey: string
  waitForHealthy: boolean
  healthTimeoutSeconds: number
  dryRun: boolean
  region: string
  /** canary mode: the shares to walk through and how long to hold each. */
  schedule: Schedule
  alarms: AlarmInputs
  onCancel: 'rollback' | 'hold'
  testTraffic: TestTrafficInputs
  scaleDownAfterPromote: boolean
  /** rollback mode: give traffic and the tag back to the colour that was stable before the last promote. */
  undoPromotion: boolean
  /** GitHub Deployments for an environment; absent when `environment` is empty. */
  deployments?: DeploymentInputs
  /** canary and deploy: the version to put into the canary colour first. */
  deploy?: DeployRequest
  /** promote (and a walk that ends in a promote): tag the promoted image in ECR with this. */
  promoteImageTag?: string
  /** canary mode: judge the canary against stable from the load balancer's metrics. */
  analysis?: AnalysisInputs
  /** canary mode: requests through the test route before the first production shift. */
  smoke?: SmokeInputs
  /** canary mode: Lambda functions run at the lifecycle's points; undefined when none is set. */
  hooks?: HookInputs
  /** One line per input this mode ignores whose value is malformed; the run goes on. */
  warnings: readonly string[]
}

export interface DeploymentInputs {
  environment: string
  /** Empty when there is none: the run warns and records no deployment. */
  token: string
  url?: string
}

export interface AlarmInputs {
  names: string[]
  prefix?: string
  treatMissingDataAsFailure: boolean
}

export interface TestTrafficInputs {
  header?: { name: string; value: string }
  query?: { key: string; value: string }
  priority?: number
  listenerArn?: string
}

export type InputReader = (name: string) => string

/**
 * Reads and validates the inputs the mode uses (src/input-modes.ts says which); the others get
 * their defaults, and a warning when malformed. `read` returns '' for an input that was not given
 * (as `core.getInput` does); `env` supplies the region fallback.
 */
export function parseInputs(read: InputReader, env: NodeJS.ProcessEnv): ActionInputs {
  const get = (name: string): string | undefined => read(name).trim() || undefined

  const modeText = get(Inputs.Mode)
  if (!modeText) throw new InputError(`Input "mode" is required: one of ${MODES.join(', ')}.`)
  const mode = MODES.find((m) => m === modeText.toLowerCase())
  if (!mode) {
    throw new InputError(`Unknown mode "${modeText}". Set "mode" to one of ${MODES.join(', ')}.`)
  }

  const cluster = required(get(Inputs.Cluster), Inputs.Cluster, 'the ECS cluster name or ARN')
  const service = required(get(Inputs.Service), Inputs.Service, 'the ECS service name or ARN')

  const twoServices = parseTwoServiceInputs(get)
  const workload = parseWorkload(get(Inputs.Workload))
  const locations = parseLocations(get, twoServices.route53 !== undefined, workload)
  if (workload === 'standalone-task') refuseLocationsWithStandalone(locations, twoServices)

  const region = get(Inputs.AwsRegion) ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim())
  if (!region) {
    throw new InputError(
      'No AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials ' +
        'sets it from its own aws-region input).'
    )
  }

  const reader = new ModeReader(get, mode)
  const extras = parseModeInputs(reader, get)
  const deploy = parseDeployRequest(reader, env)
  if (deploy?.taskDefinition && locations.stackName) {
    throw new InputError(
      'With "stack-name", the stack builds each colour\'s task definition from its image ' +
        'parameter: give "image" without "task-definition", or leave out "stack-name" (and set ' +
        '"blue-target-group" and "green-target-group") to deploy a task definition through the ECS API.'
    )
  }
  const imageTag = promoteImageTag(reader)
  refuseWithTwoServices(twoServices, { ...locations, ...extras, deploy }, mode)

  return {
    ...extras,
    mode,
    cluster,
    service,
    ...locations,
    ...twoServices,
    tagKey: get(Inputs.TagKey) ?? DEFAULT_TAG_KEY,
    workload,
    region,
    ...(deploy ? { deploy } : {}),
    ...(imageTag ? { promoteImageTag: imageTag } : {}),
    warnings: reader.warnings
  }
}

type Locations = Pick<
  ActionInputs,
  'stackName' | 'taskSets' | 'targetGroups' | 'listenerRuleArn' | 'listenerArn' | 'swap'
>

/**
 * Where Blue and Green are: a stack, or all four explicit values; and the route, if given. With
 * Route 53 records as the route, the colours are services and no target group is needed.
 */
function parseLocations(
  get: (name: string) => string | undefined,
  route53: boolean,
  workload: ActionInputs['workload']
): Locations {
  const taskSets = perColor(get(Inputs.BlueTaskSet), get(Inputs.GreenTaskSet))
  const targetGroups = perColor(get(Inputs.BlueTargetGroup), get(Inputs.GreenTargetGroup))
  for (const color of COLORS) {
    const arn = targetGroups[color]
    if (arn !== undefined) expectArn(arn, ':targetgroup/', `${color.toLowerCase()}-target-group`)
  }
  const stackName = get(Inputs.StackName)
  // With nothing named, `workload: auto` lets the service decide (a rolling service needs nothing).
  const open =
    workload !== 'task-sets' &&
    Object.keys(targetGroups).length === 0 &&
    Object.keys(taskSets).length === 0 &&
    [Inputs.ListenerRuleArn, Inputs.ListenerArn, Inputs.ProductionListenerArn].every(
      (name) => get(name) === undefined
    )
  if (!stackName && !route53 && Object.keys(targetGroups).length < 2 && !open) {
    throw new InputError(
      'Tell the action where Blue and Green are: set "stack-name" to the CloudFormation stack ' +
        'with outputs BlueTaskSet, GreenTaskSet, BlueTargetGroup and GreenTargetGroup, or set ' +
        '"blue-target-group" and "green-target-group" (each colour is then the task set that ' +
        'registers in its target group; "blue-task-set" and "green-task-set" name them exactly).'
    )
  }
  if (targetGroups.Blue !== undefined && targetGroups.Blue === targetGroups.Green) {
    throw new InputError('"blue-target-group" and "green-target-group" name the same target group.')
  }

  const listenerRuleArn = get(Inputs.ListenerRuleArn)
  const listenerArn = get(Inputs.ListenerArn)
  if (listenerRuleArn && listenerArn) {
    throw new InputError(
      'Set either "listener-rule-arn" (a weighted rule) or "listener-arn" (a listener whose ' +
        'default action is the weighted forward), not both.'
    )
  }
  // Several rules (comma- or line-separated) move in lockstep.
  for (const arn of ruleArnList(listenerRuleArn ?? '')) {
    expectArn(arn, ':listener-rule/', Inputs.ListenerRuleArn)
  }
  if (listenerArn) expectArn(listenerArn, ':listener/', Inputs.ListenerArn)

  const swap = parseSwap(get, Boolean(listenerRuleArn || listenerArn))
  return {
    stackName,
    taskSets,
    targetGroups,
    listenerRuleArn,
    listenerArn,
    ...(swap ? { swap } : {})
  }
}

/**
 * A listener swap: `production-listener-arn` with `test-listener-arn`, which then names the
 * listener that swaps with it (read by every mode: status shows it too). Test rules do not apply.
 */
function parseSwap(
  get: (name: string) => string | undefined,
  otherRoute: boolean
): ActionInputs['swap'] {
  const production = get(Inputs.ProductionListenerArn)
  if (!production) return undefined
  expectArn(production, ':listener/', Inputs.ProductionListenerArn)
  if (otherRoute) {
    throw new InputError(
      'Set "production-listener-arn" (a listener swap) or "listener-rule-arn"/"listener-arn" (a ' +
        'weighted route), not both.'
    )
  }
  const test = get(Inputs.TestListenerArn)
  if (!test) {
    throw new InputError(
      '"production-listener-arn" needs "test-listener-arn": the listener that forwards to the ' +
        'idle colour and swaps target groups with the production listener on promote.'
    )
  }
  expectArn(test, ':listener/', Inputs.TestListenerArn)
  if (test === production) {
    throw new InputError(
      '"production-listener-arn" and "test-listener-arn" name the same listener.'
    )
  }
  if (get(Inputs.TestHeader) || get(Inputs.TestQuery)) {
    throw new InputError(
      'A listener swap reaches the canary through "test-listener-arn"; "test-header" and ' +
        '"test-query" add test rules, which this shape does not use. Leave them out.'
    )
  }
  return { production, test }
}

/** What the two-service shape and Route 53 records do not do (yet), refused before any AWS call. */
function refuseWithTwoServices(
  shape: TwoServiceInputs,
  asked: Locations & ModeDependent & { deploy?: DeployRequest },
  mode: Mode
): void {
  if (shape.services && asked.deploy) {
    throw new InputError(
      'With "blue-service" and "green-service", deploy the new version to the canary colour\'s ' +
        'service first (aws ecs update-service, or its stack), then run mode canary without ' +
        '"image" or "task-definition".'
    )
  }
  if (shape.services && Object.keys(asked.taskSets).length > 0) {
    throw new InputError(
      'Set either "blue-service" and "green-service" (a service per colour) or "blue-task-set" and "green-task-set", not both.'
    )
  }
  if (!shape.route53) return
  const other = asked.listenerArn
    ? Inputs.ListenerArn
    : asked.listenerRuleArn
      ? Inputs.ListenerRuleArn
      : undefined
  if (other) {
    throw new InputError(
      `Set either "hosted-zone-id" (Route 53 weighted records) or "${other}" as the route, not both.`
    )
  }
  // The emergency exit ignores what it cannot use rather than refuse.
  if (mode === 'rollback') return
  const { header, query, listenerArn } = asked.testTraffic
  const testInput = header
    ? Inputs.TestHeader
    : query
      ? Inputs.TestQuery
      : listenerArn
        ? Inputs.TestListenerArn
        : asked.smoke
          ? Inputs.SmokeUrl
          : asked.analysis
            ? Inputs.Analysis
            : undefined
  if (testInput) {
    throw new InputError(
      `"${testInput}" works through a load balancer's rules and metrics; with Route 53 weighted ` +
        'records as the route there is none. Leave it out, or test the canary service under its own name.'
    )
  }
}

function parseWorkload(text: string | undefined): ActionInputs['workload'] {
  const value = (text ?? 'auto').toLowerCase()
  const found = WORKLOADS.find((w) => w === value)
  if (!found) {
    throw new InputError(`"workload" is "${text}": it must be one of ${WORKLOADS.join(', ')}.`)
  }
  return found
}

/** Standalone canary tasks join the service's own target group: no other location applies. */
function refuseLocationsWithStandalone(locations: Locations, shape: TwoServiceInputs): void {
  const named = [
    [locations.stackName, Inputs.StackName],
    [
      locations.targetGroups.Blue ?? locations.targetGroups.Green,
      'blue-target-group/green-target-group'
    ],
    [locations.taskSets.Blue ?? locations.taskSets.Green, 'blue-task-set/green-task-set'],
    [locations.listenerRuleArn, Inputs.ListenerRuleArn],
    [locations.listenerArn, Inputs.ListenerArn],
    [locations.swap, Inputs.ProductionListenerArn],
    [shape.services, 'blue-service/green-service'],
    [shape.route53, Inputs.HostedZoneId]
  ].find(([value]) => value !== undefined)
  if (named) {
    throw new InputError(
      `"workload: standalone-task" runs canary tasks in the service's own target group; "${String(named[1])}" ` +
        'names task sets or a route of their own. Leave it out, or set "workload" to task-sets or auto.'
    )
  }
}

function required(value: string | undefined, name: string, what: string): string {
  if (!value) throw new InputError(`Input "${name}" is required: ${what}.`)
  return value
}

function perColor(blue: string | undefined, green: string | undefined): Partial<PerColor<string>> {
  return { ...(blue ? { Blue: blue } : {}), ...(green ? { Green: green } : {}) }
}

type ModeDependent = Omit<
  ActionInputs,
  | 'mode'
  | 'cluster'
  | 'service'
  | 'tagKey'
  | 'region'
  | 'warnings'
  | 'deploy'
  | 'promoteImageTag'
  | 'workload'
  | keyof Locations
>

/** The inputs only some modes use: readiness, dry run, the walk, gates, test traffic, promotion. */
function parseModeInputs(
  reader: ModeReader,
  get: (name: string) => string | undefined
): ModeDependent {
  // Asked of another mode, an undo would be a different request, not an ignored detail.
  if (reader.mode !== 'rollback' && get(Inputs.UndoPromotion)?.toLowerCase() === 'true') {
    throw new InputError(`"undo-promotion" goes with mode rollback, not ${reader.mode}.`)
  }
  const flag = (name: ModeInputName, fallback: boolean) =>
    reader.read(name, trueOrFalse(name), fallback)
  return {
    waitForHealthy: flag(Inputs.WaitForHealthy, true),
    healthTimeoutSeconds: reader.read(
      Inputs.HealthTimeoutSeconds,
      wholeSeconds,
      DEFAULT_HEALTH_TIMEOUT_SECONDS
    ),
    dryRun: flag(Inputs.DryRun, false),
    schedule: parseSchedule(reader, get),
    alarms: {
      names: reader.read(Inputs.Alarms, alarmNames, []),
      prefix: reader.read(Inputs.AlarmPrefix, (text) => text, undefined),
      treatMissingDataAsFailure: flag(Inputs.TreatMissingAlarmDataAsFailure, false)
    },
    onCancel: reader.read(Inputs.OnCancel, onCancel, 'rollback'),
    testTraffic: parseTestTraffic(reader),
    scaleDownAfterPromote: flag(Inputs.ScaleDownAfterPromote, false),
    undoPromotion: flag(Inputs.UndoPromotion, false),
    canaryTasks: reader.read(Inputs.CanaryTasks, canaryTasks, 1),
    deregistrationTimeoutSeconds: reader.read(
      Inputs.DeregistrationTimeoutSeconds,
      drainSeconds,
      DEFAULT_DEREGISTRATION_TIMEOUT_SECONDS
    ),
    ...parseDeployments(reader),
    ...parseChecks(reader)
  }
}

/** The environment to record GitHub deployments for, its URL and the token that may. */
function parseDeployments(reader: ModeReader): { deployments?: DeploymentInputs } {
  // Any name: GitHub judges it, and a name it refuses is a warning, never a refused rollback.
  const environment = reader.read(Inputs.Environment, (text) => text, undefined)
  const url = reader.read(Inputs.EnvironmentUrl, environmentUrl, undefined)
  const token = reader.read(Inputs.GithubToken, (text) => text, undefined)
  if (!environment) return {}
  return { deployments: { environment, token: token ?? '', ...(url ? { url } : {}) } }
}

/** The canary's checks beside health and alarms: analysis, the smoke check, lifecycle hooks. */
function parseChecks(reader: ModeReader): Pick<ActionInputs, 'analysis' | 'smoke' | 'hooks'> {
  const analysis = reader.read(Inputs.Analysis, parseAnalysis, undefined)
  // Each is read whether or not the smoke check is on, so that a typo is reported either way.
  const url = reader.read(Inputs.SmokeUrl, smokeUrl, undefined)
  const check = {
    expectStatus: reader.read(
      Inputs.SmokeExpectStatus,
      smokeExpectStatus,
      smokeExpectStatus(DEFAULT_SMOKE_STATUS)
    ),
    ...optional(
      'expectBody',
      reader.read(Inputs.SmokeExpectBody, (t) => t, undefined)
    ),
    timeoutMs: reader.read(Inputs.SmokeTimeout, smokeTimeout, smokeTimeout(DEFAULT_SMOKE_TIMEOUT)),
    count: reader.read(Inputs.SmokeCount, smokeCount, DEFAULT_SMOKE_COUNT)
  }
  const smoke: SmokeInputs | undefined = url ? { url, ...check } : undefined
  if (smoke && Object.keys(parseTestTraffic(reader)).every((key) => key === 'priority')) {
    throw new InputError(
      '"smoke-url" checks the canary through the test route: set "test-header", "test-query" or "test-listener-arn" too.'
    )
  }
  const hook = (name: ModeInputName) => reader.read(name, hookFunction(name), undefined)
  const functions = {
    ...optional('afterTestTraffic', hook(Inputs.HookAfterTestTraffic)),
    ...optional('beforeTraffic', hook(Inputs.HookBeforeTraffic)),
    ...optional('afterTraffic', hook(Inputs.HookAfterTraffic))
  }
  const timeoutMs = reader.read(Inputs.HookTimeout, hookTimeout, hookTimeout(DEFAULT_HOOK_TIMEOUT))
  const hooks: HookInputs | undefined =
    Object.keys(functions).length > 0 ? { ...functions, timeoutMs } : undefined
  return {
    ...(analysis ? { analysis } : {}),
    ...(smoke ? { smoke } : {}),
    ...(hooks ? { hooks } : {})
  }
}

function drainSeconds(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) {
    throw new InputError(
      `"deregistration-timeout-seconds" is "${text}": it must be a whole number of seconds, e.g. 300.`
    )
  }
  return Number(text)
}

/** `canary-tasks`: a positive whole number (the service's desired count bounds it once read). */
function canaryTasks(text: string): number {
  if (!/^\d{1,4}$/.test(text.trim()) || Number(text) < 1) {
    throw new InputError(
      `"canary-tasks" is "${text}": it must be a whole number of at least 1 (and at most the service's desired count).`
    )
  }
  return Number(text)
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

/** The shares a canary walks through and how long it holds each; other modes get the default. */
function parseSchedule(reader: ModeReader, get: (name: string) => string | undefined): Schedule {
  const stepsText = get(Inputs.Steps)
  const strategy = get(Inputs.Strategy)
  // Promote moves all traffic at once: a walk given to it is most likely meant for canary.
  if ((stepsText || strategy) && reader.mode === 'promote') {
    throw new InputError(
      `"${stepsText ? Inputs.Steps : Inputs.Strategy}" walks a canary through its steps: use it with mode canary, not ${reader.mode}.`
    )
  }
  if (stepsText && strategy && reader.uses(Inputs.Steps)) {
    throw new InputError('Set either "steps" or "strategy", not both.')
  }
  const share = reader.read(Inputs.CanaryWeight, canaryWeight, canaryWeight(DEFAULT_CANARY_WEIGHT))
  const bakeMs = reader.read(
    Inputs.BakeTime,
    (text) => parseDuration(text, Inputs.BakeTime),
    undefined
  )
  const preset = reader.read(Inputs.Strategy, parseStrategy, undefined)
  const steps = reader.read(Inputs.Steps, parseSteps, undefined)
  if (preset) {
    return {
      steps: preset.steps,
      bakeMs: bakeMs ?? preset.bakeMs,
      source: `strategy ${strategy}`,
      walk: true
    }
  } else if (steps) {
    return { steps, bakeMs: bakeMs ?? 0, source: `steps ${stepsText}`, walk: true }
  } else {
    return { steps: [share], bakeMs: bakeMs ?? 0, source: 'canary-weight', walk: false }
  }
}

function parseTestTraffic(reader: ModeReader): TestTrafficInputs {
  const header = reader.read(Inputs.TestHeader, testHeader, undefined)
  const query = reader.read(Inputs.TestQuery, testQuery, undefined)
  const priority = reader.read(Inputs.TestRulePriority, testRulePriority, undefined)
  const listenerArn = reader.read(Inputs.TestListenerArn, testListenerArn, undefined)
  return {
    ...(header ? { header } : {}),
    ...(query ? { query } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(listenerArn ? { listenerArn } : {})
  }
}

/**
 * Whether the inputs name task sets or a route themselves (target groups, task sets, a rule, a
 * listener, a listener swap, a Route 53 record set): such a run is on task sets or two services
 * whatever the service says, and discovery reads what they name at once, beside the service.
 */
export function namesRouteOrTaskSets(inputs: ActionInputs): boolean {
  return Boolean(
    inputs.targetGroups.Blue ??
    inputs.targetGroups.Green ??
    inputs.taskSets.Blue ??
    inputs.taskSets.Green ??
    inputs.listenerRuleArn ??
    inputs.listenerArn ??
    inputs.swap ??
    inputs.route53
  )
}
