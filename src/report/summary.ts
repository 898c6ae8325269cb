import { COLORS, otherColor, type Color } from '../color.js'
import { DEFAULT_TAG_KEY, Inputs } from '../constants.js'
import type { DeployResult } from '../deploy.js'
import type { ActionInputs, Mode } from '../inputs.js'
import { formatPercent, roundedShareOf } from '../weights.js'
import { code, md, table, yamlScalar } from './markdown.js'
import { formatWeights, percentOf } from './text.js'

/** The job summary for a finished step, as markdown; pure. */
export function renderSummary(result: DeployResult): string {
  const { inputs, discovery, plan, stableAfter } = result
  const canaryAfter = otherColor(stableAfter)
  const outcome = result.failure
    ? result.rolledBack
      ? 'failed, rolled back'
      : 'failed'
    : inputs.dryRun
      ? 'dry run'
      : result.changed
        ? 'changed'
        : 'no change'
  const icon = result.failure ? '❌' : inputs.dryRun ? '🔍' : '✅'
  const parts = [
    `## ${icon} ${md(discovery.service.name)}: ${inputs.mode} — ${outcome}`,
    ...(result.failure ? [`**${md(result.failure)}**`] : []),
    `Stable: **${stableAfter}** · canary: **${canaryAfter}** · traffic: **${formatWeights(result.weightsAfter)}** · ` +
      `route: ${discovery.router.kind} ${code(discovery.router.arn)}`,
    `> ${md(plan.reason)}`,
    ...COLORS.map((color) => colorTable(result, color)),
    pieChart(result),
    ...stepsSection(result),
    ...alarmsSection(result),
    '### What was written',
    writtenSection(result),
    '### Next step',
    nextStep(inputs, result)
  ]
  return parts.join('\n\n') + '\n'
}

/** The job summary for a failed step. */
export function renderFailure(mode: string, service: string, message: string): string {
  return (
    [`## ❌ ${md(service || 'ECS service')}: ${md(mode || 'step')} failed`, md(message)].join(
      '\n\n'
    ) + '\n'
  )
}

function colorTable(result: DeployResult, color: Color): string {
  const { discovery, plan, stableAfter } = result
  const { unit, targets } = discovery.workload.health[color]
  const info = result.details[color]
  const role = color === stableAfter ? 'stable' : 'canary'
  const before = percentOf(color, plan.weightsBefore)
  const after = percentOf(color, result.weightsAfter)
  const unhealthy = targets.notHealthy.map((t) => `${t.id} ${t.state}`).join(', ')
  return [
    `### ${color} (${role})`,
    table([
      ['Task set', code(unit.label)],
      ['Task definition', code(info?.familyRevision ?? unit.taskDefinitionArn ?? '—')],
      ['Images', info && info.images.length > 0 ? info.images.map(code).join('<br>') : '—'],
      ['Stability', `${md(unit.stability)} (${md(unit.status)})`],
      ['Tasks running / desired', `${unit.running} / ${unit.desired}`],
      [
        'Healthy targets',
        `${targets.healthy} / ${targets.total}${unhealthy ? ` — ${md(unhealthy)}` : ''}`
      ],
      ['Weight', before === after ? `${after}%` : `${before}% → **${after}%**`]
    ])
  ].join('\n')
}

function pieChart(result: DeployResult): string {
  const slices = COLORS.map(
    (color) => [color, roundedShareOf(color, result.weightsAfter) ?? 0] as const
  )
    .filter(([, share]) => share > 0)
    .map(([color, share]) => `    "${color}" : ${formatPercent(share)}`)
  return ['```mermaid', 'pie showData title Traffic after this step', ...slices, '```'].join('\n')
}

function writtenSection(result: DeployResult): string {
  if (result.inputs.dryRun) {
    const would = [
      result.plan.writeWeights
        ? `weights ${formatWeights(result.plan.weightsBefore)} → ${formatWeights(result.plan.weightsAfter)}`
        : '',
      result.plan.tagAfter ? `tag ${result.inputs.tagKey}=${result.plan.tagAfter}` : ''
    ].filter(Boolean)
    const gate = result.plan.gate ? ` after waiting for ${result.plan.gate} to be healthy` : ''
    return `Dry run: nothing was written. It would write ${would.length ? md(would.join(' and ')) + gate : 'nothing'}.`
  }
  if (result.writes.length === 0) return 'No change.'
  const gate =
    result.gate.kind === 'passed'
      ? `\n\n${result.gate.result.color} passed the health gate (${result.gate.result.checks} check(s)).`
      : result.gate.kind === 'skipped'
        ? `\n\nHealth gate skipped: ${md(result.gate.why)}.`
        : ''
  return result.writes.map((w) => `- ${md(w)}`).join('\n') + gate
}

function nextStep(inputs: ActionInputs, result: DeployResult): string {
  const stable = result.stableAfter
  const canary = otherColor(stable)
  const share = roundedShareOf(canary, result.weightsAfter) ?? 0
  const steps: string[] = []
  if (share === 0) {
    steps.push(
      `All traffic is on ${stable}. Deploy the next version to ${canary}, then shift a share to it:`,
      withBlock(inputs, 'canary', '10')
    )
  } else {
    steps.push(
      `${canary} serves ${formatPercent(share)}% of traffic. When it looks good, promote it:`,
      withBlock(inputs, 'promote'),
      `To send all traffic back to ${stable}:`,
      withBlock(inputs, 'rollback')
    )
  }
  return steps.join('\n\n')
}

/** The exact `with:` block for a follow-up step, naming the same resources as this one. */
function withBlock(inputs: ActionInputs, mode: Mode, canaryWeight?: string): string {
  const entries: [string, string | undefined][] = [
    [Inputs.Mode, mode],
    [Inputs.Cluster, inputs.cluster],
    [Inputs.Service, inputs.service],
    [Inputs.StackName, inputs.stackName],
    [Inputs.BlueTaskSet, inputs.taskSets.Blue],
    [Inputs.GreenTaskSet, inputs.taskSets.Green],
    [Inputs.BlueTargetGroup, inputs.targetGroups.Blue],
    [Inputs.GreenTargetGroup, inputs.targetGroups.Green],
    [Inputs.ListenerRuleArn, inputs.listenerRuleArn],
    [Inputs.ListenerArn, inputs.listenerArn],
    [Inputs.TagKey, inputs.tagKey === DEFAULT_TAG_KEY ? undefined : inputs.tagKey],
    [Inputs.CanaryWeight, canaryWeight]
  ]
  const lines = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `  ${key}: ${yamlScalar(value)}`)
  return ['```yaml', 'with:', ...lines, '```'].join('\n')
}

/** For runs with steps or a bake: the canary share over time and one row per step. */
function stepsSection(result: DeployResult): string[] {
  const { steps, inputs } = result
  const walked = inputs.mode === 'canary' && (inputs.schedule.walk || inputs.schedule.bakeMs > 0)
  if (!walked || steps.length === 0) return []
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19)
  const before = roundedShareOf(result.plan.canaryBefore, result.plan.weightsBefore) ?? 0
  const points = [formatPercent(before), ...steps.map((s) => formatPercent(s.share))]
  if (result.rolledBack) points.push('0')
  const labels = [
    'start',
    ...steps.map((_, i) => `step ${i + 1}`),
    ...(result.rolledBack ? ['rollback'] : [])
  ]
  const chart = [
    '```mermaid',
    'xychart-beta',
    `    title "Canary share (%) by step"`,
    `    x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    '    y-axis "percent" 0 --> 100',
    `    line [${points.join(', ')}]`,
    '```'
  ].join('\n')
  const rows = steps.map((s, i) => {
    const alarms = s.alarms.map((a) => `${a.name} ${a.state}`).join(', ') || '—'
    return `| ${i + 1} | ${formatPercent(s.share)}% | ${time(s.startedAt)} | ${Math.round(s.bakedMs / 1000)} / ${Math.round(s.bakeMs / 1000)} s | ${md(s.gate)} | ${md(alarms)} | ${s.outcome} |`
  })
  return [
    `### Steps (${md(inputs.schedule.source)})`,
    chart,
    [
      '| step | canary share | started (UTC) | baked | health gate | alarms seen | outcome |',
      '|---|---|---|---|---|---|---|',
      ...rows
    ].join('\n')
  ]
}

function alarmsSection(result: DeployResult): string[] {
  if (!result.alarms) return []
  const lines = result.alarms.alarms.map(
    (a) => `- ${code(a.name)}: **${md(a.state)}**${a.reason ? ` — ${md(a.reason)}` : ''}`
  )
  return ['### Alarms (last read)', lines.join('\n') || 'none']
}
