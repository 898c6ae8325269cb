import { Inputs } from './constants.js'

export const MODES = ['canary', 'deploy', 'promote', 'rollback', 'status'] as const
export type Mode = (typeof MODES)[number]

/** An input only some modes read, and what a valid value of it looks like. */
export interface ModeInput {
  modes: readonly Mode[]
  /** Ends the warning a mode that ignores the input gives for a malformed value. */
  valid: string
}

const TRUE_OR_FALSE = 'true or false'

/**
 * Which modes read each input that not every mode reads, as the code reads `ActionInputs`. A mode
 * ignores the others, so a typo in an input a workflow passes to every mode never blocks a mode
 * that does not need it, above all the emergency rollback. Every mode reads the inputs not listed
 * here: mode, cluster, service, the locations of Blue and Green (task sets, target groups, or
 * `blue-service`/`green-service`) and of the route (a rule, a listener, or the Route 53 records:
 * `hosted-zone-id`, `record-name`, `record-type`, `blue-set-identifier`, `green-set-identifier`),
 * `workload`, tag-key and aws-region.
 *
 * Rollback reads readiness and the test listener because an undo waits for the colour it brings
 * back and the test listener returns to the stable colour; status only reads and reports, so of
 * the gate inputs it reads just the alarms it shows.
 */
export const MODE_INPUTS = {
  [Inputs.CanaryWeight]: {
    modes: ['canary'],
    valid: 'a percent from 0 to 100 with at most one decimal, e.g. 10 or 0.5'
  },
  [Inputs.WaitForHealthy]: {
    modes: ['canary', 'deploy', 'promote', 'rollback'],
    valid: TRUE_OR_FALSE
  },
  [Inputs.HealthTimeoutSeconds]: {
    modes: ['canary', 'deploy', 'promote', 'rollback'],
    valid: 'a whole number of seconds, e.g. 600'
  },
  [Inputs.DryRun]: { modes: ['canary', 'deploy', 'promote', 'rollback'], valid: TRUE_OR_FALSE },
  [Inputs.Steps]: {
    modes: ['canary'],
    valid: 'increasing percents above 0 and up to 100, e.g. 5,25,50'
  },
  [Inputs.Strategy]: {
    modes: ['canary'],
    valid: 'a preset such as Canary10Percent5Minutes or Linear10PercentEvery1Minute'
  },
  [Inputs.BakeTime]: {
    modes: ['canary'],
    valid: 'a duration such as 90s, 5m, 1h or 1m30s (at most 6h)'
  },
  [Inputs.Alarms]: {
    modes: ['canary', 'promote', 'status'],
    valid: 'alarm names of at most 255 characters, separated by newlines or commas'
  },
  [Inputs.AlarmPrefix]: { modes: ['canary', 'promote', 'status'], valid: 'any text' },
  [Inputs.TreatMissingAlarmDataAsFailure]: {
    modes: ['canary', 'promote'],
    valid: TRUE_OR_FALSE
  },
  [Inputs.OnCancel]: { modes: ['canary'], valid: 'rollback or hold' },
  [Inputs.TestHeader]: { modes: ['canary'], valid: '"Name: value", e.g. "X-Canary: true"' },
  [Inputs.TestQuery]: { modes: ['canary'], valid: '"key=value", e.g. "canary=true"' },
  [Inputs.TestRulePriority]: { modes: ['canary'], valid: 'a whole number from 1 to 50000' },
  [Inputs.TestListenerArn]: {
    modes: ['canary', 'promote', 'rollback'],
    valid: 'a listener ARN (it contains ":listener/")'
  },
  [Inputs.ScaleDownAfterPromote]: { modes: ['canary', 'promote'], valid: TRUE_OR_FALSE },
  [Inputs.UndoPromotion]: { modes: ['rollback'], valid: TRUE_OR_FALSE },
  [Inputs.GithubToken]: {
    modes: ['canary', 'deploy', 'promote', 'rollback'],
    valid: 'a GitHub token'
  },
  [Inputs.Environment]: { modes: ['canary', 'deploy', 'promote', 'rollback'], valid: 'any text' },
  // Rollback posts only failure statuses, which carry no URL: it never reads (nor refuses) it.
  [Inputs.EnvironmentUrl]: {
    modes: ['canary', 'deploy', 'promote'],
    valid: 'an http:// or https:// URL'
  },
  [Inputs.Image]: {
    modes: ['canary', 'deploy'],
    valid: 'an image such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2'
  },
  [Inputs.ContainerName]: { modes: ['canary', 'deploy'], valid: 'a container name' },
  [Inputs.TaskDefinition]: {
    modes: ['canary', 'deploy'],
    valid: 'family:revision, a task definition ARN, or a path to a task definition JSON file'
  },
  [Inputs.ReplaceLiveCanary]: { modes: ['canary', 'deploy'], valid: TRUE_OR_FALSE },
  [Inputs.StackParameters]: {
    modes: ['canary', 'deploy'],
    valid: 'Key=Name pairs for BlueImage, GreenImage, StableColor, BlueWeight, GreenWeight'
  },
  [Inputs.PromoteImageTag]: {
    modes: ['canary', 'promote'],
    valid: 'an image tag such as production'
  },
  [Inputs.Analysis]: {
    modes: ['canary'],
    valid: 'true, false, or "key: value" lines such as "p99-ratio: 1.5"'
  },
  [Inputs.SmokeUrl]: { modes: ['canary'], valid: 'a path such as /health, or a full http(s) URL' },
  [Inputs.SmokeExpectStatus]: {
    modes: ['canary'],
    valid: 'statuses or classes, e.g. 200,204 or 2xx'
  },
  [Inputs.SmokeExpectBody]: { modes: ['canary'], valid: 'any text' },
  [Inputs.SmokeTimeout]: { modes: ['canary'], valid: 'a duration from 1s to 5m, e.g. 5s' },
  [Inputs.SmokeCount]: { modes: ['canary'], valid: 'a whole number from 1 to 1000' },
  [Inputs.HookAfterTestTraffic]: { modes: ['canary'], valid: 'a Lambda function name or ARN' },
  [Inputs.HookBeforeTraffic]: { modes: ['canary'], valid: 'a Lambda function name or ARN' },
  [Inputs.HookAfterTraffic]: { modes: ['canary'], valid: 'a Lambda function name or ARN' },
  [Inputs.HookTimeout]: { modes: ['canary'], valid: 'a duration from 1s to 1h, e.g. 10m' },
  [Inputs.CanaryTasks]: { modes: ['canary', 'deploy'], valid: 'a whole number from 1, e.g. 1' },
  [Inputs.DeregistrationTimeoutSeconds]: {
    modes: ['canary', 'deploy', 'promote', 'rollback'],
    valid: 'a whole number of seconds, e.g. 300'
  }
} as const satisfies Record<string, ModeInput>

export type ModeInputName = keyof typeof MODE_INPUTS
