/** BENCHMARK.md from the bench's samples: tables, and the paragraphs that say what they mean. */
import { cpus, platform } from 'node:os'
import { LATENCY_MS, roundTrips, type ModeResult } from './modes.js'
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
import { chainSteps } from './scenarios.js'
import { median, range } from './stats.js'
import type { Reference } from './startup.js'

export interface Results {
  runs: number
  modes: ModeResult[]
  references: Reference[]
  sdkBuildMs: number
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
    '- **chain**: the steps of the chain of calls listed under the table, written from the code. ' +
      `It should equal the round trips less the local work seen without latency, round trips − ` +
      `(wall, 0 ms − start-up) / ${LATENCY_MS} ms, to within a few tenths; when it does not, the ` +
      'chain is out of date.',
    '',
    row([
      'mode',
      'start-up (ms)',
      'wall, 0 ms (ms)',
      `wall, ${LATENCY_MS} ms (ms)`,
      'AWS calls',
      'round trips',
      'chain'
    ]),
    rule(7),
    ...results.map(({ scenario, plain, delayed }) =>
      row([
        scenario.name,
        ms(median(plain.map((s) => s.startupMs))),
        ms(median(plain.map((s) => s.wallMs))),
        ms(median(delayed.map((s) => s.wallMs))),
        median(plain.map((s) => s.calls)).toFixed(0),
        median(delayed.map(roundTrips)).toFixed(1),
        chainSteps(scenario.chain)
      ])
    ),
    '',
    'The chains (`→`: after the previous step; `‖`: at the same time):',
    '',
    ...results.map(({ scenario }) => `- **${scenario.name}**: ${scenario.chain}`),
    ''
  ]
}

function references({ modes, references, sdkBuildMs, runs }: Results): string[] {
  const status = modes.find((m) => m.scenario.name === 'status')
  const action = median(status?.plain.map((s) => s.startupMs) ?? [])
  return [
    '## Start-up reference points',
    '',
    `Measured in the same run, on the same machine, ${runs} runs each, interleaved, each process ` +
      'spawned with the environment `run-action.ts` gives the action.',
    '',
    '- **`node -e 0`**: Node itself, nothing loaded: spawn to exit.',
    "- **SDK clients only**: a bundle of the four SDK clients the action uses (`@aws-sdk/client-ecs`, `-elastic-load-balancing-v2`, `-cloudformation`, `-cloudwatch`, the project's versions) that constructs one of each and sends one ECS DescribeServices; built with ncc (ESM, `--target es2022`) into a temp dir " +
      `at the start of the bench (${seconds(sdkBuildMs)} s). Spawn to that request.`,
    '- **another action**: the bundle named by `BENCH_COMPARE_ACTION`, with the inputs in ' +
      '`BENCH_COMPARE_INPUTS` (JSON) and `AWS_ENDPOINT_URL` at the sandbox; spawn to its first ' +
      'AWS request (the sandbox logs even one it cannot answer), stopped 2 s after it.',
    `- **action ÷ reference**: the action's median start-up in mode \`status\` (${ms(action)} ms) ` +
      "divided by the reference's median.",
    '',
    row(['process', 'timed', 'median (ms)', 'min–max (ms)', 'action ÷ reference']),
    rule(5),
    row([
      'this action, mode `status`',
      'spawn → first request',
      ms(action),
      range(status?.plain.map((s) => s.startupMs) ?? []),
      '1.00'
    ]),
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
