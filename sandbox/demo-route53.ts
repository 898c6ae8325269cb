/**
 * `npm run demo:route53`: the two-service shape on the embedded sandbox. Services `web-blue`
 * (1.0.0) and `web-green` (1.0.1) each sit behind their own load balancer, and the weighted
 * Route 53 records `shop.example.com` share traffic between them. The bundled action runs as a
 * runner runs it through canary 10 → canary 50 → rollback → canary 25 → promote (with
 * scale-down) → undo, and after each step real requests, each resolving the name by the records'
 * weights, show that traffic follows what was written.
 */
import { versionSplit } from './demo.js'
import { recordWeights, ROUTE53_ZONE_ID } from './route53-world.js'
import { errorLines, runAction } from './run-action.js'
import { startSandbox } from './server.js'
import { sample, seededRandom, startApp, startRouter } from './traffic.js'

const REQUESTS = 400

const INPUTS = {
  cluster: 'mycluster',
  service: 'web-blue',
  'blue-service': 'web-blue',
  'green-service': 'web-green',
  'hosted-zone-id': ROUTE53_ZONE_ID,
  'record-name': 'shop.example.com'
}

const STEPS: { label: string; inputs: Record<string, string>; greenShare: number }[] = [
  { label: 'canary 10', inputs: { mode: 'canary', 'canary-weight': '10' }, greenShare: 10 },
  { label: 'canary 50', inputs: { mode: 'canary', 'canary-weight': '50' }, greenShare: 50 },
  { label: 'rollback', inputs: { mode: 'rollback' }, greenShare: 0 },
  { label: 'canary 25', inputs: { mode: 'canary', 'canary-weight': '25' }, greenShare: 25 },
  {
    label: 'promote',
    inputs: { mode: 'promote', 'scale-down-after-promote': 'true' },
    greenShare: 100
  },
  { label: 'undo', inputs: { mode: 'rollback', 'undo-promotion': 'true' }, greenShare: 0 }
]

async function main(): Promise<number> {
  const sandbox = await startSandbox({ world: 'route53', steadyDelayMs: 200 })
  const apps = await Promise.all(['1.0.0', '1.0.1'].map((version) => startApp(version)))
  const router = await startRouter(
    () => sandbox.world,
    { '1.0.0': apps[0].url, '1.0.1': apps[1].url },
    seededRandom(20261123),
    { recordName: 'shop.example.com' }
  )
  console.log(`AWS sandbox: ${sandbox.url}   shop.example.com through: ${router.url}\n`)
  let failures = 0
  try {
    for (const [index, step] of STEPS.entries()) {
      const run = await runAction({ endpoint: sandbox.url, inputs: { ...INPUTS, ...step.inputs } })
      const weights = recordWeights(sandbox.world)
      console.log(
        `step ${index + 1}/${STEPS.length}  ${step.label.padEnd(10)} exit ${run.code}  ` +
          `${Math.round(run.durationMs)} ms  stable=${run.outputs['stable-color'] ?? '-'}  ` +
          `records Blue=${weights.Blue} Green=${weights.Green}`
      )
      if (run.code !== 0) {
        failures += 1
        console.log(`  FAILED: ${errorLines(run).join(' ') || run.stderr.trim()}`)
        continue
      }
      const counts = await sample(`${router.url}/`, REQUESTS)
      const { ok, line } = versionSplit(counts, REQUESTS, step.greenShare)
      console.log(`  traffic   ${line}`)
      if (!ok) failures += 1
    }
  } finally {
    await Promise.all([router.close(), ...apps.map((app) => app.close()), sandbox.stop()])
  }
  console.log(
    failures === 0
      ? '\nDemo passed: every step did what it should and traffic followed the Route 53 weights.'
      : `\nDemo FAILED: ${failures} problem(s).`
  )
  return failures === 0 ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main()
}
