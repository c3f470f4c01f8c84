/**
 * Sheets of the results workbook as our own writer (xlsx/) makes them: a bold wrapped header row, frozen
 * panes, an auto-filter, the page set up for print (layout.ts), and rows whose wrapped cells make them as
 * tall as their text. The cell formats are exceljs-shaped objects, shared with the review workbook.
 */
import type ExcelJS from 'exceljs';
import { FOOTER, linesIn, notePageSetup, pageSetup, rowHeight, type Paper } from './layout.js';
import { columnName, type Cell, type SheetWriter } from './xlsx/sheet-part.js';
import type { Style } from './xlsx/styles.js';
import type { XlsxFile } from './xlsx/xlsx-file.js';

export { columnName, type Cell };

export const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
export const TOP: Partial<ExcelJS.Alignment> = { vertical: 'top' };

/**
 * Formats shared by every cell that looks the same, never changed once made: the writer numbers a
 * format by its object, so a shared one is looked up once per cell, never serialised again.
 */
const TOP_CELL: Style = { alignment: TOP };
const WRAP_CELL: Style = { alignment: WRAP };
/** The workbook's own font, named: a font of only `bold` falls back to another family in LibreOffice. */
export const HEADER_FONT: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11, bold: true };
const HEADER_ROW: Style = { font: HEADER_FONT };
const HEADER_CELL: Style = { font: HEADER_FONT, alignment: WRAP };

/** A sheet that says in one line why it has no table: its one column's width, its cell's format, its print setup. */
export function noteSheet(note: string, paper: Paper) {
  return {
    width: Math.min(120, note.length + 2),
    style: { font: { name: 'Calibri', family: 2, size: 11, italic: true }, alignment: TOP } satisfies Style,
    pageSetup: notePageSetup(paper),
    footer: FOOTER,
  };
}

/** Lines of a wrapped cell's value (a number or nothing: one). */
export function linesOf(value: Cell | undefined, width: number): number {
  return typeof value === 'string' ? linesIn(value, width) : 1;
}

export function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/**
 * Excel sheet names: at most 31 characters, none of []:*?/\, not starting or ending with an
 * apostrophe (Excel "repairs" such a name), and unique.
 */
export function sheetName(wanted: string, used: Set<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  used.add(name.toLowerCase());
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
export async function addSheet(book: XlsxFile, name: string, options: SheetOptions): Promise<SheetWriter> {
  const { headers, print } = options;
  const widths = headers.map((h, i) => options.widths[i] ?? Math.min(48, Math.max(12, h.length + 2)));
  const printArea = print ? `A1:${columnName(print.columns)}${print.rows + 1}` : undefined;
  const ws = await book.addSheet(name, {
    widths,
    frozen: { columns: options.frozenColumns ?? 0, rows: 1 },
    filterColumns: Math.max(1, headers.length),
    page: pageSetup(options.paper, printArea),
    footer: FOOTER,
  });
  // Headers wrap within their column (a header longer than its values takes two or three lines).
  let lines = 1;
  headers.forEach((h, i) => (lines = Math.max(lines, linesIn(h, widths[i]!))));
  const height = rowHeight(lines);
  await ws.addRow(
    headers,
    headers.map(() => HEADER_CELL),
    { style: HEADER_ROW, ...(height !== undefined ? { height } : {}) },
  );
  return ws;
}

/**
 * A sheet that says in one line why it has no table ("No drift: …") instead of a header row over
 * nothing: on paper a sentence, not a bare header page.
 */
export async function addNoteSheet(book: XlsxFile, name: string, note: string, paper: Paper): Promise<void> {
  const spec = noteSheet(note, paper);
  const ws = await book.addSheet(name, { widths: [spec.width], page: spec.pageSetup, footer: spec.footer });
  await ws.addRow([note], [spec.style]);
}

/**
 * A row of the Summary, Drift or Issues sheet: every cell aligned at the top, the cells of the
 * `wrapped` columns (0-based) wrapped, the row as tall as the lines they hold.
 */
export async function addListRow(
  ws: SheetWriter,
  values: Cell[],
  widths: readonly number[],
  wrapped: readonly number[],
): Promise<void> {
  const styles: Style[] = values.map(() => TOP_CELL);
  let lines = 1;
  for (const i of wrapped) {
    styles[i] = WRAP_CELL;
    lines = Math.max(lines, linesOf(values[i], widths[i]!));
  }
  const height = rowHeight(lines);
  await ws.addRow(values, styles, height !== undefined ? { height } : {});
}
