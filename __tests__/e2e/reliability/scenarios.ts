/**
 * The scenarios the reliability matrices put through crashes, outages and races: a start state
 * and one step's inputs each. A start state that says "left by a canary" or "after a promote" is
 * made by running the action, so it holds whatever those runs leave (tags included); the others
 * are edits of the default world. Shared by the Jest tests and scripts/reliability.ts.
 */
import { applyMutation } from '../../../sandbox/mutations.js'
import type { Sandbox } from '../../../sandbox/server.js'
import type { World } from '../../../sandbox/world.js'
import { step } from '../step.js'
import { runEnv } from './run-env.js'

export interface Scenario {
  name: string
  /** Brings a freshly reset default world to the start state. */
  setup: (sandbox: Sandbox) => Promise<void>
  inputs: Record<string, string>
}

const TEST_HEADER = 'X-Canary: 1'

const fromDefault = async () => undefined

const fromSplit = (blue: number, green: number) => async (sandbox: Sandbox) =>
  applyMutation(sandbox.world, {
    type: 'set-rule-weights',
    weights: { 'blue-tg': blue, 'green-tg': green }
  })

/** Runs the action as an earlier job did (its own run id); throws if that job fails. */
const after =
  (inputs: Record<string, string>, first?: (sandbox: Sandbox) => Promise<void>) =>
  async (sandbox: Sandbox) => {
    await first?.(sandbox)
    const run = await step(sandbox, inputs, { env: runEnv('new', 1) })
    if (run.code !== 0) throw new Error(`setup ${JSON.stringify(inputs)} failed:\n${run.stdout}`)
  }

const CANARY_WITH_TEST_RULE = { mode: 'canary', 'canary-weight': '10', 'test-header': TEST_HEADER }

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'canary 10 from 0',
    setup: fromDefault,
    inputs: { mode: 'canary', 'canary-weight': '10' }
  },
  {
    name: 'canary 10 with test-header',
    setup: fromDefault,
    inputs: CANARY_WITH_TEST_RULE
  },
  { name: 'promote from 90/10', setup: fromSplit(90, 10), inputs: { mode: 'promote' } },
  {
    name: 'promote + scale-down, test rule left by a canary',
    setup: after(CANARY_WITH_TEST_RULE),
    inputs: { mode: 'promote', 'scale-down-after-promote': 'true' }
  },
  { name: 'rollback from 90/10', setup: fromSplit(90, 10), inputs: { mode: 'rollback' } },
  {
    name: 'rollback, test rule left by a canary',
    setup: after(CANARY_WITH_TEST_RULE),
    inputs: { mode: 'rollback' }
  },
  {
    name: 'undo-promotion after a promote',
    setup: after({ mode: 'promote' }, fromSplit(90, 10)),
    inputs: { mode: 'rollback', 'undo-promotion': 'true' }
  },
  {
    name: 'steps 10,50,100 (bake 0)',
    setup: fromDefault,
    inputs: { mode: 'canary', steps: '10,50,100', 'bake-time': '0' }
  }
]

export interface Pair {
  name: string
  setup: (sandbox: Sandbox) => Promise<void>
  a: Record<string, string>
  b: Record<string, string>
}

/**
 * Two jobs started at once. Where the two ask for different end states (10 vs 50, promote vs
 * rollback), whichever wins, the loser's report must not describe a state that is gone.
 */
export const PAIRS: readonly Pair[] = [
  {
    name: 'canary 10 + canary 50',
    setup: fromDefault,
    a: { mode: 'canary', 'canary-weight': '10' },
    b: { mode: 'canary', 'canary-weight': '50' }
  },
  {
    name: 'canary 50 + rollback (from 90/10)',
    setup: fromSplit(90, 10),
    a: { mode: 'canary', 'canary-weight': '50' },
    b: { mode: 'rollback' }
  },
  {
    name: 'promote + rollback (from 90/10)',
    setup: fromSplit(90, 10),
    a: { mode: 'promote' },
    b: { mode: 'rollback' }
  },
  {
    name: 'canary 10 with test-header ×2',
    setup: fromDefault,
    a: CANARY_WITH_TEST_RULE,
    b: CANARY_WITH_TEST_RULE
  },
  {
    name: 'promote + promote (from 90/10)',
    setup: fromSplit(90, 10),
    a: { mode: 'promote' },
    b: { mode: 'promote' }
  }
]

const prepared = new Map<string, World>()

/**
 * Resets the sandbox to a scenario's start state. The state is made once (setup may run the
 * action, ~0.3 s) and reused as a copy, so every case of a scenario starts from the same world.
 */
export async function resetTo(
  sandbox: Sandbox,
  start: { name: string; setup: (sandbox: Sandbox) => Promise<void> }
): Promise<void> {
  const ready = prepared.get(start.name)
  if (ready) return sandbox.reset(ready)
  sandbox.reset()
  await start.setup(sandbox)
  await settle(sandbox)
  prepared.set(start.name, structuredClone(sandbox.world))
  sandbox.reset(prepared.get(start.name))
}

/** Waits until no task set is STABILIZING, so a copied world holds no half-made change. */
async function settle(sandbox: Sandbox): Promise<void> {
  const busy = () =>
    sandbox.world.services.some((s) =>
      s.taskSets.some((ts) => ts.stabilityStatus === 'STABILIZING')
    )
  for (let i = 0; busy() && i < 500; i++) await new Promise((r) => setTimeout(r, 10))
}
