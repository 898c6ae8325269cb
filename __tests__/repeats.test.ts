import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { RepeatFolder } from '../src/report/repeats.js'

function fold(lines: string[]): string[] {
  const out: string[] = []
  const folder = new RepeatFolder((line) => out.push(line))
  for (const line of lines) folder.line(line)
  folder.flush()
  return out
}

describe('RepeatFolder', () => {
  it('prints a run of identical lines once, then the count', () => {
    expect(fold(['a', 'w', 'w', 'w', 'b', 'b', 'w'])).toEqual([
      'a',
      'w',
      '(the line above came 2 more times)',
      'b',
      '(the line above came 1 more time)',
      'w'
    ])
  })

  it('prints the first line of a run at once, before the run ends', () => {
    const out: string[] = []
    const folder = new RepeatFolder((line) => out.push(line))
    folder.line('Waiting: 0/2 healthy')
    expect(out).toEqual(['Waiting: 0/2 healthy'])
    folder.line('Waiting: 0/2 healthy')
    expect(out).toEqual(['Waiting: 0/2 healthy'])
  })

  it('after a flush the same line prints again', () => {
    const out: string[] = []
    const folder = new RepeatFolder((line) => out.push(line))
    folder.line('x')
    folder.flush()
    folder.line('x')
    expect(out).toEqual(['x', 'x'])
  })

  it('keeps every distinct line in order and accounts for every copy', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), (lines) => {
        const out = fold(lines)
        const kept = out.filter((line) => !line.startsWith('(the line above'))
        const dedup = lines.filter((line, i) => i === 0 || lines[i - 1] !== line)
        expect(kept).toEqual(dedup)
        const counted = out
          .map((line) => /came (\d+) more/.exec(line)?.[1])
          .reduce((sum, n) => sum + (n ? Number(n) : 1), 0)
        expect(counted).toBe(lines.length)
      })
    )
  })
})
