import type { Color } from '../color.js'
import type { Permille, Split } from '../shares.js'

/**
 * Moves traffic between the two colours. The planner speaks shares and never asks which kind of
 * router it is talking to; each kind (a weighted listener rule, a listener's default action,
 * several of those in lockstep, a listener swap) is one module that encodes shares in its own
 * units.
 */
export interface TrafficRouter {
  /** Short kind name for logs and the summary, e.g. `listener-rule`. */
  readonly kind: string
  /** What the router changes (an ARN), reported in the `listener-rule-arn` output. */
  readonly id: string
  /** Reads the split and checks that the route is one the action may change. */
  read(): Promise<Split>
  /**
   * The shares this router can set that are nearest to `share`: `[share]` when it can set it
   * exactly, else the nearest below and above. The planner refuses a share it cannot reach.
   */
  reachable(share: Permille): Permille[]
  /**
   * Makes the load balancer health-check `color` without giving it traffic (a route that does not
   * name it yet gets it at weight 0). Returns a line saying what was written, or undefined.
   */
  exposeForHealthChecks(color: Color): Promise<string | undefined>
  /**
   * Writes the split, changing nothing else of what `read` saw, and returns the split as the
   * write's response shows it stored.
   */
  shift(split: Split): Promise<Split>
  /** Reads the split again, to catch another writer while a step holds (during a bake). */
  verify(): Promise<Split>
  /**
   * Each route the router moves together, with the split the last read or write saw on it, for
   * the summary and for the check that they agree. Absent for a router with one route: `id`
   * and the split it reads are the whole story. When the routes disagree, `read` returns each
   * colour's least share (a split no write makes, so every comparison sees a route to rewrite).
   */
  routes?(): readonly RouteSplit[]
  /** What the summary should say about this route once it is read (e.g. DNS caching). */
  notes?(): readonly string[]
}

/** One route of a router that writes several in lockstep. */
export interface RouteSplit {
  kind: string
  id: string
  split: Split
}

/** Testers reach the canary before customers do: a route only test requests take. */
export interface TestTraffic {
  /**
   * Points the test route at `canary`. Each write is said to `wrote` as soon as it is made, so a
   * failure halfway still reports the writes before it.
   */
  open(canary: Color, wrote: (line: string) => void): Promise<void>
  /** Takes the test route away (or back to `stable`), saying each write to `wrote`. */
  close(stable: Color, wrote: (line: string) => void): Promise<void>
  /**
   * What a rollback left alone because the action may not change it (a run that would write
   * refuses instead, before its first write), one message each. Empty when all is well. Resolves
   * once the reads behind test traffic are done (a rollback's go on beside its route write).
   */
  warnings(): Promise<readonly string[]>
}
