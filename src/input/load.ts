/**
 * The read + validate stage: reader events go one row at a time through header binding and
 * row validation; cross-row rules run once every row is in. Only the raw text of rows is kept.
 */
import type { SheetName } from '../model/catalogue.js';
import { fieldIndex } from '../model/bound-row.js';
import { crossRowIssues, type KeyCell, type RowKey } from '../model/cross-rows.js';
import { hasError, joinedIssues, type InputIssue } from '../model/issues.js';
import { validateCustomerRow, validateSipConnectionRow, type BoundRow } from '../model/rows.js';
import type { CustomerRow, Origin, SipConnectionRow } from '../model/types.js';
import type { NumberConvention } from '../model/decimal-comma.js';
import { trimSpace } from '../model/visible-text.js';
import { headerText } from './cell-text.js';
import type { HeaderEvent, HiddenRowsEvent, MergedEvent, RowEvent } from './events.js';
import {
  bindHeaders,
  bindRow,
  columnsRead,
  headerPlan,
  rawKey,
  type ColumnBinding,
  type HeaderPlan,
} from './headers.js';
import {
  holdHeaderIssues,
  holdRowIssues,
  indexColumnIssue,
  watchIndexColumn,
  type IndexColumnWatch,
} from './index-column.js';
import type { InputSource, LoadedWorkbook, RawRow, RawSheet } from './index.js';
import { columnIndexKey, sortIssues, type ColumnIndexes } from './issue-order.js';
import { readLimits, type ReadLimits } from './limits.js';
import { openInExcel } from './owner-file.js';
import {
  duplicateCellIssues,
  repeatedRowIssue,
  eventIssue,
  headerHints,
  hiddenRowIssues,
  mergedIssue,
} from './reader-issues.js';
import { checkFile, sourceFiles, type SourceFile } from './source.js';

/** What loading gathers across every file of one call. */
interface Gathered {
  files: string[];
  sheets: RawSheet[];
  issues: InputIssue[];
  customers: CustomerRow[];
  sites: SipConnectionRow[];
  customerKeys: RowKey[];
  siteKeys: RowKey[];
  /** Every secret read, repeats included: made unique once at the end (a set grown a row cost more). */
  secrets: string[];
  invalid: Map<string, Origin>;
  /** Rows read that Excel hides (by hand or by an AutoFilter). */
  hiddenRows: Origin[];
  columnIndexes: ColumnIndexes;
  maxIssues: number;
  /** Issues found past the cap: counted, not kept. */
  unlisted: number;
  /** Rows not checked because the cap was reached, and the first of them. */
  unchecked: { count: number; first?: Origin };
}

/** The header in force in one file: its rows are bound to it until the next header. */
interface FileHeader {
  file: string;
  headers: string[];
  bindings: Map<SheetName, ColumnBinding[]>;
  /** How the header binds each sheet's rows, made with the sheet's first row under it. */
  plans: Map<SheetName, HeaderPlan>;
  headerless: boolean;
  rawSheets: Map<SheetName, RawSheet>;
  numbers?: NumberConvention;
  /** A first column that may be pandas' index, while its values climb. */
  index?: IndexColumnWatch;
}

const originKey = (o: Origin) => `${o.file}\u0000${o.sheet}\u0000${o.row}`;

function markInvalid(gathered: Gathered, origin: Origin): void {
  gathered.invalid.set(originKey(origin), origin);
}

// Past the cap issues are counted, not kept: a sheet of 150,000 bad rows stays within memory.
function keep(gathered: Gathered, found: InputIssue[]): void {
  for (const issue of found)
    if (gathered.issues.length < gathered.maxIssues) gathered.issues.push(issue);
    else gathered.unlisted++;
}

const SHORT_NAME = fieldIndex('Customers', 'shortName');
const SITE_NAME = fieldIndex('Customers', 'siteName');
const CUSTOMER_SHORT_NAME = fieldIndex('SipConnections', 'customerShortName');
const SIP_CONNECTION_NAME = fieldIndex('SipConnections', 'siteName');

/**
 * A key cell of the row, when it holds one that is usable. A new object, not the bound cell: keys
 * are kept to the end, and objects from one place that all live long are the cheapest to keep
 * (the bound cells mostly die with their row).
 */
function usable(row: BoundRow, index: number): KeyCell | undefined {
  const cell = row.cells[index];
  return cell && !cell.fault ? { text: cell.text, column: cell.column } : undefined;
}

function keyOf(row: BoundRow, sheet: SheetName): RowKey {
  if (sheet === 'Customers') {
    const customer = usable(row, SHORT_NAME);
    return { origin: row.origin, customer, site: usable(row, SITE_NAME) ?? customer };
  }
  return {
    origin: row.origin,
    customer: usable(row, CUSTOMER_SHORT_NAME),
    site: usable(row, SIP_CONNECTION_NAME),
  };
}

function knowsAnyColumn(bound: Map<SheetName, ColumnBinding[]>): boolean {
  for (const columns of bound.values())
    if (columns.some((c) => c.meaning.kind === 'field' || c.meaning.kind === 'custom')) return true;
  return false;
}

function takeHeader(gathered: Gathered, at: FileHeader, read: HeaderEvent): void {
  endIndexWatch(gathered, at);
  // Headers are labels: read without invisible characters or spaces at their ends.
  const event: HeaderEvent = { ...read, headers: read.headers.map(headerText) };
  const headers = event.headers;
  at.headers = headers;
  if (event.numbers) at.numbers = event.numbers;
  else delete at.numbers;
  const bound = bindHeaders(event);
  at.bindings = bound.sheets;
  at.plans = new Map();
  const index = event.guessed ? undefined : watchIndexColumn(at.file, event.sheets, event.row, headers);
  if (index) at.index = index;
  gathered.issues.push(
    ...(index ? holdHeaderIssues(index, bound.issues) : bound.issues),
    ...headerHints(event),
  );
  // No header found and none of its columns known: one message instead of one per cell.
  at.headerless = event.guessed === true && !knowsAnyColumn(bound.sheets);
  const indexes = new Map(headers.map((_, i) => [rawKey(headers, i), i]));
  gathered.columnIndexes.set(
    columnIndexKey(at.file, event.sheets.length === 1 ? event.sheets[0]! : ''),
    indexes,
  );
  for (const sheet of event.sheets) {
    gathered.columnIndexes.set(columnIndexKey(at.file, sheet), indexes);
    const raw: RawSheet = {
      file: at.file,
      sheet,
      headers: headers.map((_, i) => rawKey(headers, i)),
      columns: columnsRead(headers, bound.sheets.get(sheet) ?? []),
      rows: [],
    };
    at.rawSheets.set(sheet, raw);
    gathered.sheets.push(raw);
  }
}

/** The index of the first raw row at or below `row` (rows are kept in row order). */
function firstRowAtOrAfter(rows: readonly RawRow[], row: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle]!.origin.row < row) low = middle + 1;
    else high = middle;
  }
  return low;
}

function takeMerge(gathered: Gathered, at: FileHeader, event: MergedEvent): void {
  keep(gathered, [mergedIssue(event, at.file, at.headers)]);
  // Every row the range covers may be missing a value it was meant to have. Found by a binary
  // search, not a walk over every row: 50,000 merges over as many rows was quadratic (105 s).
  const rows = at.rawSheets.get(event.sheet)?.rows ?? [];
  for (let i = firstRowAtOrAfter(rows, event.firstRow); i < rows.length; i++) {
    const origin = rows[i]!.origin;
    if (origin.row > event.lastRow) break;
    markInvalid(gathered, origin);
  }
}

function takeHiddenRows(gathered: Gathered, at: FileHeader, event: HiddenRowsEvent): void {
  keep(gathered, hiddenRowIssues(event, at.file));
  for (const { row } of event.rows) gathered.hiddenRows.push({ file: at.file, sheet: event.sheet, row });
}

/** The watched column was not pandas' index after all: its issues are given back, its rows invalid. */
function releaseIndexWatch(gathered: Gathered, at: FileHeader): void {
  const watch = at.index;
  if (!watch) return;
  delete at.index;
  keep(gathered, watch.headerIssues);
  for (const { origin, issues } of watch.held) {
    keep(gathered, issues);
    markInvalid(gathered, origin);
  }
}

/** A header's rows are done: a first column that climbed on every row is one issue for the file. */
function endIndexWatch(gathered: Gathered, at: FileHeader): void {
  const watch = at.index;
  if (!watch) return;
  if (watch.rows === 0) return releaseIndexWatch(gathered, at);
  delete at.index;
  keep(gathered, [indexColumnIssue(watch)]);
}

/** The row's text under its headers, as the results workbook shows it. */
function keepRawRow(at: FileHeader, event: RowEvent, origin: Origin): void {
  const { headers } = at;
  const values: Record<string, string> = {};
  const rawSheet = at.rawSheets.get(event.sheet);
  const { cells } = event;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    if (!cell) continue;
    const key = rawKey(headers, index);
    values[key] = cell.text;
    // A value right of the last header still belongs in the report's copy of the row.
    if (rawSheet && index >= rawSheet.headers.length) {
      while (rawSheet.headers.length < index) rawSheet.headers.push(rawKey(headers, rawSheet.headers.length));
      rawSheet.headers.push(key);
    }
  }
  rawSheet?.rows.push({ origin, values });
}

function checkRow(gathered: Gathered, at: FileHeader, event: RowEvent, origin: Origin): void {
  let plan = at.plans.get(event.sheet);
  if (!plan)
    at.plans.set(
      event.sheet,
      (plan = headerPlan(event.sheet, at.headers, at.bindings.get(event.sheet) ?? [])),
    );
  const bound = bindRow(plan, origin, event.cells, at.numbers);
  for (const secret of bound.secrets) {
    gathered.secrets.push(secret);
    // Sent as typed; masked also without its edge spaces, in case something echoes it trimmed.
    const trimmed = trimSpace(secret);
    if (trimmed !== secret && trimmed !== '') gathered.secrets.push(trimmed);
  }
  const result =
    event.sheet === 'Customers' ? validateCustomerRow(bound.row) : validateSipConnectionRow(bound.row);
  const rowIssues = joinedIssues(bound.issues, result.issues);
  if (at.index && !holdRowIssues(at.index, origin, event.cells, rowIssues)) releaseIndexWatch(gathered, at);
  keep(gathered, rowIssues);
  if (event.sheet === 'Customers') gathered.customerKeys.push(keyOf(bound.row, 'Customers'));
  else gathered.siteKeys.push(keyOf(bound.row, 'SipConnections'));
  if (result.row && !hasError(rowIssues)) {
    if (result.row.kind === 'customer') gathered.customers.push(result.row);
    else gathered.sites.push(result.row);
  } else {
    markInvalid(gathered, origin);
  }
}

function takeRow(gathered: Gathered, at: FileHeader, event: RowEvent): void {
  const origin: Origin = { file: at.file, sheet: event.sheet, row: event.row };
  keepRawRow(at, event, origin);
  if (event.duplicates) {
    keep(gathered, duplicateCellIssues(event, at.file, at.headers));
    markInvalid(gathered, origin);
  }
  if (event.repeated) {
    keep(gathered, [repeatedRowIssue(event, at.file)]);
    markInvalid(gathered, origin);
  }
  if (at.headerless) return markInvalid(gathered, origin);
  if (gathered.issues.length >= gathered.maxIssues) {
    // Past the cap a row is not checked (checking costs far more than reading): it counts as invalid.
    gathered.unchecked.count++;
    gathered.unchecked.first ??= origin;
    return markInvalid(gathered, origin);
  }
  checkRow(gathered, at, event, origin);
}

async function readFile(gathered: Gathered, { file, events }: SourceFile): Promise<void> {
  await checkFile(file);
  gathered.files.push(file);
  const open = await openInExcel(file);
  if (open) gathered.issues.push(open);
  const at: FileHeader = {
    file,
    headers: [],
    bindings: new Map(),
    plans: new Map(),
    headerless: false,
    rawSheets: new Map(),
  };
  for await (const batch of events())
    for (const event of batch) {
      if (event.type === 'row') takeRow(gathered, at, event);
      else if (event.type === 'header') takeHeader(gathered, at, event);
      else if (event.type === 'merged') takeMerge(gathered, at, event);
      else if (event.type === 'hidden-rows') takeHiddenRows(gathered, at, event);
      else gathered.issues.push(eventIssue(event, file));
    }
  endIndexWatch(gathered, at);
}

/** Issues only the whole input shows: nothing to apply, cross-row clashes, the issue cap reached. */
function closingIssues(gathered: Gathered): void {
  const { sheets, files, issues, maxIssues, unchecked } = gathered;
  if (sheets.length > 0 && sheets.every((s) => s.rows.length === 0))
    issues.push({
      severity: 'warning',
      rule: 'nothing-to-apply',
      message: `${sheets.map((s) => s.sheet).join(' and ')} ${sheets.length > 1 ? 'have' : 'has'} a header row but no rows below it: there is nothing to apply; fill in a row per customer (and per further SIP connection) under the headers`,
      file: files[0]!,
    });

  const cross = crossRowIssues(gathered.customerKeys, gathered.siteKeys);
  keep(gathered, cross);
  for (const issue of cross)
    if (issue.severity === 'error' && issue.sheet && issue.row !== undefined)
      markInvalid(gathered, { file: issue.file, sheet: issue.sheet, row: issue.row });
  if (gathered.unlisted > 0 || unchecked.count > 0) {
    const notChecked = unchecked.first
      ? `lpsync stopped checking here, after ${maxIssues.toLocaleString('en-US')} issues: the ${unchecked.count.toLocaleString('en-US')} rows from this one on are not checked and count as invalid`
      : `lpsync lists the first ${maxIssues.toLocaleString('en-US')} issues; ${gathered.unlisted.toLocaleString('en-US')} more are not listed`;
    issues.push({
      severity: 'error',
      rule: 'too-many-issues',
      message: `${notChecked}; fix the issues listed first, or check that the header row and the columns are the ones lpsync expects`,
      file: unchecked.first?.file ?? files[0] ?? '',
      ...(unchecked.first ? { sheet: unchecked.first.sheet, row: unchecked.first.row } : {}),
    });
  }
}

/**
 * Reads and validates the input. Unreadable, corrupt, empty, wrong-extension, UTF-16 or
 * sheet-less files throw `RunError('unreadable-input')`; row problems are issues.
 */
export async function loadWorkbook(
  source: InputSource,
  options: { limits?: Partial<ReadLimits> } = {},
): Promise<LoadedWorkbook> {
  const gathered: Gathered = {
    files: [],
    sheets: [],
    issues: [],
    customers: [],
    sites: [],
    customerKeys: [],
    siteKeys: [],
    secrets: [],
    invalid: new Map(),
    hiddenRows: [],
    columnIndexes: new Map(),
    maxIssues: readLimits(options.limits).maxIssues,
    unlisted: 0,
    unchecked: { count: 0 },
  };
  for (const file of sourceFiles(source, options.limits ?? {})) await readFile(gathered, file);
  closingIssues(gathered);
  const { files, sheets, issues, invalid } = gathered;
  // Issues in the order a person reads the files: file, sheet, row (header issues first).
  sortIssues(issues, files, gathered.columnIndexes);
  const valid = <T extends { origin: Origin }>(rows: T[]) =>
    rows.filter((r) => !invalid.has(originKey(r.origin)));
  return {
    files,
    sheets,
    rows: { customers: valid(gathered.customers), sites: valid(gathered.sites) },
    issues,
    invalidRows: [...invalid.values()],
    hiddenRows: gathered.hiddenRows,
    secrets: [...new Set(gathered.secrets)],
  };
}
