import { Inputs } from './constants.js'
import { InputError } from './errors.js'
import { parsePercent, type Permille } from './shares.js'

/**
 * One parser per kind of input value. Each takes the trimmed text of a given input and returns
 * its value, or throws the InputError that names the input and says what a valid value is.
 */

export function canaryWeight(text: string): Permille {
  const share = parsePercent(text)
  if (share === undefined) {
    throw new InputError(
      `"canary-weight" is "${text}": it must be a percent from 0 to 100 with at most one ` +
        'decimal, e.g. 10 or 0.5.'
    )
  }
  return share
}

export function wholeSeconds(text: string): number {
  if (!/^\d{1,6}$/.test(text)) {
    throw new InputError(
      `"health-timeout-seconds" is "${text}": it must be a whole number of seconds, e.g. 600.`
    )
  }
  return Number(text)
}

export function trueOrFalse(name: string): (text: string) => boolean {
  return (text) => {
    const lower = text.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    throw new InputError(`"${name}" is "${text}": it must be true or false.`)
  }
}

export function expectArn(value: string, marker: string, name: string): string {
  if (!value.startsWith('arn:') || !value.includes(marker)) {
    throw new InputError(
      `"${name}" is "${value}", which is not an ARN of the right kind (it should contain "${marker}").`
    )
  }
  return value
}

/** ARNs separated by commas or whitespace (one a line), in order, each once. */
export function ruleArnList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((arn) => arn.length > 0))]
}

/** Names separated by newlines or commas, without repeats. */
export function alarmNames(text: string): string[] {
  const names = [
    ...new Set(
      text
        .split(/[\n,]+/)
        .map((n) => n.trim())
        .filter(Boolean)
    )
  ]
  const tooLong = names.find((n) => n.length > 255)
  if (tooLong) throw new InputError(`"alarms" has a name over 255 characters: "${tooLong}".`)
  return names
}

export function onCancel(text: string): 'rollback' | 'hold' {
  const lower = text.toLowerCase()
  if (lower !== 'rollback' && lower !== 'hold') {
    throw new InputError(`"on-cancel" is "${lower}": it must be rollback or hold.`)
  }
  return lower
}

export function testHeader(text: string): { name: string; value: string } {
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}):\s*(\S.{0,127})$/.exec(text)
  if (!match) {
    throw new InputError(
      `"test-header" is "${text}": write it as "Name: value", e.g. "X-Canary: true".`
    )
  }
  return { name: match[1], value: match[2].trim() }
}

export function testQuery(text: string): { key: string; value: string } {
  const match = /^([^=&\s]{1,128})=([^&\s]{1,128})$/.exec(text)
  if (!match) {
    throw new InputError(`"test-query" is "${text}": write it as "key=value", e.g. "canary=true".`)
  }
  return { key: match[1], value: match[2] }
}

export function testRulePriority(text: string): number {
  const value = Number(text)
  if (!/^\d{1,5}$/.test(text) || value < 1 || value > 50000) {
    throw new InputError(
      `"test-rule-priority" is "${text}": it must be a whole number from 1 to 50000.`
    )
  }
  return value
}

export function testListenerArn(text: string): string {
  return expectArn(text, ':listener/', Inputs.TestListenerArn)
}

/** `environment-url`: where the environment is reached, shown on GitHub's Environments page. */
export function environmentUrl(text: string): string {
  if (!/^https?:\/\/\S+$/.test(text)) {
    throw new InputError(
      `"environment-url" is "${text}": give an http:// or https:// URL, e.g. https://shop.example.com.`
    )
  }
  return text
}
