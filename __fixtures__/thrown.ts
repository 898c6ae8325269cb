import { expect } from '@jest/globals'

/** The error `run` throws, checked to be a `type`; fails the test when nothing is thrown. */
export function thrown<T extends Error>(type: new (...args: never[]) => T, run: () => unknown): T {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(type)
    return error as T
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`)
}
