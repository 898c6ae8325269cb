import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')

describe('dist/', () => {
  it('is one bundle: a split chunk would make ncc overwrite the bundled licenses', () => {
    expect(readdirSync(new URL('dist/', root)).sort()).toEqual([
      'index.js',
      'licenses.txt',
      'package.json'
    ])
  })

  it('carries the license of every runtime dependency', () => {
    const { dependencies } = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>
    }
    const licensed = new Set(read('dist/licenses.txt').match(/^@?[a-z0-9./-]+$/gm))
    expect(Object.keys(dependencies).filter((name) => !licensed.has(name))).toEqual([])
  })
})
