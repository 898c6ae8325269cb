/**
 * docs/iam-policy.json: the least-privilege policy for the role the action runs as. The list below
 * is the single expectation: exactly the calls the action makes.
 */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'

const ACTION_CALLS = [
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTagsForResource',
  'ecs:TagResource',
  'ecs:UntagResource',
  'ecs:UpdateTaskSet',
  'ecs:UpdateService',
  'ecs:RunTask',
  'ecs:StopTask',
  'ecs:DescribeTasks',
  'ecs:ListTasks',
  'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'route53:ListResourceRecordSets',
  'route53:GetChange',
  'route53:ChangeResourceRecordSets',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:GetMetricData',
  'lambda:InvokeFunction',
  'elasticloadbalancing:CreateRule',
  // Not a call of its own: CreateRule with Tags (the test rule's marker) needs it too.
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:DeleteRule',
  'cloudformation:DescribeStacks',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:ModifyListener',
  'ecr:DescribeImages',
  'ecr:BatchGetImage',
  'ecr:PutImage',
  'ecs:RegisterTaskDefinition',
  'ecs:CreateTaskSet',
  'ecs:DeleteTaskSet',
  'cloudformation:UpdateStack',
  'cloudformation:DescribeStackEvents',
  // Not a call of its own: registering a revision (or a stack update) that names the task and
  // execution roles needs it.
  'iam:PassRole'
]

/** Calls that need a permission without being a call of the action's own. */
const NOT_CALLS = new Set(['elasticloadbalancing:AddTags', 'iam:PassRole'])

/** Every IAM action named by an `awsCall('service:Action', …)` in src/. */
function callsInSource(): string[] {
  const found = new Set<string>()
  const walk = (dir: URL) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir))
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(new URL(entry.name, dir), 'utf8')
        for (const match of text.matchAll(
          /'((?:ecs|ecr|cloudformation|cloudwatch|elasticloadbalancing|lambda|route53):[A-Za-z]+)'/g
        )) {
          found.add(match[1])
        }
      }
    }
  }
  walk(new URL('../src/', import.meta.url))
  return [...found].sort()
}

interface Statement {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: string | string[]
  Condition?: unknown
}

const policyText = readFileSync(new URL('../docs/iam-policy.json', import.meta.url), 'utf8')
const iamDoc = readFileSync(new URL('../docs/iam.md', import.meta.url), 'utf8')

function loadPolicy(): { Version: string; Statement: Statement[] } {
  return JSON.parse(policyText) as { Version: string; Statement: Statement[] }
}

const list = (value: string | string[]): string[] => [value].flat()

describe('docs/iam-policy.json', () => {
  it('is valid JSON with Version 2012-10-17 and only Allow statements', () => {
    expect(loadPolicy).not.toThrow()
    const policy = loadPolicy()
    expect(policy.Version).toBe('2012-10-17')
    expect(policy.Statement.length).toBeGreaterThan(0)
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow')
      expect(list(statement.Resource).length).toBeGreaterThan(0)
    }
  })

  it('allows exactly the calls the action makes, each once, with no wildcards', () => {
    const actions = loadPolicy().Statement.flatMap((statement) => list(statement.Action))
    expect([...actions].sort()).toEqual([...ACTION_CALLS].sort())
    expect(actions.filter((action) => action.includes('*'))).toEqual([])
  })

  it('lists exactly the AWS calls named in src/', () => {
    expect(callsInSource()).toEqual(ACTION_CALLS.filter((a) => !NOT_CALLS.has(a)).sort())
  })

  it('puts only read calls on Resource "*" and scopes every write to ARNs', () => {
    for (const statement of loadPolicy().Statement) {
      const actions = list(statement.Action)
      const resources = list(statement.Resource)
      const reads = actions.every((action) => /:(Describe|List|Get)/.test(action))
      if (reads) continue
      expect(resources).not.toContain('*')
      for (const arn of resources) {
        expect(arn).toMatch(
          /^arn:aws:(ecs|elasticloadbalancing|ecr|cloudformation|iam|lambda|route53):/
        )
        expect(arn).not.toMatch(/function:\*/)
      }
    }
    const tagStatement = loadPolicy().Statement.find((statement) =>
      list(statement.Action).includes('ecs:TagResource')
    )
    // The service that holds the stable tag, the colours' services when each is its own, and
    // canary tasks (RunTask with tags needs ecs:TagResource on the task it starts).
    expect(list(tagStatement?.Resource ?? [])).toEqual([
      'arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE',
      'arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/BLUE_SERVICE',
      'arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/GREEN_SERVICE',
      'arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/*'
    ])
  })

  it('is explained call by call in docs/iam.md', () => {
    for (const action of ACTION_CALLS) expect(iamDoc).toContain(`\`${action}\``)
    for (const statement of loadPolicy().Statement) {
      expect(statement.Sid).toBeTruthy()
      expect(iamDoc).toContain(`\`${statement.Sid}\``)
    }
  })
})
