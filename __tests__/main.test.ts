import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'
import { ARN, forward, mockAws, type MockAws } from '../__fixtures__/aws.js'
import { Outputs } from '../src/constants.js'
import { formatLease } from '../src/lease.js'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

jest.unstable_mockModule('../src/workflow-commands.js', () => core)
const { run } = await import('../src/main.js')

let aws: MockAws
let inputs: Record<string, string>

beforeEach(() => {
  jest.clearAllMocks()
  core.summary.clear()
  aws = mockAws()
  inputs = { mode: 'canary', cluster: 'mycluster', service: 'myservice', 'stack-name': 'mystack' }
  core.getInput.mockImplementation((name: string) => inputs[name] ?? '')
  process.env.AWS_REGION = 'us-east-1'
  process.env.GITHUB_STEP_SUMMARY = '/dev/null'
  process.env.RUNNER_TEMP = tmpdir()
})
afterEach(() => aws.restore())

function outputs(): Record<string, string> {
  return Object.fromEntries(core.setOutput.mock.calls.map(([k, v]) => [k, String(v)]))
}

describe('run()', () => {
  it('sets every declared output after a canary step', async () => {
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toEqual({
      [Outputs.StableColor]: 'Blue',
      [Outputs.CanaryColor]: 'Green',
      [Outputs.PreviousStableColor]: 'Blue',
      [Outputs.CanaryWeight]: '10',
      [Outputs.PreviousCanaryWeight]: '0',
      [Outputs.BlueWeight]: '90',
      [Outputs.GreenWeight]: '10',
      [Outputs.Weights]: '{"Blue":90,"Green":10}',
      [Outputs.StableTaskSet]: expect.stringContaining('task-set/mycluster/myservice/1000'),
      [Outputs.CanaryTaskSet]: expect.stringContaining('task-set/mycluster/myservice/2000'),
      [Outputs.BlueTaskDefinition]: ARN.blueTd,
      [Outputs.GreenTaskDefinition]: ARN.greenTd,
      [Outputs.StableTargetGroup]: ARN.blueTg,
      [Outputs.CanaryTargetGroup]: ARN.greenTg,
      [Outputs.ListenerRuleArn]: ARN.rule,
      [Outputs.Changed]: 'true',
      [Outputs.RolledBack]: 'false',
      [Outputs.StepsCompleted]: '1',
      [Outputs.Outcome]: 'changed',
      [Outputs.Result]: expect.stringMatching(
        /^\{"schemaVersion":1,"mode":"canary","outcome":"changed"/
      ),
      [Outputs.ResultFile]: expect.stringMatching(/ecs-canary-result-[\w-]+\.json$/),
      [Outputs.TaskDefinitionArn]: ARN.greenTd,
      [Outputs.ImageDigest]: '',
      [Outputs.Deployed]: 'false',
      [Outputs.AnalysisVerdict]: ''
    })
    const file = outputs()[Outputs.ResultFile]
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(outputs()[Outputs.Result]))
    rmSync(file)
    expect(core.notice).toHaveBeenCalledWith(
      'canary: myservice now Blue 90% / Green 10%, stable Blue.'
    )
  })

  it('writes a summary with both colours, a pie chart, the writes and the next step', async () => {
    await run()
    const text = core.summary.text()
    expect(text).toMatch(/^## ✅ myservice: canary — changed/)
    expect(text).toContain('### Blue (stable)')
    expect(text).toContain('### Green (canary)')
    expect(text).toContain('`myapp:1.0.1`')
    expect(text).toContain('| Weight | 0% → **10%** |')
    expect(text).toContain(
      '```mermaid\npie showData title Traffic after this step\n    "Blue" : 90\n    "Green" : 10\n```'
    )
    expect(text).toContain('Blue 100% / Green 0% → Blue 90% / Green 10%')
    expect(text).toContain(
      'with:\n  mode: promote\n  cluster: mycluster\n  service: myservice\n  stack-name: mystack'
    )
  })

  it('after promote the outputs name the new stable colour', async () => {
    aws.world.rules[0].Actions = [forward(90, 10)]
    inputs.mode = 'promote'
    await run()
    expect(outputs()[Outputs.StableColor]).toBe('Green')
    expect(outputs()[Outputs.PreviousStableColor]).toBe('Blue')
    expect(outputs()[Outputs.CanaryColor]).toBe('Blue')
    expect(outputs()[Outputs.CanaryWeight]).toBe('0')
    expect(outputs()[Outputs.PreviousCanaryWeight]).toBe('10')
    expect(outputs()[Outputs.StableTaskSet]).toContain('2000')
  })

  it('a rerun reports changed=false', async () => {
    await run()
    core.setOutput.mockClear()
    await run()
    expect(outputs()[Outputs.Changed]).toBe('false')
    expect(core.notice).toHaveBeenLastCalledWith(
      'canary: myservice unchanged at Blue 90% / Green 10%, stable Blue.'
    )
  })

  it('a failed gate after discovery still sets the outputs and the summary, then fails', async () => {
    aws.world.health[ARN.greenTg] = []
    inputs['health-timeout-seconds'] = '0'
    await run()
    // The pipeline returns the failure; run() reports it with the outputs.
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed.mock.calls[0][0]).toMatch(
      /^The canary colour Green was not healthy after 0 s: .*No traffic was moved; nothing was written\.$/
    )
    expect(core.notice).not.toHaveBeenCalled()
    // Only the lease, taken before the gate's wait and given back: the route was not touched.
    expect(aws.writes()).toEqual(['TagResource', 'UntagResource'])
    expect(outputs()).toMatchObject({
      [Outputs.StableColor]: 'Blue',
      [Outputs.CanaryWeight]: '0',
      [Outputs.Changed]: 'false',
      [Outputs.RolledBack]: 'false',
      [Outputs.StepsCompleted]: '0'
    })
    expect(core.summary.text()).toMatch(/^## ❌ myservice: canary — failed\n/)
  })

  it('a route that sends nothing anywhere reports 0 % shares', async () => {
    aws.world.rules[0].Actions = [forward(0, 0)]
    inputs.mode = 'status'
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    // Zeros instead of n/a, and the split says nothing is routed.
    expect(outputs()).toMatchObject({
      [Outputs.CanaryWeight]: '0',
      [Outputs.PreviousCanaryWeight]: '0',
      [Outputs.BlueWeight]: '0',
      [Outputs.GreenWeight]: '0',
      [Outputs.Weights]: '{"Blue":0,"Green":0}'
    })
    expect(core.notice).toHaveBeenCalledWith(
      'status: myservice unchanged at Blue 0% / Green 0% (nothing routed), stable Blue.'
    )
  })

  it.each([
    [{ mode: 'ship' }, 'Unknown mode "ship"'],
    [{ mode: 'deploy' }, 'Mode deploy needs a version to deploy'],
    [{ mode: 'deploy', image: 'Web:1' }, '"image" is "Web:1"'],
    [{ 'canary-weight': 'ten' }, '"canary-weight" is "ten"'],
    [{ 'canary-weight': '-5' }, '"canary-weight" is "-5"'],
    [{ 'canary-weight': '100.5' }, '"canary-weight" is "100.5"'],
    [{ 'canary-weight': '12.25' }, '"canary-weight" is "12.25"'],
    [{ cluster: '' }, 'Input "cluster" is required'],
    [{ service: '' }, 'Input "service" is required']
  ])('bad input %j fails with one message and no AWS call', async (bad, message) => {
    Object.assign(inputs, bad)
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed.mock.calls[0][0]).toContain(message)
    expect(aws.calls()).toEqual([])
    // What is known without reading the service: nothing changed, and why, as data.
    const { [Outputs.Result]: result, [Outputs.ResultFile]: file, ...known } = outputs()
    expect(known).toEqual({
      [Outputs.Outcome]: 'failed-before-write',
      [Outputs.Changed]: 'false',
      [Outputs.RolledBack]: 'false',
      [Outputs.StepsCompleted]: '0'
    })
    expect(JSON.parse(result)).toMatchObject({
      outcome: 'failed-before-write',
      message: expect.stringContaining(message),
      writes: []
    })
    rmSync(file)
    expect(core.summary.text()).toMatch(/^## ❌ /)
  })

  it('warns about each malformed input the mode ignores, first, and runs', async () => {
    Object.assign(inputs, { mode: 'rollback', 'canary-weight': '10%', 'bake-time': '5x' })
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(/^"canary-weight" is "10%": mode rollback ignores it/),
      expect.stringMatching(/^"bake-time" is "5x": mode rollback ignores it/)
    ])
    expect(core.warning.mock.invocationCallOrder[1]).toBeLessThan(
      core.notice.mock.invocationCallOrder[0]
    )
  })

  it('no region fails before any AWS call', async () => {
    delete process.env.AWS_REGION
    delete process.env.AWS_DEFAULT_REGION
    await run()
    expect(core.setFailed.mock.calls[0][0]).toMatch(/No AWS region/)
    expect(aws.calls()).toEqual([])
  })

  it.each([
    ['from a stack', {}],
    [
      'with the rule and target groups named',
      {
        'stack-name': '',
        'listener-rule-arn': ARN.rule,
        'blue-target-group': ARN.blueTg,
        'green-target-group': ARN.greenTg
      }
    ]
  ])('reads the service once, first, %s', async (_, named) => {
    Object.assign(inputs, { mode: 'status' }, named)
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(aws.calls()[0]).toBe('DescribeServices')
    expect(aws.calls().filter((name) => name === 'DescribeServices')).toHaveLength(1)
  })

  it('a service read sent before the rest was loaded fails the step with its own message', async () => {
    aws.world.service = undefined
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed.mock.calls[0][0]).toMatch(
      /^ECS service "myservice" was not found in cluster "mycluster"\..* nothing was written\.$/
    )
    expect(aws.writes()).toEqual([])
  })

  it('escapes AWS values in the summary', async () => {
    aws.world.images[ARN.greenTd] = 'evil|image<script>'
    await run()
    expect(core.summary.text()).toContain('`evil\\|image<script>`')
    expect(core.summary.text()).not.toContain('evil|image')
  })

  it('an unexpected error still fails with a message and no stack trace', async () => {
    const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs')
    aws.ecs.on(DescribeServicesCommand).rejects(new TypeError('socket hang up'))
    await run()
    expect(core.setFailed).toHaveBeenCalledWith(
      'ecs:DescribeServices failed: TypeError: socket hang up. No traffic was moved; nothing was written.'
    )
  })
})

/** An error as the SDK throws it once its retries are spent. */
function sdkError(name: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { attempts: 5 } }, extra)
}

describe('run() says what state things are in when it fails', () => {
  it('a connection reset before any write: what happened, the retries, nothing written', async () => {
    const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs')
    aws.ecs
      .on(DescribeServicesCommand)
      .rejects(sdkError('TimeoutError', 'socket hang up', { code: 'ECONNRESET' }))
    await run()
    expect(core.setFailed.mock.calls).toEqual([
      [
        'ecs:DescribeServices got no answer: the connection to Amazon ECS was reset ' +
          '(ECONNRESET: socket hang up); retried 4 times, with the same result each time. ' +
          'No traffic was moved; nothing was written.'
      ]
    ])
    expect(core.summary.text()).toContain('No traffic was moved; nothing was written.')
  })

  it('throttling before any write: throttled, nothing written', async () => {
    const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation')
    aws.cfn.on(DescribeStacksCommand).rejects(sdkError('Throttling', 'Rate exceeded'))
    await run()
    expect(core.setFailed.mock.calls).toEqual([
      [
        'AWS throttled cloudformation:DescribeStacks (Throttling: Rate exceeded) on all 5 ' +
          'attempts, so the action stopped there and wrote nothing more. ' +
          'No traffic was moved; nothing was written.'
      ]
    ])
    expect(aws.writes()).toEqual([])
  })

  it('throttling after a write: throttled, nothing more written, and the traffic now', async () => {
    const { TagResourceCommand } = await import('@aws-sdk/client-ecs')
    aws.world.rules[0].Actions = [forward(0, 100)]
    aws.world.service!.tags = { StableStack: 'Green', StableStackPrevious: 'Blue' }
    aws.ecs.on(TagResourceCommand).rejects(sdkError('ThrottlingException', 'Rate exceeded'))
    Object.assign(inputs, { mode: 'rollback', 'undo-promotion': 'true' })
    await run()
    expect(aws.writes()).toEqual(['ModifyRule'])
    expect(core.setFailed.mock.calls).toEqual([
      [
        'AWS throttled ecs:TagResource (ThrottlingException: Rate exceeded) on all 5 attempts, ' +
          'so the action stopped there and wrote nothing more. ' +
          'Traffic is now Blue 100% / Green 0%; the stable colour is Green.'
      ]
    ])
  })

  it('a summary that cannot be written is a warning: the traffic change stands', async () => {
    core.appendSummary.mockRejectedValueOnce(new Error('EACCES: permission denied'))
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      'The job summary was not written: EACCES: permission denied'
    )
    expect(core.notice).toHaveBeenCalledWith(
      'canary: myservice now Blue 90% / Green 10%, stable Blue.'
    )
  })

  it('a result file that cannot be written is a warning, and the output is empty', async () => {
    process.env.RUNNER_TEMP = '/nonexistent/dir'
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^The result file was not written: ENOENT/)
    )
    expect(outputs()[Outputs.ResultFile]).toBe('')
    expect(JSON.parse(outputs()[Outputs.Result]).outcome).toBe('changed')
  })

  it('a failure after discovery still sets the state it read, with outcome failed-before-write', async () => {
    // Another live run holds the service: the canary refuses before its first write.
    aws.world.service!.tags.StableStackLease = formatLease({
      runId: '99',
      attempt: 1,
      job: 'deploy',
      id: 'abcdef0123',
      url: '',
      mode: 'canary',
      until: Date.now() + 600_000
    })
    aws.world.rules[0].Actions = [forward(90, 10)]
    inputs['canary-weight'] = '20'
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(aws.writes()).toEqual([])
    expect(outputs()).toMatchObject({
      [Outputs.Outcome]: 'failed-before-write',
      [Outputs.StableColor]: 'Blue',
      [Outputs.CanaryColor]: 'Green',
      [Outputs.Weights]: '{"Blue":90,"Green":10}',
      [Outputs.Changed]: 'false'
    })
    const result = JSON.parse(outputs()[Outputs.Result])
    expect(result.before).toEqual({
      stable: 'Blue',
      canary: 'Green',
      weights: { Blue: 90, Green: 10 }
    })
    rmSync(outputs()[Outputs.ResultFile])
  })
})

describe('the summary shows AWS text as text', () => {
  it('an alarm name with a pipe, a reason with a link and an image with markup', async () => {
    aws.world.alarms = {
      '5xx|4xx': { state: 'ALARM', reason: 'Threshold crossed: see https://evil.example/x' }
    }
    aws.world.images[ARN.greenTd] = 'myapp\n# <b>1.0</b>'
    inputs.alarms = '5xx|4xx'
    await run()
    const text = core.summary.text()
    // Outside a table the code span keeps its pipe as it is, so no backslash shows.
    expect(text).toContain('- `5xx|4xx`: **ALARM** — ')
    expect(text).toContain('Threshold crossed\\: see https\\://evil.example/x')
    expect(text).toContain('| Images | `myapp # <b>1.0</b>` |')
  })
})

describe('run() prints no text that the runner could read as a command', () => {
  const PAYLOAD =
    'x\n::error::forged\r::add-mask::Blue\r\n  ::stop-commands::t ##[set-output name=a]b'

  /** Every string handed to @actions/core to print, by the function it was handed to. */
  function printed(): [string, string][] {
    const calls = { info: core.info, warning: core.warning, debug: core.debug, notice: core.notice }
    return [
      ...Object.entries(calls).flatMap(([name, fn]) =>
        fn.mock.calls.map(([text]) => [name, String(text)] as [string, string])
      ),
      ...core.setFailed.mock.calls.map(([text]) => ['setFailed', String(text)] as [string, string]),
      ...core.group.mock.calls.map(([name]) => ['group', name] as [string, string])
    ]
  }

  it.each([
    ['an alarm reason', () => (aws.world.alarms = { 'svc-5xx': { state: 'OK', reason: PAYLOAD } })],
    [
      'an alarm in ALARM',
      () => (aws.world.alarms = { 'svc-5xx': { state: 'ALARM', reason: PAYLOAD } })
    ],
    ['the stable tag', () => (aws.world.service!.tags = { StableStack: `Blue${PAYLOAD}` })]
  ])('with workflow commands in %s', async (_where, plant) => {
    plant()
    inputs.alarms = 'svc-5xx'
    await run()
    const lines = printed()
    // The payload did reach the log (else this test could not see a forged command)…
    expect(lines.some(([, text]) => text.includes('forged') || text.includes('Blue'))).toBe(true)
    for (const [fn, text] of lines) {
      expect([fn, text]).not.toEqual([fn, expect.stringMatching(/[\r\n\u2028\u2029]/)])
      expect([fn, text]).not.toEqual([fn, expect.stringMatching(/^\s*::|##\[/)])
    }
  })
})
