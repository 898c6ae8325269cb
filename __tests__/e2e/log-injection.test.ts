/**
 * Text from AWS reaches the log: an alarm's state reason is printed in every step that reads the
 * alarms. The runner reads any log line that starts with `::` as a workflow command, so a reason
 * with line breaks must not be able to start one (mask a value, forge an error, stop commands).
 */
import { describe, expect, it } from '@jest/globals'
import { applyMutation } from '../../sandbox/mutations.js'
import { step, useSandbox } from './harness.js'

const sandbox = useSandbox()

const ALARM = 'myservice-5xx'
const PAYLOADS = [
  '::error title=forged::the deployment failed',
  '::add-mask::Blue',
  '::stop-commands::forged-token',
  '::set-output name=stable-color::Green',
  '  ::warning::indented'
]

describe('an alarm reason carrying workflow commands', () => {
  it('prints them as text on one line: no forged command reaches the runner', async () => {
    sandbox.reset('alarms')
    const reason = ['Threshold crossed', ...PAYLOADS].join('\n') + '\r\n::notice::after CRLF'
    applyMutation(sandbox.world, { type: 'set-alarm', name: ALARM, state: 'OK', reason })

    const run = await step(sandbox, { mode: 'status', alarms: ALARM })

    expect(run.code).toBe(0)
    const lines = run.stdout.split(/\r?\n/)
    // The reason was printed (so the test would see a forged command if one got through)…
    expect(lines.some((line) => line.includes('the deployment failed'))).toBe(true)
    // …and every line the runner would read as a command is one the action meant to write.
    const commands = lines.filter((line) => line.trimStart().startsWith('::'))
    expect(
      commands.filter((line) =>
        /forged|add-mask|stop-commands|set-output|indented|after CRLF/.test(line)
      )
    ).toEqual([])
    expect(commands.every((line) => /^::(group|endgroup|notice|debug)::/.test(line))).toBe(true)
  })
})
