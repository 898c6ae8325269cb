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

/** Mode deploy needs a version: a plain image unless the test gives its own. */
export const DEPLOY_IMAGE = 'web:1.0'

export function inputs(overrides: Record<string, string> = {}): ActionInputs {
  const version: Record<string, string> =
    overrides.mode === 'deploy' && !overrides.image && !overrides['task-definition']
      ? { image: DEPLOY_IMAGE }
      : {}
  return inputsFrom({ ...BASE, ...version, ...overrides })
}
