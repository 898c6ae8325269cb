import { jest } from '@jest/globals'
import type * as core from '@actions/core'

/** Typed stand-ins for the parts of `@actions/core` the action uses. */
export const getInput = jest.fn<typeof core.getInput>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const info = jest.fn<typeof core.info>()
export const warning = jest.fn<typeof core.warning>()
export const debug = jest.fn<typeof core.debug>()
export const notice = jest.fn<typeof core.notice>()
export const group = jest.fn(async <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn())

const summaryText: string[] = []
export const summary = {
  addRaw(text: string) {
    summaryText.push(text)
    return summary
  },
  async write() {
    return summary
  },
  text: () => summaryText.join(''),
  clear: () => {
    summaryText.length = 0
  }
}
