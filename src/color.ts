/** The two colours of a blue/green service. Tag values are matched exactly. */
export const COLORS = ['Blue', 'Green'] as const
export type Color = (typeof COLORS)[number]

export function isColor(value: string): value is Color {
  return (COLORS as readonly string[]).includes(value)
}

export function otherColor(color: Color): Color {
  return color === 'Blue' ? 'Green' : 'Blue'
}

/** A value per colour. */
export type PerColor<T> = Record<Color, T>
