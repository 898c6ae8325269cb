/**
 * The one function every text goes through before it reaches the runner (`workflow-commands.ts`): a log line, a group
 * name, an annotation (warning, error, notice, `setFailed`) or a debug line.
 *
 * Why it is needed. The runner reads each line a step prints, stdout and stderr alike, and splits
 * lines at CR, LF and CRLF. After leading white space is trimmed, a line that starts with `::` is a
 * workflow command (`::add-mask::x` hides x for the rest of the job, `::stop-commands::<token>`
 * turns command processing off, `::error::` forges an annotation, `::set-output …` sets an output).
 * A line that holds `##[` anywhere is read as the legacy form (`##[add-mask]x`) when it is not a
 * `::` command. Text from AWS (an alarm's state reason or name, a tag value, an image) and from
 * inputs can hold all of these.
 *
 * What `workflow-commands.ts` does itself (as the toolkit does): `warning`, `error`, `notice`,
 * `debug`, `group` and `setFailed` print `::name::data` with `%`, CR and LF in the data written as
 * `%25`, `%0D`, `%0A`, so the data stays on the command's own line, and that line is read as the
 * command (the runner tries the `::` form first, so a `##[` inside the data is not read). `info`
 * writes its text as it is, and a line break in it starts a new line the runner reads afresh.
 *
 * What this adds, the same for every kind of output, so that no printed line can start a command
 * however a caller prints it:
 * - every line break (CR, LF, CRLF, and VT, FF, NEL, U+2028, U+2029 that some viewers break at)
 *   becomes ` ⏎ `, so the text is one line;
 * - a `::` at the start, after any white space, becomes `: :`;
 * - `##[` anywhere becomes `## [`;
 * - any other control character (the ESC of a colour code, NUL) is shown as `\xHH`.
 *
 * Step outputs do not go through here: `setOutput` appends them to the GITHUB_OUTPUT file
 * under a random delimiter (or, without that file, as an escaped `::set-output` command), and
 * they must keep their exact value.
 */
export function logLine(text: string): string {
  return text
    .replace(LINE_BREAK, ' ⏎ ')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/^(\s*):(?=:)/, '$1: ')
    .replace(/##\[/g, '## [')
}

const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/g

/** C0 and C1 control characters other than tab (line breaks are gone by then), and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g
