import { jest } from '@jest/globals'
import type * as workflow from '../src/workflow-commands.js'

/** Typed stand-ins for the runner's protocol (`src/workflow-commands.ts`), which tests replace. */
export const getInput = jest.fn<typeof workflow.getInput>()
export const setOutput = jest.fn<typeof workflow.setOutput>()
export const setFailed = jest.fn<typeof workflow.setFailed>()
export const info = jest.fn<typeof workflow.info>()
export const warning = jest.fn<typeof workflow.warning>()
export const debug = jest.fn<typeof workflow.debug>()
export const notice = jest.fn<typeof workflow.notice>()
export const group = jest.fn(async <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn())

const summaryText: string[] = []
export const appendSummary = jest.fn(async (markdown: string) => {
  summaryText.push(markdown)
})
/** What the run appended to the job summary. */
export const summary = {
  text: () => summaryText.join(''),
  clear: () => {
    summaryText.length = 0
  }
}
