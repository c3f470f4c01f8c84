import { writeAtomicallyAsync } from './atomic-file.js';
import ExcelJS from 'exceljs';
import { isSecretColumn, MASK } from '../model/redact.js';
import { describePlace } from '../model/issues.js';
import { originKey, type ResultsWorkbookInput, type RowResult, type RowStatus } from './types.js';
import { RESULT_COLUMNS } from '../model/result-columns.js';
import { describeConcurrency } from './concurrency.js';
import { ACTION_KINDS } from '../model/action-record.js';
import { auditRows, ROW_STATUSES, withZeros } from './audit-rows.js';
import { linesIn, PAGE_SETUP, rowHeight } from './layout.js';

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
  const text = (v: string): string => fitCell(input.redactor.text(v));
  await writeAtomicallyAsync(path, async (tmp) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: tmp,
      useStyles: true,
      // Inline strings: a shared-string table would hold every cell's text in memory until the end.
      useSharedStrings: false,
    });
    workbook.creator = 'lpsync';
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
        // Messages and Error hold several lines: shown whole (wrapped, the row as tall as they
        // need), each row's cells aligned at the top.
        const lines = Math.max(
          linesOf(values[statusColumn + 3], RESULT_WIDTHS.Messages),
          linesOf(values[statusColumn + 4], RESULT_WIDTHS.Error),
        );
        const styles = result.messages.length > 1 || result.error !== null || lines > 1 ? TOP_ROW : PLAIN_ROW;
        setStyles(added, values.length, styles.cell);
        (added as StyledRow).style = styles.row;
        added.getCell(statusColumn).style = styles.status[result.status];
        if (styles.wrap)
          for (const c of [statusColumn + 4, statusColumn + 5]) added.getCell(c).style = styles.wrap;
        const height = rowHeight(lines);
        if (height !== undefined) added.height = height;
        added.commit();
      }
      ws.commit();
    }
    writeSummarySheet(workbook, input, text);
    writeDriftSheet(workbook, input, text);
    writeIssuesSheet(workbook, input, text);
    await workbook.commit();
  });
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
const TOP: Partial<ExcelJS.Alignment> = { vertical: 'top' };

/**
 * Style objects shared by every cell that looks the same, never changed once made: exceljs keys its
 * style table by the style object, so a shared one is looked up, where a cell's own copy (what
 * `cell.fill = …` makes) is serialised to XML to be found again, for every cell of every row.
 */
interface RowStyles {
  row: Partial<ExcelJS.Style>;
  cell: Partial<ExcelJS.Style>;
  status: Record<RowStatus, Partial<ExcelJS.Style>>;
  wrap?: Partial<ExcelJS.Style>;
}

function rowStyles(alignment?: Partial<ExcelJS.Alignment>): RowStyles {
  const aligned = alignment ? { alignment } : {};
  const status = Object.fromEntries(
    Object.entries(STATUS_FILL).map(([s, argb]) => [s, { fill: solid(argb), ...aligned }]),
  ) as Record<RowStatus, Partial<ExcelJS.Style>>;
  return {
    row: { ...aligned },
    cell: { ...aligned },
    status,
    ...(alignment ? { wrap: { alignment: WRAP } } : {}),
  };
}

const PLAIN_ROW = rowStyles();
const TOP_ROW = rowStyles(TOP);
const PLAIN: Partial<ExcelJS.Style> = {};
const TOP_CELL: Partial<ExcelJS.Style> = { alignment: TOP };
const WRAP_CELL: Partial<ExcelJS.Style> = { alignment: WRAP };
const HEADER_CELL: Partial<ExcelJS.Style> = { font: { bold: true }, alignment: WRAP };

/** Lines of a wrapped cell's value (a number or nothing: one). */
function linesOf(value: Cell | undefined, width: number): number {
  return typeof value === 'string' ? linesIn(value, width) : 1;
}

/** exceljs keeps a row's own style (written as the row's `s`) in `style`, which its typings leave out. */
type StyledRow = ExcelJS.Row & { style: Partial<ExcelJS.Style> };

/** Gives the first `count` cells of a row the same (shared) style. */
function setStyles(row: ExcelJS.Row, count: number, style: Partial<ExcelJS.Style>): void {
  for (let c = 1; c <= count; c++) row.getCell(c).style = style;
}

/** How many rows are looked at to size a column: enough to see its values, cheap at 100 000 rows. */
const WIDTH_SAMPLE = 200;

/**
 * Each input column as wide as its longest value in the first rows or the longest word of its
 * header (headers wrap), within 10–50: narrow enough that a sheet of 30 and more columns still
 * prints one page wide (LibreOffice will not shrink a page below about a tenth).
 */
function inputWidths(sheet: ResultsWorkbookInput['sheets'][number], secret: boolean[]): number[] {
  const sample = sheet.rows.slice(0, WIDTH_SAMPLE);
  return sheet.headers.map((h, i) => {
    let longest = longestPart(h, ' ');
    if (!secret[i])
      for (const row of sample) {
        const v = row.values[h];
        if (v) longest = Math.max(longest, longestPart(v, '\n'));
      }
    return Math.min(50, Math.max(10, longest + 2));
  });
}

/** The length of the longest piece of `text` between `separator`s. */
function longestPart(text: string, separator: string): number {
  let longest = 0;
  for (const part of text.split(separator)) longest = Math.max(longest, part.length);
  return longest;
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
  const ws = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { ...PAGE_SETUP },
  });
  ws.columns = headers.map((h, i) => ({
    header: h,
    key: h,
    width: widths[i] ?? Math.min(48, Math.max(12, h.length + 2)),
  }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  const head = ws.getRow(1);
  head.font = { bold: true };
  // Headers wrap within their column (a header longer than its values takes two or three lines).
  let lines = 1;
  headers.forEach((h, i) => {
    head.getCell(i + 1).style = HEADER_CELL;
    lines = Math.max(lines, linesIn(h, ws.getColumn(i + 1).width ?? 10));
  });
  const height = rowHeight(lines);
  if (height !== undefined) head.height = height;
  head.commit();
  return ws;
}

/**
 * A row of the Summary, Drift or Issues sheet: every cell aligned at the top, the cells of the
 * `wrapped` columns (0-based) wrapped, the row as tall as the lines they hold.
 */
function addListRow(
  ws: ExcelJS.Worksheet,
  values: Cell[],
  widths: readonly number[],
  wrapped: readonly number[],
): void {
  const row = ws.addRow(values);
  setStyles(row, values.length, TOP_CELL);
  (row as StyledRow).style = PLAIN;
  let lines = 1;
  for (const i of wrapped) {
    row.getCell(i + 1).style = WRAP_CELL;
    lines = Math.max(lines, linesOf(values[i], widths[i]!));
  }
  const height = rowHeight(lines);
  if (height !== undefined) row.height = height;
  row.commit();
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
  const widths = [28, 90, 10];
  const ws = addSheet(workbook, 'Summary', ['Item', 'Value', 'Count'], widths);
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
    ...(s.concurrency
      ? [['Requests', describeConcurrency(s.concurrency), s.concurrency.requests] as Cell[]]
      : []),
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
  for (const r of rows) addListRow(ws, r, widths, [1]);
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
  const widths = [14, 22, 38, 22, 38, 80];
  const ws = addSheet(
    workbook,
    'Drift',
    ['Kind', 'Customer Short Name', 'Customer GUID', 'Site Name', 'Site Id', 'Message'],
    widths,
  );
  for (const d of input.drift) {
    const values = [
      d.kind,
      text(d.customerShortName),
      d.customerGuid,
      d.siteName ? text(d.siteName) : null,
      d.siteId ?? null,
      text(d.message),
    ];
    addListRow(ws, values, widths, [1, 3, 5]);
  }
  ws.commit();
}

function writeIssuesSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  input: ResultsWorkbookInput,
  text: (v: string) => string,
): void {
  const widths = [10, 45, 26, 90, 30];
  const ws = addSheet(workbook, 'Issues', ['Severity', 'Place', 'Rule', 'Message', 'Value'], widths);
  for (const i of input.issues) {
    const value = i.value === undefined ? null : i.column && isSecretHeader(i.column) ? MASK : text(i.value);
    addListRow(
      ws,
      [i.severity, text(describePlace(i)), i.rule, text(i.message), value],
      widths,
      [1, 2, 3, 4],
    );
  }
  ws.commit();
}
