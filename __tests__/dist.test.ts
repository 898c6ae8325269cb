import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const files = () => readdirSync(new URL('dist/', root)).sort()
const chunks = () => files().filter((name) => /^\d+\.index\.js$/.test(name))

describe('dist/', () => {
  it('is the bundle, the chunk files it loads on demand, the licences and package.json', () => {
    const rest = files().filter((name) => !chunks().includes(name))
    expect(rest).toEqual(['index.js', 'licenses.txt', 'package.json'])
  })

  it('has each chunk file loaded by the bundle, and no chunk file it does not load', () => {
    // A chunk may load chunks of its own (the rest of the action loads the SDKs only some runs
    // need): follow the loads from index.js.
    const loadsOf = (file: string) =>
      [
        ...read(`dist/${file}`).matchAll(
          /__(?:nccwpck|webpack)_require__\.e\((?:\/\*.*?\*\/ )?(\d+)\)/g
        )
      ].map((match) => `${match[1]}.index.js`)
    const loaded = new Set<string>()
    const queue = loadsOf('index.js')
    for (let file = queue.shift(); file; file = queue.shift()) {
      if (loaded.has(file)) continue
      loaded.add(file)
      queue.push(...loadsOf(file))
    }
    expect(chunks().length).toBeGreaterThan(0)
    expect(chunks()).toEqual([...loaded].sort())
  })

  it('carries the license of every runtime dependency', () => {
    const { dependencies } = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>
    }
    const licensed = new Set(read('dist/licenses.txt').match(/^@?[a-z0-9./-]+$/gm))
    expect(Object.keys(dependencies).filter((name) => !licensed.has(name))).toEqual([])
  })

  it('wraps no module in a parenthesised function, which V8 would compile before it is needed', () => {
    for (const name of ['index.js', ...chunks()]) {
      const text = read(`dist/${name}`)
      expect({ name, wrappers: text.match(/^\/\*\*\*\/ \(/gm) ?? [] }).toEqual({
        name,
        wrappers: []
      })
      expect(text).toMatch(/^\/\*\*\*\/ function\(/m)
    }
  })
})
