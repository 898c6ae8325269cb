import { describe, expect, it } from '@jest/globals'
import { ARN } from '../__fixtures__/aws.js'
import { inputs } from '../__fixtures__/inputs.js'
import type { ActionInputs } from '../src/inputs.js'
import { readsBesideService } from '../src/run-step.js'

/** Status from the stack, with fields replaced (not re-validated: this is about which are set). */
const given = (fields: Partial<ActionInputs>): ActionInputs => ({ ...inputs(), ...fields })

describe('readsBesideService: whether the service read waits to go out with the others', () => {
  it.each<[string, Partial<ActionInputs>, boolean]>([
    ['a stack alone', {}, false],
    ['nothing but the service (a rolling service)', { stackName: undefined }, false],
    ['a target group', { targetGroups: { Blue: ARN.blueTg } }, true],
    ['a task set', { taskSets: { Green: 'ecs-svc/2' } }, true],
    ['a rule, beside the stack', { listenerRuleArn: ARN.rule }, true],
    ['a listener', { listenerArn: ARN.listener }, true],
    ['a listener swap', { swap: { production: ARN.listener, test: ARN.testListener } }, true],
    [
      'two services',
      { services: { Blue: 'web-blue', Green: 'web-green' } } as Partial<ActionInputs>,
      true
    ]
  ])('%s', (_, fields, expected) => {
    expect(readsBesideService(given(fields))).toBe(expected)
  })
})
