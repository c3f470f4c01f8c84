/**
 * How input issues are shown: a table for people (`lpsync validate`) and a JSON document for
 * machines. Values are already masked in the issues; callers may pass the text through a redactor too.
 */
import type { InputIssue } from './issues.js';
import { printable } from './printable.js';

export interface IssueCounts {
  errors: number;
  warnings: number;
}

export function countIssues(issues: readonly InputIssue[]): IssueCounts {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { errors, warnings: issues.length - errors };
}

const ISSUE_KEYS = ['severity', 'file', 'sheet', 'row', 'column', 'rule', 'message', 'value'] as const;

/** An issue with its keys in one fixed order, so the JSON output is stable whatever built it. */
function ordered(issue: InputIssue): InputIssue {
  const out: Record<string, unknown> = {};
  for (const key of ISSUE_KEYS) if (issue[key] !== undefined) out[key] = issue[key];
  return out as unknown as InputIssue;
}

/** `{ ok, errors, warnings, issues }`: what `lpsync validate --format json` prints. */
export function issuesDocument(
  issues: readonly InputIssue[],
): IssueCounts & { ok: boolean; issues: InputIssue[] } {
  const counts = countIssues(issues);
  return { ok: counts.errors === 0, ...counts, issues: issues.map(ordered) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` */
export function countLine(issues: readonly InputIssue[]): string {
  const { errors, warnings } = countIssues(issues);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

const COLUMNS = ['severity', 'file', 'sheet', 'row', 'column', 'rule', 'message', 'value'] as const;

/** A cell of the one-line table: its text on one line (line breaks read as spaces), never cut. */
function flat(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

export interface IssueTableOptions {
  /**
   * The terminal's width: when the one-line table would be wider, each issue is listed on a few lines
   * instead, wrapped to it. Without a width (output to a file, a pipe, a ticket) nothing is cut or wrapped.
   */
  width?: number;
}

/** Words of a text in lines of at most `width` characters; a word longer than the width is broken, not cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    let rest = word;
    for (; rest.length > width; rest = rest.slice(width)) {
      if (line !== '') lines.push(line);
      line = '';
      lines.push(rest.slice(0, width));
    }
    if (rest === '') continue;
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Each issue on a few lines under its file: where and which rule, then the message, then the value, all wrapped. */
function stackedIssues(sorted: readonly InputIssue[], width: number): string {
  const indent = ' '.repeat(10);
  const room = Math.max(20, width - indent.length);
  const out: string[] = [];
  let file: string | undefined;
  for (const issue of sorted) {
    if (issue.file !== file) {
      if (file !== undefined) out.push('');
      file = issue.file;
      out.push(...wrapText(file, width));
    }
    const place = [issue.sheet, issue.row === undefined ? undefined : `row ${issue.row}`, issue.column]
      .filter((p) => p !== undefined && p !== '')
      .join(', ');
    const head = `  ${issue.severity.padEnd(8)}${place}  [${issue.rule}]`;
    if (head.length <= width) out.push(head);
    else {
      const [first = '', ...more] = wrapText(`${place} [${issue.rule}]`, room);
      out.push(`  ${issue.severity.padEnd(8)}${first}`, ...more.map((l) => `${indent}${l}`));
    }
    for (const line of wrapText(issue.message, room)) out.push(`${indent}${line}`);
    if (issue.value !== undefined)
      for (const line of wrapText(`value: ${issue.value}`, room)) out.push(`${indent}${line}`);
  }
  return out.join('\n');
}

/**
 * A plain-text table of issues (errors first, then in file/sheet/row order) and a count line. Every
 * message and value whole: given a `width` the table does not fit, the issues are stacked a few
 * lines each, wrapped to it, instead.
 */
export function formatIssueTable(issues: readonly InputIssue[], options: IssueTableOptions = {}): string {
  if (issues.length === 0) return 'No errors, no warnings.';
  // Errors first; otherwise the order given (loadWorkbook sorts by file, sheet and row).
  // Control characters and bidi overrides are shown as <U+001B>, never sent to the terminal raw.
  const sorted = issues
    .map(printableIssue)
    .sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
  const table = wideTable(sorted);
  const fits = options.width === undefined || table.every((l) => l.length <= options.width!);
  return [fits ? table.join('\n') : stackedIssues(sorted, options.width!), '', countLine(issues)].join('\n');
}

function printableIssue(issue: InputIssue): InputIssue {
  const out = { ...issue };
  for (const key of ['file', 'sheet', 'column', 'message', 'value'] as const)
    if (out[key] !== undefined) out[key] = printable(out[key]);
  return out;
}

function wideTable(sorted: readonly InputIssue[]): string[] {
  const cells = sorted.map((issue) =>
    COLUMNS.map((c) => flat(issue[c] === undefined ? '' : String(issue[c]))),
  );
  const header = COLUMNS.map((c) => c.toUpperCase());
  // A loop, not Math.max(...spread): 125,000 issues overflow the call stack as arguments.
  const widths = header.map((h) => h.length);
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}
