/**
 * Elastic Load Balancing v2 (awsQuery, signing name `elasticloadbalancing`): listeners, rules,
 * target groups and target health for one ALB. ModifyRule replaces the whole action list exactly
 * as sent, as ELB does — a client that drops an action it did not understand loses it.
 */
import type { Action, RulePriorityPair } from '@aws-sdk/client-elastic-load-balancing-v2'
import { asList } from '../protocols/query.js'
import {
  elbArn,
  forwardedTargetGroups,
  hexId,
  type ListenerState,
  type LoadBalancerState,
  type RuleState,
  type Tag,
  type TargetGroupState,
  type World
} from '../world.js'
import {
  actionsFrom,
  conditionsFrom,
  storedActions,
  validateActions,
  wireActions
} from './elbv2-actions.js'
import { targetOperations } from './elbv2-targets.js'
import { AwsError, optString, reqString, stringList, type ServiceModule } from './service.js'

type Input = Record<string, unknown>

const required = (input: Input, key: string) => reqString(input, key, 'ValidationError')
const notFound = (code: string, what: string) => new AwsError(code, `One or more ${what} not found`)

function listener(world: World, arn: string): ListenerState {
  const found = world.listeners.find((l) => l.arn === arn)
  if (!found) throw new AwsError('ListenerNotFound', `Listener '${arn}' not found`)
  return found
}

/** The listener's default actions, seen as the rule ELB reports with IsDefault=true. */
function defaultRuleOut(l: ListenerState) {
  return {
    RuleArn: l.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: wireActions(l.defaultActions),
    IsDefault: true
  }
}

function ruleOut(r: RuleState) {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: r.conditions,
    Actions: wireActions(r.actions),
    IsDefault: false
  }
}

function listenerOut(l: ListenerState) {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    DefaultActions: wireActions(l.defaultActions)
  }
}

/** A rule ARN that is not a stored rule may be a listener's default rule. */
function ruleOrDefault(world: World, arn: string): RuleState | ListenerState {
  const found =
    world.rules.find((r) => r.arn === arn) ?? world.listeners.find((l) => l.defaultRuleArn === arn)
  if (!found) throw notFound('RuleNotFound', 'rules')
  return found
}

const isDefaultRule = (r: RuleState | ListenerState): r is ListenerState => 'defaultRuleArn' in r
const cannotModifyDefault = () =>
  new AwsError(
    'OperationNotPermitted',
    'The default rule cannot be modified; use ModifyListener to change its actions'
  )

/** Load balancers whose listeners (default actions or rules) forward to the target group. */
function loadBalancersOf(world: World, tgArn: string): string[] {
  const lbs = new Set<string>()
  for (const l of world.listeners) {
    const actions: Action[] = [
      ...l.defaultActions,
      ...world.rules.filter((r) => r.listenerArn === l.arn).flatMap((r) => r.actions)
    ]
    if (forwardedTargetGroups(actions).includes(tgArn)) lbs.add(l.loadBalancerArn)
  }
  return [...lbs]
}

function targetGroupOut(world: World, tg: TargetGroupState) {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: tg.protocol,
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: '/',
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: loadBalancersOf(world, tg.arn),
    TargetType: tg.targetType ?? 'ip',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4'
  }
}

const MAX_TAGS = 50
const MAX_TAG_RESOURCES = 20

/** A taggable resource found by ARN: load balancer, target group, listener or rule (including a
 * listener's default rule). An unknown ARN gets the NotFound error of its resource type. */
interface Taggable {
  get(): Tag[]
  set(tags: Tag[]): void
}

function taggable(world: World, arn: string): Taggable {
  const on = (resource: { tags?: Tag[] } | undefined, error: AwsError): Taggable => {
    if (!resource) throw error
    return {
      get: () => resource.tags ?? [],
      set: (tags) => (resource.tags = tags)
    }
  }
  if (!/^arn:aws[\w-]*:elasticloadbalancing:[^:]*:\d*:/.test(arn)) {
    throw new AwsError('ValidationError', `'${arn}' is not a valid load balancer resource ARN`)
  }
  if (arn.includes(':loadbalancer/')) {
    const lb = world.loadBalancers.find((l) => l.arn === arn)
    return on(lb, notFound('LoadBalancerNotFound', 'load balancers'))
  }
  if (arn.includes(':targetgroup/')) {
    const tg = world.targetGroups.find((g) => g.arn === arn)
    return on(tg, notFound('TargetGroupNotFound', 'target groups'))
  }
  if (arn.includes(':listener-rule/')) {
    const owner = world.listeners.find((l) => l.defaultRuleArn === arn)
    if (owner) {
      return {
        get: () => owner.defaultRuleTags ?? [],
        set: (tags) => (owner.defaultRuleTags = tags)
      }
    }
    return on(
      world.rules.find((r) => r.arn === arn),
      notFound('RuleNotFound', 'rules')
    )
  }
  if (arn.includes(':listener/')) {
    return on(
      world.listeners.find((l) => l.arn === arn),
      new AwsError('ListenerNotFound', `Listener '${arn}' not found`)
    )
  }
  throw new AwsError('ValidationError', `'${arn}' is not a valid load balancer resource ARN`)
}

function resourceArns(input: Input): string[] {
  const arns = stringList(input, 'ResourceArns') ?? []
  if (arns.length === 0) throw new AwsError('ValidationError', 'ResourceArns must not be empty')
  if (arns.length > MAX_TAG_RESOURCES) {
    throw new AwsError(
      'ValidationError',
      `You can specify at most ${MAX_TAG_RESOURCES} resource ARNs`
    )
  }
  return arns
}

/** The Tags member of AddTags / CreateRule, checked as ELB checks it. */
function tagsFrom(raw: unknown): Tag[] {
  const list = asList<{ Key?: unknown; Value?: unknown }>(raw) ?? []
  const tags = list.map((t) => {
    const key = t?.Key
    if (typeof key !== 'string' || key === '' || key.length > 128) {
      throw new AwsError('ValidationError', 'A tag key must be between 1 and 128 characters')
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new AwsError('ValidationError', "Tag keys starting with 'aws:' are reserved")
    }
    const value = typeof t.Value === 'string' ? t.Value : ''
    if (value.length > 256) {
      throw new AwsError('ValidationError', 'A tag value must be at most 256 characters')
    }
    return { key, value }
  })
  const keys = tags.map((t) => t.key)
  if (new Set(keys).size !== keys.length) {
    throw new AwsError('DuplicateTagKeys', 'A tag key was specified more than once')
  }
  return tags
}

/** Existing tags with `added` applied (same key: new value), or TooManyTags past 50. */
function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = existing.map((t) => ({ ...t }))
  for (const tag of added) {
    const same = merged.find((t) => t.key === tag.key)
    if (same) same.value = tag.value
    else merged.push({ ...tag })
  }
  if (merged.length > MAX_TAGS) {
    throw new AwsError('TooManyTags', `A resource can have at most ${MAX_TAGS} tags`)
  }
  return merged
}

const tagsOut = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }))

function checkPriority(
  world: World,
  listenerArn: string,
  priority: unknown,
  except: string[] = []
): number {
  if (
    typeof priority !== 'number' ||
    !Number.isInteger(priority) ||
    priority < 1 ||
    priority > 50000
  ) {
    throw new AwsError('ValidationError', 'Priority must be an integer between 1 and 50000')
  }
  const taken = world.rules.some(
    (r) => r.listenerArn === listenerArn && r.priority === priority && !except.includes(r.arn)
  )
  if (taken) throw new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`)
  return priority
}

export const elbv2: ServiceModule = {
  name: 'elbv2',
  signingName: 'elasticloadbalancing',
  xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  queryTypes: {
    numbers: new Set([
      'Order',
      'Weight',
      'DurationSeconds',
      'SessionTimeout',
      'Priority',
      'Port',
      'PageSize'
    ]),
    booleans: new Set(['Enabled', 'UseExistingClientSecret', 'IsDefault', 'ResetTransforms'])
  },
  operations: {
    DescribeRules: (input, { world }) => {
      const ruleArns = stringList(input, 'RuleArns')
      const listenerArn = optString(input, 'ListenerArn')
      if (ruleArns && ruleArns.length > 0) {
        const rules = ruleArns.map((arn) => ruleOrDefault(world, arn))
        return { Rules: rules.map((r) => (isDefaultRule(r) ? defaultRuleOut(r) : ruleOut(r))) }
      }
      if (!listenerArn)
        throw new AwsError(
          'ValidationError',
          'A listener ARN or a set of rule ARNs must be specified'
        )
      const l = listener(world, listenerArn)
      const rules = world.rules
        .filter((r) => r.listenerArn === l.arn)
        .sort((a, b) => a.priority - b.priority)
      return { Rules: [...rules.map(ruleOut), defaultRuleOut(l)] }
    },

    ModifyRule: (input, { world }) => {
      const target = ruleOrDefault(world, required(input, 'RuleArn'))
      if (isDefaultRule(target)) throw cannotModifyDefault()
      const actions = actionsFrom(input.Actions)
      const conditions = conditionsFrom(input.Conditions)
      if (actions) validateActions(world, actions)
      // Validate everything before writing anything: a rejected call changes nothing.
      if (actions) target.actions = storedActions(actions)
      if (conditions) target.conditions = conditions
      return { Rules: [ruleOut(target)] }
    },

    CreateRule: (input, { world }) => {
      const l = listener(world, required(input, 'ListenerArn'))
      const priority = checkPriority(world, l.arn, input.Priority)
      const conditions = conditionsFrom(input.Conditions) ?? []
      if (conditions.length === 0)
        throw new AwsError('ValidationError', 'A rule must have at least one condition')
      const actions = actionsFrom(input.Actions) ?? []
      validateActions(world, actions)
      const tags = mergeTags([], tagsFrom(input.Tags))
      const lbPath = l.arn.split(':listener/')[1]
      const rule: RuleState = {
        arn: elbArn(world.region, world.accountId, `listener-rule/${lbPath}/${hexId()}`),
        listenerArn: l.arn,
        priority,
        conditions,
        actions: storedActions(actions),
        ...(tags.length > 0 ? { tags } : {})
      }
      world.rules.push(rule)
      return { Rules: [ruleOut(rule)] }
    },

    DeleteRule: (input, { world }) => {
      const target = ruleOrDefault(world, required(input, 'RuleArn'))
      if (isDefaultRule(target))
        throw new AwsError('OperationNotPermitted', 'The default rule cannot be deleted')
      // The rule's tags go with it: a later DescribeTags on its ARN is RuleNotFound.
      world.rules = world.rules.filter((r) => r !== target)
      return {}
    },

    AddTags: (input, { world }) => {
      const arns = resourceArns(input)
      const added = tagsFrom(input.Tags)
      if (added.length === 0) throw new AwsError('ValidationError', 'Tags must not be empty')
      // Find every resource and check every limit before changing any.
      const updates = arns.map((arn) => {
        const resource = taggable(world, arn)
        return { resource, tags: mergeTags(resource.get(), added) }
      })
      for (const u of updates) u.resource.set(u.tags)
      return {}
    },

    RemoveTags: (input, { world }) => {
      const arns = resourceArns(input)
      const keys = stringList(input, 'TagKeys') ?? []
      if (keys.length === 0) throw new AwsError('ValidationError', 'TagKeys must not be empty')
      const resources = arns.map((arn) => taggable(world, arn))
      for (const r of resources) r.set(r.get().filter((t) => !keys.includes(t.key)))
      return {}
    },

    DescribeTags: (input, { world }) => {
      const arns = resourceArns(input)
      return {
        TagDescriptions: arns.map((arn) => ({
          ResourceArn: arn,
          Tags: tagsOut(taggable(world, arn).get())
        }))
      }
    },

    SetRulePriorities: (input, { world }) => {
      const pairs = asList<RulePriorityPair>(input.RulePriorities) ?? []
      if (pairs.length === 0)
        throw new AwsError('ValidationError', 'RulePriorities must not be empty')
      const changes = pairs.map((p) => {
        const target = ruleOrDefault(world, p.RuleArn ?? '')
        if (isDefaultRule(target))
          throw new AwsError('OperationNotPermitted', 'The default rule priority cannot be changed')
        const others = pairs.map((x) => x.RuleArn ?? '')
        return {
          rule: target,
          priority: checkPriority(world, target.listenerArn, p.Priority, others)
        }
      })
      for (const c of changes) c.rule.priority = c.priority
      return { Rules: changes.map((c) => ruleOut(c.rule)) }
    },

    DescribeListeners: (input, { world }) => {
      const arns = stringList(input, 'ListenerArns')
      if (arns && arns.length > 0)
        return { Listeners: arns.map((arn) => listenerOut(listener(world, arn))) }
      const lbArn = optString(input, 'LoadBalancerArn')
      if (!lbArn)
        throw new AwsError(
          'ValidationError',
          'A load balancer ARN or listener ARNs must be specified'
        )
      if (!world.loadBalancers.some((lb) => lb.arn === lbArn))
        throw notFound('LoadBalancerNotFound', 'load balancers')
      return {
        Listeners: world.listeners.filter((l) => l.loadBalancerArn === lbArn).map(listenerOut)
      }
    },

    DescribeLoadBalancers: (input, { world }) => {
      const arns = stringList(input, 'LoadBalancerArns') ?? []
      const names = stringList(input, 'Names') ?? []
      const found =
        arns.length + names.length === 0
          ? world.loadBalancers
          : [
              ...arns.map((arn) => world.loadBalancers.find((lb) => lb.arn === arn)),
              ...names.map((name) => world.loadBalancers.find((lb) => lb.name === name))
            ]
      if (found.some((lb) => !lb)) throw notFound('LoadBalancerNotFound', 'load balancers')
      return {
        LoadBalancers: (found as LoadBalancerState[]).map((lb) => ({
          LoadBalancerArn: lb.arn,
          DNSName: lb.dnsName,
          LoadBalancerName: lb.name,
          Scheme: 'internet-facing',
          VpcId: lb.vpcId,
          State: { Code: 'active' },
          Type: 'application',
          IpAddressType: 'ipv4'
        }))
      }
    },

    ModifyListener: (input, { world }) => {
      const l = listener(world, required(input, 'ListenerArn'))
      const actions = actionsFrom(input.DefaultActions)
      if (actions) validateActions(world, actions)
      if (actions) l.defaultActions = storedActions(actions)
      if (typeof input.Port === 'number') l.port = input.Port
      if (input.Protocol === 'HTTP' || input.Protocol === 'HTTPS') l.protocol = input.Protocol
      return { Listeners: [listenerOut(l)] }
    },

    DescribeTargetGroups: (input, { world }) => {
      const arns = stringList(input, 'TargetGroupArns') ?? []
      const names = stringList(input, 'Names') ?? []
      const lbArn = optString(input, 'LoadBalancerArn')
      let groups = world.targetGroups
      if (arns.length > 0 || names.length > 0) {
        const byArn = arns.map((arn) => world.targetGroups.find((tg) => tg.arn === arn))
        const byName = names.map((name) => world.targetGroups.find((tg) => tg.name === name))
        if ([...byArn, ...byName].some((tg) => !tg))
          throw notFound('TargetGroupNotFound', 'target groups')
        groups = [...byArn, ...byName] as TargetGroupState[]
      } else if (lbArn) {
        if (!world.loadBalancers.some((lb) => lb.arn === lbArn))
          throw notFound('LoadBalancerNotFound', 'load balancers')
        groups = groups.filter((tg) => loadBalancersOf(world, tg.arn).includes(lbArn))
      }
      return { TargetGroups: groups.map((tg) => targetGroupOut(world, tg)) }
    },

    ...targetOperations((w, arn) => loadBalancersOf(w, arn).length > 0)
  }
}
