/**
 * Builds dist/ (or the folder given): ncc bundles src/index.ts, then two steps make start-up
 * cheaper and keep the licence file whole. `npm run build` writes dist/; `npm run check-dist`
 * builds into a temp folder and compares.
 *
 * 1. Module wrappers become plain functions. ncc (webpack) wraps each bundled module in a
 *    parenthesised arrow function, `/***\/ ((module, exports, require) => {`. V8 compiles such a
 *    function in full as soon as it parses the file, whether the module is ever required or
 *    not; a plain `function (…) {` in the module table is only pre-parsed until it runs. On
 *    Node 24, the time from importing the 3.6 MB bundle to its first statement went from about
 *    185 ms to 80 ms. The rewrite keeps every line where it was, so stack traces point at the
 *    same lines.
 * 2. The SDKs that only some runs need (Lambda, Route 53, ECR, the GitHub HTTP client) are
 *    dynamic imports that ncc emits as chunk files beside index.js, loaded on first use. ncc's
 *    licence writer keeps only the last chunk's licences, so licenses.txt is written here from
 *    the build's module list: every package whose code is in any file of dist/.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A module's wrapper as ncc writes it: its own line, after the `/***\/ <id>:` line. */
const ARROW_WRAPPER = /^\/\*\*\*\/ \(\((.*)\) => \{$/gm
/** The same, when a module was emitted as a parenthesised function expression. */
const FUNCTION_WRAPPER = /^\/\*\*\*\/ \((function\(.*\) \{)$/gm
const WRAPPER_END = /^\/\*\*\*\/ \}\)(,?)$/gm
const MODULE_ID = /^\/\*\*\*\/ \d+:$/gm

/**
 * The module table of one bundle file with each wrapper a plain function expression (not in
 * parentheses, not an arrow), so that V8 compiles a module only when it is required. Throws
 * when the file does not have one wrapper and one end per module: the bundler's output changed.
 */
export function lazyModuleWrappers(code: string, file: string): string {
  const modules = code.match(MODULE_ID)?.length ?? 0
  const out = code
    .replace(ARROW_WRAPPER, '/***/ function($1) {')
    .replace(FUNCTION_WRAPPER, '/***/ $1')
    .replace(WRAPPER_END, '/***/ }$1')
  const opened = out.match(/^\/\*\*\*\/ function\(.*\) \{$/gm)?.length ?? 0
  const closed = out.match(/^\/\*\*\*\/ \},?$/gm)?.length ?? 0
  if (opened !== modules || closed !== modules || /^\/\*\*\*\/ \(/m.test(out)) {
    throw new Error(
      `${file}: ${modules} modules, ${opened} wrappers and ${closed} ends rewritten; ` +
        'the bundler no longer writes module wrappers as this script expects'
    )
  }
  return out
}

interface Stats {
  modules?: { name?: string; modules?: Stats['modules'] }[]
}

/** The folder of every package whose code the build bundled, from webpack's module list. */
export function bundledPackages(stats: Stats): string[] {
  const found = new Set<string>()
  const walk = (modules: Stats['modules']) => {
    for (const module of modules ?? []) {
      if (module.modules) walk(module.modules)
      const match = /^(?:\.\/)?((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(
        module.name ?? ''
      )
      if (match) found.add(match[1])
    }
  }
  walk(stats.modules)
  return [...found].sort()
}

/** One entry a package, as ncc writes them: name, licence, the licence file's text. */
export function licenseEntry(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string
    license?: string
  }
  const file = readdirSync(dir)
    .filter((name) => /^(licen[cs]e|copying)/i.test(name))
    .sort()[0]
  const text = file ? readFileSync(join(dir, file), 'utf8').trimEnd() : ''
  return [pkg.name, pkg.license ?? 'UNKNOWN', text].filter(Boolean).join('\n')
}

export function buildDist(outDir: string): void {
  const work = mkdtempSync(join(tmpdir(), 'ecs-canary-build-'))
  try {
    const built = join(work, 'out')
    const stats = join(work, 'stats.json')
    execFileSync(
      'npx',
      ['ncc', 'build', 'src/index.ts', '-o', built, '--target', 'es2022', '--stats-out', stats],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }
    )
    rmSync(outDir, { recursive: true, force: true })
    mkdirSync(outDir, { recursive: true })
    for (const name of readdirSync(built).sort()) {
      const text = readFileSync(join(built, name), 'utf8')
      writeFileSync(
        join(outDir, name),
        name.endsWith('.js') ? lazyModuleWrappers(text, name) : text
      )
    }
    const packages = bundledPackages(JSON.parse(readFileSync(stats, 'utf8')) as Stats)
    const entries = packages.map((dir) => licenseEntry(join(ROOT, dir)))
    const unique = [...new Set(entries)].sort()
    writeFileSync(join(outDir, 'licenses.txt'), `${unique.join('\n\n')}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? join(ROOT, 'dist')
  if (!existsSync(join(ROOT, 'src/index.ts'))) throw new Error('run from the project')
  buildDist(outDir)
}
