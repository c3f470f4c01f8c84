import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { isSecretColumn, MASK } from '../model/redact.js';
import { describePlace } from '../model/issues.js';
import { originKey, type ResultsWorkbookInput, type RowResult, type RowStatus } from './types.js';
import { RESULT_COLUMNS } from '../model/result-columns.js';
import { ACTION_KINDS } from '../model/action-record.js';
import { auditRows, ROW_STATUSES, withZeros } from './audit-rows.js';

export { RESULT_COLUMNS };

/** Fill colours per status: green done, grey nothing to do, amber look at it, red failed. */
const STATUS_FILL: Record<RowStatus, string> = {
  succeeded: 'FFC6EFCE',
  unchanged: 'FFEDEDED',
  'not-selected': 'FFEDEDED',
  skipped: 'FFFFEB9C',
  'not-run': 'FFFFEB9C',
  pending: 'FFFFEB9C',
  'in-flight': 'FFFFEB9C',
  unknown: 'FFFFEB9C',
  failed: 'FFFFC7CE',
  invalid: 'FFFFC7CE',
};

/** A header holds secrets when its name says so: the one rule of src/model/redact.ts. */
export const isSecretHeader = isSecretColumn;

type Cell = string | number | null;

/**
 * The results workbook: each input sheet as it was plus the result columns, then Summary,
 * Drift and Issues sheets. Streams rows (committed as written). Every value is a string or a
 * number (text that looks like a formula stays text), every text through the redactor, secret
 * columns masked. Written to a temporary file and renamed, so a report is whole or absent.
 */
export async function writeResultsWorkbook(path: string, input: ResultsWorkbookInput): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: tmp,
    useStyles: true,
    // Inline strings: a shared-string table would hold every cell's text in memory until the end.
    useSharedStrings: false,
  });
  workbook.creator = 'lpsync';
  const text = (v: string): string => fitCell(input.redactor.text(v));
  try {
    const usedNames = new Set<string>();
    for (const sheet of input.sheets) {
      const headers = [...sheet.headers, ...RESULT_COLUMNS];
      const secret = sheet.headers.map(isSecretHeader);
      const ws = addSheet(workbook, sheetName(sheet.sheet, usedNames), headers, [
        ...inputWidths(sheet, secret),
        ...RESULT_COLUMNS.map((h) => RESULT_WIDTHS[h]),
      ]);
      const statusColumn = sheet.headers.length + 2;
      for (const row of sheet.rows) {
        const result = input.results.get(originKey(row.origin)) ?? missing();
        const values: Cell[] = sheet.headers.map((h, i) => {
          const v = row.values[h];
          if (v === undefined || v === '') return null;
          return secret[i] ? MASK : (asNumber(v) ?? text(v));
        });
        values.push(...resultCells(result, text));
        const added = ws.addRow(values);
        added.getCell(statusColumn).fill = solid(STATUS_FILL[result.status]);
        // Messages and Error hold several lines: shown whole, each row's cells aligned at the top.
        if (result.messages.length > 1 || result.error !== null) {
          added.alignment = { vertical: 'top' };
          for (const c of [statusColumn + 4, statusColumn + 5]) added.getCell(c).alignment = WRAP;
        }
        added.commit();
      }
      ws.commit();
    }
    writeSummarySheet(workbook, input, text);
    writeDriftSheet(workbook, input, text);
    writeIssuesSheet(workbook, input, text);
    await workbook.commit();
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Excel holds at most 32,767 characters in a cell and "repairs" a file with more. */
export const MAX_CELL_TEXT = 32_767;
const TRUNCATED = '… (truncated)';

export function fitCell(text: string): string {
  return text.length <= MAX_CELL_TEXT ? text : text.slice(0, MAX_CELL_TEXT - TRUNCATED.length) + TRUNCATED;
}

/**
 * A cell read as a number comes back as its shortest decimal text ("5", "1317027", "-2.5"): write
 * that back as a number, so Excel does not flag numbers stored as text. Anything else stays text:
 * leading zeros, `+` phones, exponents, ids too long for a double.
 */
export function asNumber(value: string): number | null {
  if (!/^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$/.test(value) || value === '-0') return null;
  const n = Number(value);
  return Number.isFinite(n) && String(n) === value ? n : null;
}

/** Widths (characters) of the result columns: a GUID whole, the messages readable. */
const RESULT_WIDTHS: Record<(typeof RESULT_COLUMNS)[number], number> = {
  Action: 18,
  Status: 11,
  'Customer GUID': 38,
  'Site GUID': 38,
  'Deployment State': 17,
  Messages: 70,
  Error: 50,
  Attempts: 10,
  'Duration (ms)': 14,
};

const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

/** How many rows are looked at to size a column: enough to see its values, cheap at 100 000 rows. */
const WIDTH_SAMPLE = 200;

/** Each input column as wide as its header or its longest value in the first rows, within 10–50. */
function inputWidths(sheet: ResultsWorkbookInput['sheets'][number], secret: boolean[]): number[] {
  const sample = sheet.rows.slice(0, WIDTH_SAMPLE);
  return sheet.headers.map((h, i) => {
    let longest = h.length;
    if (!secret[i])
      for (const row of sample) {
        const v = row.values[h];
        if (v) longest = Math.max(longest, ...v.split('\n').map((line) => line.length));
      }
    return Math.min(50, Math.max(10, longest + 2));
  });
}

/**
 * The platform's v2 progress text `(Information, A);(Information, B)` as one line per message,
 * `Information: A`, the way the v3 task messages read.
 */
export function readableMessage(message: string): string {
  if (!/^\(\w+, /.test(message) || !message.endsWith(')')) return message;
  return message
    .slice(1, -1)
    .split(/\);\s*\(/)
    .map((part) => part.replace(/^(\w+), /, '$1: '))
    .join('\n');
}

function resultCells(r: RowResult, text: (v: string) => string): Cell[] {
  return [
    r.action || null,
    r.status,
    r.customerGuid,
    r.siteGuid,
    r.deploymentState,
    r.messages.length ? text(r.messages.map(readableMessage).join('\n')) : null,
    r.error === null ? null : text(r.error),
    r.attempts,
    r.durationMs,
  ];
}

function missing(): RowResult {
  return {
    action: '',
    status: 'not-run',
    customerGuid: null,
    siteGuid: null,
    deploymentState: null,
    messages: [],
    error: 'no result for this row',
    attempts: 0,
    durationMs: 0,
  };
}

function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: readonly string[],
  widths: readonly number[] = [],
) {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({
    header: h,
    key: h,
    width: widths[i] ?? Math.min(48, Math.max(12, h.length + 2)),
  }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.commit();
  return ws;
}

function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ and unique. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

function writeSummarySheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  input: ResultsWorkbookInput,
  text: (v: string) => string,
): void {
  const s = input.summary;
  const ws = addSheet(workbook, 'Summary', ['Item', 'Value', 'Count'], [28, 90, 10]);
  const rows: Cell[][] = [
    ['Run id', s.runId, null],
    ['Command', s.command, null],
    ['Started', s.startedAt, null],
    ['Ended', s.endedAt, null],
    ['lpsync version', s.lpsyncVersion, null],
    ['Live Platform base URL', text(s.baseUrl), null],
    ...s.inputFiles.map((f): Cell[] => [`Input file SHA-256`, `${f.sha256}  ${text(f.file)}`, null]),
    ['Mode', s.scope.mode, null],
    ['Selection (--only)', s.scope.only.length ? text(s.scope.only.join(' ')) : 'every row', null],
    ['Write limit (--limit)', s.scope.limit === null ? 'none' : String(s.scope.limit), null],
    ['Plan applied', s.plan ? `${s.plan.sha256}  ${text(s.plan.file)}` : 'none (planned in this run)', null],
    ...auditRows(s, text),
    ['Rows', null, s.rows],
    ['Run ended', text(runEnded(s)), null],
    ['Exit code', null, s.exitCode ?? null],
    ['Drift items', null, s.drift],
    // Every status and kind, zeros included: "0 failed" is an answer too.
    ...withZeros(s.byStatus, ROW_STATUSES).map(([status, n]): Cell[] => ['Rows by status', status, n]),
    ...withZeros(s.byAction, ACTION_KINDS).map(([kind, n]): Cell[] => ['Actions by kind', kind, n]),
    ...Object.entries(s.byActionStatus).flatMap(([kind, inner]) =>
      Object.entries(inner).map(([status, n]): Cell[] => [
        'Actions by kind and status',
        `${kind} ${status}`,
        n,
      ]),
    ),
  ];
  if (s.resumeCommand) rows.push(['To finish this run', s.resumeCommand, null]);
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
}

/** How the run ended, in words: finished, or what stopped it. */
function runEnded(s: ResultsWorkbookInput['summary']): string {
  if (s.stoppedBy === null) return s.dryRun ? 'finished (dry run: nothing sent)' : 'finished';
  if (s.stoppedBy === 'max-errors') return 'stopped sending after --max-errors failures';
  if (s.stoppedBy === 'interrupted') return 'interrupted (Ctrl-C); requests in flight finished';
  return `stopped by a run-ending fault: ${s.fatalError ?? 'unknown'}`;
}

function writeDriftSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  input: ResultsWorkbookInput,
  text: (v: string) => string,
): void {
  const ws = addSheet(
    workbook,
    'Drift',
    ['Kind', 'Customer Short Name', 'Customer GUID', 'Site Name', 'Site Id', 'Message'],
    [14, 22, 38, 22, 38, 80],
  );
  for (const d of input.drift) {
    ws.addRow([
      d.kind,
      text(d.customerShortName),
      d.customerGuid,
      d.siteName ? text(d.siteName) : null,
      d.siteId ?? null,
      text(d.message),
    ]).commit();
  }
  ws.commit();
}

function writeIssuesSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  input: ResultsWorkbookInput,
  text: (v: string) => string,
): void {
  const ws = addSheet(
    workbook,
    'Issues',
    ['Severity', 'Place', 'Rule', 'Message', 'Value'],
    [10, 45, 26, 90, 30],
  );
  for (const i of input.issues) {
    const value = i.value === undefined ? null : i.column && isSecretHeader(i.column) ? MASK : text(i.value);
    ws.addRow([i.severity, text(describePlace(i)), i.rule, text(i.message), value]).commit();
  }
  ws.commit();
}
