/**
 * Row validation: one raw row (its cells bound to catalogue fields) in, a typed
 * `CustomerRow` / `SipConnectionRow` plus every issue found out. Never throws for bad data.
 */
import { fieldsOf, type FieldSpec, type SheetName } from './catalogue.js';
import { issueAt, type InputIssue } from './issues.js';
import { unsafeCharacter } from './printable.js';
import { isSecretKey } from './redact.js';
import type { CustomerRow, License, Origin, SipConnectionRow, SiteSettings } from './types.js';
import { readNumberCell } from './number-cells.js';
import { CellRuleFailure, cellValueReader } from './cell-values.js';
import { readCell } from './cell-checks.js';
import { controlCharacterIssue, faultIssue, found, refusal, schemaIssues, shown } from './cell-issues.js';
import { rowRuleIssues } from './row-rules.js';
import type { NumberConvention } from './decimal-comma.js';

/** Why a cell's text cannot be used at all, whatever the column. */
export type CellFault = 'date' | 'formula-error' | 'long-number';

/** One non-empty cell: the header as written, its text, and a fault when the cell kind is unusable. */
export interface BoundCell {
  column: string;
  /** A secret as typed, byte for byte; any other value without whitespace at its ends (`valueText`). */
  text: string;
  fault?: CellFault;
  /** The cell held a number, not text (Excel drops a leading + or 0 from numbers). */
  typedAsNumber?: boolean;
  /** A number cell: the number itself, where `text` is what the cell shows (see number-cells.ts). */
  number?: string;
  /** A number cell whose shown text is not its exact value. */
  inexact?: true;
  /** A CSV cell written `="…"`: `text` is what Excel shows (0001317 for ="0001317"). */
  excelTextFormula?: boolean;
}

/** A raw row whose cells are bound to the catalogue: fields by model path, custom variables by key. */
export interface BoundRow {
  origin: Origin;
  fields: Map<string, BoundCell>;
  customVariables: Array<BoundCell & { key: string }>;
  /** The file's own way of writing numbers (a semicolon CSV's decimal comma), when it has one. */
  numbers?: NumberConvention;
}

export interface RowResult<T> {
  row?: T;
  issues: InputIssue[];
}

const fieldIndexes = new Map<SheetName, Map<string, FieldSpec>>();

/** A sheet's catalogue fields by model path. */
function fieldIndex(sheet: SheetName): Map<string, FieldSpec> {
  let index = fieldIndexes.get(sheet);
  if (!index) {
    index = new Map(fieldsOf(sheet).map((f) => [f.path, f]));
    fieldIndexes.set(sheet, index);
  }
  return index;
}

/** The values of the cells that passed, by model path in the row's column order, and every issue. */
interface Checked {
  paths: string[];
  values: unknown[];
  issues: InputIssue[];
  /** The Customers row's license, when its cell passed. */
  license?: License;
}

/** Cell faults and per-field rules for every bound cell of a row; values of the cells that passed. */
function checkCells(sheet: SheetName, row: BoundRow): Checked {
  // Two arrays in column order, not an object keyed by path: read back in that order by assemble.
  const checked: Checked = { paths: [], values: [], issues: [] };
  const { issues } = checked;
  const byPath = fieldIndex(sheet);
  for (const [path, cell] of row.fields) {
    const value = checkFieldCell(row, byPath.get(path)!, cell, issues);
    if (value === REFUSED) continue;
    checked.paths.push(path);
    checked.values.push(value);
    if (path === 'license') checked.license = value as License;
  }
  for (const cell of row.customVariables) {
    const secret = isSecretKey(cell.key);
    const stop = cell.fault ? undefined : refusal(cell, undefined, secret);
    const unsafe = unsafeCharacter(cell.text);
    // A number in one reads as its cell shows it, as in any text column.
    const number =
      cell.number === undefined ? undefined : readNumberCell({ kind: 'text', secret }, cell, row.origin);
    if (cell.fault) issues.push(faultIssue(row.origin, cell, secret));
    else if (stop) issues.push(found(row.origin, cell, stop, secret));
    else if (unsafe) issues.push(controlCharacterIssue(row.origin, cell, unsafe, secret));
    else if (number?.error ?? number?.warning) issues.push((number.error ?? number.warning)!);
    else
      for (const finding of readCell(cell.text, 'custom', secret, undefined)?.findings ?? [])
        issues.push(found(row.origin, cell, finding, secret));
  }
  return checked;
}

/** What checkFieldCell returns for a cell that did not pass (a value may be anything else). */
const REFUSED = Symbol('refused');

/** One field's cell: its issues pushed, its value returned when it passed. */
function checkFieldCell(row: BoundRow, field: FieldSpec, bound: BoundCell, issues: InputIssue[]): unknown {
  const secret = field.secret === true;
  if (bound.fault) {
    issues.push(faultIssue(row.origin, bound, secret));
    return REFUSED;
  }
  // A number cell: its field reads the number or what the cell shows (most cells are text and skip this).
  const number = bound.number === undefined ? undefined : readNumberCell(field, bound, row.origin);
  if (number?.error) {
    issues.push(number.error);
    return REFUSED;
  }
  const cell = number?.cell ?? bound;
  const stop = refusal(cell, field, secret);
  if (stop) {
    issues.push(found(row.origin, cell, stop, secret));
    return REFUSED;
  }
  const unsafe = unsafeCharacter(cell.text);
  if (unsafe) {
    issues.push(controlCharacterIssue(row.origin, cell, unsafe, secret));
    return REFUSED;
  }
  // A phone number stored as a number lost its + or leading 0, unless its format shows them again.
  if (field.phoneLike && cell.typedAsNumber && !/^[+0]/.test(cell.text)) {
    issues.push(
      issueAt(
        { ...row.origin, column: cell.column },
        'error',
        'number-in-phone-column',
        `${cell.text} is stored as a number, and a spreadsheet drops the leading + or 0 of numbers (LibreOffice's CSV import does so by default): format the cell as Text and type it as it must be sent, e.g. +${cell.text}`,
        shown(cell.text, secret),
      ),
    );
    return REFUSED;
  }
  const reading = readCell(cell.text, field.kind, secret, row.numbers);
  // A refused cell gets its error alone: a warning about the same cell would only add noise.
  const errors = reading?.findings.filter((f) => f.severity === 'error');
  if (errors !== undefined && errors.length > 0) {
    for (const finding of errors) issues.push(found(row.origin, cell, finding, secret));
    return REFUSED;
  }
  const text = reading?.text ?? cell.text;
  // The column's rule, a plain function (plain text has none: it is taken as it is).
  let value: unknown = text;
  const read = cellValueReader(field.kind);
  if (read) {
    value = read(text);
    if (value instanceof CellRuleFailure) {
      issues.push(...schemaIssues(row.origin, cell, [value], secret, text));
      return REFUSED;
    }
  }
  for (const finding of reading?.findings ?? []) issues.push(found(row.origin, cell, finding, secret));
  // A number read as text is worth a warning only where it was read.
  if (number?.warning) issues.push(number.warning);
  return value;
}

function checkRow(sheet: SheetName, row: BoundRow, license: License | undefined): InputIssue[] {
  return rowRuleIssues(sheet, row, license, fieldIndex(sheet));
}

// Model paths split once (the catalogue is fixed), not once per cell of every row.
const splitPaths = new Map<string, string[]>();

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  let parts = splitPaths.get(path);
  if (!parts) splitPaths.set(path, (parts = path.split('.')));
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function assemble(row: BoundRow, { paths, values }: Checked): Record<string, unknown> {
  const customVariables: Record<string, string> = {};
  for (const cell of row.customVariables) customVariables[cell.key] = cell.text;
  const out: Record<string, unknown> = { origin: row.origin, site: { customVariables } };
  for (let i = 0; i < paths.length; i++) if (values[i] !== undefined) setPath(out, paths[i]!, values[i]);
  return out;
}

/** The cell issues and the row rules' issues of a row, in that order. */
function rowIssues(checked: Checked, ruled: InputIssue[]): InputIssue[] {
  if (ruled.length === 0) return checked.issues;
  return checked.issues.length === 0 ? ruled : [...checked.issues, ...ruled];
}

function hasError(issues: readonly InputIssue[]): boolean {
  for (const issue of issues) if (issue.severity === 'error') return true;
  return false;
}

/** Validates one Customers row. A row is returned only when it has no error. */
export function validateCustomerRow(row: BoundRow): RowResult<CustomerRow> {
  const checked = checkCells('Customers', row);
  const { license } = checked;
  const issues = rowIssues(checked, checkRow('Customers', row, license));
  if (hasError(issues)) return { issues };
  const built = assemble(row, checked);
  const shortName = built.shortName as string;
  const customer: CustomerRow = {
    kind: 'customer',
    origin: row.origin,
    license: license!,
    shortName,
    ...(built.fullName === undefined ? {} : { fullName: built.fullName as string }),
    ...(built.msTenantId === undefined ? {} : { msTenantId: built.msTenantId as string }),
    ...(built.channelId === undefined ? {} : { channelId: built.channelId as string }),
    ...(built.lcCustomerId === undefined ? {} : { lcCustomerId: built.lcCustomerId as string }),
    siteName: (built.siteName as string | undefined) ?? shortName,
    site: built.site as SiteSettings,
  };
  if (license === 'OC Essentials') customer.oc = (built.oc as CustomerRow['oc']) ?? {};
  return { row: customer, issues };
}

/** Validates one SipConnections row. A row is returned only when it has no error. */
export function validateSipConnectionRow(row: BoundRow): RowResult<SipConnectionRow> {
  const checked = checkCells('SipConnections', row);
  const issues = rowIssues(checked, checkRow('SipConnections', row, undefined));
  if (hasError(issues)) return { issues };
  const built = assemble(row, checked);
  return {
    row: {
      kind: 'site',
      origin: row.origin,
      customerShortName: built.customerShortName as string,
      siteName: built.siteName as string,
      site: built.site as SiteSettings,
    },
    issues,
  };
}
