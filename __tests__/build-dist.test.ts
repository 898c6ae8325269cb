import { describe, expect, it } from '@jest/globals'
import { bundledPackages, lazyModuleWrappers } from '../scripts/build-dist.js'

const bundle = (modules: string[]) =>
  ['var __webpack_modules__ = ({', '', ...modules, '', '});'].join('\n')
const arrow = (id: number, body: string) =>
  [`/***/ ${id}:`, '/***/ ((module, exports, require) => {', '', body, '', '/***/ }),'].join('\n')

describe('lazyModuleWrappers', () => {
  it('turns each arrow wrapper into a plain function and keeps every line where it was', () => {
    const code = bundle([arrow(1, 'const a = () => 1'), arrow(22, 'exports.b = (x) => x')])
    const out = lazyModuleWrappers(code, 'index.js')
    expect(out.split('\n')).toHaveLength(code.split('\n').length)
    expect(out).toBe(
      code
        .replaceAll(
          '/***/ ((module, exports, require) => {',
          '/***/ function(module, exports, require) {'
        )
        .replaceAll('/***/ }),', '/***/ },')
    )
    expect(out).toContain('const a = () => 1') // arrows inside a module stay as they are
  })

  it('turns a parenthesised function wrapper into a plain one', () => {
    const code = ['/***/ 7:', '/***/ (function(module) {', 'x', '/***/ })'].join('\n')
    expect(lazyModuleWrappers(code, 'a.js')).toBe(
      ['/***/ 7:', '/***/ function(module) {', 'x', '/***/ }'].join('\n')
    )
  })

  it.each([
    ['a wrapper it does not know', ['/***/ 1:', '/***/ (async (module) => {', '/***/ })']],
    ['a module without its end', ['/***/ 1:', '/***/ ((module) => {', 'x']],
    ['an end without its module', ['/***/ 1:', '/***/ ((m) => {', '/***/ }),', '/***/ })']]
  ])('fails on %s: the bundler changed its output', (_, lines) => {
    expect(() => lazyModuleWrappers(lines.join('\n'), 'index.js')).toThrow(/index\.js: 1 modules/)
  })
})

describe('bundledPackages', () => {
  it('lists each package once, scoped, nested and inside concatenated modules', () => {
    const stats = {
      modules: [
        { name: './src/index.ts' },
        { name: './node_modules/@aws-sdk/client-ecs/dist-cjs/index.js' },
        { name: './node_modules/@aws-sdk/client-ecs/dist-cjs/other.js' },
        {
          name: './src/main.ts + 3 modules',
          modules: [
            { name: './node_modules/undici/index.js' },
            { name: './node_modules/a/node_modules/@smithy/types/dist/index.js' }
          ]
        },
        { name: 'external "node:fs"' }
      ]
    }
    expect(bundledPackages(stats)).toEqual([
      'node_modules/@aws-sdk/client-ecs',
      'node_modules/a/node_modules/@smithy/types',
      'node_modules/undici'
    ])
  })
})
