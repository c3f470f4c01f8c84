import type { SheetName } from './catalogue.js';
import type { IssueRule } from './issue-rules.js';
import type { CellOrigin, Origin } from './types.js';

export { ISSUE_RULES, asIssueRule, type IssueRule } from './issue-rules.js';

/**
 * A problem found in the input. Row problems are values, never exceptions: all of a file's
 * issues are collected and reported together.
 */
export interface InputIssue {
  severity: 'error' | 'warning';
  /** The rule broken, in kebab-case, e.g. `short-name-length`, `unknown-header`, `duplicate-short-name`. */
  rule: IssueRule;
  /** A sentence a person can act on. */
  message: string;
  file: string;
  sheet?: string;
  /** Row number as Excel shows it (1 = header row). */
  row?: number;
  /** Column header as written in the file. */
  column?: string;
  /** The offending value, already masked when the column holds a secret. */
  value?: string;
  /** `sheet-not-read`: the sheet whose headers this one has, the name to rename it to. */
  looksLike?: SheetName;
}

export function issueAt(
  where: Origin | CellOrigin,
  severity: InputIssue['severity'],
  rule: IssueRule,
  message: string,
  value?: string,
): InputIssue {
  return { severity, rule, message, ...where, ...(value === undefined ? {} : { value }) };
}

/** `file › sheet › row 7 › Short Name` — how every issue names its place. */
export function describePlace(issue: Pick<InputIssue, 'file' | 'sheet' | 'row' | 'column'>): string {
  const parts = [issue.file];
  if (issue.sheet) parts.push(issue.sheet);
  if (issue.row !== undefined) parts.push(`row ${issue.row}`);
  if (issue.column) parts.push(issue.column);
  return parts.join(' › ');
}

/** Both lists in order; one of them as it is when the other is empty (the usual row has none). */
export function joinedIssues(first: InputIssue[], second: InputIssue[]): InputIssue[] {
  if (second.length === 0) return first;
  return first.length === 0 ? second : [...first, ...second];
}

export function hasError(issues: readonly InputIssue[]): boolean {
  for (const issue of issues) if (issue.severity === 'error') return true;
  return false;
}
