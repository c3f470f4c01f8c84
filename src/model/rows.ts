/**
 * Row validation: one raw row (its cells bound to catalogue fields) in, a typed
 * `CustomerRow` / `SipConnectionRow` plus every issue found out. Never throws for bad data.
 */
import { fieldsOf, type FieldSpec, type SheetName } from './catalogue.js';
import type { BoundCell, BoundRow } from './bound-row.js';
import { fieldIndex } from './bound-row.js';
import { knownValue, remember } from './checked-values.js';
import { hasError, issueAt, joinedIssues, type InputIssue } from './issues.js';
import { unsafeCharacter } from './printable.js';
import type { CustomerRow, License, SipConnectionRow, SiteSettings } from './types.js';
import { readNumberCell } from './number-cells.js';
import { CellRuleFailure, cellValueReader, type CellValueReader } from './cell-values.js';
import { readCell } from './cell-checks.js';
import { controlCharacterIssue, faultIssue, found, refusal, schemaIssues, shown } from './cell-issues.js';
import { rowRuleIssues } from './row-rules.js';

export type { BoundCell, BoundRow, CellFault, CustomCell } from './bound-row.js';

export interface RowResult<T> {
  row?: T;
  issues: InputIssue[];
}

/** What checking needs of one catalogue field, worked out once (not once per cell of every row). */
interface FieldCheck {
  field: FieldSpec;
  secret: boolean;
  /** The column's rule; undefined for plain text, taken as it is. */
  read: CellValueReader | undefined;
  /** The model path split at its dots. */
  parts: readonly string[];
  /** A `site.<key>` path's key: set on the row's site object straight away (most fields are one). */
  siteKey: string | undefined;
}

const checksOf = new Map<SheetName, readonly FieldCheck[]>();

/** A sheet's field checks, by catalogue index. */
function fieldChecks(sheet: SheetName): readonly FieldCheck[] {
  let checks = checksOf.get(sheet);
  if (!checks) {
    checks = fieldsOf(sheet).map((field) => ({
      field,
      secret: field.secret === true,
      read: cellValueReader(field.kind),
      parts: field.path.split('.'),
      siteKey: /^site\.[^.]+$/.test(field.path) ? field.path.slice(5) : undefined,
    }));
    checksOf.set(sheet, checks);
  }
  return checks;
}

const LICENSE = fieldIndex('Customers', 'license');

/** The cells that passed, set on the row being built in the row's column order, and every issue. */
interface Checked {
  /** `{ origin, site: { customVariables } }` and every passing value at its model path. */
  built: Record<string, unknown>;
  issues: InputIssue[];
  /** The Customers row's license, when its cell passed. */
  license?: License;
}

/** Cell faults and per-field rules for every bound cell of a row; the values of the cells that passed. */
function checkCells(sheet: SheetName, row: BoundRow): Checked {
  const checked: Checked = { built: startRow(row), issues: [] };
  const { issues, built } = checked;
  const checks = fieldChecks(sheet);
  for (const index of row.order) {
    const cell = row.cells[index];
    if (!cell) continue;
    const check = checks[index]!;
    // A cell this column already passed (a secret is always checked: it is never kept here).
    const values = check.secret ? undefined : row.checked;
    let value = values ? knownValue(values, index, cell) : undefined;
    if (value === undefined) {
      const before = issues.length;
      value = checkFieldCell(row, check, cell, issues);
      if (value === REFUSED) continue;
      if (values && issues.length === before) remember(values, index, cell, value);
    }
    if (value === undefined) continue;
    if (check.siteKey !== undefined) (built.site as Record<string, unknown>)[check.siteKey] = value;
    else setPath(built, check.parts, value);
    if (index === LICENSE && sheet === 'Customers') checked.license = value as License;
  }
  for (const cell of row.customVariables) {
    const { secret } = cell;
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
function checkFieldCell(row: BoundRow, check: FieldCheck, bound: BoundCell, issues: InputIssue[]): unknown {
  const { field, secret } = check;
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
  const read = check.read;
  if (read) {
    value = read(text);
    if (value instanceof CellRuleFailure) {
      issues.push(...schemaIssues(row.origin, cell, [value], secret, text));
      return REFUSED;
    }
  }
  if (reading) for (const finding of reading.findings) issues.push(found(row.origin, cell, finding, secret));
  // A number read as text is worth a warning only where it was read.
  if (number?.warning) issues.push(number.warning);
  return value;
}

function setPath(target: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    node = (node[part] ??= {}) as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The row being built: its origin, and its site's custom variables (they come first in `site`). */
function startRow(row: BoundRow): Record<string, unknown> {
  const customVariables: Record<string, string> = {};
  for (const cell of row.customVariables) customVariables[cell.key] = cell.text;
  return { origin: row.origin, site: { customVariables } };
}

/** Validates one Customers row. A row is returned only when it has no error. */
export function validateCustomerRow(row: BoundRow): RowResult<CustomerRow> {
  const checked = checkCells('Customers', row);
  const { license } = checked;
  // The cell issues, then the row rules' issues.
  const issues = joinedIssues(checked.issues, rowRuleIssues('Customers', row, license));
  if (hasError(issues)) return { issues };
  const { built } = checked;
  const shortName = built.shortName as string;
  // Assigned in the order the object always had (absent fields stay absent, never undefined).
  const customer = { kind: 'customer', origin: row.origin, license: license!, shortName } as CustomerRow;
  if (built.fullName !== undefined) customer.fullName = built.fullName as string;
  if (built.msTenantId !== undefined) customer.msTenantId = built.msTenantId as string;
  if (built.channelId !== undefined) customer.channelId = built.channelId as string;
  if (built.lcCustomerId !== undefined) customer.lcCustomerId = built.lcCustomerId as string;
  customer.siteName = (built.siteName as string | undefined) ?? shortName;
  customer.site = built.site as SiteSettings;
  if (license === 'OC Essentials') customer.oc = (built.oc as CustomerRow['oc']) ?? {};
  return { row: customer, issues };
}

/** Validates one SipConnections row. A row is returned only when it has no error. */
export function validateSipConnectionRow(row: BoundRow): RowResult<SipConnectionRow> {
  const checked = checkCells('SipConnections', row);
  const issues = joinedIssues(checked.issues, rowRuleIssues('SipConnections', row, undefined));
  if (hasError(issues)) return { issues };
  const { built } = checked;
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
