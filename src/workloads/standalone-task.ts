import {
  DescribeTaskDefinitionCommand,
  TagResourceCommand,
  type ECSClient,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type TargetDescription,
  type TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsCall } from '../aws/call.js'
import type { Clock } from '../clock.js'
import { COLORS, otherColor, type Color, type PerColor } from '../color.js'
import { parseDeployRecord } from '../deploy/deploy-record.js'
import { familyOfReference } from '../deploy/revision.js'
import { readService, type ServiceState } from '../discover/service.js'
import {
  InterruptedWaitError,
  messageOf,
  PartialWriteError,
  StateError,
  writtenBefore
} from '../errors.js'
import { versionOf } from '../promotion-record.js'
import { tagNames } from '../service-tags.js'
import { canaryMarker, previousRevisionTag, trustedPreviousRevision } from './canary-marker.js'
import { deregisterAndDrain, registerTargets, targetId } from './canary-targets.js'
import {
  describeTasks,
  findCanaryTasks,
  privateIp,
  stopReason,
  stopTasks,
  taskId,
  type CanaryTaskScope
} from './canary-tasks.js'
import { rollService } from './service-rollout.js'
import { assignColors, type ColorAssignment } from './standalone-colors.js'
import { prefetchTaskDefinitions } from './task-sets.js'
import { serviceBlockers, serviceUnit } from './two-services.js'
import type { ColorHealth, TargetHealthSummary, TaskDefinitionInfo, Workload } from './workload.js'

export interface StandaloneOptions {
  cluster: string
  tagKey: string
  /** How many canary tasks a canary runs (`canary-tasks`). */
  canaryTasks: number
  /** True in modes that start canary tasks: the checks only they need are made then. */
  starts: boolean
  /** The longest wait for deregistered targets to drain (`deregistration-timeout-seconds`). */
  drainCapMs: number
  /** How long a rollout or a task start may take (`health-timeout-seconds`). */
  timeoutMs: number
  pollMs: number
  /** Cancellable: a cancel ends a rollout's or a drain's wait, never what AWS carries on. */
  clock: Clock
  log: (line: string) => void
}

/** Where the service's tasks take traffic: its one target group and the container port. */
interface Entry {
  targetGroup: string
  containerName: string
  containerPort: number
}

/**
 * A service of the ECS (rolling) controller and canary tasks started beside it with RunTask: the
 * service's own tasks are one colour, the canary tasks the other, and their IPs join the
 * service's target group. A promote rolls the service to the canary's revision; the router
 * (src/routers/task-count/) moves traffic by registering canary targets. (Over 60 lines: one class
 * per workload kind; each method is short.)
 */
export class StandaloneTaskWorkload implements Workload {
  readonly kind = 'standalone-task'
  readonly canary: Color
  readonly scope: CanaryTaskScope
  discovered: PerColor<ColorHealth>
  private assignment: ColorAssignment
  /** The service's desired count when discovered: the router's unit of share. */
  readonly serviceCount: number
  private readonly taskDefinitions: (arn: string) => Promise<TaskDefinitionInfo>
  /** Canary tasks that ran when discovered: one of them stopping since is a canary that died. */
  private readonly liveAtStart: Set<string>
  /** Set when a cancel ended a drain: the targets' tasks may still serve requests. */
  private drainCancelled = false

  private constructor(
    private readonly ecs: ECSClient,
    private readonly elb: ElasticLoadBalancingV2Client,
    private service: Service,
    readonly entry: Entry,
    private tasks: Task[],
    private targets: TargetHealthDescription[],
    readonly stable: Color,
    private readonly tags: Record<string, string>,
    readonly options: StandaloneOptions
  ) {
    this.canary = otherColor(stable)
    this.serviceCount = service.desiredCount ?? 0
    this.scope = {
      cluster: options.cluster,
      serviceArn: service.serviceArn ?? '',
      marker: canaryMarker(options.tagKey, service.serviceName ?? ''),
      tagKey: options.tagKey
    }
    this.liveAtStart = new Set(this.liveTasks().map((t) => t.taskArn ?? ''))
    this.assignment = this.assign()
    this.discovered = this.health()
    this.taskDefinitions = prefetchTaskDefinitions(ecs, {
      taskSets: COLORS.map((c) => ({ taskDefinition: this.assignment.revisions[c] }))
    })
  }

  /**
   * Reads the canary tasks (by their marker and tag) and the target group beside each other, once
   * the service is known, and refuses a service this shape cannot serve before any write.
   */
  static async discover(
    clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client },
    state: ServiceState,
    stable: Color,
    options: StandaloneOptions
  ): Promise<StandaloneTaskWorkload> {
    const service = state.described ?? {}
    const entry = loadBalancerEntry(state.name, service)
    const scope: CanaryTaskScope = {
      cluster: options.cluster,
      serviceArn: state.arn,
      marker: canaryMarker(options.tagKey, state.name),
      tagKey: options.tagKey
    }
    if (options.starts) refuseCanaryCount(state.name, service, options.canaryTasks)
    const [tasks, targets] = await Promise.all([
      findCanaryTasks(clients.ecs, scope),
      readTargets(clients.elb, entry.targetGroup),
      options.starts ? checkTargetType(clients.elb, entry.targetGroup) : undefined,
      options.starts ? checkNetwork(clients.ecs, state.name, service) : undefined
    ])
    return new StandaloneTaskWorkload(
      clients.ecs,
      clients.elb,
      service,
      entry,
      tasks,
      targets,
      stable,
      state.tags,
      options
    )
  }

  /** The colour whose revision the service runs now. */
  get serviceColor(): Color {
    return this.assignment.serviceColor
  }

  /** The service as last read (network, launch type: what RunTask copies). */
  get serviceDescription(): Service {
    return this.service
  }

  /** Canary tasks that have not been told to stop. */
  liveTasks(): Task[] {
    return this.tasks.filter((t) => t.desiredStatus !== 'STOPPED' && t.lastStatus !== 'STOPPED')
  }

  /** The target a running canary task takes traffic at: its private IP and the container port. */
  targetOf(task: Task): TargetDescription | undefined {
    const ip = privateIp(task)
    return ip ? { Id: ip, Port: this.entry.containerPort } : undefined
  }

  /** Targets in the group (not draining) that belong to canary tasks, live or stopped. */
  registeredCanary(): TargetDescription[] {
    const own = new Set(
      this.tasks.flatMap((t) => {
        const target = this.targetOf(t)
        return target ? [targetId(target)] : []
      })
    )
    return this.targets
      .filter(
        (d) => d.TargetHealth?.State !== 'draining' && d.Target && own.has(targetId(d.Target))
      )
      .map((d) => ({ Id: d.Target!.Id, Port: d.Target!.Port }))
  }

  /** Healthy targets: canary ones and all, for the honest share the summary shows. */
  healthyCounts(): { canary: number; all: number } {
    const canary = new Set(this.registeredCanary().map(targetId))
    const healthy = this.targets.filter((d) => d.TargetHealth?.State === 'healthy' && d.Target)
    return {
      canary: healthy.filter((d) => canary.has(targetId(d.Target!))).length,
      all: healthy.length
    }
  }

  async refreshTargets(): Promise<void> {
    this.targets = await readTargets(this.elb, this.entry.targetGroup)
  }

  async probe(color: Color): Promise<ColorHealth> {
    const [state, tasks, targets] = await Promise.all([
      readService(this.ecs, this.options.cluster, this.scope.serviceArn),
      describeTasks(
        this.ecs,
        this.options.cluster,
        this.tasks.map((t) => t.taskArn ?? '')
      ),
      readTargets(this.elb, this.entry.targetGroup)
    ])
    this.service = state.described ?? this.service
    this.tasks = tasks
    this.targets = targets
    this.assignment = this.assign()
    return this.health()[color]
  }

  /** Nothing to free after a promote: the service is the only capacity, and it serves. */
  async retire(): Promise<undefined> {
    return undefined
  }

  /**
   * An undo: the service rolls back to the colour's revision (recorded when the promote rolled it
   * forward) and the rollout is awaited. Nothing when the service runs it already.
   */
  async restore(color: Color): Promise<string | undefined> {
    if (color === this.serviceColor || this.liveTasks().length > 0) return undefined
    return this.rollTo(color, false)
  }

  /**
   * Rolls the service to `color`'s revision and waits for the rollout. A promote first records
   * the revision it leaves on the service (`<tag-key>PreviousRevision`), which an undo returns to.
   */
  async rollTo(color: Color, record: boolean): Promise<string | undefined> {
    const revision = this.assignment.revisions[color]
    if (!revision) {
      throw new StateError(
        `The revision ${color} runs is unknown, so service ${this.service.serviceName} cannot be rolled to it.`
      )
    }
    const current = this.assignment.revisions[this.serviceColor]
    const lines: string[] = []
    if (record && current && color !== this.serviceColor) {
      const key = previousRevisionTag(this.options.tagKey)
      await awsCall('ecs:TagResource', () =>
        this.ecs.send(
          new TagResourceCommand({
            resourceArn: this.scope.serviceArn,
            tags: [{ key, value: this.serviceTaskDefinition() }]
          })
        )
      )
      this.tags[key] = this.serviceTaskDefinition()
      lines.push(`service tag ${key}: ${this.serviceTaskDefinition()}`)
    }
    const rolled = await rollService(
      this.ecs,
      { cluster: this.options.cluster, service: this.service },
      revision,
      {
        clock: this.options.clock,
        timeoutMs: this.options.timeoutMs,
        pollMs: this.options.pollMs,
        log: this.options.log
      }
    ).catch((error: unknown) => {
      // What was written before the failure travels with it: the tag, then UpdateService.
      const written = [...lines, ...writtenBefore(error)]
      if (error instanceof InterruptedWaitError) {
        throw new InterruptedWaitError(
          `${error.message} ${this.rolloutLeft(revision, current, record)}`,
          written
        )
      }
      throw written.length > 0 ? new PartialWriteError(messageOf(error), written) : error
    })
    if (rolled) lines.push(`${rolled} (rollout COMPLETED)`)
    const state = await readService(this.ecs, this.options.cluster, this.scope.serviceArn)
    this.service = state.described ?? this.service
    this.assignment = this.assign()
    return lines.length > 0 ? lines.join('; ') : undefined
  }

  /** What a cancelled rollout leaves and what finishes it, the end of its failure message. */
  private rolloutLeft(revision: string, before: string | undefined, promote: boolean): string {
    const name = this.service.serviceName
    if (!promote) {
      return (
        `Service ${name}'s tasks move back to ${versionOf(revision)}; nothing else was changed. ` +
        'Run mode rollback again to see it finished.'
      )
    }
    const live = this.liveTasks()
    const tasks =
      live.length > 0 ? `the canary task(s) ${live.map(taskId).join(', ')} still run, and ` : ''
    const back = before ? `, or mode rollback to roll the service back to ${versionOf(before)}` : ''
    return (
      `Service ${name}'s tasks move to ${versionOf(revision)} and take all of its traffic; ${tasks}` +
      `the stable tag still names ${this.stable}. Run mode promote again to finish the promote ` +
      `(it waits for the rollout, releases the canary and writes the tag)${back}.`
    )
  }

  releasable(color: Color): boolean {
    return (
      color === this.canary && (this.liveTasks().length > 0 || this.registeredCanary().length > 0)
    )
  }

  /**
   * The canary tasks once no route needs them (the canary at 0 %, or the service now running
   * their revision): their targets deregistered and drained first, then the tasks stopped, so no
   * request goes to a stopped task.
   */
  async release(color: Color): Promise<string[]> {
    if (!this.releasable(color)) return []
    const lines: string[] = []
    const registered = this.registeredCanary()
    if (registered.length > 0) lines.push(await this.deregister(registered))
    const live = this.liveTasks()
    if (this.drainCancelled && live.length > 0) {
      // Stopping them now would cut the requests they still serve.
      throw new InterruptedWaitError(
        `The cancel ended the wait while canary target(s) drained in ${this.entry.targetGroup}: ` +
          `they take no new request, and canary task(s) ${live.map(taskId).join(', ')} still run ` +
          `(stopped only once drained). ${lines.length > 0 ? `Written: ${lines.join('; ')}. ` : ''}` +
          this.releaseLeft()
      )
    }
    if (live.length > 0) {
      await stopTasks(
        this.ecs,
        this.options.cluster,
        live.map((t) => t.taskArn ?? ''),
        'canary released by ecs-canary-action'
      )
      for (const task of live) task.desiredStatus = 'STOPPED'
      lines.push(`canary task(s) stopped: ${live.map(taskId).join(', ')}`)
    }
    return lines
  }

  async register(targets: TargetDescription[]): Promise<string> {
    await registerTargets(this.elb, this.entry.targetGroup, targets)
    await this.refreshTargets()
    return `target group ${this.entry.targetGroup}: registered ${targets.map(targetId).join(', ')}`
  }

  /**
   * Deregisters the targets and waits while they drain. A cancel ends the wait: the targets take
   * no new request, and `release` then leaves their tasks running.
   */
  async deregister(targets: TargetDescription[]): Promise<string> {
    const drained = await deregisterAndDrain(this.elb, this.entry.targetGroup, targets, {
      clock: this.options.clock,
      capMs: this.options.drainCapMs,
      pollMs: this.options.pollMs,
      log: this.options.log
    })
    if (drained.cancelled) this.drainCancelled = true
    await this.refreshTargets()
    const seconds = Math.round(drained.waitedMs / 1000)
    return (
      `target group ${this.entry.targetGroup}: deregistered ${targets.map(targetId).join(', ')}` +
      (drained.cancelled
        ? ` (draining; the cancel ended the wait after ${seconds} s)`
        : ` (drained in ${seconds} s)`)
    )
  }

  /** What finishes a release the cancel cut short: the service's colour says which mode. */
  private releaseLeft(): string {
    const version = versionOf(this.serviceTaskDefinition())
    return this.serviceColor === this.canary
      ? `Service ${this.service.serviceName} runs the canary's ${version} and takes all traffic; ` +
          `the stable tag still names ${this.stable}. Run mode promote again to finish the promote.`
      : `Service ${this.service.serviceName} (${version}) takes all traffic. Run mode rollback to stop the canary task(s).`
  }

  /** A plain rollback with no canary task left has only the last promote to take back. */
  get undoOnRollback(): boolean {
    return (
      !this.releasable(this.canary) &&
      this.serviceColor === this.stable &&
      this.assignment.revisions[this.canary] !== undefined &&
      this.trustedPrevious() !== undefined
    )
  }

  async details(): Promise<PerColor<TaskDefinitionInfo | undefined>> {
    const read = (color: Color) => {
      const arn = this.assignment.revisions[color]
      return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined)
    }
    const [Blue, Green] = await Promise.all(COLORS.map(read))
    return { Blue, Green }
  }

  private serviceTaskDefinition(): string {
    const primary = this.service.deployments?.find((d) => d.status === 'PRIMARY')
    return primary?.taskDefinition ?? this.service.taskDefinition ?? ''
  }

  private trustedPrevious(): string | undefined {
    return trustedPreviousRevision(
      this.tags[previousRevisionTag(this.options.tagKey)],
      this.serviceTaskDefinition()
    )
  }

  /**
   * The last deploy's record, trusted only for a revision of the service's own family: a promote
   * rolls the service to it, and a tag someone else wrote must not point it elsewhere.
   */
  private trustedDeploy(): { color: Color; version: string } | undefined {
    const record = parseDeployRecord(this.tags[tagNames(this.options.tagKey).deploy])
    const family = familyOfReference(this.serviceTaskDefinition())
    return record && familyOfReference(record.version) === family ? record : undefined
  }

  private assign(): ColorAssignment {
    const running = this.liveTasks()[0]?.taskDefinitionArn
    const deployed = this.trustedDeploy()
    const previous = this.trustedPrevious()
    return assignColors({
      stable: this.stable,
      serviceTaskDefinition: this.serviceTaskDefinition(),
      ...(running ? { canaryTaskDefinition: running } : {}),
      ...(deployed ? { deployed } : {}),
      ...(previous ? { previousRevision: previous } : {})
    })
  }

  private health(): PerColor<ColorHealth> {
    const own = new Set(this.registeredCanary().map(targetId))
    const serviceTargets = summarize(
      this.entry.targetGroup,
      this.targets.filter((d) => !d.Target || !own.has(targetId(d.Target)))
    )
    const canaryTargets = summarize(
      this.entry.targetGroup,
      this.targets.filter((d) => d.Target && own.has(targetId(d.Target)))
    )
    const serviceColor = this.serviceColor
    const unit = {
      ...serviceUnit(serviceColor, this.service),
      noun: 'Service tasks',
      taskDefinitionArn: this.serviceTaskDefinition()
    }
    const served: ColorHealth = {
      unit,
      targets: serviceTargets,
      blockers: serviceBlockers(unit, serviceTargets),
      retired: false
    }
    const other = otherColor(serviceColor)
    const tasks = other === this.canary ? this.tasks : []
    const canary = this.canaryHealth(other, tasks, canaryTargets)
    return { [serviceColor]: served, [other]: canary } as PerColor<ColorHealth>
  }

  private canaryHealth(color: Color, tasks: Task[], targets: TargetHealthSummary): ColorHealth {
    const live = tasks.filter((t) => t.desiredStatus !== 'STOPPED')
    const registered = new Set(targets.total > 0 ? this.registeredCanary().map(targetId) : [])
    const died = tasks.filter((t) => {
      if (t.lastStatus !== 'STOPPED' || this.releasedHere(t)) return false
      const target = this.targetOf(t)
      return this.liveAtStart.has(t.taskArn ?? '') || (target && registered.has(targetId(target)))
    })
    const blockers: string[] = []
    if (live.length === 0) {
      blockers.push('no canary task runs: give "image" or "task-definition" to start one')
    }
    for (const task of live.filter((t) => t.lastStatus !== 'RUNNING')) {
      blockers.push(`canary task ${taskId(task)} is ${task.lastStatus ?? 'unknown'}`)
    }
    const stopped = died.map((t) => ({
      id: `task ${taskId(t)}`,
      state: 'unhealthy',
      reason: `stopped: ${stopReason(t)}`
    }))
    for (const s of stopped) blockers.push(`canary ${s.id} ${s.reason}`)
    if (live.length > 0 && targets.total === 0) {
      blockers.push('no canary task is registered in the target group yet')
    }
    for (const t of targets.notHealthy) {
      blockers.push(`target ${t.id} is ${t.state}${t.reason ? ` (${t.reason})` : ''}`)
    }
    return {
      unit: {
        color,
        arn: live[0]?.taskArn ?? '',
        label: live.length > 0 ? live.map(taskId).join(', ') : 'none',
        noun: 'Canary tasks',
        status: live[0]?.lastStatus ?? 'NONE',
        stability: live.every((t) => t.lastStatus === 'RUNNING') ? 'RUNNING' : 'STARTING',
        running: live.filter((t) => t.lastStatus === 'RUNNING').length,
        desired: live.length,
        taskDefinitionArn: this.assignment.revisions[color]
      },
      targets: { ...targets, notHealthy: [...targets.notHealthy, ...stopped] },
      blockers,
      ...(stopped.length > 0 ? { fatal: stopped.map((s) => `canary ${s.id} ${s.reason}`) } : {}),
      retired: live.length === 0
    }
  }

  /** A task the action stopped itself is not a canary that died. */
  private releasedHere(task: Task): boolean {
    return task.stoppedReason === 'canary released by ecs-canary-action'
  }
}

function summarize(targetGroupArn: string, found: TargetHealthDescription[]): TargetHealthSummary {
  const summary: TargetHealthSummary = { targetGroupArn, total: 0, healthy: 0, notHealthy: [] }
  for (const d of found) {
    const state = d.TargetHealth?.State ?? 'unknown'
    if (state === 'draining') continue
    summary.total += 1
    if (state === 'healthy') summary.healthy += 1
    else {
      summary.notHealthy.push({
        id: `${d.Target?.Id ?? '?'}${d.Target?.Port ? `:${d.Target.Port}` : ''}`,
        state,
        reason: d.TargetHealth?.Reason
      })
    }
  }
  return summary
}

async function readTargets(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string
): Promise<TargetHealthDescription[]> {
  const read = await awsCall('elasticloadbalancing:DescribeTargetHealth', () =>
    elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup }))
  )
  return read.TargetHealthDescriptions ?? []
}

/** The service's one target group entry; refuses a service without one (or with several). */
function loadBalancerEntry(name: string, service: Service): Entry {
  const entries = (service.loadBalancers ?? []).filter((lb) => lb.targetGroupArn)
  if (entries.length === 0) {
    throw new StateError(
      `Service ${name} has no load balancer target group, so a canary task has nowhere to take ` +
        "traffic. A standalone canary joins the target group of the service's load balancer entry; " +
        'add one to the service, or use "blue-service"/"green-service" or task sets. Nothing was written.'
    )
  }
  if (entries.length > 1) {
    throw new StateError(
      `Service ${name} registers in ${entries.length} target groups (${entries.map((e) => e.targetGroupArn).join(', ')}); ` +
        'a standalone canary joins exactly one. Nothing was written.'
    )
  }
  const [lb] = entries
  return {
    targetGroup: lb.targetGroupArn ?? '',
    containerName: lb.containerName ?? '',
    containerPort: lb.containerPort ?? 0
  }
}

function refuseCanaryCount(name: string, service: Service, canaryTasks: number): void {
  const desired = service.desiredCount ?? 0
  if (canaryTasks <= desired) return
  throw new StateError(
    `"canary-tasks" is ${canaryTasks}, more than service ${name}'s desired count of ${desired}: ` +
      'the canary must stay the smaller part. Lower "canary-tasks" or scale the service up. Nothing was written.'
  )
}

/** Canary targets are IPs: a Lambda group, or instance targets (bridge/host), are refused. */
async function checkTargetType(
  elb: ElasticLoadBalancingV2Client,
  targetGroup: string
): Promise<void> {
  const read = await awsCall('elasticloadbalancing:DescribeTargetGroups', () =>
    elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroup] }))
  )
  const type = read.TargetGroups?.[0]?.TargetType ?? 'instance'
  if (type === 'ip') return
  throw new StateError(
    `Target group ${targetGroup} has target type ${type}; a standalone canary task joins it by its ` +
      `private IP, which needs target type ip (awsvpc tasks).` +
      (type === 'lambda' ? ' A Lambda target group has no tasks at all.' : '') +
      ' Nothing was written.'
  )
}

/** awsvpc tasks need the service's network configuration; bridge and host networking are refused. */
async function checkNetwork(ecs: ECSClient, name: string, service: Service): Promise<void> {
  const read = await awsCall('ecs:DescribeTaskDefinition', () =>
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition ?? '' }))
  )
  const mode = read.taskDefinition?.networkMode ?? 'bridge'
  if (mode !== 'awsvpc') {
    throw new StateError(
      `Service ${name} runs task definition ${service.taskDefinition} with network mode ${mode}; ` +
        'a standalone canary task is registered by its private IP, which needs network mode awsvpc. ' +
        'Nothing was written.'
    )
  }
  if (!service.networkConfiguration?.awsvpcConfiguration) {
    throw new StateError(
      `Service ${name} uses network mode awsvpc but has no network configuration to start a canary ` +
        'task with (subnets, security groups). Nothing was written.'
    )
  }
}
