/** The command line: flags from action.yml, help, progress, --json and exit codes, in-process. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { invokedAsCommand, parseCommandLine } from '../src/cli/args.js'
import { cli, exitCode, type CliIo } from '../src/cli/cli.js'
import { EXIT_CODES, helpText } from '../src/cli/help.js'
import { RUN_OUTCOMES } from '../src/report/result.js'
import { renderActionInputs, TARGET } from '../scripts/cli-inputs.js'
import { resultErrors } from './e2e/result-schema.js'

const root = new URL('../', import.meta.url)
const actionYml = readFileSync(new URL('action.yml', root), 'utf8')
const actionInputs = Object.keys((parse(actionYml) as { inputs: object }).inputs)

interface Captured extends CliIo {
  out: string[]
  err: string[]
  signal?: (name: string) => void
}

function io(overrides: Partial<CliIo> = {}): Captured {
  const captured: Captured = {
    out: [],
    err: [],
    stdout: (text) => captured.out.push(text),
    stderr: (text) => captured.err.push(text),
    isTTY: false,
    env: { AWS_REGION: 'us-east-1' },
    version: '1.2.3',
    onSignal: (handler) => {
      captured.signal = handler
      return () => (captured.signal = undefined)
    },
    ...overrides
  }
  return captured
}

const SERVICE = ['--cluster', 'mycluster', '--service', 'myservice', '--stack-name', 'mystack']

describe('flags', () => {
  it('src/cli/action-inputs.ts is what action.yml makes', async () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(await renderActionInputs(actionYml))
  })

  it.each([
    [['node', '/a/dist/index.js'], false],
    [['node', '/a/dist/index.js', 'status'], true],
    [['node', '/a/bin/ecs-canary.js'], true],
    [['node', '/usr/lib/node_modules/.bin/ecs-canary', '--help'], true]
  ])('%j is a command: %s', (argv, expected) => {
    expect(invokedAsCommand(argv)).toBe(expected)
  })

  it('takes the mode, then --name value and --name=value, named like the inputs', () => {
    const line = parseCommandLine([
      'canary',
      '--cluster',
      'c',
      '--service=s',
      '--steps',
      '5,25',
      '--dry-run',
      '--alarms',
      'a',
      '--alarms=b',
      '--wait-for-healthy',
      'false',
      '--json'
    ])
    expect(line).toEqual({
      kind: 'run',
      json: true,
      quiet: false,
      values: new Map([
        ['mode', 'canary'],
        ['cluster', 'c'],
        ['service', 's'],
        ['steps', '5,25'],
        ['dry-run', 'true'],
        ['alarms', 'a\nb'],
        ['wait-for-healthy', 'false']
      ])
    })
  })

  it.each([
    [['canary', '--clustr', 'c'], 'Unknown flag --clustr. See --help.'],
    [['canary', '--weight', '5'], 'Unknown flag --weight. Did you mean --canary-weight?'],
    [['--cluster', 'c'], 'Give a mode first'],
    [['canary', 'promote'], 'Unexpected argument "promote"'],
    [['canary', '--cluster'], '--cluster needs a value'],
    [['canary', '--json=yes'], '--json takes no value']
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(message)
  })

  it('--help lists every input of action.yml, the modes and the exit codes', () => {
    const help = helpText('ecs-canary')
    for (const name of actionInputs.filter((n) => n !== 'mode')) {
      expect(help).toMatch(new RegExp(`^  --${name}\\b`, 'm'))
    }
    expect(help).toContain('Modes: canary, deploy, promote, rollback, status')
    expect(help).toContain('(default: 10)')
    for (const code of Object.keys(EXIT_CODES)) expect(help).toMatch(new RegExp(`^  ${code}$`, 'm'))
    expect(Math.max(...help.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100)
  })

  it('every outcome has an exit code from the documented ones', () => {
    const codes = RUN_OUTCOMES.map(exitCode)
    expect(codes.every((code) => code in EXIT_CODES)).toBe(true)
    expect(Object.fromEntries(RUN_OUTCOMES.map((o) => [o, exitCode(o)]))).toEqual({
      changed: 0,
      unchanged: 0,
      'dry-run': 0,
      'failed-before-write': 1,
      'rolled-back': 2,
      cancelled: 130,
      failed: 1
    })
  })
})

describe('cli()', () => {
  let aws: MockAws
  beforeEach(() => {
    aws = mockAws()
  })
  afterEach(() => aws.restore())

  it('--help and no arguments print the help; --version the version', async () => {
    const help = io()
    expect(await cli(['--help'], help)).toBe(0)
    expect(help.out.join('')).toBe(helpText('ecs-canary'))
    const none = io()
    expect(await cli([], none)).toBe(0)
    expect(none.out.join('')).toContain('Usage: ecs-canary <mode>')
    const version = io()
    expect(await cli(['--version'], version)).toBe(0)
    expect(version.out).toEqual(['1.2.3\n'])
    expect(aws.calls()).toEqual([])
  })

  it('canary: progress on stderr, the outcome on stdout, exit 0', async () => {
    const run = io()
    expect(await cli(['canary', ...SERVICE, '--canary-weight', '10'], run)).toBe(0)
    expect(run.out).toEqual(['canary: myservice now Blue 90% / Green 10%, stable Blue.\n'])
    const err = run.err.join('')
    expect(err).toContain('▸ Discover\n')
    expect(err).toContain('▸ Plan\n')
    expect(err).toContain('  Step 1: Blue 100% / Green 0% → Blue 90% / Green 10%\n')
    expect(aws.writes()).toContain('ModifyRule')
  })

  it('--json prints the result object, valid against the schema', async () => {
    const run = io()
    expect(await cli(['status', ...SERVICE, '--json'], run)).toBe(0)
    const result = JSON.parse(run.out.join('')) as Record<string, unknown>
    expect(resultErrors(result)).toEqual([])
    expect(result).toMatchObject({ mode: 'status', outcome: 'unchanged' })
  })

  it('--quiet prints no progress', async () => {
    const run = io()
    expect(await cli(['status', ...SERVICE, '--quiet'], run)).toBe(0)
    expect(run.err).toEqual([])
    expect(run.out).toHaveLength(1)
  })

  it('bad input: exit 1, the message on stderr, no AWS call', async () => {
    const run = io()
    expect(await cli(['canary', ...SERVICE, '--canary-weight', 'ten'], run)).toBe(1)
    expect(run.err.join('')).toMatch(/error: "canary-weight" is "ten".*nothing was written\.\n$/)
    expect(aws.calls()).toEqual([])
  })

  it('a usage error: exit 1, one line, no AWS call', async () => {
    const run = io()
    expect(await cli(['canary', '--nope'], run)).toBe(1)
    expect(run.err).toEqual(['ecs-canary: Unknown flag --nope. See --help.\n'])
  })

  it('a gate that fails after traffic moved: rolled back, exit 2', async () => {
    aws.world.rules[0].Actions = [forward(90, 10)]
    aws.world.health[ARN.greenTg] = []
    const run = io()
    const code = await cli(['promote', ...SERVICE, '--health-timeout-seconds', '0', '--json'], run)
    expect(code).toBe(2)
    expect(JSON.parse(run.out.join('')).outcome).toBe('rolled-back')
    expect(run.err.join('')).toMatch(/error: .*Rolled back: all traffic is on Blue again\.\n/)
  })

  it('SIGINT during a bake rolls the canary back and exits 130; the bake line on a terminal', async () => {
    const run = io({ isTTY: true })
    const done = cli(['canary', ...SERVICE, '--canary-weight', '20', '--bake-time', '3s'], run)
    for (let i = 0; i < 1000 && !run.err.join('').includes('bake 3 s left'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(run.err.join('')).toContain('\r\x1b[2K  step 1: Green 20% · bake 3 s left')
    run.signal?.('SIGINT')
    expect(await done).toBe(130)
    expect(run.err.join('')).toContain('SIGINT received: rolling back the canary before exiting.')
    expect(aws.writes().filter((w) => w === 'ModifyRule')).toHaveLength(2)
    expect(run.signal).toBeUndefined()
  })

  it('status does not catch signals: they end it as they end any process', async () => {
    const run = io()
    await cli(['status', ...SERVICE], run)
    expect(run.signal).toBeUndefined()
  })
})
