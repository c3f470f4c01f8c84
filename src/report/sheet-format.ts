/**
 * Sheets of the results workbook as exceljs's streaming writer makes them: a bold wrapped header row,
 * frozen panes, an auto-filter, the page set up for print (layout.ts), and rows whose wrapped cells
 * make them as tall as their text.
 */
import type ExcelJS from 'exceljs';
import { FOOTER, linesIn, notePageSetup, pageSetup, rowHeight, type Paper } from './layout.js';

export type Cell = string | number | null;

export const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
export const TOP: Partial<ExcelJS.Alignment> = { vertical: 'top' };

/**
 * Style objects shared by every cell that looks the same, never changed once made: exceljs keys its
 * style table by the style object, so a shared one is looked up, where a cell's own copy (what
 * `cell.fill = …` makes) is serialised to XML to be found again, for every cell of every row.
 */
export const PLAIN: Partial<ExcelJS.Style> = {};
const TOP_CELL: Partial<ExcelJS.Style> = { alignment: TOP };
const WRAP_CELL: Partial<ExcelJS.Style> = { alignment: WRAP };
/** The workbook's own font, named: a font of only `bold` falls back to another family in LibreOffice. */
export const HEADER_FONT: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11, bold: true };
const HEADER_CELL: Partial<ExcelJS.Style> = { font: HEADER_FONT, alignment: WRAP };
const NOTE_CELL: Partial<ExcelJS.Style> = {
  font: { name: 'Calibri', family: 2, size: 11, italic: true },
  alignment: TOP,
};

/** exceljs keeps a row's own style (written as the row's `s`) in `style`, which its typings leave out. */
export type StyledRow = ExcelJS.Row & { style: Partial<ExcelJS.Style> };

/** Lines of a wrapped cell's value (a number or nothing: one). */
export function linesOf(value: Cell | undefined, width: number): number {
  return typeof value === 'string' ? linesIn(value, width) : 1;
}

/** Gives the first `count` cells of a row the same (shared) style. */
export function setStyles(row: ExcelJS.Row, count: number, style: Partial<ExcelJS.Style>): void {
  for (let c = 1; c <= count; c++) row.getCell(c).style = style;
}

export function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ and unique. */
export function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** Column letters of a 1-based column number: 1 → A, 28 → AB. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export interface SheetOptions {
  headers: readonly string[];
  widths: readonly number[];
  paper: Paper;
  /** Columns kept in view when scrolling right (the header row always is). */
  frozenColumns?: number;
  /** Print only the first this many columns (the rest is on screen only); `rows` is then the data rows' count. */
  print?: { columns: number; rows: number };
}

/** A sheet with its header row written: frozen, filtered, wrapped, and set up for print. */
export function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, options: SheetOptions) {
  const { headers, widths, print } = options;
  // exceljs puts a `$` before each end ("$A$1:$E$18"): the rows are made absolute here.
  const printArea = print ? `A$1:${columnName(print.columns)}$${print.rows + 1}` : undefined;
  const ws = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: options.frozenColumns ?? 0, ySplit: 1 }],
    pageSetup: pageSetup(options.paper, printArea),
    headerFooter: { oddFooter: FOOTER },
  });
  ws.columns = headers.map((h, i) => ({
    header: h,
    key: h,
    width: widths[i] ?? Math.min(48, Math.max(12, h.length + 2)),
  }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  const head = ws.getRow(1);
  head.font = HEADER_FONT;
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
 * A sheet that says in one line why it has no table ("No drift: …") instead of a header row over
 * nothing: on paper a sentence, not a bare header page.
 */
export function addNoteSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  note: string,
  paper: Paper,
): void {
  const ws = workbook.addWorksheet(name, {
    pageSetup: notePageSetup(paper),
    headerFooter: { oddFooter: FOOTER },
  });
  ws.columns = [{ width: Math.min(120, note.length + 2) }];
  const row = ws.addRow([note]);
  row.getCell(1).style = NOTE_CELL;
  row.commit();
  ws.commit();
}

/**
 * A row of the Summary, Drift or Issues sheet: every cell aligned at the top, the cells of the
 * `wrapped` columns (0-based) wrapped, the row as tall as the lines they hold.
 */
export function addListRow(
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
