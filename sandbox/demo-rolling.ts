/**
 * `npm run demo:rolling` (and the end of `npm run demo`): a plain service of the ECS rolling
 * controller, `web` with two tasks of 1.0.0 behind one target group (the `rolling` world), on the
 * embedded sandbox. The bundled action runs as a runner runs it: canary (one standalone task of
 * 1.0.1 started beside the service and registered in its target group) → a rerun that writes
 * nothing → promote (the service rolls to 1.0.1, the canary task is drained and stopped) →
 * rollback (the service rolls back to 1.0.0). After each step it prints what runs and the split
 * of real requests through a router that picks one healthy target of the group per request.
 */
import { versionSplit } from './demo.js'
import { isLeaseWrite, isWrite } from './faults.js'
import { ROLLING_SERVICE, ROLLING_TARGET_GROUP } from './rolling-world.js'
import { errorLines, runAction } from './run-action.js'
import { startSandbox } from './server.js'
import { sample, seededRandom, startApp, startRouter } from './traffic.js'
import { ecrRegistry, findTargetGroup, type TaskState, type World } from './world.js'

const REQUESTS = 600

const INPUTS = { cluster: 'mycluster', service: ROLLING_SERVICE, 'health-timeout-seconds': '60' }

interface Step {
  label: string
  inputs: Record<string, string>
  /** The intended percent of requests for 1.0.1. */
  green: number
  /** A rerun: it must write nothing but the lease. */
  rerun?: true
}

const image = (w: World) => `${ecrRegistry(w.region, w.accountId)}/webapp:1.0.1`

const STEPS = (w: World): Step[] => [
  {
    label: 'canary',
    inputs: { mode: 'canary', image: image(w), 'canary-weight': '33.3' },
    green: 100 / 3
  },
  {
    label: 'rerun',
    inputs: { mode: 'canary', image: image(w), 'canary-weight': '33.3' },
    green: 100 / 3,
    rerun: true
  },
  { label: 'promote', inputs: { mode: 'promote' }, green: 100 },
  { label: 'rollback', inputs: { mode: 'rollback' }, green: 0 }
]

const revisionOf = (task: TaskState) => task.taskDefinition.split('/').pop()

/** What runs now: the service's tasks by revision, and the canary tasks with their targets. */
function holds(w: World): string {
  const tasks = (w.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING')
  const count = (list: TaskState[]) => {
    const by = new Map<string, number>()
    for (const t of list) by.set(revisionOf(t) ?? '?', (by.get(revisionOf(t) ?? '?') ?? 0) + 1)
    return [...by].map(([revision, n]) => `${n} × ${revision}`).join(', ') || 'none'
  }
  const canary = tasks.filter((t) => t.group.startsWith('family:'))
  const targets = new Set(findTargetGroup(w, ROLLING_TARGET_GROUP)!.targets.map((t) => t.id))
  const registered = canary.filter((t) => t.privateIp && targets.has(t.privateIp)).length
  return (
    `service ${ROLLING_SERVICE}: ${count(tasks.filter((t) => t.serviceName === ROLLING_SERVICE))}` +
    `; canary tasks: ${count(canary)}${canary.length > 0 ? ` (${registered} in ${ROLLING_TARGET_GROUP})` : ''}`
  )
}

/** Runs the steps; returns how many problems it saw (0: the demo passed). */
export async function rollingDemo(): Promise<number> {
  const sandbox = await startSandbox({ world: 'rolling', steadyDelayMs: 200 })
  const apps = await Promise.all(['1.0.0', '1.0.1'].map((version) => startApp(version)))
  const router = await startRouter(
    () => sandbox.world,
    { '1.0.0': apps[0].url, '1.0.1': apps[1].url },
    seededRandom(20261124)
  )
  console.log(`AWS sandbox: ${sandbox.url}   router over ${ROLLING_TARGET_GROUP}: ${router.url}`)
  console.log(`Before: ${holds(sandbox.world)}\n`)
  let failures = 0
  const steps = STEPS(sandbox.world)
  try {
    for (const [index, step] of steps.entries()) {
      const from = sandbox.log.length
      const run = await runAction({ endpoint: sandbox.url, inputs: { ...INPUTS, ...step.inputs } })
      const writes = sandbox.log
        .slice(from)
        .filter((e) => isWrite(e.operation) && !isLeaseWrite(e))
        .map((e) => e.operation)
      console.log(
        `step ${index + 1}/${steps.length}  ${step.label.padEnd(8)} exit ${run.code}  ` +
          `${Math.round(run.durationMs)} ms  writes: ${writes.join(', ') || 'none'}`
      )
      console.log(`  holds     ${holds(sandbox.world)}`)
      if (run.code !== 0) {
        failures += 1
        console.log(`  FAILED: ${errorLines(run).join(' ') || run.stderr.trim()}`)
        continue
      }
      if (step.rerun && writes.length > 0) {
        failures += 1
        console.log('  FAILED: a rerun wrote something')
      }
      const counts = await sample(`${router.url}/`, REQUESTS)
      const { ok, line } = versionSplit(counts, REQUESTS, step.green)
      console.log(`  traffic   ${line}`)
      if (!ok) failures += 1
    }
  } finally {
    await Promise.all([router.close(), ...apps.map((app) => app.close()), sandbox.stop()])
  }
  console.log(
    failures === 0
      ? '\nRolling demo passed: the canary task took its third of real requests, the promote moved the service to 1.0.1 and the rollback back to 1.0.0, and the rerun wrote nothing.'
      : `\nRolling demo FAILED: ${failures} problem(s).`
  )
  return failures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await rollingDemo()) === 0 ? 0 : 1
}
