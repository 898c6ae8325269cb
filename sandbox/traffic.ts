import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { World } from './world.js'

/**
 * The data plane of the demo: tiny web apps that answer their version, and a router that plays
 * the load balancer, sending each request to a target group chosen by the weights the sandbox's
 * listener holds at that moment.
 */

export interface Server {
  url: string
  close(): Promise<void>
}

async function listen(server: http.Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

/** A web app that answers every request with its version. */
export function startApp(version: string): Promise<Server> {
  return listen(
    http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(version)
    })
  )
}

/** Deterministic random numbers, so a demo run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The image tag (the version) of the task set registered in a target group. */
export function versionOf(world: World, targetGroupArn: string): string | undefined {
  for (const service of world.services) {
    for (const taskSet of service.taskSets) {
      if (!taskSet.loadBalancers.some((lb) => lb.targetGroupArn === targetGroupArn)) continue
      const definition = world.taskDefinitions.find((d) => d.arn === taskSet.taskDefinition)
      const image = definition?.containers[0]?.image
      // An image pinned to its digest (a deploy does that) answers with the version it was tagged.
      const digest = image?.split('@')[1]
      if (digest) {
        return world.repositories?.flatMap((r) => r.images).find((i) => i.digest === digest)
          ?.tags[0]
      }
      return image?.split(':').pop()
    }
  }
  return undefined
}

/** Picks a target group for a path: the first matching rule by priority, else the default action. */
export function pickTargetGroup(
  world: World,
  path: string,
  random: () => number
): string | undefined {
  // The production listener is the first; rules of a second (test) listener do not apply.
  const listenerArn = world.listeners[0]?.arn
  const rules = world.rules
    .filter((r) => r.listenerArn === listenerArn)
    .sort((a, b) => a.priority - b.priority)
  const rule = rules.find((r) =>
    r.conditions.every((c) =>
      (c.PathPatternConfig?.Values ?? c.Values ?? []).some((pattern) => globMatch(pattern, path))
    )
  )
  const actions = rule?.actions ?? world.listeners[0]?.defaultActions ?? []
  const forward = actions.find((a) => a.Type === 'forward')
  const groups =
    forward?.ForwardConfig?.TargetGroups ??
    (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : [])
  const total = groups.reduce((sum, g) => sum + (g.Weight ?? 1), 0)
  if (total === 0) return undefined
  let draw = random() * total
  for (const group of groups) {
    draw -= group.Weight ?? 1
    if (draw < 0) return group.TargetGroupArn
  }
  return groups[groups.length - 1]?.TargetGroupArn
}

function globMatch(pattern: string, path: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${regex}$`).test(path)
}

/** The load balancer stand-in: proxies each request to the app of the version picked. */
export function startRouter(
  world: () => World,
  apps: Record<string, string>,
  random: () => number
): Promise<Server> {
  return listen(
    http.createServer((req, res) => {
      const current = world()
      const group = pickTargetGroup(current, req.url ?? '/', random)
      const version = group ? versionOf(current, group) : undefined
      const app = version ? apps[version] : undefined
      if (!app) {
        res.writeHead(503)
        res.end('no target')
        return
      }
      http
        .get(`${app}${req.url ?? '/'}`, (upstream) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers)
          upstream.pipe(res)
        })
        .on('error', () => {
          res.writeHead(502)
          res.end('bad gateway')
        })
    })
  )
}

/** Sends `count` requests, `concurrency` at a time, and counts the answers. */
export async function sample(
  url: string,
  count: number,
  concurrency = 16
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  let sent = 0
  const worker = async () => {
    while (sent < count) {
      sent += 1
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(url, { agent }, (res) => {
            let text = ''
            res.on('data', (chunk: Buffer) => (text += chunk.toString()))
            res.on('end', () => resolve(text))
          })
          .on('error', reject)
      })
      counts[body] = (counts[body] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  agent.destroy()
  return counts
}
