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

type ValuesConfigKey =
  'PathPatternConfig' | 'HostHeaderConfig' | 'HttpRequestMethodConfig' | 'SourceIpConfig'

/** Fields whose condition is a plain list of values, and the typed config that carries it. */
const VALUE_FIELDS: Record<string, ValuesConfigKey> = {
  'path-pattern': 'PathPatternConfig',
  'host-header': 'HostHeaderConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'source-ip': 'SourceIpConfig'
}
/** Only these two accept the legacy top-level `Values`; ELB echoes them in both forms. */
const LEGACY_VALUES = new Set(['path-pattern', 'host-header'])
const FIELDS = new Set([...Object.keys(VALUE_FIELDS), 'http-header', 'query-string'])

const strings = (raw: unknown) =>
  (asList<unknown>(raw) ?? []).filter((v): v is string => typeof v === 'string' && v !== '')

/**
 * The condition list of a request (undefined when the member was not sent), validated and stored
 * as ELB reports it. ELB's rules: a known field; host-header, path-pattern, http-request-method
 * and source-ip at most once per rule; http-header needs HttpHeaderConfig with HttpHeaderName and
 * Values; query-string needs QueryStringConfig.Values of {Key?, Value}; every condition at least
 * one value.
 */
export function conditionsFrom(raw: unknown): RuleCondition[] | undefined {
  const list = asList<RuleCondition>(raw)
  if (!list) return undefined
  const seen = new Set<string>()
  return list.map((c) => {
    const field = c?.Field
    if (!field) throw validation('A condition must specify a field')
    if (!FIELDS.has(field)) throw validation(`Condition field '${field}' is not supported`)
    if (VALUE_FIELDS[field] && seen.has(field)) {
      throw validation(`A rule can only have one '${field}' condition`)
    }
    seen.add(field)
    const configKey = VALUE_FIELDS[field]
    // An empty legacy list is what a DescribeRules answer copied back may carry: ignore it.
    if (strings(c.Values).length > 0 && !LEGACY_VALUES.has(field)) {
      const config =
        configKey ?? (field === 'http-header' ? 'HttpHeaderConfig' : 'QueryStringConfig')
      throw validation(`The values of a '${field}' condition must be given in ${config}`)
    }
    if (configKey) {
      const config = c[configKey] as { Values?: unknown } | undefined
      const values = config ? strings(config.Values) : strings(c.Values)
      if (values.length === 0) {
        throw validation(`A '${field}' condition must have at least one value`)
      }
      return LEGACY_VALUES.has(field)
        ? { Field: field, Values: values, [configKey]: { Values: values } }
        : { Field: field, [configKey]: { Values: values } }
    }
    if (field === 'http-header') {
      const config = c.HttpHeaderConfig
      const name = config?.HttpHeaderName
      const values = strings(config?.Values)
      if (typeof name !== 'string' || name === '' || values.length === 0) {
        throw validation(
          "An 'http-header' condition requires HttpHeaderConfig with HttpHeaderName and at least one value"
        )
      }
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: values } }
    }
    // query-string
    const pairs = asList<{ Key?: unknown; Value?: unknown }>(c.QueryStringConfig?.Values) ?? []
    if (pairs.length === 0) {
      throw validation(
        "A 'query-string' condition requires QueryStringConfig with at least one key/value pair"
      )
    }
    const values = pairs.map((pair) => {
      if (typeof pair?.Value !== 'string' || pair.Value === '') {
        throw validation('Each query-string key/value pair must have a Value')
      }
      return typeof pair.Key === 'string' && pair.Key !== ''
        ? { Key: pair.Key, Value: pair.Value }
        : { Value: pair.Value }
    })
    return { Field: field, QueryStringConfig: { Values: values } }
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
