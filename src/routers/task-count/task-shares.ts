import { FULL, type Permille } from '../../shares.js'

/**
 * Shares in units of whole tasks, pure: `canary` canary tasks beside `service` service tasks get
 * canary / (canary + service) of the requests, rounded to a permille (1 of 3 is 333, 33.3 %).
 */
export function shareOf(canary: number, service: number): Permille {
  const all = canary + service
  return all === 0 ? 0 : Math.round((FULL * canary) / all)
}

/**
 * Every share the canary can have: 0 to `maxCanary` tasks beside the service's tasks, and all of
 * it (the service itself rolled to the canary's revision). Ascending, without repeats.
 */
export function reachableShares(service: number, maxCanary: number): Permille[] {
  const shares = new Set<Permille>([FULL])
  for (let k = 0; k <= maxCanary; k += 1) shares.add(shareOf(k, service))
  return [...shares].sort((a, b) => a - b)
}

/** `[share]` when a task count gives it exactly, else the nearest reachable below and above. */
export function nearestShares(share: Permille, service: number, maxCanary: number): Permille[] {
  const shares = reachableShares(service, maxCanary)
  if (shares.includes(share)) return [share]
  const below = shares.filter((s) => s < share).at(-1)
  const above = shares.find((s) => s > share)
  return [below, above].filter((s): s is Permille => s !== undefined)
}

/** How many canary tasks give `share` (below all of it); undefined when none does. */
export function canaryCountFor(
  share: Permille,
  service: number,
  maxCanary: number
): number | undefined {
  for (let k = 0; k <= maxCanary; k += 1) if (shareOf(k, service) === share) return k
  return undefined
}
