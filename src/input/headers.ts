/**
 * Header binding: which catalogue field or custom variable each column of a header row holds,
 * and the issues of the header itself (unknown or duplicated columns).
 */
import {
  closestHeader,
  fieldsOf,
  headerMeaning,
  normaliseHeader,
  type FieldSpec,
  type SheetName,
} from '../model/catalogue.js';
import { issueAt, type InputIssue } from '../model/issues.js';
import { isSecretColumn, isSecretKey, MASK } from '../model/redact.js';
import { indexOfField, type BoundCell, type BoundRow, type CustomCell } from '../model/bound-row.js';
import type { Origin } from '../model/types.js';
import type { CellText } from './cell-text.js';
import type { HeaderEvent } from './events.js';
import type { ColumnRead } from './index.js';
import { RESULT_COLUMNS } from '../model/result-columns.js';
import { valueText } from '../model/cell-checks.js';
import type { NumberConvention } from '../model/decimal-comma.js';
import { checkedValues, type CheckedValues } from '../model/checked-values.js';

export type ColumnMeaning =
  | { kind: 'field'; field: FieldSpec }
  | { kind: 'custom'; key: string }
  /** A combined CSV column that belongs to the other sheet. */
  | { kind: 'other-sheet' }
  | { kind: 'type' }
  /** Unknown or repeating a column: its values cannot be used. */
  | { kind: 'rejected'; reason: string }
  | { kind: 'blank' };

export interface ColumnBinding {
  header: string;
  meaning: ColumnMeaning;
}

export interface HeaderBinding {
  /** Per sheet the file holds: one binding per column index. */
  sheets: Map<SheetName, ColumnBinding[]>;
  issues: InputIssue[];
}

/** The column's letters as Excel shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** What each column was read as, for people: the field's header, a custom variable, or why it was not read. */
export function columnsRead(headers: readonly string[], bindings: readonly ColumnBinding[]): ColumnRead[] {
  return headers.map((header, index) => {
    const meaning = bindings[index]?.meaning ?? { kind: 'blank' };
    const letter = columnLetter(index);
    switch (meaning.kind) {
      case 'field':
        return { letter, header, readAs: meaning.field.header };
      case 'custom':
        return { letter, header, readAs: `Var:${meaning.key}` };
      case 'type':
        return { letter, header, readAs: null, note: 'the Type column: which sheet each row belongs to' };
      case 'other-sheet':
        return { letter, header, readAs: null, note: 'a column of the other sheet' };
      case 'rejected':
        return { letter, header, readAs: null, note: meaning.reason };
      case 'blank':
        return { letter, header, readAs: null, note: 'no header' };
    }
  });
}

/** The key a column's value is stored under in a raw row: its header, or its letter when it has none. */
export function rawKey(headers: string[], index: number): string {
  const header = headers[index];
  return header ? header : `(column ${columnLetter(index)})`;
}

// The columns lpsync adds to its results workbook (src/report): that file is a record, not an input.
const RESULT_HEADERS = new Set(RESULT_COLUMNS.map(normaliseHeader));

function unknownMessage(sheets: SheetName[], header: string): string {
  if (RESULT_HEADERS.has(normaliseHeader(header)))
    return `unknown column "${header}": it is a column of lpsync's results workbook, which masks passwords; run lpsync on the input workbook, or delete the result columns and retype the secrets`;
  const near = sheets.map((s) => closestHeader(s, header)).find((n) => n !== undefined);
  const custom = `a custom variable sent under exactly this name needs the header Var:${header}`;
  return `unknown column "${header}"${near ? `: did you mean ${near}? Or` : ';'} ${custom}`;
}

function isFriendlyHeader(sheet: SheetName, header: string): boolean {
  const wanted = normaliseHeader(header);
  return fieldsOf(sheet).some((f) => normaliseHeader(f.header) === wanted);
}

/**
 * In a combined file, a column named after another sheet's field (`Customer Short Name`) is
 * left to that sheet when this sheet has its own column for the field (`Short Name`), so the
 * aliases do not make them duplicates.
 */
function yieldingColumns(event: HeaderEvent, sheet: SheetName): Set<number> {
  const yielding = new Set<number>();
  const others = event.sheets.filter((s) => s !== sheet);
  if (others.length === 0) return yielding;
  const byField = new Map<string, number[]>();
  event.headers.forEach((header, index) => {
    const meaning = header === '' || index === event.typeColumn ? undefined : headerMeaning(sheet, header);
    if (meaning?.kind !== 'field') return;
    byField.set(meaning.field.path, [...(byField.get(meaning.field.path) ?? []), index]);
  });
  for (const indexes of byField.values()) {
    if (indexes.length < 2) continue;
    const foreign = indexes.filter((i) => {
      const header = event.headers[i]!;
      return !isFriendlyHeader(sheet, header) && others.some((o) => isFriendlyHeader(o, header));
    });
    if (foreign.length < indexes.length) for (const i of foreign) yielding.add(i);
  }
  return yielding;
}

/** Binds a header row for every sheet it holds; header issues are reported once per file. */
export function bindHeaders(event: HeaderEvent): HeaderBinding {
  const issues: InputIssue[] = [];
  const sheets = new Map<SheetName, ColumnBinding[]>();
  const sheetLabel = event.sheets.length === 1 ? event.sheets[0] : undefined;
  const where = (column: string) => ({
    file: event.file,
    ...(sheetLabel ? { sheet: sheetLabel } : {}),
    row: event.row,
    column,
  });
  const reported = new Set<number>();
  for (const sheet of event.sheets) {
    const seen = new Map<string, string>();
    const yielding = yieldingColumns(event, sheet);
    const bindings: ColumnBinding[] = event.headers.map((header, index) => {
      if (index === event.typeColumn) return { header, meaning: { kind: 'type' } };
      if (header === '') return { header, meaning: { kind: 'blank' } };
      if (yielding.has(index)) return { header, meaning: { kind: 'other-sheet' } };
      const meaning = headerMeaning(sheet, header);
      if (meaning.kind === 'unknown') {
        const elsewhere = event.sheets.some(
          (s) => s !== sheet && headerMeaning(s, header).kind !== 'unknown',
        );
        if (elsewhere) return { header, meaning: { kind: 'other-sheet' } };
        if (!reported.has(index)) {
          reported.add(index);
          issues.push(
            issueAt(
              where(header) as Origin & { column: string },
              'error',
              'unknown-header',
              unknownMessage(event.sheets, header),
            ),
          );
        }
        return { header, meaning: { kind: 'rejected', reason: `"${header}" is not a column lpsync knows` } };
      }
      const key = meaning.kind === 'field' ? `field:${meaning.field.path}` : `var:${meaning.key}`;
      const first = seen.get(key);
      if (first !== undefined) {
        if (!reported.has(index)) {
          reported.add(index);
          issues.push(
            issueAt(
              where(header) as Origin & { column: string },
              'error',
              'duplicate-header',
              `column "${header}" repeats column "${first}"; keep one of them`,
            ),
          );
        }
        return { header, meaning: { kind: 'rejected', reason: `"${header}" repeats "${first}"` } };
      }
      seen.set(key, header);
      return { header, meaning };
    });
    sheets.set(sheet, bindings);
  }
  return { sheets, issues };
}

/** What binding needs of one column, worked out once per header row (not once per cell of every row). */
interface ColumnPlan {
  meaning: ColumnMeaning;
  /** The key the column's values are shown under (its header, or its letter). */
  column: string;
  /** The column holds a secret: its values are taken as typed and masked. */
  secret: boolean;
  /** A field column: the field's index in its sheet's catalogue. */
  field: number;
  /** The cell last bound in this column and its bound cell: a cell read once for many rows binds once. */
  lastCell?: CellText;
  lastBound?: BoundCell;
}

/**
 * How one header row binds the rows of one sheet under it: its columns, its field columns' catalogue
 * indexes left to right, and the values checked under it. Made once per header row and sheet by the
 * loader, which keeps it with the header in force.
 */
export interface HeaderPlan {
  readonly sheet: SheetName;
  readonly headers: string[];
  readonly bindings: ColumnBinding[];
  readonly columns: ColumnPlan[];
  readonly order: number[];
  readonly checked: CheckedValues;
}

const BLANK: ColumnMeaning = { kind: 'blank' };

export function headerPlan(sheet: SheetName, headers: string[], bindings: ColumnBinding[]): HeaderPlan {
  return { sheet, headers, bindings, columns: [], order: [], checked: checkedValues() };
}

/** Plans the columns up to `width`: columns past the header row (values right of the last header) as they first appear. */
function planColumns(plan: HeaderPlan, width: number): void {
  const { sheet, headers, bindings } = plan;
  for (let index = plan.columns.length; index < width; index++) {
    const meaning = bindings[index]?.meaning ?? BLANK;
    const secret =
      (meaning.kind === 'field' && meaning.field.secret === true) ||
      (meaning.kind === 'custom' && isSecretKey(meaning.key));
    const field = meaning.kind === 'field' ? indexOfField(sheet, meaning.field) : -1;
    plan.columns.push({ meaning, column: rawKey(headers, index), secret, field });
    if (field >= 0) plan.order.push(field);
  }
}

/** What binding a row gives: the bound row, the issues of cells no field takes, the secrets read. */
export interface RowBinding {
  row: BoundRow;
  issues: InputIssue[];
  secrets: string[];
}

/** No issue (shared: most rows have none, and nothing is ever added to it). */
const NO_ISSUES: readonly InputIssue[] = Object.freeze([]);

/** Binds one row's cells to its sheet's columns; cells that cannot be used become issues. */
export function bindRow(
  plan: HeaderPlan,
  origin: Origin,
  cells: Array<CellText | undefined>,
  numbers?: NumberConvention,
): RowBinding {
  planColumns(plan, cells.length);
  const row: BoundRow = {
    origin,
    cells: new Array<BoundCell | undefined>(fieldsOf(plan.sheet).length),
    order: plan.order,
    customVariables: [],
    checked: plan.checked,
  };
  if (numbers) row.numbers = numbers;
  let issues = NO_ISSUES as InputIssue[];
  const secrets: string[] = [];
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    if (!cell) continue;
    const at = plan.columns[index]!;
    const { meaning, column, secret, field } = at;
    if (field < 0 && meaning.kind !== 'custom') {
      if (meaning.kind === 'type' || meaning.kind === 'field') continue;
      const text = columnText(cell, secret);
      if (text === undefined) continue;
      if (issues === NO_ISSUES) issues = [];
      issues.push(unusableCell(origin, meaning, column, cell, text, secrets));
      continue;
    }
    // Readers hand on one cell object for a text that repeats (a dropdown column): bound once.
    const bound = cell === at.lastCell ? at.lastBound : bindCell(at, cell);
    if (!bound) continue;
    if (field >= 0) row.cells[field] = bound;
    else row.customVariables.push(bound as CustomCell);
    if (secret) secrets.push(bound.text);
  }
  return { row, issues, secrets };
}

/**
 * The cell's value in its column, or undefined when it shows nothing there: a secret as typed, any
 * other value without whitespace at its ends (a cell of spaces is empty). A number its format hides
 * (0 under #) is not empty: it is refused as shown inexactly.
 */
function columnText(cell: CellText, secret: boolean): string | undefined {
  const text = valueText(cell.text, secret);
  return text === '' && !cell.fault && cell.number === undefined ? undefined : text;
}

/** A field's or custom variable's cell as bound to its column; undefined when it shows nothing there. */
function bindCell(at: ColumnPlan, cell: CellText): BoundCell | undefined {
  const text = columnText(cell, at.secret);
  if (text === undefined) return undefined;
  // Assigned, not spread: this runs once per cell of every row (the read bench's profile).
  const bound: BoundCell = { column: at.column, text };
  if (cell.fault) bound.fault = cell.fault;
  if (cell.typedAsNumber) bound.typedAsNumber = true;
  if (cell.number !== undefined) bound.number = cell.number;
  if (cell.inexact) bound.inexact = true;
  if (cell.excelTextFormula) bound.excelTextFormula = true;
  if (at.meaning.kind === 'custom') {
    const custom = bound as CustomCell;
    custom.key = at.meaning.key;
    custom.secret = at.secret;
  }
  at.lastCell = cell;
  at.lastBound = bound;
  return bound;
}

/** A value in a column lpsync cannot use: an error, the value masked when the column looks secret. */
function unusableCell(
  origin: Origin,
  meaning: Exclude<ColumnMeaning, { kind: 'field' | 'custom' | 'type' }>,
  column: string,
  cell: CellText,
  text: string,
  secrets: string[],
): InputIssue {
  const where = { ...origin, column };
  if (meaning.kind === 'blank')
    return issueAt(
      where,
      'error',
      'value-without-header',
      `this cell has a value but its column has no header`,
      text,
    );
  const looksSecret = isSecretColumn(column);
  if (looksSecret) secrets.push(cell.text);
  const shownText = looksSecret ? MASK : text;
  return meaning.kind === 'other-sheet'
    ? issueAt(
        where,
        'error',
        'column-not-for-sheet',
        `${column} is not a column of ${origin.sheet}; clear it on this row`,
        shownText,
      )
    : issueAt(
        where,
        'error',
        'value-in-rejected-column',
        `this row has a value in a column lpsync cannot use: ${meaning.reason} (see the header row)`,
        shownText,
      );
}
