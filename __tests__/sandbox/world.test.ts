import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { DescribeServicesCommand } from '@aws-sdk/client-ecs'
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { buildWorld, variantNames } from '../../sandbox/variants.js'
import { forwardedTargetGroups, taskDefinitionVersion } from '../../sandbox/world.js'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { clients } from './clients.js'

describe('world variants', () => {
  it('every variant builds, and each differs from the default', () => {
    const base = JSON.stringify(buildWorld())
    for (const name of variantNames.filter((n) => n !== 'default')) {
      expect(JSON.stringify(buildWorld(name))).not.toBe(base)
    }
  })

  it('combines variants with +', () => {
    const world = buildWorld('oidc+stickiness')
    const forward = world.rules[0].actions.find((a) => a.Type === 'forward')!
    expect(world.rules[0].actions[0].Type).toBe('authenticate-oidc')
    expect(forward.ForwardConfig!.TargetGroupStickinessConfig!.Enabled).toBe(true)
    expect(() => buildWorld('nope')).toThrow(/Unknown sandbox world/)
  })

  it('two-rules and third-target-group shape the forwards as described', () => {
    const two = buildWorld('two-rules')
    const [blue, green] = two.targetGroups.map((g) => g.arn)
    const both = two.rules.filter((r) => {
      const arns = forwardedTargetGroups(r.actions)
      return arns.includes(blue) && arns.includes(green)
    })
    expect(both).toHaveLength(2)
    expect(forwardedTargetGroups(buildWorld('third-target-group').rules[0].actions)).toHaveLength(3)
    expect(forwardedTargetGroups(buildWorld('no-shared-rule').rules[0].actions)).toEqual([blue])
  })

  it('a digest-pinned image takes its version from its own repository', () => {
    // The rolling world has `myapp` and `webapp` with the same digests for the same tags.
    const world = buildWorld('rolling')
    const [myapp, webapp] = ['myapp', 'webapp'].map((name) =>
      world.repositories!.find((r) => r.name === name)!
    )
    const digest = webapp.images.find((i) => i.tags.includes('1.0.1'))!.digest
    expect(myapp.images.some((i) => i.digest === digest)).toBe(true)
    webapp.images.find((i) => i.digest === digest)!.tags.unshift('bad')
    const pinned = (image: string) => {
      const arn = `arn:aws:ecs:us-east-1:123456789012:task-definition/pinned:${world.taskDefinitions.length}`
      world.taskDefinitions.push({
        family: 'pinned',
        revision: 1,
        arn,
        status: 'ACTIVE',
        containers: [{ name: 'web', image, port: 80 }],
        tags: [],
        registeredAt: 0
      })
      return taskDefinitionVersion(world, arn)
    }
    expect(pinned(`${webapp.uri}@${digest}`)).toBe('bad')
    expect(pinned(`${myapp.uri}@${digest}`)).toBe('1.0.1')
    expect(pinned(`webapp@${digest}`)).toBe('bad')
    expect(pinned(`${webapp.uri}:1.0.2`)).toBe('1.0.2')
  })

  it('a world object passed to startSandbox is copied, not shared', async () => {
    const world = buildWorld('missing-tag')
    const sandbox: Sandbox = await startSandbox({ world })
    try {
      const out = await clients(sandbox, 1).ecs.send(
        new DescribeServicesCommand({
          cluster: 'mycluster',
          services: ['myservice'],
          include: ['TAGS']
        })
      )
      expect(out.services![0].tags).toEqual([])
      expect(sandbox.world).not.toBe(world)
    } finally {
      await sandbox.stop()
    }
  })
})

describe('sandbox/main.ts', () => {
  it('starts on the requested world, prints the environment and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'sandbox/main.ts', '--port', '0', '--world', 'third-target-group'],
      { cwd: process.cwd(), env: { ...process.env, NODE_OPTIONS: '' } }
    )
    let stdout = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = stdout.match(/AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/)
        if (match && stdout.includes('Ctrl-C')) resolve(match[1])
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)))
    })
    expect(stdout).toContain('INPUT_STACK-NAME=myservice-canary')
    expect(stdout).toContain('AWS_ACCESS_KEY_ID=test')
    const out = await clients({ url } as Sandbox, 1).elb.send(
      new DescribeRulesCommand({
        RuleArns: [buildWorld().rules[0].arn]
      })
    )
    expect(out.Rules![0].Actions![0].ForwardConfig!.TargetGroups).toHaveLength(3)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
