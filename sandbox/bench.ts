/**
 * `npm run bench`: start-up time, wall time, AWS calls and sequential round trips per mode, for
 * the bundled action run as a runner runs it against the sandbox. Round trips are measured with
 * a fixed latency added to every AWS request: (wall time − start-up) / latency.
 */
import { cpus } from 'node:os'
import { writeFileSync } from 'node:fs'
import { applyMutation } from './mutations.js'
import { runAction } from './run-action.js'
import { startSandbox, type Sandbox } from './server.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const LATENCY_MS = 100

interface Scenario {
  name: string
  inputs: (sandbox: Sandbox) => Record<string, string>
  /** Puts the world in the state the mode starts from. */
  prepare?: (sandbox: Sandbox) => void
}

const stackInputs = { cluster: 'mycluster', service: 'myservice', 'stack-name': 'myservice-canary' }

/** Every colour value as an input, so no stack is read. */
function explicitInputs(sandbox: Sandbox): Record<string, string> {
  const outputs = Object.fromEntries(
    sandbox.world.stacks[0].outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])
  )
  return {
    cluster: 'mycluster',
    service: 'myservice',
    'blue-task-set': outputs.BlueTaskSet,
    'green-task-set': outputs.GreenTaskSet,
    'blue-target-group': outputs.BlueTargetGroup,
    'green-target-group': outputs.GreenTargetGroup,
    'listener-rule-arn': outputs.ListenerRule
  }
}

const canaryAt10 = (sandbox: Sandbox) =>
  applyMutation(sandbox.world, {
    type: 'set-rule-weights',
    weights: { 'blue-tg': 90, 'green-tg': 10 }
  })

const SCENARIOS: Scenario[] = [
  { name: 'status', inputs: () => ({ ...stackInputs, mode: 'status' }) },
  {
    name: 'canary 0 → 10',
    inputs: () => ({ ...stackInputs, mode: 'canary', 'canary-weight': '10' })
  },
  {
    name: 'promote from 10',
    inputs: () => ({ ...stackInputs, mode: 'promote' }),
    prepare: canaryAt10
  },
  {
    name: 'rollback from 10',
    inputs: () => ({ ...stackInputs, mode: 'rollback' }),
    prepare: canaryAt10
  },
  {
    name: 'canary 0 → 10, explicit inputs',
    inputs: (s) => ({ ...explicitInputs(s), mode: 'canary', 'canary-weight': '10' })
  },
  {
    name: 'rollback from 10, explicit inputs',
    inputs: (s) => ({ ...explicitInputs(s), mode: 'rollback' }),
    prepare: canaryAt10
  }
]

interface Sample {
  startupMs: number
  wallMs: number
  calls: number
}

async function measure(sandbox: Sandbox, scenario: Scenario): Promise<Sample> {
  sandbox.reset()
  scenario.prepare?.(sandbox)
  const run = await runAction({ endpoint: sandbox.url, inputs: scenario.inputs(sandbox) })
  if (run.code !== 0) throw new Error(`${scenario.name} failed: ${run.stdout}`)
  const first = Math.min(...sandbox.log.map((entry) => entry.start))
  return { startupMs: first - run.spawnedAt, wallMs: run.durationMs, calls: sandbox.log.length }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main(): Promise<void> {
  const fast = await startSandbox({ steadyDelayMs: 0 })
  const slow = await startSandbox({ steadyDelayMs: 0, latencyMs: LATENCY_MS })
  const rows: string[] = []
  try {
    for (const scenario of SCENARIOS) {
      const plain: Sample[] = []
      const delayed: Sample[] = []
      for (let i = 0; i < RUNS; i++) {
        plain.push(await measure(fast, scenario))
        delayed.push(await measure(slow, scenario))
      }
      const roundTrips = delayed.map((s) => (s.wallMs - s.startupMs) / LATENCY_MS)
      const row = [
        scenario.name,
        median(plain.map((s) => s.startupMs)).toFixed(0),
        median(plain.map((s) => s.wallMs)).toFixed(0),
        median(plain.map((s) => s.calls)).toFixed(0),
        median(roundTrips).toFixed(1)
      ]
      rows.push(`| ${row.join(' | ')} |`)
      console.log(row.join('  '))
    }
  } finally {
    await Promise.all([fast.stop(), slow.stop()])
  }
  const report = [
    '# Benchmark',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}. Medians of ${RUNS} runs of the bundled ` +
      '`dist/index.js`, spawned as a runner spawns it, against the local sandbox.',
    '',
    '- **start-up**: spawn to the first AWS request the sandbox receives.',
    '- **wall**: spawn to exit, no added latency.',
    '- **AWS calls**: requests the sandbox received in one run.',
    `- **round trips**: sequential AWS round trips on the critical path, measured with ${LATENCY_MS} ms ` +
      `added to every request: (wall − start-up) / ${LATENCY_MS} ms. The remainder above a whole number ` +
      'is local work and process exit.',
    '',
    'The sequential chain behind the round trips, from the code: with a stack, the service ' +
      '(tag, task sets) is read beside the stack outputs, then the rule beside both target ' +
      "groups' health, then the write, then the read-back (4); with all colour values and the " +
      'rule given as inputs, the first two reads are one step (3). Promote adds the tag write. ' +
      'Task definitions (summary only) and the gate, when the canary is already healthy, add ' +
      'none.',
    '',
    '| mode | start-up (ms) | wall (ms) | AWS calls | round trips |',
    '|---|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
  writeFileSync('BENCHMARK.md', report)
  console.log('\nWrote BENCHMARK.md')
}

await main()
