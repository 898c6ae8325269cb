/**
 * Text from AWS reaches the log and the annotations: an alarm's state reason and name, the
 * service's tags, a task definition's image. The runner reads a line that starts with `::` as a
 * workflow command (mask a value, forge an annotation, stop commands, set an output) and `##[`
 * anywhere in a line as the legacy form. Whatever such text holds, the bundled action must print
 * no command but its own: groups, debug lines, one notice or one error.
 */
import { describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../sandbox/mutations.js'
import type { ActionRun } from '../../sandbox/run-action.js'
import { findService } from '../../sandbox/world.js'
import { operations, ruleWeights, step, taskSetOf, useSandbox } from './harness.js'

const sandbox = useSandbox()

const ALARM = 'myservice-5xx'

/** Every payload carries this word, so a forged command is told from the action's own. */
const MARK = 'FORGED'

const COMMANDS = [
  `::error title=${MARK}::${MARK} the deployment failed`,
  '::add-mask::Blue',
  `::stop-commands::${MARK}`,
  '::set-output name=stable-color::Green',
  `  ::warning::${MARK} indented`,
  `::notice::${MARK}`,
  `::debug::${MARK}`,
  `::group::${MARK}`,
  `##[error]${MARK} legacy form`,
  '##[add-mask]Green'
]

/** Each command after a different line break: LF, CRLF, CR, NEL, LINE SEPARATOR. */
const BREAKS = ['\n', '\r\n', '\r', '\u0085', '\u2028']
const PAYLOAD = COMMANDS.map((command, i) => `${BREAKS[i % BREAKS.length]}${command}`).join('')

/** A legacy command needs no line break: `##[` anywhere in a line is read. */
const INLINE = `${MARK} ##[set-output name=stable-color]Green ##[add-mask]Blue`

/**
 * The lines of a run's output (stdout and stderr, split where the runner splits: CR, LF, CRLF)
 * that the runner would read as a command the action did not mean to write. Counted on the safe
 * side: a `##[` inside the action's own `::error::` line counts too, though the runner reads that
 * line as the error it is.
 */
function injectedCommands(run: ActionRun): string[] {
  return `${run.stdout}\n${run.stderr}`.split(/\r\n|\r|\n/).filter((line) => {
    if (line.includes('##[')) return true
    if (!/^[\s\u0085]*::/.test(line)) return false
    const own = /^::(group|endgroup|debug|notice|error|warning)::(.*)$/.exec(line)
    return !own || own[2].startsWith(MARK)
  })
}

/** The action's own `::error::` and `::notice::` lines. */
const annotations = (run: ActionRun, kind: 'error' | 'notice') =>
  run.stdout.split('\n').filter((line) => line.startsWith(`::${kind}::`))

function alarmReason(reason: string, state: 'OK' | 'ALARM' = 'OK'): void {
  sandbox.reset('alarms')
  applyMutation(sandbox.world, { type: 'set-alarm', name: ALARM, state, reason })
}

function alarmName(suffix: string): void {
  sandbox.reset('alarms')
  sandbox.world.alarms.find((alarm) => alarm.name === ALARM)!.name = `${ALARM}${suffix}`
}

interface Case {
  setup: () => void
  inputs: Record<string, string>
  failed: boolean
}

const CASES: Record<string, Case> = {
  'status, an alarm reason': {
    setup: () => alarmReason(`Threshold crossed${PAYLOAD}`),
    inputs: { mode: 'status', alarms: ALARM },
    failed: false
  },
  'status, an alarm reason with legacy commands inline': {
    setup: () => alarmReason(INLINE),
    inputs: { mode: 'status', alarms: ALARM },
    failed: false
  },
  'status, an alarm name (found by prefix)': {
    setup: () => alarmName(`${PAYLOAD} ${INLINE}`),
    inputs: { mode: 'status', 'alarm-prefix': ALARM },
    failed: false
  },
  'status, the stable tag value': {
    setup: () => {
      const service = findService(sandbox.world)!
      service.tags = service.tags.map((tag) =>
        tag.key === 'StableStack' ? { ...tag, value: `Blue${PAYLOAD}` } : tag
      )
    },
    inputs: { mode: 'status' },
    failed: true
  },
  "status, the canary's image": {
    setup: () => {
      const arn = taskSetOf(sandbox.world, 'Green').taskDefinition
      const definition = sandbox.world.taskDefinitions.find((td) => td.arn === arn)!
      definition.containers[0].image = `myapp:1.0.1${PAYLOAD} ${INLINE}`
    },
    inputs: { mode: 'status' },
    failed: false
  },
  'single-step canary, an alarm reason and name': {
    setup: () => {
      alarmReason(`Threshold crossed${PAYLOAD}`)
      sandbox.world.alarms.find((alarm) => alarm.name === ALARM)!.name = `${ALARM} ${INLINE}`
    },
    inputs: { mode: 'canary', 'canary-weight': '10', 'alarm-prefix': ALARM },
    failed: false
  },
  'steps 10,100 with alarms, an alarm reason': {
    setup: () => alarmReason(`Threshold crossed${PAYLOAD} ${INLINE}`),
    inputs: { mode: 'canary', steps: '10,100', alarms: ALARM },
    failed: false
  },
  'a failing gate before the first shift, the reason of the alarm in ALARM': {
    setup: () => alarmReason(`Threshold crossed${PAYLOAD} ${INLINE}`, 'ALARM'),
    inputs: { mode: 'canary', steps: '10,100', alarms: ALARM },
    failed: true
  },
  'a failing gate during a bake, then a rollback': {
    setup: () => {
      sandbox.reset('alarms')
      sandbox.faults.afterWrite('ModifyRule', () => {
        sandbox.schedule(300, {
          type: 'set-alarm',
          name: ALARM,
          state: 'ALARM',
          reason: `Threshold crossed${PAYLOAD} ${INLINE}`
        })
      })
    },
    inputs: { mode: 'canary', steps: '10,100', 'bake-time': '2s', alarms: ALARM },
    failed: true
  }
}

describe('workflow commands in AWS text', () => {
  it.each(Object.keys(CASES))('%s: no command but the action’s own', async (name) => {
    const { setup, inputs, failed } = CASES[name]
    setup()
    const run = await step(sandbox, inputs)

    // The payload reached the log or the summary, so a forged command would show here…
    expect(`${run.stdout}${run.summary}`).toContain(MARK)
    // …and the runner would read none but the action's own: 0 injected commands.
    expect(injectedCommands(run)).toEqual([])
    expect(run.code).toBe(failed ? 1 : 0)
    expect(annotations(run, 'error')).toHaveLength(failed ? 1 : 0)
    expect(annotations(run, 'notice')).toHaveLength(failed ? 0 : 1)
  })

  it('the failing gate rolled back and its message says so', async () => {
    const { setup, inputs } = CASES['a failing gate during a bake, then a rollback']
    setup()
    const run = await step(sandbox, inputs)
    expect(operations(run.writes)).toEqual(['ModifyRule', 'ModifyRule'])
    expect(ruleWeights(sandbox.world)).toEqual({ Blue: 100, Green: 0 })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`${ALARM} is ALARM (Threshold crossed ⏎ ::error title=`)
    expect(run.errors[0]).toMatch(/Rolled back: all traffic is on Blue again\.$/)
  })
})
