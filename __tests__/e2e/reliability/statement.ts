/**
 * A failed run's one error must end by saying what it changed and what it did not, and that must
 * be true. This reads the claims of the last sentence and checks each against the live state:
 * a split ("Blue 90% / Green 10%"), the stable colour ("the stable colour is Blue", "all traffic
 * is on Blue"), and "nothing was written". A last sentence with none of these claims fails.
 */
import { sharesOf } from './compare.js'
import type { Snapshot } from './snapshot.js'

/** The last sentence of a message (sentences end in . ! or ? followed by a space or the end). */
export function lastSentence(message: string): string {
  const sentences = message
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s !== '')
  return sentences.at(-1) ?? ''
}

/**
 * Problems with the claims of `message`'s last sentence, judged against `live` (now) and `before`
 * (the state the run started from). Empty when every claim holds and there is at least one.
 */
export function falseClaims(
  message: string,
  live: Snapshot,
  before: Snapshot,
  tagKey = 'StableStack'
): string[] {
  const sentence = lastSentence(message)
  const problems: string[] = []
  let claims = 0
  if (/nothing (was )?(written|changed)/i.test(sentence)) {
    claims++
    if (JSON.stringify(live) !== JSON.stringify(before)) {
      problems.push(`it says nothing was written, but the state changed`)
    }
  }
  const split = sentence.match(/Blue (\d+(?:\.\d+)?)% \/ Green (\d+(?:\.\d+)?)%/)
  if (split) {
    claims++
    const shares = sharesOf(live)
    const said = { Blue: Number(split[1]), Green: Number(split[2]) }
    if (shares.Blue !== said.Blue || shares.Green !== said.Green) {
      problems.push(`it says Blue ${said.Blue}% / Green ${said.Green}%, live is ${fmt(shares)}`)
    }
  }
  const stable = sentence.match(/stable colou?r is (Blue|Green)/i)?.[1]
  if (stable) {
    claims++
    if (live.tags[tagKey] !== stable) {
      problems.push(`it says the stable colour is ${stable}, the tag says ${live.tags[tagKey]}`)
    }
  }
  const all = sentence.match(/all traffic is on (Blue|Green)/i)?.[1]
  if (all) {
    claims++
    if (sharesOf(live)[all] !== 100) {
      problems.push(`it says all traffic is on ${all}, live is ${fmt(sharesOf(live))}`)
    }
  }
  if (claims === 0) {
    problems.push(`its last sentence does not say what was and was not changed: "${sentence}"`)
  }
  return problems
}

const fmt = (shares: Record<string, number>) => `Blue ${shares.Blue}% / Green ${shares.Green}%`
