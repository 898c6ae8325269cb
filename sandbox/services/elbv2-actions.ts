/**
 * Listener rule actions and conditions: the validation ELB applies when they are written, the
 * normalisation it applies before storing them, and their wire form. Kept apart from the
 * operations because CreateRule, ModifyRule and ModifyListener all share it.
 */
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { asList } from '../protocols/query.js'
import { findTargetGroup, type World } from '../world.js'
import { AwsError } from './service.js'

const TERMINAL = new Set(['forward', 'redirect', 'fixed-response'])
const TYPES = new Set([...TERMINAL, 'authenticate-oidc', 'authenticate-cognito', 'jwt-validation'])
const MAX_FORWARD_TARGET_GROUPS = 5

const validation = (message: string) => new AwsError('ValidationError', message)
const invalidAction = (message: string) => new AwsError('InvalidLoadBalancerAction', message)

/** The action list of a request (already coerced), or undefined when the member was not sent. */
export function actionsFrom(raw: unknown): Action[] | undefined {
  return asList<Action>(raw)?.map((a) => {
    const action = { ...a }
    if (action.ForwardConfig) {
      action.ForwardConfig = {
        ...action.ForwardConfig,
        TargetGroups: asList(action.ForwardConfig.TargetGroups)
      }
    }
    return action
  })
}

export function conditionsFrom(raw: unknown): RuleCondition[] | undefined {
  return asList<RuleCondition>(raw)?.map((c) => {
    if (!c.Field) throw validation('A condition must specify a field')
    // AWS answers with both the legacy Values and the typed config; mirror whichever was sent.
    const condition: RuleCondition = { ...c, Values: asList<string>(c.Values) }
    const configKey = (
      { 'path-pattern': 'PathPatternConfig', 'host-header': 'HostHeaderConfig' } as const
    )[c.Field as 'path-pattern' | 'host-header']
    if (configKey) {
      const config = c[configKey] as { Values?: unknown } | undefined
      const values = asList<string>(config?.Values) ?? condition.Values ?? []
      condition.Values = values
      condition[configKey] = { Values: values }
    }
    if (condition.Values === undefined) delete condition.Values
    return condition
  })
}

/**
 * Rejects what ELB rejects: unknown types, forward weights outside 0–999, more than five target
 * groups, unknown target groups, and an action list that does not end in exactly one terminal action.
 * An authenticate-oidc action needs its ClientSecret or UseExistingClientSecret=true, because ELB
 * never returns the secret: copying an action from DescribeRules back into ModifyRule needs the flag.
 */
export function validateActions(world: World, actions: Action[]): void {
  if (actions.length === 0) throw validation('At least one action must be specified')
  const ordered = actions.some((a) => a.Order !== undefined)
  if (actions.length > 1 && actions.some((a) => a.Order === undefined)) {
    throw validation('An order must be specified for every action when there is more than one')
  }
  if (ordered && new Set(actions.map((a) => a.Order)).size !== actions.length) {
    throw invalidAction('Action orders must be unique')
  }
  for (const action of actions) {
    if (!action.Type || !TYPES.has(action.Type)) {
      throw validation(`Action type '${String(action.Type)}' is not valid`)
    }
    if (action.Type === 'forward') validateForward(world, action)
    if (action.Type === 'authenticate-oidc') {
      const config = action.AuthenticateOidcConfig
      if (!config?.Issuer || !config.ClientId || !config.TokenEndpoint) {
        throw validation('An authenticate-oidc action requires Issuer, ClientId and endpoints')
      }
      if (!config.ClientSecret && config.UseExistingClientSecret !== true) {
        throw validation('You must specify a client secret or set UseExistingClientSecret to true')
      }
    }
  }
  const sorted = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
  const terminals = sorted.filter((a) => TERMINAL.has(a.Type ?? ''))
  if (terminals.length !== 1 || !TERMINAL.has(sorted[sorted.length - 1].Type ?? '')) {
    throw invalidAction(
      'A rule must have exactly one forward, redirect or fixed-response action, and it must be the last action'
    )
  }
}

function validateForward(world: World, action: Action): void {
  const groups = action.ForwardConfig?.TargetGroups ?? []
  if (!action.TargetGroupArn && groups.length === 0) {
    throw invalidAction('A forward action must specify a target group')
  }
  if (groups.length > MAX_FORWARD_TARGET_GROUPS) {
    throw validation(`A forward action can have at most ${MAX_FORWARD_TARGET_GROUPS} target groups`)
  }
  for (const tg of groups) {
    const weight = tg.Weight ?? 1
    if (!Number.isInteger(weight) || weight < 0 || weight > 999) {
      throw validation('The weight for each target group must be between 0 and 999, inclusive')
    }
  }
  const arns = [action.TargetGroupArn, ...groups.map((g) => g.TargetGroupArn)].filter(
    (arn): arn is string => arn !== undefined
  )
  if (arns.some((arn) => !findTargetGroup(world, arn) || !arn.startsWith('arn:'))) {
    throw new AwsError('TargetGroupNotFound', 'One or more target groups not found')
  }
  if (new Set(groups.map((g) => g.TargetGroupArn)).size !== groups.length) {
    throw invalidAction('A target group can be specified only once in a forward action')
  }
  if (action.TargetGroupArn && groups.length > 0) {
    const same = groups.length === 1 && groups[0].TargetGroupArn === action.TargetGroupArn
    if (!same) {
      throw invalidAction(
        'If you specify both TargetGroupArn and ForwardConfig, ForwardConfig must name only that target group'
      )
    }
  }
  const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig
  if (stickiness?.Enabled) {
    const duration = stickiness.DurationSeconds ?? 0
    if (duration < 1 || duration > 604800) {
      throw validation('Stickiness duration must be between 1 and 604800 seconds')
    }
  }
}

/** What ELB stores: the list as sent, minus the OIDC secret (never returned), plus the default
 * group-stickiness config ELB reports for every ForwardConfig. */
export function storedActions(actions: Action[]): Action[] {
  return actions.map((action) => {
    const copy = structuredClone(action)
    if (copy.AuthenticateOidcConfig) {
      delete copy.AuthenticateOidcConfig.ClientSecret
      delete copy.AuthenticateOidcConfig.UseExistingClientSecret
    }
    if (copy.ForwardConfig && !copy.ForwardConfig.TargetGroupStickinessConfig) {
      copy.ForwardConfig.TargetGroupStickinessConfig = { Enabled: false }
    }
    return copy
  })
}

/** Map-typed members go on the wire as `<entry><key/><value/></entry>`, so they become Maps. */
export function wireActions(actions: Action[]): unknown[] {
  return actions.map((action) => {
    const out: Record<string, unknown> = { ...action }
    for (const key of ['AuthenticateOidcConfig', 'AuthenticateCognitoConfig'] as const) {
      const config = action[key]
      if (config?.AuthenticationRequestExtraParams) {
        out[key] = {
          ...config,
          AuthenticationRequestExtraParams: new Map(
            Object.entries(config.AuthenticationRequestExtraParams)
          )
        }
      }
    }
    return out
  })
}
