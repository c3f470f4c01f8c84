/**
 * How input issues are shown: a table for people (`lpsync validate`) and a JSON document for
 * machines. Values are already masked in the issues; callers may pass the text through a redactor too.
 */
import type { InputIssue } from './issues.js';

export interface IssueCounts {
  errors: number;
  warnings: number;
}

export function countIssues(issues: readonly InputIssue[]): IssueCounts {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { errors, warnings: issues.length - errors };
}

/** `{ ok, errors, warnings, issues }`: what `lpsync validate --format json` prints. */
export function issuesDocument(
  issues: readonly InputIssue[],
): IssueCounts & { ok: boolean; issues: InputIssue[] } {
  const counts = countIssues(issues);
  return { ok: counts.errors === 0, ...counts, issues: [...issues] };
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
// Long cells are cut in the table so it stays readable; the JSON format has them whole.
const MAX_WIDTH: Record<(typeof COLUMNS)[number], number> = {
  severity: 7,
  file: 40,
  sheet: 14,
  row: 6,
  column: 28,
  rule: 28,
  message: 100,
  value: 40,
};

function cut(text: string, width: number): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** A plain-text table of issues (errors first, then in file/sheet/row order) and a count line. */
export function formatIssueTable(issues: readonly InputIssue[]): string {
  if (issues.length === 0) return 'No errors, no warnings.';
  // Errors first; otherwise the order given (loadWorkbook sorts by file, sheet and row).
  const sorted = [...issues].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  const cells = sorted.map((issue) =>
    COLUMNS.map((c) => cut(issue[c] === undefined ? '' : String(issue[c]), MAX_WIDTH[c])),
  );
  const header = COLUMNS.map((c) => c.toUpperCase());
  const widths = COLUMNS.map((_, i) => Math.max(header[i]!.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    countLine(issues),
  ].join('\n');
}
