/**
 * pandas' default index: `df.to_csv(path)` and `df.to_excel(path)` write the row numbers 0, 1, 2…
 * in a first column without a header (`Unnamed: 0` once such a file is read and saved again). That
 * column is one mistake, not one per row: while its values climb row by row, the rows' errors for
 * it are held back, and the file gets one error that names it. A value that does not climb means
 * the column is something else: the held-back errors are given back, as for any column.
 */
import type { InputIssue } from '../model/issues.js';
import type { Origin } from '../model/types.js';
import type { CellText } from './cell-text.js';
import { columnLetter, rawKey } from './headers.js';

/** What is watched of one header's first column. */
export interface IndexColumnWatch {
  /** The header as written: '' or `Unnamed: 0`. */
  header: string;
  headerRow: number;
  file: string;
  sheet?: string;
  /** The key the column's issues name it by. */
  column: string;
  last: number;
  rows: number;
  first?: number;
  /** Issues held back while the column still reads as pandas' index, and the rows they made invalid. */
  held: Array<{ origin: Origin; issues: InputIssue[] }>;
  headerIssues: InputIssue[];
}

const UNNAMED = /^Unnamed: 0$/;

/** A watch when a header's first column may be pandas' index: no header, or `Unnamed: 0`. */
export function watchIndexColumn(
  file: string,
  sheets: readonly string[],
  headerRow: number,
  headers: string[],
): IndexColumnWatch | undefined {
  const header = headers[0];
  if (header === undefined || (header !== '' && !UNNAMED.test(header))) return undefined;
  if (!headers.slice(1).some((h) => h !== '')) return undefined;
  return {
    header,
    headerRow,
    file,
    ...(sheets.length === 1 ? { sheet: sheets[0]! } : {}),
    column: rawKey(headers, 0),
    last: -1,
    rows: 0,
    held: [],
    headerIssues: [],
  };
}

/** Takes the header's issues about the watched column out of `issues`, to hold them. */
export function holdHeaderIssues(watch: IndexColumnWatch, issues: InputIssue[]): InputIssue[] {
  const kept: InputIssue[] = [];
  for (const issue of issues) (issue.column === watch.column ? watch.headerIssues : kept).push(issue);
  return kept;
}

/**
 * One row: true when its first cell still climbs (its issues for the column are then held back and
 * taken out of `issues`); false when the column has turned out not to be an index.
 */
export function holdRowIssues(
  watch: IndexColumnWatch,
  origin: Origin,
  cells: ReadonlyArray<CellText | undefined>,
  issues: InputIssue[],
): boolean {
  const text = cells[0]?.text.trim() ?? '';
  const value = /^\d{1,15}$/.test(text) ? Number(text) : -1;
  if (value <= watch.last) return false;
  watch.last = value;
  watch.first ??= value;
  watch.rows++;
  const mine = issues.filter((i) => i.column === watch.column);
  if (mine.length > 0) {
    watch.held.push({ origin, issues: mine });
    issues.splice(0, issues.length, ...issues.filter((i) => i.column !== watch.column));
  }
  return true;
}

/** The one issue of a column that was pandas' index from the first row to the last. */
export function indexColumnIssue(watch: IndexColumnWatch): InputIssue {
  const named =
    watch.header === '' ? `column ${columnLetter(0)} has no header and` : `column "${watch.header}"`;
  const values =
    watch.rows === 1
      ? `${watch.first}`
      : `${watch.first} to ${watch.last} on ${watch.rows.toLocaleString('en-US')} rows`;
  return {
    severity: 'error',
    rule: 'pandas-index-column',
    message: `${named} holds the numbers ${values}: it is the row index pandas writes by default, not data; save the file again with index=False (df.to_csv(path, index=False) or df.to_excel(path, index=False)), or delete the column`,
    file: watch.file,
    ...(watch.sheet ? { sheet: watch.sheet } : {}),
    row: watch.headerRow,
    column: watch.column,
  };
}
