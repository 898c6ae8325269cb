/**
 * Shared helpers for the end-to-end tests: each test file starts one sandbox (useSandbox), resets
 * it between tests, and runs the bundled action (`node dist/index.js`) against it through
 * runAction, exactly as a GitHub runner would.
 */
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals'
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2'
import { applyMutation } from '../../sandbox/mutations.js'
import type { RequestLogEntry, Sandbox } from '../../sandbox/server.js'
import {
  findService,
  findTargetGroup,
  forwardedTargetGroups,
  type RuleState,
  type TaskSetState,
  type World
} from '../../sandbox/world.js'
import { seededRandom, startApp, startRouter, type Server } from '../../sandbox/traffic.js'
import { startE2eSandbox, type Step } from './step.js'

export interface UseSandboxOptions {
  /**
   * Reset the sandbox before every test (default). False for a file whose tests reset it
   * themselves, or build on each other.
   */
  resetEach?: boolean
  /** How long a task set takes to become steady (default STEADY_DELAY_MS). */
  steadyDelayMs?: number
}

/**
 * One sandbox for the calling test file: started in beforeAll, stopped in afterAll and, unless
 * `resetEach: false`, reset before each test. Call it at the top of the file:
 * `const sandbox = useSandbox()`. The value stands for the running sandbox (every property is
 * read from it when used), so tests write `sandbox.world` and `step(sandbox, …)`; reading it
 * before beforeAll has run throws.
 */
export function useSandbox({ resetEach = true, steadyDelayMs }: UseSandboxOptions = {}): Sandbox {
  let running: Sandbox | undefined
  const current = (): Sandbox => {
    if (!running) throw new Error('useSandbox(): the sandbox starts in beforeAll; use it in a test')
    return running
  }
  beforeAll(async () => {
    running = await startE2eSandbox(steadyDelayMs)
  })
  afterAll(() => running?.stop())
  if (resetEach) beforeEach(() => current().reset())
  return new Proxy({} as Sandbox, {
    get: (_, key) => Reflect.get(current(), key),
    set: (_, key, value) => Reflect.set(current(), key, value)
  })
}

/**
 * Versions 1.0.0 and 1.0.1 served by demo apps behind a router that follows the sandbox's world
 * (weights, listeners), for the calling test file: started in beforeAll, stopped in afterAll.
 * `seed` makes the router's choices repeatable. Read `url` in a test.
 */
export function useDemoTraffic(sandbox: Sandbox, seed: number): { readonly url: string } {
  let apps: Server[] = []
  let router: Server | undefined
  beforeAll(async () => {
    apps = await Promise.all(['1.0.0', '1.0.1'].map((v) => startApp(v)))
    router = await startRouter(
      () => sandbox.world,
      { '1.0.0': apps[0].url, '1.0.1': apps[1].url },
      seededRandom(seed)
    )
  })
  afterAll(async () => {
    await Promise.all([router?.close(), ...apps.map((a) => a.close())])
  })
  return {
    get url() {
      if (!router) throw new Error('useDemoTraffic(): the router starts in beforeAll')
      return router.url
    }
  }
}

// These live in step.ts, free of Jest, so scripts can run the action the same way.
export {
  isLeaseWrite,
  SERVICE_INPUTS,
  STEADY_DELAY_MS,
  startE2eSandbox,
  step,
  unescapeCommand,
  type Step,
  type StepOptions
} from './step.js'

export const operations = (entries: RequestLogEntry[]): string[] =>
  entries.map((entry) => entry.operation)

/** How many requests for `operation` a run made (failed attempts included). */
export const count = (run: { requests: RequestLogEntry[] }, operation: string): number =>
  run.requests.filter((entry) => entry.operation === operation).length

/** Raw ALB weights of the two colours in a rule's forward action (undefined when not named). */
export function ruleWeights(
  world: World,
  rule = 0
): { Blue: number | undefined; Green: number | undefined } {
  const forward = world.rules[rule].actions.find((action) => action.Type === 'forward')
  const groups = forward?.ForwardConfig?.TargetGroups ?? []
  const weightOf = (name: string) =>
    groups.find((g) => g.TargetGroupArn === findTargetGroup(world, name)?.arn)?.Weight
  return { Blue: weightOf('blue-tg'), Green: weightOf('green-tg') }
}

/** Sets the weighted rule's weights behind the action's back, as the control API does. */
export function setRuleWeights(sandbox: Sandbox, blue: number, green: number): void {
  applyMutation(sandbox.world, {
    type: 'set-rule-weights',
    weights: { 'blue-tg': blue, 'green-tg': green }
  })
}

/** The service's StableStack tag value. */
export function stableTag(world: World, key = 'StableStack'): string | undefined {
  return findService(world)?.tags.find((tag) => tag.key === key)?.value
}

export const targetGroupArn = (world: World, name: string): string =>
  findTargetGroup(world, name)!.arn

/**
 * The lines (trimmed) of the summary's one mermaid block whose first line starts with `kind`.
 * Throws when there is no such block, or more than one.
 */
function mermaidBlock(summary: string, kind: string): string[] {
  const blocks = [...summary.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)]
    .map((match) => match[1].split('\n').map((line) => line.trim()))
    .filter(([first]) => first.startsWith(kind))
  if (blocks.length !== 1) {
    throw new Error(
      `expected one mermaid ${kind} block in the summary, found ${blocks.length}:\n${summary}`
    )
  }
  return blocks[0]
}

/**
 * The slices of the summary's mermaid pie (the split after the step), e.g. `{ Blue: 90,
 * Green: 10 }`; the summary leaves out a colour with 0 %. Throws when there is no pie, or a line
 * of it is not a `"Blue"` or `"Green"` slice.
 */
export function pieOf(summary: string): { Blue?: number; Green?: number } {
  const [, ...lines] = mermaidBlock(summary, 'pie')
  const slices: { Blue?: number; Green?: number } = {}
  for (const line of lines) {
    const slice = line.match(/^"(Blue|Green)" : (\d+(?:\.\d+)?)$/)
    if (!slice) throw new Error(`not a slice of the summary's pie: ${line}`)
    slices[slice[1] as 'Blue' | 'Green'] = Number(slice[2])
  }
  return slices
}

/**
 * A step that failed cleanly: exit 1, one error annotation, nothing written but, when the run got
 * as far as its gates, the lease it took and gave back. Returns the message.
 */
export function expectCleanFailure(run: Step): string {
  expect(run.code).toBe(1)
  expect(run.errors).toHaveLength(1)
  expect(operations(run.writes)).toEqual([])
  expect([[], ['TagResource', 'UntagResource']]).toContainEqual(operations(run.leaseWrites))
  return run.errors[0]
}

// Helpers for the progressive-delivery tests (steps, bakes, alarms, cancel, test traffic).

/**
 * Polls the sandbox log until a request for `operation` (at index `from` or later) has been
 * answered, and returns it. Rejects after `timeoutMs`.
 */
export async function waitForRequest(
  sandbox: Sandbox,
  operation: string,
  { from = 0, timeoutMs = 10_000, intervalMs = 10 } = {}
): Promise<RequestLogEntry> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = sandbox.log
      .slice(from)
      .find((entry) => entry.operation === operation && entry.end > 0)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no ${operation} request within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Resolves when `check` returns true (polled), rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean,
  { timeoutMs = 5_000, intervalMs = 10 } = {}
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** All tags of the service, as a record. */
export function serviceTags(world: World): Record<string, string> {
  return Object.fromEntries((findService(world)?.tags ?? []).map((tag) => [tag.key, tag.value]))
}

/** The value of a stack output of the default stack. */
export function stackOutput(world: World, key: string): string | undefined {
  return world.stacks[0]?.outputs.find((output) => output.OutputKey === key)?.OutputValue
}

/** The task set of a colour, as the stack output `BlueTaskSet` / `GreenTaskSet` names it. */
export function taskSetOf(world: World, color: 'Blue' | 'Green'): TaskSetState {
  const id = stackOutput(world, `${color}TaskSet`)
  const taskSet = findService(world)?.taskSets.find((t) => t.id === id)
  if (!taskSet) throw new Error(`no ${color} task set in the world`)
  return taskSet
}

/** Names of the target groups an action list forwards to (any weight), e.g. ['green-tg']. */
export function forwardedGroupNames(world: World, actions: Action[]): string[] {
  return forwardedTargetGroups(actions).map(
    (arn) => world.targetGroups.find((tg) => tg.arn === arn)?.name ?? arn
  )
}

/** The rules of the weighted rule's listener other than the weighted rule (index 0). */
export function otherRules(world: World): RuleState[] {
  const weighted = world.rules[0]
  return world.rules.filter((r) => r !== weighted && r.listenerArn === weighted.listenerArn)
}

/**
 * The summary's mermaid xychart of a walk: its x-axis labels and the canary share (%) at each.
 * Throws when there is no xychart, it lacks the x-axis or the line, or they differ in length.
 */
export function chartOf(summary: string): { labels: string[]; points: number[] } {
  const lines = mermaidBlock(summary, 'xychart')
  const list = (key: string): string => {
    const inner = lines.find((line) => line.startsWith(`${key} [`))?.match(/\[(.*)\]$/)?.[1]
    if (inner === undefined) throw new Error(`no ${key} [...] in the summary's xychart`)
    return inner
  }
  const labels = [...list('x-axis').matchAll(/"([^"]*)"/g)].map((match) => match[1])
  const points = list('line').split(',').map(Number)
  if (points.some(Number.isNaN) || points.length !== labels.length) {
    throw new Error(`the summary's xychart does not pair labels with numbers:\n${lines.join('\n')}`)
  }
  return { labels, points }
}

/** The header of the summary's table of steps. */
export const STEPS_TABLE_HEADER =
  '| step | canary share | started (UTC) | baked | health gate | alarms seen | outcome |'
