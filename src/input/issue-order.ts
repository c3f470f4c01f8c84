/** The order a person reads issues in: file, sheet, row, errors before warnings, column. */
import type { InputIssue } from '../model/issues.js';

/** `file\0sheet` → column key → its index, for the header each sheet was read under. */
export type ColumnIndexes = Map<string, Map<string, number>>;

/** `file\0sheet` as ColumnIndexes keys it; a combined CSV's header is also kept under `file\0`. */
export const columnIndexKey = (file: string, sheet: string) => `${file}\u0000${sheet}`;

/** Sorts `issues` in place: the caller's array is the one the report lists. */
export function sortIssues(issues: InputIssue[], files: string[], columnIndexes: ColumnIndexes): void {
  const fileOrder = (file: string) => files.indexOf(file);
  // Within a row, errors then warnings, left to right as the columns stand; columns the row lacks last.
  const columnOrder = (issue: InputIssue) => {
    const index = columnIndexes.get(columnIndexKey(issue.file, issue.sheet ?? ''))?.get(issue.column ?? '');
    return index ?? Number.MAX_SAFE_INTEGER;
  };
  const sheetOrder = (sheet?: string) => (sheet === 'Customers' ? 0 : sheet === 'SipConnections' ? 1 : 2);
  issues.sort(
    (a, b) =>
      fileOrder(a.file) - fileOrder(b.file) ||
      sheetOrder(a.sheet) - sheetOrder(b.sheet) ||
      (a.row ?? 0) - (b.row ?? 0) ||
      Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
      columnOrder(a) - columnOrder(b),
  );
}
