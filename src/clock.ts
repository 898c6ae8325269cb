import { CancelledError } from './errors.js'

/** Time as the executor and the gates see it; tests pass a clock whose sleeps are instant. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or at once when `signal` aborts (the caller checks which). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      // A cancel that came while a request was in flight has already fired its event.
      if (signal?.aborted) return resolve()
      // A cancelled run must not keep the process alive until a long sleep ends.
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      signal?.addEventListener('abort', done, { once: true })
    })
}

/**
 * A clock whose sleeps end in a CancelledError once `signal` aborts, checked before and after
 * each sleep, so a wait anywhere in a run is a point where a cancel is noticed.
 */
export function cancellable(clock: Clock, signal: AbortSignal | undefined): Clock {
  const check = () => {
    if (signal?.aborted) throw new CancelledError('Cancelled.')
  }
  return {
    now: () => clock.now(),
    sleep: async (ms) => {
      check()
      await clock.sleep(ms, signal)
      check()
    }
  }
}
