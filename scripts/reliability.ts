/**
 * Runs the reliability matrices (crash, outage, two jobs at once) against the bundled action and
 * writes docs/reliability.md. The cases are the e2e tests' own (`__tests__/e2e/reliability/`);
 * this only runs them outside Jest and tabulates. `npm run build` first: it runs dist/index.js.
 *
 *   npm run reliability            # writes docs/reliability.md
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import prettier from 'prettier'
import type { Sandbox } from '../sandbox/server.js'
import { startE2eSandbox } from '../__tests__/e2e/step.js'
import {
  cleanRun,
  listCases,
  runCases,
  WORKERS,
  type CaseResult,
  type Matrix
} from '../__tests__/e2e/reliability/cases.js'
import { runPair, TRIALS, type PairResult } from '../__tests__/e2e/reliability/concurrency.js'
import { renderReport, type SuiteResult } from '../__tests__/e2e/reliability/report.js'
import { PAIRS, SCENARIOS } from '../__tests__/e2e/reliability/scenarios.js'

const OUT = fileURLToPath(new URL('../docs/reliability.md', import.meta.url))

async function main(): Promise<void> {
  const sandboxes: Sandbox[] = []
  for (let i = 0; i < WORKERS; i++) sandboxes.push(await startE2eSandbox())
  const seconds: Record<string, number> = {}
  const timed = async <T>(part: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    seconds[part] = (performance.now() - started) / 1000
    console.log(`${part}: ${seconds[part].toFixed(1)} s`)
    return result
  }
  try {
    const matrix = async (name: Matrix): Promise<CaseResult[]> =>
      runCases(sandboxes, await listCases(sandboxes[0], name, SCENARIOS))
    const crash = await timed('crash', () => matrix('crash'))
    const outage = await timed('outage', () => matrix('outage'))
    // One pair at a time on one sandbox: the race is between the pair's two jobs only.
    const concurrency = await timed('concurrency', async () => {
      const results: PairResult[] = []
      for (const pair of PAIRS) results.push(await runPair(sandboxes[0], pair, TRIALS))
      return results
    })
    const suites = await timed('forged tags and injection', async () => jestSuites())
    const scenarios = []
    for (const scenario of SCENARIOS) {
      const { operations } = await cleanRun(sandboxes[0], scenario)
      scenarios.push({ name: scenario.name, inputs: scenario.inputs, writes: operations })
    }
    const report = renderReport({
      scenarios,
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      seconds,
      crash,
      outage,
      concurrency,
      suites
    })
    // Formatted as `npm run format:check` expects, so the committed file passes it.
    const options = await prettier.resolveConfig(OUT)
    writeFileSync(OUT, await prettier.format(report, { ...options, parser: 'markdown' }))
    const failed = [...crash, ...outage].filter((r) => r.problems.length > 0).length
    const inconsistent = concurrency.filter((p) => p.counts.inconsistent > 0).length
    console.log(
      `wrote ${OUT}: ${failed} crash/outage case(s) failed, ${inconsistent} pair(s) inconsistent`
    )
  } finally {
    for (const sandbox of sandboxes) await sandbox.stop()
  }
}

const FORGED = '__tests__/e2e/test-route-safety.test.ts'
const INJECTION = '__tests__/e2e/log-injection.test.ts'

/**
 * The forged-tag and injection e2e tests, run by Jest itself (its JSON report), so the tables show
 * what those tests found, case by case.
 */
function jestSuites(): SuiteResult[] {
  const out = join(mkdtempSync(join(tmpdir(), 'reliability-')), 'jest.json')
  spawnSync('npx', ['jest', FORGED, INJECTION, '--json', `--outputFile=${out}`], {
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
    stdio: 'ignore'
  })
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    testResults: {
      assertionResults: { ancestorTitles: string[]; title: string; status: string }[]
    }[]
  }
  const tests = report.testResults.flatMap((file) => file.assertionResults)
  const pick = (match: (ancestors: string[]) => boolean) =>
    tests
      .filter((t) => match(t.ancestorTitles))
      .map((t) => ({
        name: [...t.ancestorTitles, t.title].join(' › '),
        passed: t.status === 'passed'
      }))
  return [
    {
      title: 'Forged tags',
      meaning:
        'A service tag that names a test rule or test listener the action did not make (the ' +
        'weighted rule itself, another service’s rule, a rule without the marker tag, a rule on ' +
        'another listener): canary and promote refuse before any write, and rollback moves ' +
        'traffic back and leaves the named thing alone.',
      files: [FORGED],
      tests: pick((a) => a.some((t) => /^StableStackTest(Rule|Listener) names/.test(t)))
    },
    {
      title: 'Workflow commands in AWS text',
      meaning:
        'Alarm reasons and names, tag values and images carrying workflow commands after every ' +
        'kind of line break, and legacy `##[` commands inline: a passing test found 0 injected ' +
        'commands in the run’s output, the payload present in the log or summary.',
      files: [INJECTION],
      tests: pick((a) => a.includes('workflow commands in AWS text'))
    }
  ]
}

await main()
