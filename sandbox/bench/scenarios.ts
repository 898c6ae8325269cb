/**
 * The modes the bench times. Each carries the chain of AWS calls behind its round trips, written
 * from the code (src/discover/discover.ts, src/execute/executor.ts, src/execute/shift.ts) as
 * plain data: whoever changes what waits for what updates the string here.
 */
import { applyMutation } from '../mutations.js'
import type { Sandbox } from '../server.js'

export interface Scenario {
  name: string
  inputs: (sandbox: Sandbox) => Record<string, string>
  /** Puts the world in the state the mode starts from. */
  prepare?: (sandbox: Sandbox) => void
  /**
   * The sequential chain of AWS calls on the critical path: steps joined by `→`, calls made
   * together by `‖`, remarks and calls off the chain in parentheses. The report counts the
   * steps as the arrows outside parentheses plus one, so keep arrows out of remarks.
   */
  chain: string
}

/** The default world's service and stack. */
export const stackInputs = {
  cluster: 'mycluster',
  service: 'myservice',
  'stack-name': 'myservice-canary'
}

function stackOutputs(sandbox: Sandbox): Record<string, string> {
  return Object.fromEntries(
    sandbox.world.stacks[0].outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])
  )
}

/** Every colour value and the rule as inputs, so no stack is read. */
function explicitInputs(sandbox: Sandbox): Record<string, string> {
  const outputs = stackOutputs(sandbox)
  return {
    cluster: 'mycluster',
    service: 'myservice',
    'blue-task-set': outputs.BlueTaskSet,
    'green-task-set': outputs.GreenTaskSet,
    'blue-target-group': outputs.BlueTargetGroup,
    'green-target-group': outputs.GreenTargetGroup,
    'listener-rule-arn': outputs.ListenerRule
  }
}

const canaryAt10 = (sandbox: Sandbox) =>
  applyMutation(sandbox.world, {
    type: 'set-rule-weights',
    weights: { 'blue-tg': 90, 'green-tg': 10 }
  })

export const SCENARIOS: Scenario[] = [
  {
    name: 'status',
    inputs: () => ({ ...stackInputs, mode: 'status' }),
    chain:
      'DescribeServices ‖ DescribeStacks → DescribeRules ‖ DescribeTargetHealth ×2 ' +
      '(DescribeTaskDefinition ×2, started when the service answers, runs beside the second step)'
  },
  {
    name: 'canary 0 → 10',
    inputs: () => ({ ...stackInputs, mode: 'canary', 'canary-weight': '10' }),
    chain:
      'DescribeServices ‖ DescribeStacks → DescribeRules ‖ DescribeTargetHealth ×2 → TagResource ' +
      '→ ListTagsForResource → ModifyRule → ListTagsForResource ‖ DescribeRules → UntagResource ' +
      '(the lease: written, read back, the write, the last look, released; the write is checked ' +
      "against its own response; step 1's health gate uses the discovered health)"
  },
  {
    name: 'promote from 10',
    inputs: () => ({ ...stackInputs, mode: 'promote' }),
    prepare: canaryAt10,
    chain:
      'DescribeServices ‖ DescribeStacks → DescribeRules ‖ DescribeTargetHealth ×2 → TagResource ' +
      '→ ListTagsForResource → ModifyRule → TagResource → ListTagsForResource ‖ DescribeRules ' +
      '→ UntagResource (the lease around the write and the stable tag; the test route is read ' +
      'beside the weighted rule)'
  },
  {
    name: 'rollback from 10',
    inputs: () => ({ ...stackInputs, mode: 'rollback' }),
    prepare: canaryAt10,
    chain:
      'DescribeServices ‖ DescribeStacks → DescribeRules → ModifyRule ‖ TagResource ' +
      '→ DescribeRules ‖ ListTagsForResource → TagResource (the lease is written beside the ' +
      'rollback, never waited for; the reads behind test traffic start when the stack answers ' +
      'and are awaited only after the route write; the last look makes traffic follow the ' +
      'stable tag; the lease is then left expired. A plain rollback reads no target health and ' +
      'no alarms)'
  },
  {
    name: 'status, explicit inputs',
    inputs: (s) => ({ ...explicitInputs(s), mode: 'status' }),
    chain:
      'DescribeServices ‖ DescribeRules ‖ DescribeTargetHealth ×2 → DescribeTaskDefinition ×2 ' +
      '(for the summary: started when the service answers, awaited before the report)'
  },
  {
    name: 'canary 0 → 10, explicit inputs',
    inputs: (s) => ({ ...explicitInputs(s), mode: 'canary', 'canary-weight': '10' }),
    chain:
      'DescribeServices ‖ DescribeRules ‖ DescribeTargetHealth ×2 → TagResource ' +
      '→ ListTagsForResource → ModifyRule → ListTagsForResource ‖ DescribeRules → UntagResource ' +
      '(DescribeTaskDefinition ×2 runs beside the lease write)'
  },
  {
    name: 'rollback from 10, explicit inputs',
    inputs: (s) => ({ ...explicitInputs(s), mode: 'rollback' }),
    prepare: canaryAt10,
    chain:
      'DescribeServices ‖ DescribeRules → ModifyRule ‖ TagResource → DescribeRules ‖ ' +
      'ListTagsForResource → TagResource (no target health for a plain rollback; ' +
      'DescribeTaskDefinition ×2 runs beside the write)'
  },
  {
    name: 'rollback from 10, rule ARN given (stack for the rest)',
    inputs: (s) => ({
      ...stackInputs,
      mode: 'rollback',
      'listener-rule-arn': stackOutputs(s).ListenerRule
    }),
    prepare: canaryAt10,
    chain:
      'DescribeServices ‖ DescribeStacks ‖ DescribeRules → ModifyRule ‖ TagResource ‖ ' +
      'DescribeRules → DescribeRules ‖ ListTagsForResource → TagResource (the given rule is read ' +
      "at once, beside the stack; the listener's rules, for test traffic, are read beside the " +
      'route write and awaited only after it)'
  },
  {
    name: 'deploy an ECR image, stack-managed',
    inputs: (s) => ({ ...stackInputs, mode: 'deploy', image: ecrImage(s) }),
    chain:
      'DescribeServices ‖ DescribeStacks → DescribeRules ‖ DescribeTargetHealth ×2 → ' +
      'DescribeImages → DescribeStacks → TagResource → ListTagsForResource → UpdateStack → ' +
      'DescribeStacks → DescribeServices ‖ DescribeTargetHealth → ListTagsForResource → ' +
      'TagResource → UntagResource → DescribeServices ‖ DescribeStacks → DescribeRules ‖ ' +
      'DescribeTargetHealth ×2 (the lease around the stack update and the deploy record; the ' +
      'stack and the new task set polled until done, each poll one more step; then read again)'
  },
  {
    name: 'deploy an ECR image, API-managed',
    inputs: (s) => ({
      cluster: 'mycluster',
      service: 'myservice',
      'blue-target-group': stackOutputs(s).BlueTargetGroup,
      'green-target-group': stackOutputs(s).GreenTargetGroup,
      mode: 'deploy',
      image: ecrImage(s)
    }),
    chain:
      'DescribeServices → DescribeTargetGroups → DescribeRules ‖ DescribeTargetHealth ×2 → ' +
      'DescribeImages → DescribeTaskDefinition ×2 → TagResource → ListTagsForResource → ' +
      'RegisterTaskDefinition → ListTagsForResource → CreateTaskSet → DescribeServices ‖ ' +
      'DescribeTargetHealth → ListTagsForResource → DeleteTaskSet → ListTagsForResource → ' +
      'TagResource → UntagResource → DescribeServices → DescribeTargetGroups → DescribeRules ‖ ' +
      'DescribeTargetHealth ×2 (the lease confirmed before each write; the new task set polled ' +
      'until steady and healthy; then read again, the rule found from the target groups)'
  }
]

/** The image the default world's ECR repository has and the colours do not run yet. */
function ecrImage(sandbox: Sandbox): string {
  const repo = sandbox.world.repositories?.[0]
  return `${repo?.uri ?? 'missing'}:1.0.2`
}

/** The number of sequential steps in a chain: its arrows outside parentheses, plus one. */
export function chainSteps(chain: string): number {
  return chainParts(chain).length
}

/** The step of the chain that writes the route (1 is the first), or undefined for none. */
export function chainWriteStep(chain: string): number | undefined {
  const step = chainParts(chain).findIndex((part) => /\bModify(Rule|Listener)\b/.test(part))
  return step < 0 ? undefined : step + 1
}

function chainParts(chain: string): string[] {
  return chain.replace(/\([^)]*\)/g, '').split('→')
}
