import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { recordRequest } from './metrics.js'
import { targetHealth } from './targets.js'
import { taskAt } from './tasks.js'
import { taskDefinitionVersion, type World } from './world.js'

/**
 * The data plane of the demo: tiny web apps that answer their version, and a router that plays
 * the load balancer, sending each request to a target group chosen by the rules and weights the
 * sandbox's listener holds at that moment, and recording per target group what it saw (requests,
 * status, latency) for the sandbox's GetMetricData.
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

/** How a version of the demo app behaves: a share of its answers are 500s, and it takes a while. */
export interface AppBehaviour {
  /** Share of requests answered 500, 0 to 1. */
  errorRate: number
  /** Time each answer takes, in ms (plus up to a fifth more). */
  delayMs: number
}

/**
 * The demo's versions: 1.0.0, 1.0.1 and 1.0.3 are good; 1.0.2 is a bad release, 5 % of its answers are
 * 500s and it is five times slower, with no alarm anywhere to say so.
 */
export const APP_BEHAVIOURS: Record<string, AppBehaviour> = {
  '1.0.0': { errorRate: 0, delayMs: 20 },
  '1.0.1': { errorRate: 0, delayMs: 20 },
  '1.0.2': { errorRate: 0.05, delayMs: 100 },
  '1.0.3': { errorRate: 0, delayMs: 20 }
}

const GOOD: AppBehaviour = { errorRate: 0, delayMs: 0 }

/**
 * How long the app took by its own behaviour. The router records it as the target's response
 * time: the time measured around the request would also count how long a busy test machine kept
 * the answer waiting, which no real target would show, and would blur the canary's verdict.
 */
const PROCESSING_HEADER = 'x-sandbox-processing-ms'

/** A web app that answers every request with its version (or a 500, as its behaviour says). */
export function startApp(
  version: string,
  behaviour: AppBehaviour = APP_BEHAVIOURS[version] ?? GOOD,
  random: () => number = seededRandom(version.length * 7919)
): Promise<Server> {
  return listen(
    http.createServer((_req, res) => {
      const fails = random() < behaviour.errorRate
      const delay = behaviour.delayMs * (1 + random() / 5)
      setTimeout(() => {
        res.writeHead(fails ? 500 : 200, {
          'content-type': 'text/plain',
          [PROCESSING_HEADER]: delay.toFixed(1)
        })
        res.end(fails ? `${version} failed` : version)
      }, delay)
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

/**
 * The image tag (the version) of the task set registered in a target group, or of the service
 * of the ECS controller registered there (the two-service shape).
 */
export function versionOf(world: World, targetGroupArn: string): string | undefined {
  const inGroup = (lbs: { targetGroupArn: string }[] | undefined) =>
    (lbs ?? []).some((lb) => lb.targetGroupArn === targetGroupArn)
  for (const service of world.services) {
    for (const taskSet of service.taskSets) {
      if (inGroup(taskSet.loadBalancers))
        return taskDefinitionVersion(world, taskSet.taskDefinition)
    }
    const running = (service.runningCount ?? service.desiredCount) > 0
    if (service.deploymentController === 'ECS' && running && inGroup(service.loadBalancers)) {
      return taskDefinitionVersion(world, service.taskDefinition)
    }
  }
  return undefined
}

/**
 * The version that answers a request sent to a target group: a target drawn uniformly from its
 * healthy targets (not initial, not draining; none healthy: every target not draining, as an ALB
 * fails open), and the version of the task behind that IP (a standalone task's own task
 * definition, a service task's deployment's). Targets with no task behind them (a task set's)
 * answer the group's version, as does a group without targets. No draw is made when every
 * candidate runs the same version, so worlds without task IPs route as before.
 */
export function versionServing(
  world: World,
  targetGroupArn: string,
  random: () => number
): string | undefined {
  const group = world.targetGroups.find((tg) => tg.arn === targetGroupArn)
  const groupVersion = () => versionOf(world, targetGroupArn)
  if (!group || group.targets.length === 0) return groupVersion()
  const scenario = group.health === 'flapping' ? 'healthy' : group.health
  const healthy = group.targets.filter(
    (t) => targetHealth(world, group, t, scenario).State === 'healthy'
  )
  const candidates =
    healthy.length > 0 ? healthy : group.targets.filter((t) => t.phase !== 'draining')
  if (candidates.length === 0) return groupVersion()
  const versions = candidates.map((t) => {
    const task = taskAt(world, t.id)
    return task ? taskDefinitionVersion(world, task.taskDefinition) : groupVersion()
  })
  if (versions.every((v) => v === versions[0])) return versions[0]
  return versions[Math.min(versions.length - 1, Math.floor(random() * versions.length))]
}

/**
 * Resolves `recordName` as Route 53 answers a weighted name: one of its weighted records, drawn by
 * weight (all weights 0: each alike), then the load balancer its value names. Returns that load
 * balancer's first listener; undefined when the name has no weighted record. Every request is a
 * fresh lookup: no resolver cache, so the demo sees a change at once (real clients wait the TTL).
 */
export function resolveWeightedName(
  world: World,
  recordName: string,
  random: () => number
): string | undefined {
  const name = recordName.endsWith('.') ? recordName : `${recordName}.`
  const records = (world.hostedZones ?? [])
    .flatMap((z) => z.records)
    .filter((r) => r.Name === name && r.Weight !== undefined)
  if (records.length === 0) return undefined
  const total = records.reduce((sum, r) => sum + (r.Weight ?? 0), 0)
  let draw = random() * (total === 0 ? records.length : total)
  const picked =
    records.find((r) => (draw -= total === 0 ? 1 : (r.Weight ?? 0)) < 0) ?? records.at(-1)!
  const target = picked.AliasTarget?.DNSName ?? picked.ResourceRecords?.[0]?.Value ?? ''
  const balancer = world.loadBalancers.find(
    (lb) => lb.dnsName === target.replace(/\.$/, '').replace(/^dualstack\./, '')
  )
  return world.listeners.find((l) => l.loadBalancerArn === balancer?.arn)?.arn
}

/**
 * Picks a target group for a request: the first rule by priority whose conditions all match (path
 * pattern, HTTP header, query string), else the default action. `url` may carry a query string.
 */
export function pickTargetGroup(
  world: World,
  url: string,
  random: () => number,
  headers: http.IncomingHttpHeaders = {},
  // The production listener is the first; rules of a second (test) listener do not apply.
  listenerArn = world.listeners[0]?.arn
): string | undefined {
  const listener = world.listeners.find((l) => l.arn === listenerArn)
  const rules = world.rules
    .filter((r) => r.listenerArn === listenerArn)
    .sort((a, b) => a.priority - b.priority)
  const rule = rules.find((r) => r.conditions.every((c) => conditionMatches(c, url, headers)))
  const actions = rule?.actions ?? listener?.defaultActions ?? []
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

function conditionMatches(
  condition: RuleCondition,
  url: string,
  headers: http.IncomingHttpHeaders
): boolean {
  const [path, query = ''] = url.split('?')
  if (condition.HttpHeaderConfig) {
    const name = condition.HttpHeaderConfig.HttpHeaderName?.toLowerCase() ?? ''
    const value = headers[name]
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
    return (condition.HttpHeaderConfig.Values ?? []).some((pattern) =>
      values.some((v) => globMatch(pattern, v, true))
    )
  }
  if (condition.QueryStringConfig) {
    const params = new URLSearchParams(query)
    return (condition.QueryStringConfig.Values ?? []).some((kv) =>
      (kv.Key === undefined ? [...params.values()] : params.getAll(kv.Key)).some((v) =>
        globMatch(kv.Value ?? '*', v, true)
      )
    )
  }
  return (condition.PathPatternConfig?.Values ?? condition.Values ?? []).some((pattern) =>
    globMatch(pattern, path)
  )
}

/** ALB patterns: `*` and `?`; header and query values match case-insensitively. */
function globMatch(pattern: string, path: string, ignoreCase = false): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(path)
}

/**
 * The load balancer stand-in: proxies each request to the app of the version picked, and records
 * it against the target group (and the load balancer of the listener) it went to. A group whose
 * version has no app answers 502 and counts as a target connection error, as on an ALB.
 */
export function startRouter(
  world: () => World,
  apps: Record<string, string>,
  random: () => number,
  options: {
    /** A weighted Route 53 name: each request first resolves it to a colour's load balancer. */
    recordName?: string
    /** The listener this router plays (a listener swap's test listener); default the first. */
    listenerArn?: string
  } = {}
): Promise<Server> {
  return listen(
    http.createServer((req, res) => {
      const current = world()
      const url = req.url ?? '/'
      const listenerArn = options.recordName
        ? resolveWeightedName(current, options.recordName, random)
        : (options.listenerArn ?? current.listeners[0]?.arn)
      const group = listenerArn
        ? pickTargetGroup(current, url, random, req.headers, listenerArn)
        : undefined
      if (!group) {
        res.writeHead(503)
        res.end('no target')
        return
      }
      const version = versionServing(current, group, random)
      const app = version ? apps[version] : undefined
      const at = Date.now()
      const started = performance.now()
      const record = (status: number, source: 'target' | 'connection', processingMs?: number) =>
        // Recorded in the world of the moment: a reset between request and answer drops it.
        recordRequest(world(), {
          at,
          loadBalancerArn:
            current.listeners.find((l) => l.arn === listenerArn)?.loadBalancerArn ?? '',
          targetGroupArn: group,
          status,
          source,
          ...(source === 'target' ? { ms: processingMs ?? performance.now() - started } : {})
        })
      const badGateway = () => {
        record(502, 'connection')
        res.writeHead(502)
        res.end('bad gateway')
      }
      if (!app) return badGateway()
      http
        .get(`${app}${url}`, (upstream) => {
          const status = upstream.statusCode ?? 502
          const processing = Number(upstream.headers[PROCESSING_HEADER])
          record(status, 'target', Number.isFinite(processing) ? processing : undefined)
          res.writeHead(status, upstream.headers)
          upstream.pipe(res)
        })
        .on('error', badGateway)
    })
  )
}

/**
 * Sends about `perSecond` requests a second to `url` until stopped; the answers are the router's
 * to record. Used by the demo and the tests to give the canary traffic to judge.
 */
export function startLoad(url: string, perSecond: number): { stop(): Promise<void> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })
  const inFlight = new Set<Promise<void>>()
  const timer = setInterval(
    () => {
      const request = new Promise<void>((resolve) => {
        http
          .get(url, { agent }, (res) => {
            res.resume()
            res.on('end', resolve)
          })
          .on('error', () => resolve())
      })
      inFlight.add(request)
      void request.then(() => inFlight.delete(request))
    },
    Math.max(1, Math.round(1000 / perSecond))
  )
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(inFlight)
      agent.destroy()
    }
  }
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
