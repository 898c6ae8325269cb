/** The runner's log, passed in so library code never writes workflow commands itself. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A logger that keeps lines in memory; for tests and for callers that want no output. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = []
  info(message: string): void {
    this.lines.push(message)
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`)
  }
  debug(): void {}
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${name}`)
    return fn()
  }
}
