/**
 * The read + validate stage: reader events go one row at a time through header binding and
 * row validation; cross-row rules run once every row is in. Only the raw text of rows is kept.
 */
import { editDistance } from '../model/edit-distance.js';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { SheetName } from '../model/catalogue.js';
import { crossRowIssues, type RowKey } from '../model/cross-rows.js';
import { RunError } from '../model/errors.js';
import { printable } from '../model/printable.js';
import type { InputIssue } from '../model/issues.js';
import { validateCustomerRow, validateSipConnectionRow, type BoundRow } from '../model/rows.js';
import type { CustomerRow, Origin, SipConnectionRow } from '../model/types.js';
import { readCsv, type CsvLayout } from './csv-reader.js';
import type { HeaderEvent, SheetEvent } from './events.js';
import { HEADER_SEARCH_ROWS } from './header-row.js';
import { bindHeaders, bindRow, rawKey, type ColumnBinding } from './headers.js';
import type { InputSource, LoadedWorkbook, RawSheet } from './index.js';
import { readLimits, type ReadLimits } from './limits.js';
import { openInExcel, refuseOwnerFile } from './owner-file.js';
import { readXlsx } from './xlsx-reader.js';

const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);

async function checkFile(file: string): Promise<void> {
  const owner = refuseOwnerFile(file);
  if (owner) throw owner;
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new RunError('unreadable-input', `${file}: is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof RunError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunError(
      'unreadable-input',
      `${file}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}`,
      {
        cause: error,
        ...(code === 'ENOENT' ? { hint: await notFoundHint(file) } : {}),
      },
    );
  }
  if (size === 0) throw new RunError('unreadable-input', `${file}: is empty (0 bytes)`);
}

const INPUT_FILE = /\.(xlsx|xlsm|csv|tsv)$/i;

/** A typo in a file name: the closest workbook or CSV in that folder, or what the folder holds. */
async function notFoundHint(file: string): Promise<string> {
  const folder = dirname(file);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => INPUT_FILE.test(n)).sort();
  } catch {
    return `The folder ${resolve(folder)} does not exist either.`;
  }
  const wanted = basename(file).toLowerCase();
  const close = names
    .map((n) => ({ n, d: editDistance(wanted, n.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(wanted.length / 4)))
    .sort((a, b) => a.d - b.d);
  if (close[0]) return `Did you mean ${join(folder, close[0].n)}?`;
  if (!names.length) return `${resolve(folder)} holds no .xlsx or .csv file.`;
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  return `Workbooks and CSV files in ${resolve(folder)}: ${shown}`;
}

function xlsxEvents(file: string, limits: Partial<ReadLimits>): AsyncGenerator<SheetEvent> {
  const ext = extname(file).toLowerCase();
  if (!XLSX_EXTENSIONS.has(ext))
    throw new RunError(
      'unreadable-input',
      `${file}: lpsync reads .xlsx workbooks and .csv files, not "${ext || 'no extension'}"`,
      {
        hint:
          ext === '.xls' || ext === '.ods'
            ? 'Open it in Excel or LibreOffice and save it as .xlsx.'
            : 'Give the file a .xlsx or .csv name that matches its content.',
      },
    );
  return readXlsx(file, limits);
}

function sourceFiles(
  source: InputSource,
  limits: Partial<ReadLimits>,
): Array<{ file: string; events: () => AsyncGenerator<SheetEvent> }> {
  if (source.kind === 'xlsx') return [{ file: source.path, events: () => xlsxEvents(source.path, limits) }];
  const csv = (file: string, layout: CsvLayout) => ({ file, events: () => readCsv(file, layout, limits) });
  return [
    ...(source.combined ? [csv(source.combined, 'combined')] : []),
    ...(source.customers ? [csv(source.customers, 'Customers')] : []),
    ...(source.sites ? [csv(source.sites, 'SipConnections')] : []),
  ];
}

const originKey = (o: Origin) => `${o.file}\u0000${o.sheet}\u0000${o.row}`;

function keyOf(row: BoundRow, sheet: SheetName): RowKey {
  const usable = (path: string) => {
    const cell = row.fields.get(path);
    return cell && !cell.fault ? { text: cell.text, column: cell.column } : undefined;
  };
  if (sheet === 'Customers') {
    const customer = usable('shortName');
    const site = usable('siteName') ?? customer;
    return { origin: row.origin, ...(customer ? { customer } : {}), ...(site ? { site } : {}) };
  }
  const customer = usable('customerShortName');
  const site = usable('siteName');
  return { origin: row.origin, ...(customer ? { customer } : {}), ...(site ? { site } : {}) };
}

function knowsAnyColumn(bound: Map<SheetName, ColumnBinding[]>): boolean {
  for (const columns of bound.values())
    if (columns.some((c) => c.meaning.kind === 'field' || c.meaning.kind === 'custom')) return true;
  return false;
}

const OTHER_DELIMITERS = ['|', ';', '\t', ',', ':'] as const;

/** Header issues beyond unknown columns: a header not found where it was looked for, a CSV split on the wrong delimiter. */
function headerHints(event: HeaderEvent): InputIssue[] {
  const out: InputIssue[] = [];
  const where = {
    file: event.file,
    ...(event.sheets.length === 1 ? { sheet: event.sheets[0] } : {}),
    row: event.row,
  };
  const filled = event.headers.filter((h) => h !== '');
  const joined = filled.length === 1 ? filled[0]! : undefined;
  const delimiter = joined && OTHER_DELIMITERS.find((d) => joined.split(d).length > 2);
  if (delimiter && /\.(csv|tsv)$/i.test(event.file)) {
    const name = delimiter === '\t' ? 'tab' : `"${delimiter}"`;
    out.push({
      severity: 'error',
      rule: 'csv-delimiter',
      message: `the header row reads as one column, "${printable(joined.slice(0, 60))}${joined.length > 60 ? '…' : ''}": its columns seem separated by ${name}, which lpsync did not take as the delimiter; lpsync reads CSV separated by commas, semicolons or tabs: save it again as "CSV UTF-8 (comma delimited)", or put sep=${delimiter === '\t' ? '<tab>' : delimiter} on a first line of its own`,
      ...where,
    });
  } else if (event.guessed)
    out.push({
      severity: 'error',
      rule: 'header-not-found',
      message: `no header row found: lpsync looks for the header (License, Short Name, … or Customer Short Name, Site Name, …) in the first ${HEADER_SEARCH_ROWS} non-blank rows of a sheet, and none of them had known headers, so row ${event.row} was taken as the header; put the header row within the first ${HEADER_SEARCH_ROWS} non-blank rows`,
      ...where,
    });
  return out;
}

/**
 * Reads and validates the input. Unreadable, corrupt, empty, wrong-extension, UTF-16 or
 * sheet-less files throw `RunError('unreadable-input')`; row problems are issues.
 */
export async function loadWorkbook(
  source: InputSource,
  options: { limits?: Partial<ReadLimits> } = {},
): Promise<LoadedWorkbook> {
  const files: string[] = [];
  const sheets: RawSheet[] = [];
  const issues: InputIssue[] = [];
  const customers: CustomerRow[] = [];
  const sites: SipConnectionRow[] = [];
  const customerKeys: RowKey[] = [];
  const siteKeys: RowKey[] = [];
  const secrets = new Set<string>();
  const invalid = new Map<string, Origin>();
  const columnIndexes = new Map<string, Map<string, number>>();
  const fail = (origin: Origin) => invalid.set(originKey(origin), origin);
  const maxIssues = readLimits(options.limits).maxIssues;
  let unlisted = 0;
  const unchecked: { count: number; first?: Origin } = { count: 0 };
  // Past the cap issues are counted, not kept: a sheet of 150,000 bad rows stays within memory.
  const keep = (found: InputIssue[]) => {
    for (const issue of found)
      if (issues.length < maxIssues) issues.push(issue);
      else unlisted++;
  };

  for (const { file, events } of sourceFiles(source, options.limits ?? {})) {
    await checkFile(file);
    files.push(file);
    const open = await openInExcel(file);
    if (open) issues.push(open);
    let headers: string[] = [];
    let bindings = new Map<SheetName, ColumnBinding[]>();
    let headerless = false;
    const rawSheets = new Map<SheetName, RawSheet>();
    for await (const event of events()) {
      if (event.type === 'header') {
        headers = event.headers;
        const bound = bindHeaders(event);
        bindings = bound.sheets;
        issues.push(...bound.issues, ...headerHints(event));
        // No header found and none of its columns known: one message instead of one per cell.
        headerless = event.guessed === true && !knowsAnyColumn(bound.sheets);
        const indexes = new Map(headers.map((_, i) => [rawKey(headers, i), i]));
        columnIndexes.set(`${file}\u0000${event.sheets.length === 1 ? event.sheets[0] : ''}`, indexes);
        for (const sheet of event.sheets) {
          columnIndexes.set(`${file}\u0000${sheet}`, indexes);
          const raw: RawSheet = { file, sheet, headers: headers.map((_, i) => rawKey(headers, i)), rows: [] };
          rawSheets.set(sheet, raw);
          sheets.push(raw);
        }
        continue;
      }
      if (event.type === 'untyped-row') {
        issues.push({
          severity: 'error',
          rule: 'unknown-type',
          message: `Type must be Customer or SipConnection; got "${event.typeText}"`,
          file,
          row: event.row,
          column: event.typeColumn,
          value: event.typeText,
        });
        continue;
      }
      if (event.type === 'ignored-sheet') {
        issues.push({
          severity: 'warning',
          rule: 'sheet-not-read',
          message: `sheet "${printable(event.name)}" has the headers of a ${event.looksLike} sheet on row ${event.row}, but lpsync reads only sheets named Customers and SipConnections; rename it to ${event.looksLike} if its rows are meant to be applied`,
          file,
          sheet: printable(event.name),
          row: event.row,
        });
        continue;
      }
      if (event.type === 'error-only-rows') {
        const rows =
          event.count === 1
            ? `row ${event.firstRow}`
            : `${event.count} rows between ${event.firstRow} and ${event.lastRow}`;
        issues.push({
          severity: 'warning',
          rule: 'formula-error-rows-skipped',
          message: `${rows} hold nothing but formulas ending in an error (#N/A…), so they were read as empty rows; if they were meant as data, fix the formulas`,
          file,
          sheet: event.sheet,
          row: event.firstRow,
        });
        continue;
      }
      if (event.type === 'merged') {
        issues.push({
          severity: 'error',
          rule: 'merged-cells',
          message: `cells ${event.ref} are merged, so only row ${event.firstRow} holds the value and the rows below read as empty in this column; unmerge them and fill in every row`,
          file,
          sheet: event.sheet,
          row: event.firstRow,
          column: rawKey(headers, event.column),
          value: event.ref,
        });
        // Every row the range covers may be missing a value it was meant to have.
        for (const raw of rawSheets.get(event.sheet)?.rows ?? [])
          if (raw.origin.row >= event.firstRow && raw.origin.row <= event.lastRow) fail(raw.origin);
        continue;
      }
      const origin: Origin = { file, sheet: event.sheet, row: event.row };
      const values: Record<string, string> = {};
      const rawSheet = rawSheets.get(event.sheet);
      event.cells.forEach((cell, index) => {
        if (!cell) return;
        const key = rawKey(headers, index);
        values[key] = cell.text;
        // A value right of the last header still belongs in the report's copy of the row.
        if (rawSheet && index >= rawSheet.headers.length) {
          while (rawSheet.headers.length < index)
            rawSheet.headers.push(rawKey(headers, rawSheet.headers.length));
          rawSheet.headers.push(key);
        }
      });
      rawSheet?.rows.push({ origin, values });
      if (headerless) {
        fail(origin);
        continue;
      }
      if (issues.length >= maxIssues) {
        // Past the cap a row is not checked (checking costs far more than reading): it counts as invalid.
        unchecked.count++;
        unchecked.first ??= origin;
        fail(origin);
        continue;
      }

      const bound = bindRow(origin, headers, bindings.get(event.sheet) ?? [], event.cells);
      for (const secret of bound.secrets) secrets.add(secret);
      const result =
        event.sheet === 'Customers' ? validateCustomerRow(bound.row) : validateSipConnectionRow(bound.row);
      const rowIssues = [...bound.issues, ...result.issues];
      keep(rowIssues);
      if (event.sheet === 'Customers') customerKeys.push(keyOf(bound.row, 'Customers'));
      else siteKeys.push(keyOf(bound.row, 'SipConnections'));
      if (result.row && !rowIssues.some((i) => i.severity === 'error')) {
        if (result.row.kind === 'customer') customers.push(result.row);
        else sites.push(result.row);
      } else {
        fail(origin);
      }
    }
  }

  if (sheets.length > 0 && sheets.every((s) => s.rows.length === 0))
    issues.push({
      severity: 'warning',
      rule: 'nothing-to-apply',
      message: `${sheets.map((s) => s.sheet).join(' and ')} ${sheets.length > 1 ? 'have' : 'has'} a header row but no rows below it: there is nothing to apply; fill in a row per customer (and per further SIP connection) under the headers`,
      file: files[0]!,
    });

  const cross = crossRowIssues(customerKeys, siteKeys);
  keep(cross);
  for (const issue of cross)
    if (issue.severity === 'error' && issue.sheet && issue.row !== undefined)
      fail({ file: issue.file, sheet: issue.sheet, row: issue.row });
  if (unlisted > 0 || unchecked.count > 0) {
    const notChecked = unchecked.first
      ? `lpsync stopped checking here, after ${maxIssues.toLocaleString('en-US')} issues: the ${unchecked.count.toLocaleString('en-US')} rows from this one on are not checked and count as invalid`
      : `lpsync lists the first ${maxIssues.toLocaleString('en-US')} issues; ${unlisted.toLocaleString('en-US')} more are not listed`;
    issues.push({
      severity: 'error',
      rule: 'too-many-issues',
      message: `${notChecked}; fix the issues listed first, or check that the header row and the columns are the ones lpsync expects`,
      file: unchecked.first?.file ?? files[0] ?? '',
      ...(unchecked.first ? { sheet: unchecked.first.sheet, row: unchecked.first.row } : {}),
    });
  }
  const valid = <T extends { origin: Origin }>(rows: T[]) =>
    rows.filter((r) => !invalid.has(originKey(r.origin)));

  const fileOrder = (file: string) => files.indexOf(file);
  // Within a row, errors then warnings, left to right as the columns stand; columns the row lacks last.
  const columnOrder = (issue: InputIssue) => {
    const index = columnIndexes.get(`${issue.file}\u0000${issue.sheet ?? ''}`)?.get(issue.column ?? '');
    return index ?? Number.MAX_SAFE_INTEGER;
  };
  const sheetOrder = (sheet?: string) => (sheet === 'Customers' ? 0 : sheet === 'SipConnections' ? 1 : 2);
  // Issues in the order a person reads the files: file, sheet, row (header issues first).
  issues.sort(
    (a, b) =>
      fileOrder(a.file) - fileOrder(b.file) ||
      sheetOrder(a.sheet) - sheetOrder(b.sheet) ||
      (a.row ?? 0) - (b.row ?? 0) ||
      Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
      columnOrder(a) - columnOrder(b),
  );
  return {
    files,
    sheets,
    rows: { customers: valid(customers), sites: valid(sites) },
    issues,
    invalidRows: [...invalid.values()],
    secrets: [...secrets],
  };
}
