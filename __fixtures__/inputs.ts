import { parseInputs, type ActionInputs } from '../src/inputs.js'

/** Inputs as a workflow would give them (names with hyphens); missing ones read as ''. */
export function inputsFrom(
  given: Record<string, string>,
  env: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1' }
): ActionInputs {
  return parseInputs((name) => given[name] ?? '', env)
}

export const BASE = {
  mode: 'status',
  cluster: 'mycluster',
  service: 'myservice',
  'stack-name': 'mystack'
}

export function inputs(overrides: Record<string, string> = {}): ActionInputs {
  return inputsFrom({ ...BASE, ...overrides })
}
