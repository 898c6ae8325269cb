/** BENCHMARK.md from the bench's samples: tables, and the paragraphs that say what they mean. */
import { cpus, platform } from 'node:os'
import { LATENCY_MS, roundTrips, writeRoundTrip, type ModeResult, type Sample } from './modes.js'
import {
  ALARM,
  ALARM_DELAYS,
  SIGNAL_DELAYS,
  type AlarmSample,
  type SignalSample
} from './reaction.js'
import {
  ANALYSIS_DELAYS,
  PUBLICATION_DELAY_MS,
  REQUESTS_PER_SECOND,
  type AnalysisSample
} from './analysis.js'
import { chainSteps, chainWriteStep } from './scenarios.js'
import { median, range } from './stats.js'
import { ACTION_REFERENCE, type Reference } from './startup.js'

export interface Results {
  runs: number
  modes: ModeResult[]
  references: Reference[]
  sdkBuildMs: number
  minifyBuildMs: number
  reactions: { alarm: AlarmSample[]; signal: SignalSample[] }
  analysis: { runs: number; samples: AnalysisSample[] }
  /** One-minute load average at the start and at the end. */
  load: [number, number]
  durationMs: number
}

const ms = (value: number) => value.toFixed(0)
const seconds = (valueMs: number) => (valueMs / 1000).toFixed(1)
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
const rule = (columns: number) => `|${'---|'.repeat(columns)}`
const timing = (label: string, values: number[]) => row([label, ms(median(values)), range(values)])

export function renderReport(results: Results): string {
  const { runs } = results
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return [
    '# Benchmark',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in ` +
      `${seconds(results.durationMs)} s: Node ${process.version} on ${platform()}, ` +
      `${cpus().length} × ${cpu} (one-minute load average ${results.load[0].toFixed(2)} at the ` +
      `start, ${results.load[1].toFixed(2)} at the end). Every number is a median of ${runs} runs ` +
      '(`BENCH_RUNS`) unless it says otherwise. The bundled `dist/index.js` is spawned as a runner ' +
      'spawns it (`sandbox/run-action.ts`) against the sandbox, which runs in the bench process; ' +
      "times come from the clock that stamps the sandbox's request log.",
    '',
    ...goals(results),
    ...modes(results.modes),
    ...references(results),
    ...reactions(results.reactions, runs),
    ...analysisReaction(results.analysis)
  ].join('\n')
}

function modes(results: ModeResult[]): string[] {
  return [
    '## Modes',
    '',
    '- **start-up**: spawn to the first AWS request the sandbox receives (no added latency).',
    '- **wall, 0 ms**: spawn to exit, no added latency.',
    `- **wall, ${LATENCY_MS} ms**: spawn to exit with ${LATENCY_MS} ms added to every AWS request.`,
    '- **AWS calls**: requests the sandbox received in one run.',
    `- **round trips**: sequential AWS round trips on the critical path, from the runs with ` +
      `${LATENCY_MS} ms added: (wall − start-up) / ${LATENCY_MS} ms. The remainder above a whole ` +
      'number is local work and process exit.',
    '- **network**: the round trips less the local work seen without latency, round trips − ' +
      `(wall, 0 ms − start-up) / ${LATENCY_MS} ms: the sequential AWS round trips alone.`,
    '- **route written**: the round trip at whose end the route write (ModifyRule) was ' +
      `acknowledged, (end of the write − start-up) / ${LATENCY_MS} ms with latency, less the ` +
      'same time without latency: network round trips up to and including the write.',
    '- **lease before it**: round trips the lease spent before the route write: from the start ' +
      'of the first of its calls (ECS TagResource, ListTagsForResource) that ended before the write to the end of the last, / ' +
      `${LATENCY_MS} ms.`,
    `- **in the log (write)**: sequential round trips read from the request log of the runs with ` +
      `${LATENCY_MS} ms added: the longest chain of requests each of which started after the one ` +
      'before it ended (requests sent together overlap and count once), and in brackets the ' +
      "same chain's length up to and including the route write. Local work does not enter it, " +
      'so it holds on a loaded machine where the times above spread.',
    '- **chain**: the steps of the chain of calls listed under the table, written from the code, ' +
      'and the step that writes the route. They should equal **in the log**; when they do not, ' +
      'the chain is out of date.',
    '',
    row([
      'mode',
      'start-up (ms)',
      'wall, 0 ms (ms)',
      `wall, ${LATENCY_MS} ms (ms)`,
      'AWS calls',
      'round trips',
      'network',
      'route written',
      'lease before it',
      'in the log (write)',
      'chain (write)'
    ]),
    rule(11),
    ...results.map((result) => {
      const { scenario, plain, delayed } = result
      const write = writtenAt(result)
      const writeStep = chainWriteStep(scenario.chain)
      return row([
        scenario.name,
        ms(median(plain.map((s) => s.startupMs))),
        ms(median(plain.map((s) => s.wallMs))),
        ms(median(delayed.map((s) => s.wallMs))),
        median(plain.map((s) => s.calls)).toFixed(0),
        median(delayed.map(roundTrips)).toFixed(1),
        network(result).toFixed(1),
        write === undefined ? '–' : write.toFixed(1),
        write === undefined
          ? '–'
          : (median(delayed.map((s) => s.leaseBeforeWriteMs)) / LATENCY_MS).toFixed(1),
        logDepths(result),
        `${chainSteps(scenario.chain)}${writeStep === undefined ? '' : ` (${writeStep})`}`
      ])
    }),
    '',
    'The chains (`→`: after the previous step; `‖`: at the same time):',
    '',
    ...results.map(({ scenario }) => `- **${scenario.name}**: ${scenario.chain}`),
    ''
  ]
}

/** Median sequential round trips in the request log, and up to the route write: `5 (3)`. */
function logDepths({ delayed }: ModeResult): string {
  const writes = delayed.flatMap((s) => (s.writeDepth === undefined ? [] : [s.writeDepth]))
  const total = median(delayed.map((s) => s.chainDepth)).toFixed(0)
  return writes.length === 0 ? total : `${total} (${median(writes).toFixed(0)})`
}

/** Network round trips of a mode: round trips less the local work seen without latency. */
function network({ plain, delayed }: ModeResult): number {
  const local = median(plain.map((s) => s.wallMs - s.startupMs)) / LATENCY_MS
  return median(delayed.map(roundTrips)) - local
}

/** Network round trips up to the end of the route write; undefined when the mode wrote none. */
function writtenAt({ plain, delayed }: ModeResult): number | undefined {
  const withLatency = delayed.map(writeRoundTrip).filter((v): v is number => v !== undefined)
  const without = plain.flatMap((s: Sample) =>
    s.routeWrittenMs === undefined ? [] : [(s.routeWrittenMs - s.startupMs) / LATENCY_MS]
  )
  if (withLatency.length === 0 || without.length === 0) return undefined
  return median(withLatency) - median(without)
}

/** Each goal beside what was measured, and when one is not met, what the measurement shows. */
function goals(results: Results): string[] {
  const mode = (name: string) => results.modes.find((m) => m.scenario.name === name)
  const lines: string[][] = []
  const trips = (
    label: string,
    name: string,
    goal: number,
    measure: 'all' | 'write',
    why?: (m: ModeResult) => string
  ) => {
    const m = mode(name)
    if (!m) return
    const values = m.delayed.flatMap((s) => {
      const v = measure === 'all' ? s.chainDepth : s.writeDepth
      return v === undefined ? [] : [v]
    })
    if (values.length === 0) return
    const value = median(values)
    lines.push([
      label,
      `≤ ${goal}`,
      `${value} (${range(values)})`,
      value <= goal ? 'yes' : `no: ${why ? why(m) : 'see the chain below'}`
    ])
  }
  const leaseWhy = (m: ModeResult) => {
    const lease = median(m.delayed.map((s) => s.leaseBeforeWriteMs)) / LATENCY_MS
    return (
      `${lease.toFixed(0)} of them are the lease's calls (TagResource, then ` +
      'ListTagsForResource) between the reads and the write, measured from the request log. ECS ' +
      'tags have no conditional write, so the lease is written, then read back, before the ' +
      'first route write; it is written only once the reads show that the run will write (a ' +
      "run that finds its target state writes nothing), and it needs the service's tags, which " +
      'the first round trip reads'
    )
  }
  trips('status: round trips', 'status', 2, 'all')
  trips('canary 0 → 10: route written at', 'canary 0 → 10', 3, 'write', leaseWhy)
  trips('rollback: route written at', 'rollback from 10', 3, 'write')
  trips(
    'rollback, rule ARN given: route written at',
    'rollback from 10, rule ARN given (stack for the rest)',
    2,
    'write'
  )
  const startup = startupGoal(results.references)
  if (startup) lines.push(startup)
  const { alarm, signal } = results.reactions
  if (alarm.length > 0) {
    const worst = Math.max(...alarm.map((s) => s.reactionMs))
    lines.push([
      'alarm → rollback (slowest run)',
      '≤ 5 s',
      `${seconds(worst)} s`,
      worst <= 5000 ? 'yes' : 'no'
    ])
  }
  if (signal.length > 0) {
    const worst = Math.max(...signal.map((s) => s.toRollbackMs))
    lines.push([
      'SIGINT → rollback (slowest run)',
      '≤ 1 s',
      `${seconds(worst)} s`,
      worst <= 1000 ? 'yes' : 'no'
    ])
  }
  return [
    '## Goals',
    '',
    'Round trips are read from the request log of the runs with added latency (**in the log** ' +
      'under Modes): medians, with the spread over the runs. The tables below hold every number.',
    '',
    row(['goal', 'target', 'measured', 'met']),
    rule(4),
    ...lines.map(row),
    ''
  ]
}

/**
 * The start-up goal's row: the action's median start-up in mode `status` over another action's,
 * both from the interleaved reference runs, and when it is missed, what the references show.
 */
export function startupGoal(references: Reference[]): string[] | undefined {
  const find = (prefix: string) => references.find((r) => r.name.startsWith(prefix))
  const action = find(ACTION_REFERENCE)
  const other = find('another action')
  if (!action || !other) return undefined
  const ratioOf = (ref: Reference | undefined) =>
    ref && !ref.skipped && !other.skipped ? median(ref.samples) / median(other.samples) : undefined
  const ratio = ratioOf(action)
  const floor = ratioOf(find('ECS client only'))
  const sdks = ratioOf(find('SDK clients only'))
  const minified = ratioOf(find('this action, minified ('))
  const why =
    floor === undefined || sdks === undefined
      ? 'see the start-up section'
      : `the ECS client alone, which every run loads before its first request, takes ` +
        `${floor.toFixed(2)}× the other action's start-up, and the four SDK clients the action ` +
        `uses, with nothing of the action's own, ${sdks.toFixed(2)}×; the action adds its own ` +
        'code and work on top of them' +
        (minified === undefined ? '' : ` (minified, it measured ${minified.toFixed(2)}×)`)
  return [
    'start-up ÷ another action',
    '≤ 0.70',
    ratio === undefined ? '–' : ratio.toFixed(2),
    ratio === undefined ? (other.skipped ?? '') : ratio <= 0.7 ? 'yes' : `no: ${why}`
  ]
}

export function references({
  references,
  sdkBuildMs,
  minifyBuildMs,
  runs
}: Pick<Results, 'references' | 'sdkBuildMs' | 'minifyBuildMs' | 'runs'>): string[] {
  const action = median(references.find((r) => r.name === ACTION_REFERENCE)?.samples ?? [])
  return [
    '## Start-up reference points',
    '',
    `Measured in the same run, on the same machine, ${runs} runs each, interleaved, each process ` +
      'spawned with the environment `run-action.ts` gives the action. `dist/index.js` holds what ' +
      "the first request needs: reading and checking the inputs, the ECS client and the service's " +
      'read. A run whose inputs name no route or target group sends that DescribeServices first ' +
      'and loads the rest of the action (a chunk file with the ELB SDK, the pipeline and the ' +
      'report) while it is in flight (`src/run-step.ts`). The CloudFormation and CloudWatch SDKs ' +
      'are evaluated only in a run that reads a stack or alarms (`src/aws/clients.ts`). The SDKs ' +
      'no run needs at start (ECR, Lambda, Route 53, the GitHub HTTP client) are chunk files of ' +
      'their own, read only when a run uses them, and ' +
      "`npm run build` makes each bundled module's wrapper a plain function so that V8 compiles " +
      'a module only when it runs (`scripts/build-dist.ts`). To compare with the official ECS ' +
      'deploy action, point `BENCH_COMPARE_ACTION` at the `dist/index.js` of a checkout of ' +
      '`aws-actions/amazon-ecs-deploy-task-definition` and set `BENCH_COMPARE_INPUTS` to ' +
      '`{"task-definition":"<a task definition JSON file>","cluster":"mycluster","service":"myservice"}`; ' +
      'its first request is ECS RegisterTaskDefinition.',
    '',
    '- **this action, mode `status`**: `dist/index.js` in mode `status` from the stack, spawn to ' +
      'its first request (the goal uses this one, measured among the references).',
    '- **`node -e 0`**: Node itself, nothing loaded: spawn to exit.',
    "- **SDK clients only**: a bundle of the four SDK clients the action uses (`@aws-sdk/client-ecs`, `-elastic-load-balancing-v2`, `-cloudformation`, `-cloudwatch`, the project's versions) that constructs one of each and sends one ECS DescribeServices. " +
      '**ECS client only**: the same with the ECS client alone, the least any run loads before ' +
      'its first request. **ECS client and `@actions/core`**: the ECS client and the runner ' +
      'toolkit most actions read their inputs with (it imports `@actions/http-client` and through ' +
      'it `undici`); this action speaks the runner protocol itself (`src/workflow-commands.ts`) ' +
      'and loads the HTTP client only for GitHub Deployments. Each built with ncc (ESM, ' +
      '`--target es2022`) and its module wrappers made plain functions, as `npm run build` ' +
      `builds the action, into a temp dir at the start of the bench (${seconds(sdkBuildMs)} s ` +
      'for the three); spawn to that request.',
    "- **this action, minified**: every file of `dist/` through esbuild's whitespace minifier " +
      `with non-ASCII characters escaped and a source map beside it, into a temp dir ` +
      `(${seconds(minifyBuildMs)} s), mode \`status\` as above. **Source maps on**: the same, ` +
      'started by an `index.js` that calls `process.setSourceMapsEnabled(true)` and then imports ' +
      "it, as a shipped minified bundle would need for an unexpected error's stack trace (in the " +
      'debug log) to name source lines rather than a column of one long line; Node then reads ' +
      'and parses the maps as the bundle loads. These maps lead back to the unminified bundle; ' +
      "maps to `src/` through ncc's own would be larger, so this is the least it costs. Neither " +
      'is shipped.',
    '- **another action**: the bundle named by `BENCH_COMPARE_ACTION`, with the inputs in ' +
      '`BENCH_COMPARE_INPUTS` (JSON) and `AWS_ENDPOINT_URL` at the sandbox; spawn to its first ' +
      'AWS request (the sandbox logs even one it cannot answer), stopped 2 s after it.',
    `- **action ÷ reference**: the action's median start-up in mode \`status\` (${ms(action)} ms) ` +
      "divided by the reference's median.",
    '',
    row(['process', 'timed', 'median (ms)', 'min–max (ms)', 'action ÷ reference']),
    rule(5),
    ...references.map((ref) =>
      ref.skipped
        ? row([ref.name, ref.measures, '–', '–', ref.skipped])
        : row([
            ref.name,
            ref.measures,
            ms(median(ref.samples)),
            range(ref.samples),
            `${(action / median(ref.samples)).toFixed(2)}`
          ])
    ),
    ''
  ]
}

function reactions({ alarm, signal }: Results['reactions'], runs: number): string[] {
  const perMinute = alarm.map((s) => (s.alarmReads / s.bakeMs) * 60_000)
  const gaps = alarm.flatMap((s) => s.pollGapsMs)
  const delays = (pair: readonly number[]) => pair.map((d) => seconds(d)).join('–')
  return [
    '## Reaction times',
    '',
    `Sandbox without added latency, ${runs} runs each. The action runs a canary from the stack ` +
      'with `steps: 10,50` and `bake-time: 60s`; the cause comes during the first bake, from a ' +
      "timer the shift's ModifyRule starts, at a delay spread evenly over the runs so that it " +
      'lands at different points between two polls.',
    '',
    `- **alarm → rollback**: \`alarms: ${ALARM}\` on the \`alarms\` world; ${delays(ALARM_DELAYS)} s ` +
      `after the shift the bench sets ${ALARM} to ALARM and notes the time; to the end of the ` +
      "rollback's ModifyRule in the sandbox log.",
    `- **SIGINT → rollback**, **SIGINT → exit**: SIGINT to the action ${delays(SIGNAL_DELAYS)} s ` +
      "after the shift; to the end of the rollback's ModifyRule, and to the process's exit.",
    '',
    row(['reaction', 'median (ms)', 'min–max (ms)']),
    rule(3),
    timing(
      'alarm → rollback',
      alarm.map((s) => s.reactionMs)
    ),
    timing(
      'SIGINT → rollback',
      signal.map((s) => s.toRollbackMs)
    ),
    timing(
      'SIGINT → exit',
      signal.map((s) => s.toExitMs)
    ),
    '',
    "While baking (alarm runs, from the end of the shift's ModifyRule to the start of the " +
      `rollback's): **${median(perMinute).toFixed(1)} DescribeAlarms per minute** (median of ` +
      "each run's calls / bake length; a bake ended by the alarm holds only a poll or two, so " +
      "this is coarse). **Poll interval**, measured from the bake's start to each DescribeAlarms " +
      `and between them: median ${ms(median(gaps))} ms (${gaps.length} intervals, ` +
      `${range(gaps)} ms).`,
    ''
  ]
}

/** The section on its own, as `BENCH_ONLY=analysis` splices it into an existing BENCHMARK.md. */
export function analysisReaction({ runs, samples }: Results['analysis']): string[] {
  const delays = ANALYSIS_DELAYS.map((d) => seconds(d)).join('–')
  return [
    '## Canary analysis reaction',
    '',
    `${runs} run(s), at the action's default settings (\`analysis: true\`: two-minute windows ` +
      'ending a minute ago, 10 % canary). About ' +
      `${REQUESTS_PER_SECOND} requests a second flow through the demo router; the canary (1.0.1) ` +
      `turns into the bad 1.0.2 (5 % 500s, five times slower) ${delays} s after the shift, and no ` +
      "alarm is configured. The sandbox publishes each request's metrics " +
      `${seconds(PUBLICATION_DELAY_MS)} s after it, the delay the defaults assume; with real ` +
      'CloudWatch the time also depends on its actual delay.',
    '',
    row(['reaction', 'median (s)', 'min–max (s)', 'GetMetricData calls per run (median)']),
    rule(4),
    row([
      'canary goes bad → rollback written',
      (median(samples.map((s) => s.reactionMs)) / 1000).toFixed(1),
      `${(Math.min(...samples.map((s) => s.reactionMs)) / 1000).toFixed(1)}–${(Math.max(...samples.map((s) => s.reactionMs)) / 1000).toFixed(1)}`,
      median(samples.map((s) => s.reads)).toFixed(0)
    ]),
    '',
    'The time is set by the windows, not by polling: analysis judges only windows wholly inside ' +
      'the run (the first starts up to a minute after the shift), so the first verdict comes when ' +
      'that two-minute window has ended and its data is a minute old; with the canary bad for ' +
      'most of it, that verdict fails.',
    ''
  ]
}
