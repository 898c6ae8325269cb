/**
 * Fails when the repository's TypeScript modules import each other in a cycle, listing every
 * cycle. Run by `npm run lint` (`tsx scripts/check-cycles.ts`).
 *
 * Why a script and not `import-x/no-cycle`: that rule (eslint-plugin-import-x 4.18, the one
 * import plugin whose peer range admits ESLint 10) skips `import type` with no option to count
 * it, so it misses cycles that run through a type import, and most cycles here do.
 *
 * An edge is every import declaration (`import type` too), `export ... from`, `import x = require()`
 * and `import()` with a literal specifier. Type-only imports count on purpose: they are erased at
 * run time, but a module that needs another's types still depends on it; a cycle through them
 * means neither can be read, moved or tested without the other, and the fix (give the shared
 * types their own module) is cheap. A lazy `import()` counts too: it hides a cycle from the
 * loader, not from the design.
 *
 * Only relative specifiers are followed; `./x.js` resolves to `./x.ts` as TypeScript's NodeNext
 * resolution does. The TypeScript compiler (already a dev dependency) parses the files, so an
 * import-like line inside a string or a comment is not an edge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git', '.tools'])
/** Stop listing a tangle's cycles past this many; its files are listed all the same. */
const MAX_CYCLES_PER_TANGLE = 50

interface Edge {
  to: string
  line: number
}

export function listSources(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(path)
      } else if (/\.(c|m)?tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
    }
  }
  walk(root)
  return out
}

/** The relative module specifiers of a file, with the 1-based line of each. */
export function importsOf(file: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: { specifier: string; line: number }[] = []
  const add = (node: ts.Node, literal: ts.Expression | undefined): void => {
    if (literal && ts.isStringLiteralLike(literal) && literal.text.startsWith('.')) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
      found.push({ specifier: literal.text, line })
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node, node.moduleReference.expression)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0])
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** `./x.js` → `./x.ts` (NodeNext); also a specifier written with `.ts` or with no extension. */
function resolveSpecifier(from: string, specifier: string, files: Set<string>): string | undefined {
  const base = resolve(dirname(from), specifier)
  const asTs = base.replace(/\.(c|m)?js(x?)$/, '.$1ts$2')
  const candidates = [asTs, base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]
  return candidates.find((c) => files.has(c))
}

export function buildGraph(files: string[]): Map<string, Edge[]> {
  const known = new Set(files)
  const graph = new Map<string, Edge[]>()
  for (const file of files) {
    const edges: Edge[] = []
    for (const { specifier, line } of importsOf(file, readFileSync(file, 'utf8'))) {
      const to = resolveSpecifier(file, specifier, known)
      if (to) edges.push({ to, line })
    }
    graph.set(file, edges)
  }
  return graph
}

/** Tarjan's strongly connected components; a cycle lies inside exactly one of them. */
function tangles(graph: Map<string, Edge[]>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const connect = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const { to } of graph.get(v) ?? []) {
      if (!index.has(to)) {
        connect(to)
        low.set(v, Math.min(low.get(v)!, low.get(to)!))
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v)!, index.get(to)!))
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v)
      if (component.length > 1 || selfLoop) out.push(component.sort())
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v)
  return out
}

/**
 * Every elementary cycle of one tangle, each once: it starts at its smallest file and visits
 * only larger ones. Each step is the edge (with the importing line) taken from the file before.
 */
function cyclesIn(
  component: string[],
  graph: Map<string, Edge[]>
): { from: string; edge: Edge }[][] {
  const members = new Set(component)
  const cycles: { from: string; edge: Edge }[][] = []
  for (const start of component) {
    const path: { from: string; edge: Edge }[] = []
    const onPath = new Set([start])
    const walk = (v: string): void => {
      const seen = new Set<string>()
      for (const edge of graph.get(v) ?? []) {
        if (cycles.length >= MAX_CYCLES_PER_TANGLE) return
        // One edge per target file: two imports of the same module are one dependency.
        if (!members.has(edge.to) || edge.to < start || seen.has(edge.to)) continue
        seen.add(edge.to)
        path.push({ from: v, edge })
        if (edge.to === start) cycles.push([...path])
        else if (!onPath.has(edge.to)) {
          onPath.add(edge.to)
          walk(edge.to)
          onPath.delete(edge.to)
        }
        path.pop()
      }
    }
    walk(start)
  }
  return cycles
}

export function findCycles(root: string): string[] {
  const graph = buildGraph(listSources(root))
  const rel = (p: string) => relative(root, p).split(sep).join('/')
  const report: string[] = []
  for (const component of tangles(graph)) {
    const cycles = cyclesIn(component, graph)
    for (const cycle of cycles) {
      const steps = cycle.map(({ from, edge }) => `${rel(from)}:${edge.line}`)
      report.push(`${steps.join(' → ')} → ${rel(cycle[0].from)}`)
    }
    if (cycles.length >= MAX_CYCLES_PER_TANGLE) {
      report.push(
        `… and more cycles among: ${component.map(rel).join(', ')} (first ${MAX_CYCLES_PER_TANGLE} listed)`
      )
    }
  }
  return report
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const cycles = findCycles(root)
  if (cycles.length > 0) {
    console.error(`Import cycles (${cycles.length}); each step is file:line of the import:`)
    for (const cycle of cycles) console.error(`  ${cycle}`)
    console.error('Move what both sides need into a module of its own that both import.')
    process.exit(1)
  }
  console.log('No import cycles.')
}
