/**
 * Folds identical lines in a row into one: a bake that polls every few seconds logs the same
 * "Waiting: …" or "Treated as OK: …" line each time, and a count says as much as the copies.
 * The first line prints at once, so the log never lags behind the run; the count follows when a
 * different line comes or the caller flushes (at the end of a group and of the run).
 */
export class RepeatFolder {
  private last: string | undefined
  private repeats = 0

  constructor(private readonly print: (line: string) => void) {}

  line(text: string): void {
    if (text === this.last) {
      this.repeats++
      return
    }
    this.flush()
    this.print(text)
    this.last = text
  }

  /** Prints the count of the line held back, if any, and forgets it. */
  flush(): void {
    if (this.repeats > 0) this.print(repeatedLine(this.repeats))
    this.last = undefined
    this.repeats = 0
  }
}

export function repeatedLine(repeats: number): string {
  return `(the line above came ${repeats} more time${repeats === 1 ? '' : 's'})`
}
