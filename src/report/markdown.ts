/**
 * Values from AWS and from inputs go into the job summary as plain text: whatever they hold, they
 * render as the same characters, never as markup, a link or a broken table. Each function's output
 * is safe anywhere inline: in a paragraph, a heading, a list item or a table cell.
 */

/**
 * A value as plain text (GitHub's renderer is cmark-gfm):
 * - white space, line breaks included, becomes one space, so the value stays inline;
 * - every character with a meaning inline (`\`, `` ` ``, `*`, `_`, `~`, `[`, `]`, `(`, `)`, `{`,
 *   `}`, `#`, `+`, `!`, `$` for math, `:`) is backslash-escaped, and so is a `-` or a numbered
 *   list marker (`1.`) at the start, where it would open a list;
 * - `&`, `<`, `>` become entities, and `|` becomes `&#124;`: a table's `\|` would show its
 *   backslash outside a table, while an entity reads the same everywhere;
 * - autolinks are broken: `http\://` and `www\.` are not links; an e-mail address is found after
 *   parsing, when escapes are gone, so a WORD JOINER (U+2060, invisible) follows each `@`, which
 *   also keeps `@name` from becoming a mention.
 */
export function md(value: string | number | undefined): string {
  const text = String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  if (text === '') return '—'
  return text
    .replace(/[\\`*_~[\](){}#+!$:]/g, '\\$&')
    .replace(/^-/, '\\-')
    .replace(/^(\d+)\./, '$1\\.')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '@\u2060')
}

/**
 * A value as inline code, character for character: nothing inside a code span is markup, a link
 * or a mention. The fence is one backtick longer than the longest run inside, with a space inside
 * it where the value starts or ends with a backtick or a space (cmark-gfm removes one space on
 * each side). Line breaks become spaces. A `|` is left as it is: `tableRow` escapes it in a cell,
 * where the table reads `\|` before the code span sees it.
 */
export function code(value: string | undefined): string {
  const text = (value ?? '').replace(/\r\n|[\r\n]/g, ' ')
  if (text === '') return '—'
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = /^[` ]|[` ]$/.test(text) && text.trim() !== '' ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
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

/**
 * One row of a table. Cells are markdown made by md, code or the report itself; a `|` in them can
 * only come from a code span, and `\|` is how a table keeps it in its cell.
 */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`
}

/** A two-column table with an empty header. */
export function table(rows: [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(tableRow)].join('\n')
}
