/**
 * `npm run demo:swap`: the two shapes on one load balancer, on the embedded sandbox, with the
 * bundled action run as a runner runs it and real requests after every step.
 *
 * 1. Listener swap between two services (`swap-services` world): `web-blue` (1.0.0) and
 *    `web-green` (1.0.1), each in its own target group; the production listener and the test
 *    listener each have a demo router in front. canary 0 → rerun → promote → rerun → undo.
 * 2. Routes in lockstep (`api-rule` world, rules found by discovery): the `/*` and `/api/*`
 *    rules both forward to the colours and move together. canary 30 → promote → undo.
 *
 * After each step it prints what the listeners or rules hold, how many route writes the step
 * made, and the split observed on each route; a split other than the intended one fails the demo.
 */
import { versionSplit } from './demo.js'
import { BLUE_SERVICE, GREEN_SERVICE } from './swap-world.js'
import { errorLines, runAction } from './run-action.js'
import { startSandbox } from './server.js'
import type { Sandbox } from './sandbox-types.js'
import { sample, seededRandom, startApp, startRouter, type Server } from './traffic.js'
import { findTargetGroup, type World } from './world.js'

const REQUESTS = 400

/** One observed route: where its requests go, and the share of them Green's 1.0.1 should get. */
interface Route {
  label: string
  url: string
}

interface Step {
  label: string
  inputs: Record<string, string>
  /** Per route (in the order of the part's routes): the intended percent for 1.0.1. */
  green: number[]
  /** A rerun: it must write no route. */
  rerun?: true
}

interface Part {
  title: string
  world: string
  inputs: (w: World) => Record<string, string>
  /** What the routes hold now, in one line. */
  holds: (w: World) => string
  steps: Step[]
}

const groupName = (w: World, arn: string | undefined) =>
  w.targetGroups.find((g) => g.arn === arn)?.name ?? '?'

/** The target groups a forward names, with weights when it names several. */
function forwardText(w: World, actions: World['listeners'][number]['defaultActions']): string {
  const forward = actions.find((a) => a.Type === 'forward')
  const groups = forward?.ForwardConfig?.TargetGroups ?? [
    { TargetGroupArn: forward?.TargetGroupArn, Weight: 1 }
  ]
  return groups.length === 1
    ? groupName(w, groups[0].TargetGroupArn)
    : groups.map((g) => `${groupName(w, g.TargetGroupArn)}=${g.Weight ?? 1}`).join(',')
}

const SWAP: Part = {
  title: 'Listener swap between two services (production :80, test :8443)',
  world: 'swap-services',
  inputs: (w) => ({
    cluster: 'mycluster',
    service: BLUE_SERVICE,
    'blue-service': BLUE_SERVICE,
    'green-service': GREEN_SERVICE,
    'blue-target-group': findTargetGroup(w, 'blue-tg')!.arn,
    'green-target-group': findTargetGroup(w, 'green-tg')!.arn,
    'production-listener-arn': w.listeners[0].arn,
    'test-listener-arn': w.listeners[1].arn
  }),
  holds: (w) =>
    `production → ${forwardText(w, w.listeners[0].defaultActions)}, ` +
    `test → ${forwardText(w, w.listeners[1].defaultActions)}`,
  steps: [
    { label: 'canary 0', inputs: { mode: 'canary', 'canary-weight': '0' }, green: [0, 100] },
    {
      label: 'rerun',
      inputs: { mode: 'canary', 'canary-weight': '0' },
      green: [0, 100],
      rerun: true
    },
    { label: 'promote', inputs: { mode: 'promote' }, green: [100, 0] },
    { label: 'rerun', inputs: { mode: 'promote' }, green: [100, 0], rerun: true },
    { label: 'undo', inputs: { mode: 'rollback', 'undo-promotion': 'true' }, green: [0, 100] }
  ]
}

const LOCKSTEP: Part = {
  title: 'Routes in lockstep (rules /* and /api/*, found by discovery)',
  world: 'api-rule+no-listener-rule-output',
  inputs: () => ({ cluster: 'mycluster', service: 'myservice', 'stack-name': 'myservice-canary' }),
  holds: (w) =>
    w.rules
      .map((r) => {
        const path = r.conditions[0]?.PathPatternConfig?.Values?.[0] ?? '?'
        return `${path} → ${forwardText(w, r.actions)}`
      })
      .join(', '),
  steps: [
    { label: 'canary 30', inputs: { mode: 'canary', 'canary-weight': '30' }, green: [30, 30] },
    { label: 'promote', inputs: { mode: 'promote' }, green: [100, 100] },
    { label: 'undo', inputs: { mode: 'rollback', 'undo-promotion': 'true' }, green: [0, 0] }
  ]
}

const ROUTE_WRITES = new Set(['ModifyListener', 'ModifyRule'])

async function runPart(
  sandbox: Sandbox,
  part: Part,
  routes: Route[],
  number: number
): Promise<number> {
  sandbox.reset(part.world)
  console.log(`\n${number}. ${part.title}\n   ${part.holds(sandbox.world)}`)
  let failures = 0
  for (const [index, step] of part.steps.entries()) {
    const from = sandbox.log.length
    const inputs = { ...part.inputs(sandbox.world), ...step.inputs }
    const run = await runAction({ endpoint: sandbox.url, inputs })
    const writes = sandbox.log.slice(from).filter((e) => ROUTE_WRITES.has(e.operation)).length
    console.log(
      `   step ${index + 1}/${part.steps.length}  ${step.label.padEnd(9)} exit ${run.code}  ` +
        `${Math.round(run.durationMs)} ms  stable=${run.outputs['stable-color'] ?? '-'}  ` +
        `route writes ${writes}  ${part.holds(sandbox.world)}`
    )
    if (run.code !== 0) {
      failures += 1
      console.log(`     FAILED: ${errorLines(run).join(' ') || run.stderr.trim()}`)
      continue
    }
    if (step.rerun && writes > 0) {
      failures += 1
      console.log(`     FAILED: a rerun wrote ${writes} route(s)`)
    }
    for (const [i, route] of routes.entries()) {
      const counts = await sample(route.url, REQUESTS)
      const { ok, line } = versionSplit(counts, REQUESTS, step.green[i])
      console.log(`     ${route.label.padEnd(12)} ${line}`)
      if (!ok) failures += 1
    }
  }
  return failures
}

async function main(): Promise<number> {
  const sandbox = await startSandbox({ world: SWAP.world, steadyDelayMs: 200 })
  const apps = await Promise.all(['1.0.0', '1.0.1'].map((version) => startApp(version)))
  const urls = { '1.0.0': apps[0].url, '1.0.1': apps[1].url }
  const testListener = sandbox.world.listeners[1].arn
  const servers: Server[] = [
    await startRouter(() => sandbox.world, urls, seededRandom(20261123)),
    await startRouter(() => sandbox.world, urls, seededRandom(8443), { listenerArn: testListener })
  ]
  const [production, test] = servers
  console.log(`AWS sandbox: ${sandbox.url}   production: ${production.url}   test: ${test.url}`)
  let failures = 0
  try {
    failures += await runPart(
      sandbox,
      SWAP,
      [
        { label: 'production', url: `${production.url}/` },
        { label: 'test', url: `${test.url}/` }
      ],
      1
    )
    failures += await runPart(
      sandbox,
      LOCKSTEP,
      [
        { label: '/shop', url: `${production.url}/shop` },
        { label: '/api/orders', url: `${production.url}/api/orders` }
      ],
      2
    )
  } finally {
    await Promise.all([...servers, ...apps].map((s) => s.close()))
    await sandbox.stop()
  }
  console.log(
    failures === 0
      ? '\nDemo passed: every step did what it should, reruns wrote no route, and traffic followed.'
      : `\nDemo FAILED: ${failures} problem(s).`
  )
  return failures === 0 ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main()
}
