import { COLORS, type PerColor } from '../../color.js'
import { StateError } from '../../errors.js'
import { FULL, type Permille, type Split } from '../../shares.js'

/** Route 53 weights of the two colours' records: integers 0..255, relative to each other. */
export type Route53Weights = PerColor<number>

export const MAX_ROUTE53_WEIGHT = 255

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

let reachableCache: readonly Permille[] | undefined

/**
 * Every whole permille share two weights of 0..255 give exactly, ascending. A share s is exact
 * when s/1000 in lowest terms p/q has p and q-p both at most 255; every whole percent is (q
 * divides 100), most tenths are not (0.1 % is 1/1000). Computed once from all weight pairs.
 */
export function route53ReachableShares(): readonly Permille[] {
  if (reachableCache) return reachableCache
  const found = new Set<Permille>()
  for (let canary = 0; canary <= MAX_ROUTE53_WEIGHT; canary++) {
    for (let other = 0; other <= MAX_ROUTE53_WEIGHT; other++) {
      const total = canary + other
      if (total > 0 && (canary * FULL) % total === 0) found.add((canary * FULL) / total)
    }
  }
  reachableCache = [...found].sort((a, b) => a - b)
  return reachableCache
}

/** `[share]` when Route 53 weights give it exactly, else the nearest reachable below and above. */
export function route53Reachable(share: Permille): Permille[] {
  const shares = route53ReachableShares()
  if (shares.includes(share)) return [share]
  const below = shares.filter((s) => s < share).at(-1)
  const above = shares.find((s) => s > share)
  return [below, above].filter((s): s is Permille => s !== undefined)
}

/**
 * Route 53 weights for a split of whole permille. Whole percents are written as percents
 * (readable in the console: 90 and 10); other shares as the smallest weights that give them
 * exactly (12.5 % as 7 and 1). Refuses a split no weights give exactly, and the empty split:
 * Route 53 spreads traffic evenly over records that all weigh 0, it never sends nothing.
 */
export function route53WeightsFor(split: Split): Route53Weights {
  const valid = COLORS.every((c) => Number.isInteger(split[c]) && split[c] >= 0)
  if (!valid || split.Blue + split.Green !== FULL) {
    throw new StateError(
      `Route 53 weights cannot express Blue ${split.Blue}‰ / Green ${split.Green}‰: the shares must be whole permille adding up to 1000.`
    )
  }
  const divisor = COLORS.every((c) => split[c] % 10 === 0) ? 10 : gcd(split.Blue, split.Green)
  const weights = { Blue: split.Blue / divisor, Green: split.Green / divisor }
  if (COLORS.some((c) => weights[c] > MAX_ROUTE53_WEIGHT)) {
    throw new StateError(
      `Route 53 weights (0 to ${MAX_ROUTE53_WEIGHT}) cannot express Blue ${split.Blue}‰ / Green ${split.Green}‰ exactly.`
    )
  }
  return weights
}

/** The split two records' weights make. Both 0 is an even split: Route 53 then answers with each alike. */
export function splitOfRoute53Weights(weights: Route53Weights): Split {
  const total = weights.Blue + weights.Green
  if (total === 0) return { Blue: FULL / 2, Green: FULL / 2 }
  return { Blue: (weights.Blue * FULL) / total, Green: (weights.Green * FULL) / total }
}
