import { writeAtomicallyAsync } from './atomic-file.js';
import type ExcelJS from 'exceljs';
import { isSecretColumn, MASK } from '../model/redact.js';
import {
  originKey,
  type ReportSheet,
  type ResultsWorkbookInput,
  type RowResult,
  type RowStatus,
} from './types.js';
import { RESULT_COLUMNS, type ResultColumn } from '../model/result-columns.js';
import { rowHeight, type Paper } from './layout.js';
import { resultSheetColumns, RESULT_WIDTHS, type ResultSheetColumns } from './result-layout.js';
import { writeDriftSheet, writeIssuesSheet, writeSummarySheet } from './list-sheets.js';
import { addSheet, linesOf, sheetName, solid, TOP, WRAP, type Cell } from './sheet-format.js';
import type { Style } from './xlsx/styles.js';
import { XlsxFile } from './xlsx/xlsx-file.js';

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

/** Options of the results workbook that are the reader's, not the run's. */
export interface ResultsWorkbookOptions {
  /** The paper its sheets print on (the CLI reads the locale); default A4. */
  paper?: Paper;
}

/**
 * The results workbook: each input sheet with the row's key, its outcome (Action, Status, Error), its
 * other columns as they were and the details, then Summary, Drift and Issues sheets. Streams rows
 * (committed as written). Every value is a string or a number (text that looks like a formula stays
 * text), every text through the redactor, secret columns masked. Written to a temporary file and
 * renamed, so a report is whole or absent.
 */
export async function writeResultsWorkbook(
  path: string,
  input: ResultsWorkbookInput,
  options: ResultsWorkbookOptions = {},
): Promise<void> {
  const paper = options.paper ?? 'A4';
  const text = (v: string): string => fitCell(input.redactor.text(v));
  await writeAtomicallyAsync(path, async (tmp) => {
    // Inline strings: a shared-string table would hold every cell's text in memory until the end.
    const workbook = await XlsxFile.create(tmp, 'lpsync');
    try {
      const usedNames = new Set<string>();
      for (const sheet of input.sheets)
        await writeInputSheet(workbook, sheetName(sheet.sheet, usedNames), sheet, { input, text, paper });
      await writeSummarySheet(workbook, input, text, paper);
      await writeDriftSheet(workbook, input, text, paper);
      await writeIssuesSheet(workbook, input, text, paper);
      await workbook.commit();
    } catch (error) {
      await workbook.abandon();
      throw error;
    }
  });
}

/** One input sheet: its rows with their results, in the order of `resultSheetColumns`. */
async function writeInputSheet(
  workbook: XlsxFile,
  name: string,
  sheet: ReportSheet,
  ctx: { input: ResultsWorkbookInput; text: (v: string) => string; paper: Paper },
): Promise<void> {
  const secret = sheet.headers.map(isSecretHeader);
  const layout = resultSheetColumns(sheet, inputWidths(sheet, secret));
  const ws = await addSheet(workbook, name, {
    headers: layout.columns.map((c) => c.header),
    widths: layout.columns.map((c) => c.width),
    paper: ctx.paper,
    frozenColumns: layout.frozen,
    print: { columns: layout.printed, rows: sheet.rows.length },
  });
  const at = resultPositions(layout);
  const cellStyles = new CellStyles(layout.columns.length, at);
  for (const row of sheet.rows) {
    const result = ctx.input.results.get(originKey(row.origin)) ?? missing();
    const inputCells: Cell[] = sheet.headers.map((h, i) => {
      const v = row.values[h];
      if (v === undefined || v === '') return null;
      return secret[i] ? MASK : (asNumber(v) ?? ctx.text(v));
    });
    const results = resultCells(result, ctx.text);
    const values = layout.columns.map((c) =>
      c.source.kind === 'input' ? inputCells[c.source.index]! : results[c.source.column],
    );
    // The Error is shown whole (wrapped, the row as tall as it needs: it prints beside the key), each
    // row's cells aligned at the top. The Messages, last, run on one line into the empty cells to the
    // right: on screen whole, and not making rows tall on paper, where they are not printed.
    const styles = result.error !== null ? TOP_ROW : PLAIN_ROW;
    const height = rowHeight(linesOf(results.Error, RESULT_WIDTHS.Error));
    await ws.addRow(values, cellStyles.of(styles, result.status), {
      style: styles.row,
      ...(height !== undefined ? { height } : {}),
    });
  }
}

/** The 1-based column of each result column in a sheet's layout. */
function resultPositions(layout: ResultSheetColumns): Record<ResultColumn, number> {
  const at = {} as Record<ResultColumn, number>;
  layout.columns.forEach((c, i) => {
    if (c.source.kind === 'result') at[c.source.column] = i + 1;
  });
  return at;
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

/**
 * Row styles shared by every row that looks the same (see sheet-format.ts on why shared): plain,
 * or aligned at the top with the Error wrapped.
 */
interface RowStyles {
  row: Style | undefined;
  cell: Style | undefined;
  status: Record<RowStatus, Style>;
  wrap?: Style;
}

function rowStyles(alignment?: Partial<ExcelJS.Alignment>): RowStyles {
  const aligned = alignment ? { alignment } : {};
  const status = Object.fromEntries(
    Object.entries(STATUS_FILL).map(([s, argb]) => [s, { fill: solid(argb), ...aligned }]),
  ) as Record<RowStatus, Style>;
  return {
    row: alignment ? aligned : undefined,
    cell: alignment ? aligned : undefined,
    status,
    ...(alignment ? { wrap: { alignment: WRAP } } : {}),
  };
}

const PLAIN_ROW = rowStyles();
const TOP_ROW = rowStyles(TOP);

/** The cells' formats of a row of one look and status, made once per sheet and reused by every such row. */
class CellStyles {
  private readonly made = new Map<RowStyles, Map<RowStatus, Array<Style | undefined>>>();

  constructor(
    private readonly count: number,
    private readonly at: Record<ResultColumn, number>,
  ) {}

  of(styles: RowStyles, status: RowStatus): ReadonlyArray<Style | undefined> {
    let byStatus = this.made.get(styles);
    if (!byStatus) this.made.set(styles, (byStatus = new Map<RowStatus, Array<Style | undefined>>()));
    let cells = byStatus.get(status);
    if (!cells) {
      cells = new Array<Style | undefined>(this.count).fill(styles.cell);
      cells[this.at.Status - 1] = styles.status[status];
      if (styles.wrap) cells[this.at.Error - 1] = styles.wrap;
      byStatus.set(status, cells);
    }
    return cells;
  }
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

/** Between two messages of a row: they run on one line (a line break in an unwrapped cell is not shown). */
export const MESSAGE_SEPARATOR = ' · ';

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

function resultCells(r: RowResult, text: (v: string) => string): Record<ResultColumn, Cell> {
  return {
    Action: r.action || null,
    Status: r.status,
    'Customer GUID': r.customerGuid,
    'Site GUID': r.siteGuid,
    'Deployment State': r.deploymentState,
    Messages: r.messages.length
      ? text(r.messages.flatMap((m) => readableMessage(m).split('\n')).join(MESSAGE_SEPARATOR))
      : null,
    Error: r.error === null ? null : text(r.error),
    Attempts: r.attempts,
    'Duration (ms)': r.durationMs,
  };
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
