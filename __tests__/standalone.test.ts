/**
 * Standalone canary tasks beside a rolling service: the pure parts (shares in whole tasks, the
 * marker, which colour the service is, which shape the inputs pick) and the call sequences of
 * each mode against an in-memory rolling service (__fixtures__/rolling.ts).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { DeploymentRolloutState, Service } from '@aws-sdk/client-ecs'
import { mockRolling, RARN, rollingWorld, type MockRolling } from '../__fixtures__/rolling.js'
import { inputsFrom } from '../__fixtures__/inputs.js'
import type { Clock } from '../src/clock.js'
import { kindFromInputs } from '../src/compose.js'
import { InputError, PlanError } from '../src/errors.js'
import { MemoryLogger } from '../src/logger.js'
import { runPipeline } from '../src/pipeline.js'
import {
  canaryCountFor,
  nearestShares,
  reachableShares,
  shareOf
} from '../src/routers/task-count/task-shares.js'
import { canaryMarker, isOwnTask, trustedPreviousRevision } from '../src/workloads/canary-marker.js'
import { assignColors } from '../src/workloads/standalone-colors.js'
import { rolloutVerdict } from '../src/workloads/service-rollout.js'

describe('shares in whole tasks', () => {
  it('1 canary beside 2 service tasks is 33.3 %', () => {
    expect(shareOf(1, 2)).toBe(333)
    expect(reachableShares(2, 1)).toEqual([0, 333, 1000])
    expect(reachableShares(3, 2)).toEqual([0, 250, 400, 1000])
  })

  it('a share no task count gives is refused with the nearest ones', () => {
    expect(nearestShares(333, 2, 1)).toEqual([333])
    expect(nearestShares(100, 2, 1)).toEqual([0, 333])
    expect(nearestShares(500, 2, 1)).toEqual([333, 1000])
  })

  it('every reachable share maps back to its task count, and others to none', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 999 }),
        (service, max, share) => {
          const k = canaryCountFor(share, service, max)
          if (k === undefined) {
            const nearest = nearestShares(share, service, max)
            expect(nearest).not.toContain(share)
            expect(nearest.every((s) => reachableShares(service, max).includes(s))).toBe(true)
          } else {
            expect(k).toBeLessThanOrEqual(max)
            expect(shareOf(k, service)).toBe(share)
            expect(nearestShares(share, service, max)).toEqual([share])
          }
        }
      )
    )
  })
})

describe('the canary marker', () => {
  it('names the tag key and the service within ECS limits', () => {
    expect(canaryMarker('StableStack', 'web')).toBe('StableStack-canary/web')
    expect(canaryMarker('Stable Stack', 'web.v2')).toBe('Stable_Stack-canary/web_v2')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (key, name) => {
        const marker = canaryMarker(key, name)
        expect(marker.length).toBeLessThanOrEqual(128)
        expect(marker).toMatch(/^[A-Za-z0-9/_-]*$/)
      })
    )
  })

  it('keeps long names apart', () => {
    const a = canaryMarker('StableStack', 'x'.repeat(200) + 'a')
    const b = canaryMarker('StableStack', 'x'.repeat(200) + 'b')
    expect(a).not.toBe(b)
  })

  it('trusts a task only with its tag naming this service', () => {
    const tag = [{ key: 'StableStackCanaryOf', value: RARN.service }]
    expect(isOwnTask(tag, 'StableStack', RARN.service)).toBe(true)
    expect(isOwnTask(tag, 'StableStack', RARN.service + '2')).toBe(false)
    expect(isOwnTask([], 'StableStack', RARN.service)).toBe(false)
  })

  it('trusts a previous revision only of the service family', () => {
    expect(trustedPreviousRevision(RARN.td(1), RARN.td(2))).toBe(RARN.td(1))
    const other = 'arn:aws:ecs:us-east-1:123456789012:task-definition/other:1'
    expect(trustedPreviousRevision(other, RARN.td(2))).toBeUndefined()
    expect(trustedPreviousRevision('web:1', RARN.td(2))).toBeUndefined()
  })
})

describe('which colour the service is', () => {
  const base = { stable: 'Blue' as const, serviceTaskDefinition: RARN.td(1) }
  it.each([
    ['steady', base, 'Blue', { Blue: RARN.td(1), Green: undefined }],
    [
      'canary running',
      { ...base, canaryTaskDefinition: RARN.td(2) },
      'Blue',
      { Blue: RARN.td(1), Green: RARN.td(2) }
    ],
    [
      'a promote rolled the service and stopped before its tag',
      {
        ...base,
        serviceTaskDefinition: RARN.td(2),
        deployed: { color: 'Green' as const, version: 'web:2' },
        previousRevision: RARN.td(1)
      },
      'Green',
      { Blue: RARN.td(1), Green: RARN.td(2) }
    ],
    [
      'promoted: the undo goes back to the recorded revision',
      {
        stable: 'Green' as const,
        serviceTaskDefinition: RARN.td(2),
        deployed: { color: 'Green' as const, version: 'web:2' },
        previousRevision: RARN.td(1)
      },
      'Green',
      { Green: RARN.td(2), Blue: RARN.td(1) }
    ]
  ])('%s', (_name, facts, serviceColor, revisions) => {
    expect(assignColors(facts)).toEqual({ serviceColor, revisions })
  })
})

describe('the rollout verdict', () => {
  const service = (state: DeploymentRolloutState, td = RARN.td(2)): Service => ({
    serviceName: 'web',
    deployments: [
      {
        status: 'PRIMARY',
        rolloutState: state,
        rolloutStateReason: 'tasks failed',
        taskDefinition: td
      }
    ]
  })
  it('completed, failed, in progress, rolled back by the circuit breaker', () => {
    expect(rolloutVerdict(service('COMPLETED'), RARN.td(2))).toEqual({ done: true })
    expect(rolloutVerdict(service('FAILED'), RARN.td(2))).toMatchObject({
      failure: expect.stringContaining('FAILED (tasks failed)')
    })
    expect(rolloutVerdict(service('IN_PROGRESS'), RARN.td(2))).toEqual({
      done: false,
      state: 'IN_PROGRESS'
    })
    expect(rolloutVerdict(service('IN_PROGRESS', RARN.td(1)), RARN.td(2))).toMatchObject({
      failure: expect.stringContaining('circuit breaker rolled service web back to web:1')
    })
  })
})

describe('choosing the shape', () => {
  const given = (extra: Record<string, string>) =>
    inputsFrom({ mode: 'canary', cluster: 'c', service: 'web', ...extra })
  it('inputs that name task sets or a route decide at once', () => {
    expect(kindFromInputs(given({ 'stack-name': 's' }))).toBe('task-sets')
    expect(
      kindFromInputs(
        given({
          'blue-target-group': RARN.tg,
          'green-target-group': RARN.tg.replace('1111', '2222')
        })
      )
    ).toBe('task-sets')
    expect(kindFromInputs(given({ workload: 'standalone-task' }))).toBe('standalone-task')
    expect(kindFromInputs(given({ workload: 'task-sets', 'stack-name': 's' }))).toBe('task-sets')
  })
  it('leaves it to the service when nothing is named', () => {
    expect(kindFromInputs(given({}))).toBeUndefined()
  })
  it('refuses standalone-task with task-set locations, and a bad workload', () => {
    expect(() => given({ workload: 'standalone-task', 'stack-name': 's' })).toThrow(InputError)
    expect(() => given({ workload: 'pods' })).toThrow(/"workload" is "pods"/)
    expect(() => given({ 'canary-tasks': '0' })).toThrow(/"canary-tasks" is "0"/)
    expect(() => given({ 'canary-tasks': 'two' })).toThrow(InputError)
  })
})

// ---------------------------------------------------------------------------------------------
// Call sequences against the in-memory rolling service.

let aws: MockRolling
afterEach(() => aws?.restore())

/** A clock whose sleeps pass at once; `onFirstSleep` runs before the first one returns. */
function fakeClock(onFirstSleep?: () => void): Clock {
  let now = 0
  let first = onFirstSleep
  return {
    now: () => now,
    sleep: async (ms: number) => {
      first?.()
      first = undefined
      now += ms
    }
  }
}

function run(
  extra: Record<string, string>,
  log = new MemoryLogger(),
  clock = fakeClock(),
  signal?: AbortSignal
) {
  return runPipeline(inputsFrom({ cluster: 'c', service: 'web', ...extra }), {
    clients: aws.clients,
    log,
    clock,
    pollMs: 10,
    ...(signal ? { signal } : {})
  })
}

/** A run the runner cancels at its first wait, as SIGINT does through main.ts. */
function cancelledRun(extra: Record<string, string>) {
  const cancel = new AbortController()
  return run(
    extra,
    new MemoryLogger(),
    fakeClock(() => cancel.abort()),
    cancel.signal
  )
}

const canary = { mode: 'canary', image: 'registry.example.com/web:2.0', 'canary-weight': '33.3' }
const canaryTargets = () => aws.world.targets.filter((t) => t.Id.startsWith('10.0.1.'))
const live = () => aws.world.tasks.filter((t) => t.desiredStatus === 'RUNNING')

describe('canary', () => {
  it('registers a revision, starts one task, registers it: 1 of 3 targets', async () => {
    aws = mockRolling()
    const result = await run(canary)
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).toEqual([
      'RegisterTaskDefinition',
      'RunTask',
      'TagResource',
      'RegisterTargets'
    ])
    expect(result.splitAfter).toEqual({ Blue: 667, Green: 333 })
    const [task] = live()
    expect(task.startedBy).toBe('StableStack-canary/web')
    expect(task.taskDefinitionArn).toBe(RARN.td(2))
    expect(canaryTargets()).toEqual([{ Id: '10.0.1.10', Port: 8080, State: 'healthy' }])
    // RunTask as the service starts a task.
    expect(aws.world.definitions.get(RARN.td(2))?.containerDefinitions?.[0].image).toBe(
      'registry.example.com/web:2.0'
    )
    expect(result.state.health.Green.unit.noun).toBe('Canary tasks')
  })

  it('a rerun adopts the running canary and writes nothing', async () => {
    aws = mockRolling()
    await run(canary)
    const before = aws.writes().length
    const again = await run(canary)
    expect(aws.writes().slice(before)).toEqual([])
    expect(again.changed).toBe(false)
    expect(live()).toHaveLength(1)
  })

  it('a crashed run’s task (started, not registered) is adopted, not started twice', async () => {
    aws = mockRolling()
    await run({ ...canary, mode: 'deploy' })
    expect(live()).toHaveLength(1)
    expect(canaryTargets()).toEqual([])
    const before = aws.writes().length
    const result = await run(canary)
    expect(aws.writes().slice(before)).toEqual(['RegisterTargets'])
    expect(live()).toHaveLength(1)
    expect(result.splitAfter.Green).toBe(333)
  })

  it('a task with the marker but not the tag is not adopted', async () => {
    aws = mockRolling()
    aws.world.tasks.push({
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/intruder',
      startedBy: 'StableStack-canary/web',
      desiredStatus: 'RUNNING',
      lastStatus: 'RUNNING',
      taskDefinitionArn: RARN.td(1),
      tags: []
    })
    await run(canary)
    expect(aws.writes()).toContain('RunTask')
    expect(aws.world.tasks.find((t) => t.taskArn?.endsWith('intruder'))?.desiredStatus).toBe(
      'RUNNING'
    )
  })

  it('RunTask failures stop what started and fail with AWS’s reason', async () => {
    aws = mockRolling(rollingWorld({ runFailure: 'RESOURCE:MEMORY' }))
    const result = await run({ ...canary, 'canary-tasks': '2' })
    expect(result.failure).toMatch(/RESOURCE:MEMORY/)
    expect(result.failure).toMatch(/stopped/)
    expect(aws.writes()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask'])
    expect(live()).toEqual([])
    expect(canaryTargets()).toEqual([])
  })

  it('a task without an IP in time is stopped and the run fails', async () => {
    aws = mockRolling(rollingWorld({ noIp: true }))
    const result = await run({ ...canary, 'health-timeout-seconds': '1' })
    expect(result.failure).toMatch(/not RUNNING with a private IP/)
    expect(aws.writes()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask'])
  })

  it('a canary task that dies during the bake fails the gate: deregistered, named, stopped', async () => {
    aws = mockRolling()
    // The first sleep of the run is the bake's first poll: the task dies then.
    const clock = fakeClock(() => {
      const [task] = live()
      Object.assign(task, {
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stoppedReason: 'Essential container in task exited'
      })
    })
    const result = await run({ ...canary, 'bake-time': '30s' }, new MemoryLogger(), clock)
    expect(result.failure).toMatch(/Essential container in task exited/)
    expect(canaryTargets()).toEqual([])
    const writes = aws.writes()
    expect(writes.slice(writes.indexOf('RegisterTargets'))).toEqual([
      'RegisterTargets',
      'DeregisterTargets'
    ])
    expect(result.splitAfter).toEqual({ Blue: 1000, Green: 0 })
  })
})

describe('the canary revision', () => {
  it('a second canary after a rollback runs the revision the first registered, not a copy', async () => {
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'rollback' })
    const before = aws.writes().length
    const again = await run(canary)
    expect(again.failure).toBeUndefined()
    expect(aws.writes().slice(before)).not.toContain('RegisterTaskDefinition')
    expect(aws.world.definitions.size).toBe(2)
    expect(live().map((t) => t.taskDefinitionArn)).toEqual([RARN.td(2)])
  })

  it('registers when the recorded revision differs or is inactive', async () => {
    // Another image: the recorded web:2 is not what is asked for.
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'rollback' })
    await run({ ...canary, image: 'registry.example.com/web:3.0' })
    expect(aws.world.definitions.size).toBe(3)
    aws.restore()
    // An inactive revision cannot run new tasks.
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'rollback' })
    aws.world.definitions.get(RARN.td(2))!.status = 'INACTIVE'
    await run(canary)
    expect(live().map((t) => t.taskDefinitionArn)).toEqual([RARN.td(3)])
  })
})

describe('rollback', () => {
  it('deregisters, waits for draining, then stops the task; a rerun writes nothing', async () => {
    aws = mockRolling()
    await run(canary)
    const before = aws.calls().length
    const result = await run({ mode: 'rollback' })
    const calls = aws.calls().slice(before)
    const deregister = calls.indexOf('DeregisterTargets')
    const drained = calls.indexOf('DescribeTargetHealth', deregister)
    expect(deregister).toBeGreaterThan(-1)
    expect(drained).toBeGreaterThan(deregister)
    expect(calls.indexOf('StopTask')).toBeGreaterThan(drained)
    expect(result.splitAfter).toEqual({ Blue: 1000, Green: 0 })
    expect(live()).toEqual([])
    const after = aws.writes().length
    const again = await run({ mode: 'rollback' })
    expect(aws.writes().slice(after)).toEqual([])
    expect(again.changed).toBe(false)
  })
})

describe('promote and undo', () => {
  it('rolls the service to the canary, then releases the canary, then the tag', async () => {
    aws = mockRolling()
    await run(canary)
    const before = aws.writes().length
    const result = await run({ mode: 'promote' })
    expect(result.failure).toBeUndefined()
    expect(aws.writes().slice(before)).toEqual([
      'TagResource',
      'UpdateService',
      'DeregisterTargets',
      'StopTask',
      'TagResource'
    ])
    expect(aws.world.service.taskDefinition).toBe(RARN.td(2))
    expect(aws.world.tags.StableStack).toBe('Green')
    expect(aws.world.tags.StableStackPreviousRevision).toBe(RARN.td(1))
    expect(live()).toEqual([])
    const after = aws.writes().length
    await run({ mode: 'promote' })
    expect(aws.writes().slice(after)).toEqual([])
  })

  it('a canary rerun after the promote (the service runs that image) writes nothing, exit 0', async () => {
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'promote' })
    const before = aws.writes().length
    const log = new MemoryLogger()
    const again = await run(canary, log)
    expect(again.failure).toBeUndefined()
    expect(again.plan.reason).toBe(
      'Nothing to canary: service web runs this version already (web:2). Deploy a new image or revision for a canary.'
    )
    expect(log.lines).toContain(
      'Deploy: service web runs this version already (web:2); nothing to deploy.'
    )
    expect(aws.writes().slice(before)).toEqual([])
    expect(again.changed).toBe(false)
    expect(aws.world.service.taskDefinition).toBe(RARN.td(2))
    expect(aws.world.tags.StableStack).toBe('Green')
    expect(live()).toEqual([])
  })

  it('a canary of the image the service runs, without a promote record, is a no-op too', async () => {
    aws = mockRolling()
    const result = await run({ ...canary, image: 'web:1.0' })
    expect(result.failure).toBeUndefined()
    expect(result.plan.steps).toEqual([])
    expect(result.plan.reason).toMatch(
      /^Nothing to canary: service web runs this version already \(web:1\)/
    )
    expect(aws.writes()).toEqual([])
  })

  it('a promote whose rollout fails says so and leaves the tag', async () => {
    aws = mockRolling()
    await run(canary)
    aws.world.rollout = 'FAILED'
    const result = await run({ mode: 'promote' })
    expect(result.failure).toMatch(/FAILED/)
    expect(aws.world.tags.StableStack).toBeUndefined()
  })

  it('a circuit-breaker rollback fails the promote, saying so', async () => {
    aws = mockRolling()
    await run(canary)
    aws.world.rollout = 'CIRCUIT_BREAKER'
    const result = await run({ mode: 'promote' })
    // The failed deployment's own reason, not the rollback deployment's.
    expect(result.failure).toMatch(
      /^The deployment circuit breaker rolled service web back to web:1: web:2 did not become healthy \(ECS deployment circuit breaker: tasks failed to start\.\)\./
    )
    // The tag and UpdateService were written before the rollout failed: the run reports them.
    expect(result.changed).toBe(true)
    expect(result.writes).toEqual([
      expect.stringMatching(/^service tag StableStackPreviousRevision: /),
      'service web: task definition web:1 → web:2'
    ])
    expect(result.failure).not.toMatch(/nothing was written/i)
    expect(result.failure).toMatch(/the stable colour is Blue\.$/)
  })

  it('a plain rollback after a promote rolls the service back to the recorded revision', async () => {
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'promote' })
    const before = aws.writes().length
    const result = await run({ mode: 'rollback' })
    expect(result.failure).toBeUndefined()
    expect(aws.writes().slice(before)).toEqual(['UpdateService', 'TagResource', 'UntagResource'])
    expect(aws.world.service.taskDefinition).toBe(RARN.td(1))
    expect(aws.world.tags.StableStack).toBe('Blue')
    const after = aws.writes().length
    await run({ mode: 'rollback' })
    expect(aws.writes().slice(after)).toEqual([])
  })

  it('a rollback after a new canary stops the canary and does not undo the earlier promote', async () => {
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'promote' })
    await run({ ...canary, image: 'registry.example.com/web:3.0' })
    expect(aws.world.tags.StableStackPreviousRevision).toBeUndefined()
    await run({ mode: 'rollback' })
    const after = aws.writes().length
    await run({ mode: 'rollback' })
    expect(aws.writes().slice(after)).toEqual([])
    expect(aws.world.service.taskDefinition).toBe(RARN.td(2))
  })
})

describe('a cancel during a wait', () => {
  it('while the canary task starts: the task is left without traffic, and the rerun adopts it', async () => {
    aws = mockRolling(rollingWorld({ noIp: true }))
    const result = await cancelledRun(canary)
    expect(result.failure).toMatch(/^Cancelled while the canary task\(s\) started/)
    expect(result.failure).toMatch(/adopts them/)
    expect(result.failure).toMatch(/carries no traffic/)
    expect(aws.writes()).not.toContain('StopTask')
    expect(live()).toHaveLength(1)
    expect(canaryTargets()).toEqual([])
    // The task comes up; the next canary registers it and starts none.
    Object.assign(live()[0], {
      lastStatus: 'RUNNING',
      attachments: [{ details: [{ name: 'privateIPv4Address', value: '10.0.1.99' }] }]
    })
    const before = aws.writes().length
    const again = await run(canary)
    expect(again.failure).toBeUndefined()
    expect(aws.writes().slice(before)).toEqual(['RegisterTargets'])
    expect(again.splitAfter.Green).toBe(333)
  })

  it('while canary targets drain: deregistered, tasks left running, rollback stops them', async () => {
    aws = mockRolling()
    await run(canary)
    // The first wait is the bake's: the cancel rolls back, and the drain's wait ends at once.
    const result = await cancelledRun({ ...canary, 'bake-time': '30s' })
    expect(result.failure).toMatch(/^Cancelled\. The cancel ended the wait while canary target/)
    expect(result.failure).toMatch(/still run/)
    expect(result.failure).toMatch(/Run mode rollback to stop/)
    expect(aws.writes()).toContain('DeregisterTargets')
    expect(aws.writes()).not.toContain('StopTask')
    expect(live()).toHaveLength(1)
    const before = aws.writes().length
    const rollback = await run({ mode: 'rollback' })
    expect(rollback.failure).toBeUndefined()
    expect(aws.writes().slice(before)).toEqual(['StopTask'])
    expect(live()).toEqual([])
  })

  it('while a promote rolls the service out: ECS carries on, nothing is undone, a rerun finishes', async () => {
    aws = mockRolling(rollingWorld({ rolloutReads: 3 }))
    await run(canary)
    const before = aws.writes().length
    const result = await cancelledRun({ mode: 'promote' })
    expect(result.failure).toMatch(/rollout to web:2 \(IN_PROGRESS\); ECS carries it on/)
    expect(result.failure).toMatch(/canary task\(s\) t1 still run/)
    expect(result.failure).toMatch(/Run mode promote again to finish/)
    expect(result.failure).toMatch(/mode rollback to roll the service back to web:1\.$/)
    // The previous revision recorded, the service updated once, never rolled back over it.
    expect(aws.writes().slice(before)).toEqual(['TagResource', 'UpdateService'])
    expect(aws.world.tags.StableStack).toBeUndefined()
    expect(live()).toHaveLength(1)
    const again = await run({ mode: 'promote' })
    expect(again.failure).toBeUndefined()
    expect(aws.world.tags.StableStack).toBe('Green')
    expect(live()).toEqual([])
  })
})

describe('what a tag may point at, and what a rollback waits for', () => {
  it('a deploy record naming another family is not a revision the service is rolled to', async () => {
    aws = mockRolling()
    const otherArn = RARN.td(1).replace('/web:1', '/other:5')
    aws.world.definitions.set(otherArn, {
      ...aws.world.definitions.get(RARN.td(1))!,
      taskDefinitionArn: otherArn,
      family: 'other',
      revision: 5
    })
    aws.world.tags.StableStackDeploy = 'Green other:5 at 2026-01-01T00:00:00Z'
    const result = await run({ mode: 'promote' })
    expect(result.failure).toBeUndefined()
    expect(aws.writes()).not.toContain('UpdateService')
    expect(aws.world.service.taskDefinition).toBe(RARN.td(1))
  })

  it('a plain rollback after a promote does not wait on target health', async () => {
    aws = mockRolling()
    await run(canary)
    await run({ mode: 'promote' })
    aws.world.targets[0].State = 'unhealthy'
    const result = await run({ mode: 'rollback', 'health-timeout-seconds': '1' })
    expect(result.failure).toBeUndefined()
    expect(aws.world.service.taskDefinition).toBe(RARN.td(1))
    expect(aws.world.tags.StableStack).toBe('Blue')
  })
})

describe('refusals before any write', () => {
  const refused = async (
    world: Parameters<typeof rollingWorld>[0],
    extra: Record<string, string>,
    pattern: RegExp
  ) => {
    aws = mockRolling(rollingWorld(world))
    await expect(run({ ...canary, ...extra })).rejects.toThrow(pattern)
    expect(aws.writes()).toEqual([])
  }
  it('a service without a load balancer', async () => {
    const world = rollingWorld()
    world.service.loadBalancers = []
    aws = mockRolling(world)
    await expect(run(canary)).rejects.toThrow(/no load balancer/)
    expect(aws.writes()).toEqual([])
  })
  it('a Lambda target group', () => refused({ targetType: 'lambda' }, {}, /target type lambda/))
  it('bridge networking', () => refused({ networkMode: 'bridge' }, {}, /network mode bridge/))
  it('awsvpc without a network configuration', async () => {
    const world = rollingWorld()
    delete world.service.networkConfiguration
    aws = mockRolling(world)
    await expect(run(canary)).rejects.toThrow(/no network configuration/)
    expect(aws.writes()).toEqual([])
  })
  it('more canary tasks than the service runs', () =>
    refused({}, { 'canary-tasks': '3' }, /desired count of 2/))
  it('a share no task count reaches, naming the nearest', async () => {
    aws = mockRolling()
    await expect(run({ ...canary, 'canary-weight': '10' })).rejects.toThrow(PlanError)
    aws.restore()
    aws = mockRolling()
    await expect(run({ ...canary, 'canary-weight': '10' })).rejects.toThrow(/0% and 33.3%/)
    expect(aws.writes()).toEqual([])
  })
  it('standalone-task on an EXTERNAL service, and task-sets on a rolling one', async () => {
    const world = rollingWorld()
    world.service.deploymentController = { type: 'EXTERNAL' }
    aws = mockRolling(world)
    await expect(run({ ...canary, workload: 'standalone-task' })).rejects.toThrow(/EXTERNAL/)
    expect(aws.writes()).toEqual([])
    aws.restore()
    aws = mockRolling()
    await expect(run({ ...canary, workload: 'task-sets', 'stack-name': 's' })).rejects.toThrow()
    expect(aws.writes()).toEqual([])
  })
  it('a test route, which needs a target group per colour', () =>
    refused({}, { 'test-header': 'X-Canary: 1' }, /target group per colour/))
})
