import type { Parameter } from '@aws-sdk/client-cloudformation'
import type { Color } from '../color.js'
import { StateError } from '../errors.js'
import type { Split } from '../shares.js'
import type { StackParameterKey, StackParameterNames } from './deploy-inputs.js'

/**
 * The parameters of a stack update that puts a new image into the canary colour and changes
 * nothing else: every parameter keeps its previous value, except the canary's image; the stable
 * colour and the weights are passed as they are live, so the update moves no traffic and does not
 * flip the stable tag. Pure.
 */
export interface StackChange {
  parameters: Parameter[]
  /** The parameters whose values change, as `Name: old → new`. */
  changes: string[]
  /** The canary's image parameter before the update. */
  oldImage?: string
}

export function planStackParameters(
  stackName: string,
  current: Parameter[],
  names: StackParameterNames,
  live: { stable: Color; canary: Color; split: Split; image: string }
): StackChange {
  const values = new Map(current.map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']))
  const missing = (Object.entries(names) as [StackParameterKey, string][])
    .filter(([, name]) => !values.has(name))
    .map(([key, name]) => (key === name ? name : `${name} (for ${key})`))
  if (missing.length > 0) {
    throw new StateError(
      `Stack "${stackName}" has no parameter ${missing.join(', ')}, so a deploy cannot set the ` +
        'canary colour alone. Use a stack made from templates/ecs-canary.yaml, or map the names ' +
        'with "stack-parameters" (e.g. BlueImage=WebBlueImage).'
    )
  }
  const imageName = names[`${live.canary}Image`]
  const weights = liveWeights(
    live.split,
    Number(values.get(names.BlueWeight)),
    Number(values.get(names.GreenWeight))
  )
  const wanted = new Map<string, string>([
    [imageName, live.image],
    [names.StableColor, live.stable],
    [names.BlueWeight, String(weights.Blue)],
    [names.GreenWeight, String(weights.Green)]
  ])
  const changes: string[] = []
  const parameters: Parameter[] = current.map((p) => {
    const key = p.ParameterKey ?? ''
    const value = wanted.get(key)
    if (value === undefined || value === p.ParameterValue) {
      return { ParameterKey: key, UsePreviousValue: true }
    }
    changes.push(`${key}: ${p.ParameterValue ?? ''} → ${value}`)
    return { ParameterKey: key, ParameterValue: value }
  })
  return { parameters, changes, oldImage: values.get(imageName) }
}

/**
 * ALB weights for the live split: the previous values when they give the same split (no write to
 * the rule at all), else the split's permille reduced to its smallest whole ratio.
 */
export function liveWeights(split: Split, blue: number, green: number): Split {
  const total = blue + green
  const same =
    Number.isFinite(total) &&
    total > 0 &&
    Math.abs((blue * 1000) / total - split.Blue) < 1e-6 &&
    Math.abs((green * 1000) / total - split.Green) < 1e-6
  if (same) return { Blue: blue, Green: green }
  const rounded = { Blue: Math.round(split.Blue), Green: Math.round(split.Green) }
  const divisor = gcd(rounded.Blue, rounded.Green) || 1
  return { Blue: rounded.Blue / divisor, Green: rounded.Green / divisor }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}
