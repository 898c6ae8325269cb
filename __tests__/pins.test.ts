/**
 * Every action the examples, the project's workflows and the README call is pinned to a commit
 * SHA with its version in a comment, and one action has one pin everywhere, so a Dependabot bump
 * of .github/workflows that leaves an example behind fails here.
 */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { ACTION_REPOSITORY } from '../src/constants.js'

const root = new URL('../', import.meta.url)
const files = [
  ...readdirSync(new URL('examples/', root)).map((file) => `examples/${file}`),
  ...readdirSync(new URL('.github/workflows/', root)).map((file) => `.github/workflows/${file}`),
  'README.md'
]

interface Use {
  file: string
  action: string
  ref: string
  comment: string
}

function usesIn(file: string): Use[] {
  const text = readFileSync(new URL(file, root), 'utf8')
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^@\s]+)@(\S+)[ \t]*(#.*)?$/gm)].map(
    ([, action, ref, comment]) => ({ file, action, ref, comment: comment ?? '' })
  )
}

const uses = files.flatMap(usesIn)
const others = uses.filter((use) => use.action !== ACTION_REPOSITORY)

describe('pinned actions', () => {
  it('finds the uses lines it checks', () => {
    expect(others.length).toBeGreaterThan(8)
    expect(uses.some((use) => use.action === ACTION_REPOSITORY)).toBe(true)
  })

  it.each(others.map((use) => [`${use.file} ${use.action}`, use] as const))(
    '%s is pinned to a commit with its version in a comment',
    (_: string, use: Use) => {
      expect(use.ref).toMatch(/^[0-9a-f]{40}$/)
      expect(use.comment).toMatch(/^# v\d+\.\d+\.\d+$/)
    }
  )

  it('pins each action to one commit and version everywhere', () => {
    const pins = new Map<string, Set<string>>()
    for (const use of others) {
      pins.set(use.action, (pins.get(use.action) ?? new Set()).add(`${use.ref} ${use.comment}`))
    }
    const conflicting = [...pins].filter(([, refs]) => refs.size > 1)
    expect(conflicting.map(([action, refs]) => `${action}: ${[...refs].join(' | ')}`)).toEqual([])
  })

  it('uses the action itself by its major tag', () => {
    for (const use of uses.filter((u) => u.action === ACTION_REPOSITORY)) {
      expect(use.ref).toMatch(/^v1$|^[0-9a-f]{40}$/)
    }
  })
})
