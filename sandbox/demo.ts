/**
 * `npm run demo`: the project's main job on its embedded default. Starts the sandbox, two versions
 * of a web app and a weighted router, then runs the bundled action as a runner does through a
 * whole canary lifecycle, checking after each step that real requests follow the new weights.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { errorLines, runAction } from './run-action.js'
import { startSandbox } from './server.js'
import { DEFAULT_ACCOUNT, DEFAULT_REGION, ecrRegistry, findService, type World } from './world.js'
import { sample, seededRandom, startApp, startRouter } from './traffic.js'

const REQUESTS = 400
/** Observed shares may differ from the intended ones by this many standard errors. */
const TOLERANCE_SIGMAS = 5
const VERSIONS = { Blue: '1.0.0', Green: '1.0.1' } as const

/** The image the first step deploys, as a build step would have pushed it to ECR. */
const IMAGE = `${ecrRegistry(DEFAULT_REGION, DEFAULT_ACCOUNT)}/myapp:${VERSIONS.Green}`

const STEPS: { label: string; inputs: Record<string, string>; greenShare: number }[] = [
  { label: 'deploy', inputs: { mode: 'deploy', image: IMAGE }, greenShare: 0 },
  { label: 'status', inputs: { mode: 'status' }, greenShare: 0 },
  { label: 'canary 10', inputs: { mode: 'canary', 'canary-weight': '10' }, greenShare: 10 },
  { label: 'canary 50', inputs: { mode: 'canary', 'canary-weight': '50' }, greenShare: 50 },
  { label: 'rollback', inputs: { mode: 'rollback' }, greenShare: 0 },
  { label: 'canary 25', inputs: { mode: 'canary', 'canary-weight': '25' }, greenShare: 25 },
  { label: 'promote', inputs: { mode: 'promote' }, greenShare: 100 }
]

const BASE_INPUTS = { cluster: 'mycluster', service: 'myservice', 'stack-name': 'myservice-canary' }

/** Whether an observed count is within sampling error of the intended share (percent). */
export function withinSamplingError(
  observed: number,
  total: number,
  intendedPercent: number
): boolean {
  const p = intendedPercent / 100
  if (p === 0 || p === 1) return observed === p * total
  const sigma = Math.sqrt((p * (1 - p)) / total)
  return Math.abs(observed / total - p) <= TOLERANCE_SIGMAS * sigma
}

/**
 * The demo starts before the new version exists anywhere: both colours run 1.0.0, and the first
 * step deploys 1.0.1 into the canary colour from its image in ECR.
 */
function runsOnlyTheStableVersion(world: World): void {
  const [blue, green] = findService(world)?.taskSets ?? []
  if (blue && green) green.taskDefinition = blue.taskDefinition
  const greenImage = world.stacks[0]?.parameters?.find((p) => p.key === 'GreenImage')
  if (greenImage) greenImage.value = `myapp:${VERSIONS.Blue}`
}

async function main(): Promise<number> {
  const sandbox = await startSandbox({ steadyDelayMs: 200 })
  runsOnlyTheStableVersion(sandbox.world)
  const blue = await startApp(VERSIONS.Blue)
  const green = await startApp(VERSIONS.Green)
  const router = await startRouter(
    () => sandbox.world,
    { [VERSIONS.Blue]: blue.url, [VERSIONS.Green]: green.url },
    seededRandom(20261122)
  )
  const summaryPath = resolve('out/demo-summary.md')
  mkdirSync('out', { recursive: true })
  const summaries: string[] = []
  let failures = 0

  console.log(`AWS sandbox: ${sandbox.url}   router: ${router.url}`)
  console.log(
    `Blue app answers ${VERSIONS.Blue} at ${blue.url}; Green app answers ${VERSIONS.Green} at ${green.url}\n`
  )
  try {
    for (const [index, step] of STEPS.entries()) {
      const run = await runAction({
        endpoint: sandbox.url,
        inputs: { ...BASE_INPUTS, ...step.inputs }
      })
      const out = run.outputs
      console.log(
        `step ${index + 1}/${STEPS.length}  ${step.label.padEnd(10)} exit ${run.code}  ` +
          `${Math.round(run.durationMs)} ms  changed=${out.changed ?? '-'}  stable=${out['stable-color'] ?? '-'}  ` +
          `weights=${out.weights ?? '-'}`
      )
      summaries.push(`<!-- step ${index + 1}: ${step.label} -->\n${run.summary}`)
      if (run.code !== 0) {
        failures += 1
        console.log(`  FAILED: ${errorLines(run).join(' ') || run.stderr.trim()}`)
        continue
      }
      const counts = await sample(`${router.url}/`, REQUESTS)
      const observedGreen = counts[VERSIONS.Green] ?? 0
      const observedBlue = counts[VERSIONS.Blue] ?? 0
      const ok =
        observedGreen + observedBlue === REQUESTS &&
        withinSamplingError(observedGreen, REQUESTS, step.greenShare) &&
        Number(out['green-weight']) === step.greenShare
      const pct = (n: number) => `${((n / REQUESTS) * 100).toFixed(1)}%`
      console.log(
        `  traffic   intended ${VERSIONS.Blue} ${100 - step.greenShare}% / ${VERSIONS.Green} ${step.greenShare}%` +
          `   observed ${VERSIONS.Blue} ${pct(observedBlue)} / ${VERSIONS.Green} ${pct(observedGreen)}` +
          ` of ${REQUESTS} requests   ${ok ? 'ok' : 'OFF'}`
      )
      if (!ok) failures += 1
    }
  } finally {
    writeFileSync(summaryPath, summaries.join('\n\n'))
    await Promise.all([router.close(), blue.close(), green.close(), sandbox.stop()])
  }
  console.log(`\nJob summaries of every step: ${summaryPath}`)
  console.log(
    failures === 0
      ? 'Demo passed: every step succeeded and traffic followed the weights.'
      : `Demo FAILED: ${failures} problem(s).`
  )
  return failures === 0 ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main()
}
