import { awsCall } from '../aws/call.js'
import { otherColor, type PerColor } from '../color.js'
import { AwsCallError, messageOf } from '../errors.js'
import { percentNumber } from '../shares.js'
import {
  DEFAULT_CALLBACK_DELAY_MS,
  parseHookAnswer,
  quote,
  type HookPayload
} from './hook-contract.js'
import type { Gate, GateContext, GateReading } from './gate.js'

/** One synchronous invocation: the function's payload, and its error type when it threw. */
export type InvokeFunction = (
  name: string,
  payload: string
) => Promise<{ payload: string; functionError?: string }>

const INVOKE = 'lambda:InvokeFunction'

/**
 * Invokes Lambda functions with a client loaded on first use: a run without hooks never evaluates
 * the Lambda SDK (the bundler puts it in a chunk file of its own beside dist/index.js). Endpoints
 * are left to the SDK (AWS_ENDPOINT_URL works), as in aws/clients.ts.
 */
export function lambdaInvoker(region: string): InvokeFunction {
  let loaded: Promise<{
    send: (
      name: string,
      payload: Uint8Array
    ) => Promise<{ Payload?: Uint8Array; FunctionError?: string }>
  }>
  const load = () =>
    (loaded ??= import('@aws-sdk/client-lambda').then(({ LambdaClient, InvokeCommand }) => {
      const client = new LambdaClient({ region, maxAttempts: 5 })
      return {
        send: (name: string, payload: Uint8Array) =>
          client.send(
            new InvokeCommand({
              FunctionName: name,
              InvocationType: 'RequestResponse',
              Payload: payload
            })
          )
      }
    }))
  return async (name, payload) => {
    const lambda = await load()
    const answer = await awsCall(INVOKE, () => lambda.send(name, new TextEncoder().encode(payload)))
    return {
      payload: new TextDecoder().decode(answer.Payload ?? new Uint8Array()),
      ...(answer.FunctionError ? { functionError: answer.FunctionError } : {})
    }
  }
}

/** The three points of a canary where ECS and CodeDeploy run hooks, as this action names them. */
export type HookPoint = 'after-test-traffic' | 'before-traffic' | 'after-traffic'

export interface HookRun {
  point: HookPoint
  functionName: string
  timeoutMs: number
  /** What every payload carries besides the step's own numbers. */
  base: Pick<HookPayload, 'service' | 'cluster' | 'runUrl'>
  taskDefinitions: PerColor<string | undefined>
}

/**
 * A lifecycle hook as a gate. `after-test-traffic` and `before-traffic` run before the first
 * production shift (test traffic, when asked for, is open by then); `after-traffic` runs when
 * each step's bake is over. The function is invoked until it answers SUCCEEDED or FAILED,
 * waiting its callBackDelay after each IN_PROGRESS, for at most `hook-timeout`. FAILED, a timeout,
 * an answer outside the contract, a function error, or a function that cannot be invoked (not
 * found, not allowed) fail the gate, and the canary is rolled back.
 */
export class HookGate implements Gate {
  readonly judges = 'verdict'
  readonly label: string
  private last?: GateReading

  constructor(
    private readonly invoke: InvokeFunction,
    private readonly run: HookRun
  ) {
    this.label = `hook ${run.point}`
  }

  async before(context: GateContext): Promise<GateReading> {
    if (this.run.point === 'after-traffic' || context.step > 0) return this.quiet()
    return this.call(context)
  }

  /** A bake does not invoke the hook again: its verdict for the step stands. */
  async during(): Promise<GateReading> {
    return this.quiet()
  }

  async settle(context: GateContext): Promise<GateReading> {
    if (this.run.point !== 'after-traffic') return this.quiet()
    return this.call(context)
  }

  /** The last verdict, when a look is not a point where the hook runs. */
  private quiet(): GateReading {
    return this.last ?? { label: this.label, text: 'not yet' }
  }

  private async call(context: GateContext): Promise<GateReading> {
    const { clock, log } = context
    const { functionName, point, timeoutMs } = this.run
    const started = clock.now()
    const at = `${functionName} (${point}, step ${context.step + 1})`
    return log.group(`Hook ${at}`, async () => {
      let invocation = 0
      let details: unknown
      for (;;) {
        invocation += 1
        const payload: HookPayload = {
          hook: point,
          ...this.run.base,
          canaryColor: context.color,
          stableColor: otherColor(context.color),
          taskDefinitions: { ...this.run.taskDefinitions },
          canaryShare: percentNumber(context.share),
          step: context.step + 1,
          invocation,
          ...(details !== undefined ? { hookDetails: details } : {})
        }
        let answer
        try {
          answer = await this.invoke(functionName, JSON.stringify(payload))
        } catch (error) {
          return this.fail(`could not be invoked: ${invokeFailure(error, point)}`, invocation)
        }
        if (answer.functionError) {
          return this.fail(
            `raised an error (${answer.functionError}): ${quote(answer.payload)}`,
            invocation
          )
        }
        const parsed = parseHookAnswer(answer.payload)
        if ('invalid' in parsed) {
          return this.fail(
            `answered ${parsed.invalid}, which is not {"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}`,
            invocation
          )
        }
        const waited = Math.round((clock.now() - started) / 1000)
        log.info(`${functionName}: ${parsed.status} (invocation ${invocation}, ${waited} s)`)
        if (parsed.status === 'SUCCEEDED') {
          return this.keep({
            label: this.label,
            text: 'SUCCEEDED',
            details: [
              `${functionName} (${point}): SUCCEEDED after ${invocation} invocation(s), ${waited} s`
            ]
          })
        }
        if (parsed.status === 'FAILED') return this.fail('answered FAILED', invocation)
        details = parsed.details
        const left = started + timeoutMs - clock.now()
        const delay = parsed.callBackDelayMs ?? DEFAULT_CALLBACK_DELAY_MS
        if (delay >= left) {
          return this.fail(
            `was still IN_PROGRESS when hook-timeout (${Math.round(timeoutMs / 1000)} s) would pass before its next call`,
            invocation
          )
        }
        await clock.sleep(delay)
      }
    })
  }

  private fail(why: string, invocation: number): GateReading {
    const { functionName, point } = this.run
    return {
      label: this.label,
      text: 'FAILED',
      details: [`${functionName} (${point}): failed after ${invocation} invocation(s): ${why}`],
      failure: `Hook ${point}: Lambda function ${functionName} ${why}`
    }
  }

  /** Keeps a verdict that passed, for the looks that do not invoke the hook. */
  private keep(reading: GateReading): GateReading {
    this.last = reading
    return reading
  }
}

/** Why an invocation failed, naming the input or the IAM action that would fix it. */
function invokeFailure(error: unknown, point: HookPoint): string {
  if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') {
    return `Lambda has no such function in this account and region. Check "hook-${point}".`
  }
  return messageOf(error)
}
