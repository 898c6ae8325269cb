import { COLORS, otherColor, type Color } from '../color.js'
import { DEFAULT_TAG_KEY, Inputs } from '../constants.js'
import type { ActionInputs, Mode } from '../inputs.js'
import type { Outcome } from '../pipeline.js'
import type { RouteSplit } from '../routers/router.js'
import { formatPercent, formatSplit, roundedSplit } from '../shares.js'
import {
  describeWindow,
  errorRate,
  ms,
  percent,
  type ColorMetrics
} from '../gates/analysis-judge.js'
import { describeChecks } from './checks.js'
import { code, md, table, tableRow, yamlScalar } from './markdown.js'
import { percentOf } from './text.js'

/** The job summary for a finished step, as markdown; pure. */
export function renderSummary(result: Outcome): string {
  const { inputs, state, plan, stableAfter } = result
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
    `## ${icon} ${md(state.service.name)}: ${inputs.mode} — ${outcome}`,
    ...(result.failure ? [`**${md(result.failure)}**`] : []),
    `Stable: **${stableAfter}** · canary: **${canaryAfter}** · traffic: **${formatSplit(result.splitAfter)}** · ` +
      `route: ${state.route.kind} ${code(state.route.id)}`,
    ...routesSection(state.route.routes),
    `> ${md(plan.reason)}`,
    ...(state.route.notes ?? []).map((note) => `> ⚠️ ${md(note)}`),
    ...deploySection(result),
    ...COLORS.map((color) => colorTable(result, color)),
    pieChart(result),
    ...stepsSection(result),
    ...analysisSection(result),
    ...detailsSection(result),
    ...alarmsSection(result),
    '### What was written',
    writtenSection(result),
    ...dryRunChecks(result),
    ...warningsSection(result),
    '### Next step',
    nextStep(inputs, result)
  ]
  return parts.join('\n\n') + '\n'
}

/** Each route of a set that moves in lockstep, with the weights discovery found on it. */
function routesSection(routes: readonly RouteSplit[] | undefined): string[] {
  if (!routes) return []
  const lines = routes.map(
    (route, i) => `${i + 1}. ${route.kind} ${code(route.id)}: ${formatSplit(route.split)}`
  )
  return [`Routes that move together (weights before this run):\n\n${lines.join('\n')}`]
}

/** The job summary for a failed step. */
export function renderFailure(mode: string, service: string, message: string): string {
  return (
    [`## ❌ ${md(service || 'ECS service')}: ${md(mode || 'step')} failed`, md(message)].join(
      '\n\n'
    ) + '\n'
  )
}

function colorTable(result: Outcome, color: Color): string {
  const { state, plan, stableAfter, inputs } = result
  const { unit, targets } = state.health[color]
  const info = result.details[color]
  const role = color === stableAfter ? 'stable' : 'canary'
  const before = percentOf(color, plan.splitBefore)
  const after = percentOf(color, result.splitAfter)
  const unhealthy = targets.notHealthy.map((t) => `${t.id} ${t.state}`).join(', ')
  return [
    `### ${color} (${role})`,
    table([
      [unit.noun ?? (inputs.services ? 'Service' : 'Task set'), code(unit.label)],
      ['Task definition', code(info?.familyRevision ?? unit.taskDefinitionArn ?? '—')],
      ['Images', info && info.images.length > 0 ? info.images.map(code).join('<br>') : '—'],
      ['Stability', `${md(unit.stability)} (${md(unit.status)})`],
      ['Tasks running / desired', `${unit.running} / ${unit.desired}`],
      [
        'Healthy targets',
        targets.unread
          ? 'not read (a rollback does not wait for health)'
          : `${targets.healthy} / ${targets.total}${unhealthy ? ` — ${md(unhealthy)}` : ''}`
      ],
      ['Weight', before === after ? `${after}%` : `${before}% → **${after}%**`]
    ])
  ].join('\n')
}

/** The deploy before the traffic steps: old → new image in the canary colour, and the diff. */
function deploySection(result: Outcome): string[] {
  const deploy = result.deploy
  if (!deploy) return []
  const canary = otherColor(result.plan.stableBefore)
  const image =
    deploy.newImage !== undefined
      ? `${canary}${deploy.container ? ` (${md(deploy.container)})` : ''}: ` +
        `${code(deploy.oldImage ?? '—')} → ${code(deploy.newImage)}`
      : undefined
  const state = deploy.failure
    ? 'failed'
    : deploy.changed
      ? 'deployed'
      : result.inputs.dryRun && deploy.diff.length > 0
        ? 'dry run: would change'
        : 'already in place, nothing deployed'
  return [
    `### Deploy to ${canary}: ${state}`,
    [
      ...(image ? [`- ${image}`] : []),
      ...(deploy.digest ? [`- digest ${code(deploy.digest)}`] : []),
      ...(result.inputs.dryRun ? deploy.diff.map((line) => `- would: ${md(line)}`) : [])
    ].join('\n') || 'No change.'
  ]
}

function pieChart(result: Outcome): string {
  const shown = roundedSplit(result.splitAfter)
  const slices = COLORS.map((color) => [color, shown[color]] as const)
    .filter(([, share]) => share > 0)
    .map(([color, share]) => `    "${color}" : ${formatPercent(share)}`)
  return ['```mermaid', 'pie showData title Traffic after this step', ...slices, '```'].join('\n')
}

function writtenSection(result: Outcome): string {
  const { plan, inputs } = result
  if (inputs.dryRun) {
    const would = plan.steps.flatMap((step) => [
      ...(step.write ? [`traffic ${formatSplit(step.split)}`] : []),
      ...(step.tag && step.tag !== plan.stableBefore ? [`tag ${inputs.tagKey}=${step.tag}`] : [])
    ])
    const gated = plan.steps.find((step) => step.gate)
    const gate = gated ? ` after waiting for ${gated.canary} to be healthy` : ''
    return `Dry run: nothing was written. It would write ${would.length ? md(would.join(', then ')) + gate : 'nothing'}.`
  }
  if (result.writes.length === 0) return 'No change.'
  return result.writes.map((w) => `- ${md(w)}`).join('\n')
}

function nextStep(inputs: ActionInputs, result: Outcome): string {
  const stable = result.stableAfter
  const canary = otherColor(stable)
  const share = result.splitAfter[canary]
  const steps: string[] = []
  // A swap moves all traffic or none: a canary opens the test listener, promote swaps.
  if (inputs.swap && Math.round(share) === 0) {
    const open = inputs.mode === 'canary' && !result.failure && !result.rolledBack
    steps.push(
      open
        ? `${canary} takes no production traffic; testers reach it on the test listener. When it looks good, promote it (the listeners swap):`
        : `All traffic is on ${stable}. Deploy the next version to ${canary}, then point the test listener at it:`,
      open ? withBlock(inputs, 'promote') : withBlock(inputs, 'canary', '0')
    )
  } else if (Math.round(share) === 0) {
    const deployed = result.deploy?.changed === true && !result.deploy.failure
    steps.push(
      deployed
        ? `${canary} runs the new version with no traffic yet. Shift a share to it:`
        : `All traffic is on ${stable}. Deploy the next version to ${canary}, then shift a share to it:`,
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
    [Inputs.ProductionListenerArn, inputs.swap?.production],
    [Inputs.TestListenerArn, inputs.swap?.test],
    [Inputs.BlueService, inputs.services?.Blue],
    [Inputs.GreenService, inputs.services?.Green],
    [Inputs.HostedZoneId, inputs.route53?.hostedZoneId],
    [Inputs.RecordName, inputs.route53?.recordName],
    [Inputs.RecordType, inputs.route53?.recordType],
    [Inputs.BlueSetIdentifier, setIdentifier(inputs, 'Blue')],
    [Inputs.GreenSetIdentifier, setIdentifier(inputs, 'Green')],
    [Inputs.TagKey, inputs.tagKey === DEFAULT_TAG_KEY ? undefined : inputs.tagKey],
    [Inputs.CanaryWeight, canaryWeight]
  ]
  const lines = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `  ${key}: ${yamlScalar(value)}`)
  return ['```yaml', 'with:', ...lines, '```'].join('\n')
}

/** A set identifier other than the colour's name, the input's default. */
function setIdentifier(inputs: ActionInputs, color: Color): string | undefined {
  const id = inputs.route53?.setIdentifiers[color]
  return id === color ? undefined : id
}

/** For runs with steps or a bake: the canary share over time and one row per step. */
function stepsSection(result: Outcome): string[] {
  const { steps, inputs, plan } = result
  const walked = inputs.mode === 'canary' && (inputs.schedule.walk || inputs.schedule.bakeMs > 0)
  if (!walked || steps.length === 0) return []
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19)
  const points = [plan.splitBefore[plan.canaryBefore], ...steps.map((s) => s.share)]
  const labels = ['start', ...steps.map((_, i) => `step ${i + 1}`)]
  if (result.rolledBack) {
    points.push(0)
    labels.push('rollback')
  }
  const chart = [
    '```mermaid',
    'xychart-beta',
    `    title "Canary share (%) by step"`,
    `    x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    '    y-axis "percent" 0 --> 100',
    `    line [${points.map(formatPercent).join(', ')}]`,
    '```'
  ].join('\n')
  const gates = [...new Set(steps.flatMap((s) => s.readings.map((r) => r.label)))]
  const rows = steps.map((s, i) =>
    tableRow([
      String(i + 1),
      `${formatPercent(s.share)}%`,
      time(s.startedAt),
      `${Math.round(s.bakedMs / 1000)} / ${Math.round(s.bakeMs / 1000)} s`,
      ...gates.map((label) => md(s.readings.find((r) => r.label === label)?.text)),
      s.outcome
    ])
  )
  return [
    `### Steps (${md(inputs.schedule.source)})`,
    chart,
    [
      tableRow(['step', 'canary share', 'started (UTC)', 'baked', ...gates.map(md), 'outcome']),
      tableRow(['---', '---', '---', '---', ...gates.map(() => '---'), '---']),
      ...rows
    ].join('\n')
  ]
}

function alarmsSection(result: Outcome): string[] {
  if (!result.alarms) return []
  const lines = result.alarms.map(
    (a) => `- ${code(a.name)}: **${md(a.state)}**${a.reason ? ` — ${md(a.reason)}` : ''}`
  )
  return ['### Alarms (last read)', lines.join('\n') || 'none']
}

/** What the run left alone (a rollback that would not touch a test route it may not change). */
function warningsSection(result: Outcome): string[] {
  if (result.warnings.length === 0) return []
  return ['### Left alone', result.warnings.map((w) => `- ⚠️ ${md(w)}`).join('\n')]
}

/** Canary analysis per step: both colours' numbers side by side, the verdict and why. */
function analysisSection(result: Outcome): string[] {
  const canary = result.plan.canaryBefore
  const stable = otherColor(canary)
  const rows = result.steps.flatMap((s, i) => {
    const verdict = s.readings.find((r) => r.verdict)?.verdict
    if (!verdict) return []
    const cells = (m: ColorMetrics) => [
      String(m.requests),
      percent(errorRate(m)),
      m.p99Ms === undefined ? '—' : ms(m.p99Ms)
    ]
    return [
      tableRow([
        String(i + 1),
        describeWindow(verdict.window),
        ...cells(verdict.canary),
        ...cells(verdict.stable),
        `**${verdict.result}**`,
        md(verdict.reason)
      ])
    ]
  })
  if (rows.length === 0) return []
  const head = ['step', 'window', `${canary} requests`, `${canary} errors`, `${canary} p99`]
  const tail = [`${stable} requests`, `${stable} errors`, `${stable} p99`, 'verdict', 'why']
  return [
    `### Canary analysis (${canary} against ${stable})`,
    [tableRow([...head, ...tail]), tableRow([...head, ...tail].map(() => '---')), ...rows].join(
      '\n'
    )
  ]
}

/** What the smoke check and the hooks saw, one list per gate. */
function detailsSection(result: Outcome): string[] {
  const byLabel = new Map<string, string[]>()
  for (const step of result.steps) {
    for (const reading of step.readings) {
      if (reading.details) byLabel.set(reading.label, reading.details)
    }
  }
  return [...byLabel].flatMap(([label, lines]) => [
    `### ${md(label[0].toUpperCase() + label.slice(1))}`,
    lines.map((line) => `- ${md(line)}`).join('\n')
  ])
}

/** A dry run says what a real run would check, as well as what it would write. */
function dryRunChecks(result: Outcome): string[] {
  const lines = result.inputs.dryRun ? describeChecks(result.inputs) : []
  if (lines.length === 0) return []
  return ['### What it would check', lines.map((line) => `- ${md(line)}`).join('\n')]
}
