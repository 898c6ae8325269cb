/**
 * Values from AWS and from inputs go into the job summary; escape them so a `|`, a backtick or
 * an HTML tag in a name cannot break the table or inject markup.
 */
export function md(value: string | number | undefined): string {
  if (value === undefined || value === '') return '—'
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** A value inside inline code: backticks cannot be escaped there, so they are replaced. */
export function code(value: string): string {
  return `\`${value
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')}\``
}

/**
 * A YAML scalar that is safe inside a fenced block and parses back to the same string: plain only
 * when it starts with a letter, ends with neither ':' nor space, and is not a YAML 1.1 keyword;
 * double-quoted (JSON is valid YAML) otherwise, so numbers, `-`, `a:` and `@x` stay strings.
 */
export function yamlScalar(value: string): string {
  const safe = value.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')
  const plain =
    /^[A-Za-z](?:[\w./:@-]*[\w./@-])?$/.test(safe) &&
    !/^(true|false|null|yes|no|on|off|y|n)$/i.test(safe)
  return plain ? safe : JSON.stringify(safe)
}

export function table(rows: [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n')
}
