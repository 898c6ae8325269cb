/**
 * `npm run demo`: the project's main job on its embedded default. Starts the sandbox, the versions
 * of a web app and a weighted router, then runs the bundled action as a runner does through a
 * whole canary lifecycle (deploy 1.0.1 from its image, status, canaries, rollback, promote), checking after each step that real requests follow the new weights.
 * Then, with requests flowing, a bad release (1.0.2: 5 % of answers are 500s, and slower) goes
 * to the canary colour with canary analysis on and no alarm: analysis rolls it back within its
 * bake; a good release (1.0.3) passes.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { errorLines, runAction } from './run-action.js'
import { startSandbox } from './server.js'
import { sample, seededRandom, startApp, startLoad, startRouter, versionOf } from './traffic.js'
import { DEFAULT_ACCOUNT, DEFAULT_REGION, ecrRegistry, findService, type World } from './world.js'

const REQUESTS = 400
/** Observed shares may differ from the intended ones by this many standard errors. */
const TOLERANCE_SIGMAS = 5
const VERSIONS = { Blue: '1.0.0', Green: '1.0.1' } as const
/** Every version the demo deploys; APP_BEHAVIOURS (traffic.ts) says 1.0.2 is the bad one. */
const ALL_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3']

/**
 * Canary analysis on windows of seconds (the sandbox publishes a second after the fact), so the
 * demo takes seconds; on AWS the defaults are two-minute windows a minute behind.
 */
const ANALYSIS = 'window: 5s\ndelay: 1s\nmin-requests: 20'

interface DemoStep {
  label: string
  inputs: Record<string, string>
  greenShare: number
  /** Deploys this version to the canary colour (Blue, after the promote) before the step. */
  deploy?: string
  /** Requests flow through the router while the step runs, for analysis to judge. */
  load?: boolean
  /** The step is meant to fail and roll back. */
  fails?: boolean
}

/** The image the first step deploys, as a build step would have pushed it to ECR. */
const IMAGE = `${ecrRegistry(DEFAULT_REGION, DEFAULT_ACCOUNT)}/myapp:${VERSIONS.Green}`

const STEPS: DemoStep[] = [
  { label: 'deploy', inputs: { mode: 'deploy', image: IMAGE }, greenShare: 0 },
  { label: 'status', inputs: { mode: 'status' }, greenShare: 0 },
  { label: 'canary 10', inputs: { mode: 'canary', 'canary-weight': '10' }, greenShare: 10 },
  { label: 'canary 50', inputs: { mode: 'canary', 'canary-weight': '50' }, greenShare: 50 },
  { label: 'rollback', inputs: { mode: 'rollback' }, greenShare: 0 },
  { label: 'canary 25', inputs: { mode: 'canary', 'canary-weight': '25' }, greenShare: 25 },
  { label: 'promote', inputs: { mode: 'promote' }, greenShare: 100 },
  {
    label: 'bad 1.0.2',
    inputs: { mode: 'canary', 'canary-weight': '20', 'bake-time': '20s', analysis: ANALYSIS },
    greenShare: 100,
    deploy: '1.0.2',
    load: true,
    fails: true
  },
  {
    label: 'good 1.0.3',
    inputs: { mode: 'canary', 'canary-weight': '20', 'bake-time': '10s', analysis: ANALYSIS },
    greenShare: 80,
    deploy: '1.0.3',
    load: true
  }
]

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

/**
 * Registers a task definition revision running `version` and points Blue's task set at it: what
 * a deploy of the canary colour does (a new revision, so the planner sees a new version).
 */
function deployBlue(world: World, version: string): void {
  const blue = world.services[0]?.taskSets.find((t) => t.id.endsWith('4803195628157046012'))
  const current = world.taskDefinitions.find((d) => d.arn === blue?.taskDefinition)
  if (!blue || !current) throw new Error('the demo world has no Blue task set')
  const revision = Math.max(...world.taskDefinitions.map((d) => d.revision)) + 1
  const arn = current.arn.replace(/:\d+$/, `:${revision}`)
  world.taskDefinitions.push({
    ...structuredClone(current),
    revision,
    arn,
    containers: current.containers.map((c) => ({ ...c, image: `myapp:${version}` })),
    registeredAt: Date.now()
  })
  blue.taskDefinition = arn
}

/** The version each colour runs now. */
function versionsOf(world: World): { Blue: string; Green: string } {
  const groups = world.targetGroups
  return {
    Blue: versionOf(world, groups.find((g) => g.name === 'blue-tg')?.arn ?? '') ?? '?',
    Green: versionOf(world, groups.find((g) => g.name === 'green-tg')?.arn ?? '') ?? '?'
  }
}

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
 * A sampled split between 1.0.0 and 1.0.1 against the share of 1.0.1 intended (percent): the
 * line the two-version demos print, and whether every request reached one of the two within
 * sampling error of that share.
 */
export function versionSplit(
  counts: Record<string, number>,
  total: number,
  intendedNew: number
): { ok: boolean; line: string } {
  const fresh = counts['1.0.1'] ?? 0
  const old = counts['1.0.0'] ?? 0
  const ok = fresh + old === total && withinSamplingError(fresh, total, intendedNew)
  const pct = (n: number) => `${((n / total) * 100).toFixed(1)}%`
  const intended = (p: number) => `${Number(p.toFixed(1))}%`
  const line =
    `intended 1.0.0 ${intended(100 - intendedNew)} / 1.0.1 ${intended(intendedNew)}` +
    `   observed 1.0.0 ${pct(old)} / 1.0.1 ${pct(fresh)} of ${total} requests   ${ok ? 'ok' : 'OFF'}`
  return { ok, line }
}

async function main(): Promise<number> {
  const sandbox = await startSandbox({ steadyDelayMs: 200 })
  runsOnlyTheStableVersion(sandbox.world)
  const apps = await Promise.all(ALL_VERSIONS.map((version) => startApp(version)))
  const [blue, green] = apps
  // Warm: a new process's first answers are slow, which is not what the demo is about.
  await Promise.all(apps.map((app) => sample(`${app.url}/`, 50, 4)))
  const router = await startRouter(
    () => sandbox.world,
    Object.fromEntries(ALL_VERSIONS.map((version, i) => [version, apps[i].url])),
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
      if (step.deploy) {
        deployBlue(sandbox.world, step.deploy)
        console.log(`\nDeployed ${step.deploy} to Blue, the canary colour; no alarm is configured.`)
      }
      const load = step.load ? startLoad(`${router.url}/`, 100) : undefined
      const run = await runAction({
        endpoint: sandbox.url,
        inputs: { ...BASE_INPUTS, ...step.inputs }
      }).finally(() => load?.stop())
      const out = run.outputs
      const verdict = out['analysis-verdict'] ? `  analysis=${out['analysis-verdict']}` : ''
      console.log(
        `step ${index + 1}/${STEPS.length}  ${step.label.padEnd(10)} exit ${run.code}  ` +
          `${Math.round(run.durationMs)} ms  changed=${out.changed ?? '-'}  stable=${out['stable-color'] ?? '-'}  ` +
          `weights=${out.weights ?? '-'}${verdict}`
      )
      summaries.push(`<!-- step ${index + 1}: ${step.label} -->\n${run.summary}`)
      const rolledBack = step.fails && run.code === 1 && out['rolled-back'] === 'true'
      if (rolledBack) {
        // The error line is a workflow command: show its text as the runner would.
        const message = errorLines(run).join(' ').replace('::error::', '').replace(/%25/g, '%')
        console.log(`  rolled back as expected: ${message}`)
      }
      if (run.code !== 0 && !rolledBack) {
        failures += 1
        console.log(`  FAILED: ${errorLines(run).join(' ') || run.stderr.trim()}`)
        continue
      }
      if (step.fails && !rolledBack) {
        failures += 1
        console.log('  FAILED: the bad release was not rolled back')
      }
      const versions = versionsOf(sandbox.world)
      const counts = await sample(`${router.url}/`, REQUESTS)
      const answered = (version: string) =>
        Object.entries(counts)
          .filter(([body]) => body.split(' ')[0] === version)
          .reduce((sum, [, n]) => sum + n, 0)
      const observedGreen = answered(versions.Green)
      const observedBlue = answered(versions.Blue)
      const ok =
        observedGreen + observedBlue === REQUESTS &&
        withinSamplingError(observedGreen, REQUESTS, step.greenShare) &&
        Number(out['green-weight']) === step.greenShare
      const pct = (n: number) => `${((n / REQUESTS) * 100).toFixed(1)}%`
      console.log(
        `  traffic   intended ${versions.Blue} ${100 - step.greenShare}% / ${versions.Green} ${step.greenShare}%` +
          `   observed ${versions.Blue} ${pct(observedBlue)} / ${versions.Green} ${pct(observedGreen)}` +
          ` of ${REQUESTS} requests   ${ok ? 'ok' : 'OFF'}`
      )
      if (!ok) failures += 1
    }
  } finally {
    writeFileSync(summaryPath, summaries.join('\n\n'))
    await Promise.all([router.close(), ...apps.map((app) => app.close()), sandbox.stop()])
  }
  console.log(`\nJob summaries of every step: ${summaryPath}`)
  console.log(
    failures === 0
      ? 'Demo passed: every step did what it should (analysis rolled the bad release back) and traffic followed the weights.'
      : `Demo FAILED: ${failures} problem(s).`
  )
  return failures === 0 ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main()
}
