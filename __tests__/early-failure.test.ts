import { describe, expect, it } from '@jest/globals'
import { endsNothingWritten } from '../src/finish-step.js'

const END = 'No traffic was moved; nothing was written.'

describe('an early failure ends with one sentence saying nothing was written', () => {
  it.each([
    ['Service web was not found', `Service web was not found. ${END}`],
    ['Lower "canary-tasks". Nothing was written.', `Lower "canary-tasks". ${END}`],
    ['Lower "canary-tasks". nothing was written.', `Lower "canary-tasks". ${END}`],
    [`Another run holds the lease. ${END}`, `Another run holds the lease. ${END}`],
    ['Nothing was written.', END],
    ['  Stack missing outputs  ', `Stack missing outputs. ${END}`]
  ])('%j', (thrown, expected) => {
    const failure = endsNothingWritten(thrown)
    expect(failure).toBe(expected)
    expect(failure.match(/nothing was written/gi)).toHaveLength(1)
  })
})
