import { COLORS, type PerColor } from '../../color.js'
import { FULL, type Split } from '../../shares.js'

/** Raw ALB target group weights of the two colours: integers 0..999, relative to each other. */
export type AlbWeights = PerColor<number>

/**
 * ALB weights for a split of whole permille. Whole percents are written as percents (readable in
 * the console) and tenths as weights out of 1000; a share with a tenth is never 0 or 1000, so
 * neither weight reaches 1000, ALB's limit.
 */
export function albWeightsFor(split: Split): AlbWeights {
  const scale = COLORS.every((color) => split[color] % 10 === 0) ? 10 : 1
  return { Blue: split.Blue / scale, Green: split.Green / scale }
}

/** The exact split raw weights make; both 0 when every weight is 0. */
export function splitOfWeights(weights: AlbWeights): Split {
  const total = weights.Blue + weights.Green
  if (total === 0) return { Blue: 0, Green: 0 }
  return { Blue: (weights.Blue * FULL) / total, Green: (weights.Green * FULL) / total }
}
