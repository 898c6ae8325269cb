import { MODES } from '../input-modes.js'
import { ACTION_INPUTS } from './action-inputs.js'
import { OWN_FLAGS } from './args.js'

/** What the exit status says; README's "Command line" section has the same table. */
export const EXIT_CODES = {
  0: 'done: the step did what was asked (or found it done)',
  1: 'failed: bad input, a refusal, or a failed gate before any traffic moved',
  2: 'rolled back: a gate failed after traffic moved, and all traffic is on the stable colour',
  130: 'cancelled (SIGINT or SIGTERM); a canary rolls back first unless --on-cancel hold'
} as const

/** `--help`: usage, modes, one entry per action.yml input, the exit codes; pure. */
export function helpText(command: string, width = 100): string {
  const flags = ACTION_INPUTS.filter((input) => input.name !== 'mode').map((input) => {
    const value = input.default === 'true' || input.default === 'false' ? '' : ' VALUE'
    // A workflow expression (`${{ github.token }}`) means nothing outside a workflow.
    const shown = input.default && !input.required && !input.default.includes('${{')
    const fallback = shown ? ` (default: ${input.default})` : ''
    const text = input.description.replace(/ Required\.$/, '').replace(/ Default[^.]*\.$/, '')
    return entry(`--${input.name}${value}`, `${text}${fallback}`, width)
  })
  return [
    `Usage: ${command} <mode> --cluster NAME --service NAME [--stack-name NAME] [--flag VALUE …]`,
    '',
    'Canary, promote, rollback and status for an Amazon ECS service with Blue and Green task sets',
    'behind an Application Load Balancer, from any shell or CI system. The flags are the inputs of',
    'the GitHub Action (action.yml); credentials and the region come from the AWS environment.',
    '',
    `Modes: ${MODES.join(', ')}`,
    '',
    'Inputs:',
    ...flags,
    '',
    'Options:',
    ...Object.entries(OWN_FLAGS).map(([name, text]) => entry(`--${name}`, text, width)),
    '',
    'Exit status:',
    ...Object.entries(EXIT_CODES).map(([code, text]) => entry(code, text, width)),
    ''
  ].join('\n')
}

/** A flag and its text, the text wrapped at `width` and indented under the flag. */
function entry(flag: string, text: string, width: number): string {
  const lines: string[] = [`  ${flag}`]
  let line = '      '
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + word.length + 1 > width) {
      lines.push(line)
      line = '      '
    }
    line += (line.trim() ? ' ' : '') + word
  }
  if (line.trim()) lines.push(line)
  return lines.join('\n')
}
