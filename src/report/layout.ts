import type ExcelJS from 'exceljs';

/**
 * How the workbooks read on screen and on paper: every sheet printed landscape on the paper of the
 * person's locale, one page wide and as many pages tall as it takes, the header row on every page,
 * the sheet's name and the page number in the footer; a row as tall as the wrapped text it holds.
 */

/** The paper a report is printed on: Letter in the US and Canada (and the few others that use it), A4 elsewhere. */
export type Paper = 'A4' | 'Letter';

/** OOXML's paperSize codes. */
const PAPER_SIZE: Record<Paper, number> = { Letter: 1, A4: 9 };

/** Half-inch side margins (Excel's are 0.7 in): more of the page for the columns, so the text shrinks less. */
const MARGINS = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };

/** The footer of every printed page: the sheet's name at the left, "Page 2 of 5" at the right. */
export const FOOTER = '&L&A&RPage &P of &N';

/**
 * One page wide (fitToPage, without which fitToWidth is ignored), any number of pages tall, the header
 * row repeated; `printArea` ("A1:E18") limits what prints, e.g. to a row's key and outcome.
 */
export function pageSetup(paper: Paper, printArea?: string): Partial<ExcelJS.PageSetup> {
  return {
    orientation: 'landscape',
    paperSize: PAPER_SIZE[paper],
    margins: MARGINS,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '1:1',
    ...(printArea ? { printArea } : {}),
  };
}

/** A sheet that prints as text, not as a table (a note instead of an empty one): no repeated header row. */
export function notePageSetup(paper: Paper): Partial<ExcelJS.PageSetup> {
  return {
    orientation: 'landscape',
    paperSize: PAPER_SIZE[paper],
    margins: MARGINS,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
  };
}

/** Points per line of 11 pt text: Excel's default row height. */
export const LINE_HEIGHT = 15;

/** Excel's tallest row, in points. */
export const MAX_ROW_HEIGHT = 409;

/**
 * Characters of ordinary text per unit of column width. A width counts the digit "0" of the
 * default font; letters and spaces are narrower in Calibri, but about as wide in the fonts other
 * programs put in its place (DejaVu Sans in LibreOffice without Carlito): 1 is that worst case.
 */
const CHARS_PER_WIDTH = 1;

/**
 * How many lines `text` takes in a wrapped cell `width` characters wide: its own lines, each
 * broken at spaces when longer than the cell. An estimate from character counts (the font's
 * widths are not known here), one line too many rather than a line cut off. Cheap for the usual
 * single short line: no splitting unless the text is longer than the cell or holds a line break.
 */
export function linesIn(text: string, width: number): number {
  const fit = Math.max(1, Math.floor(width * CHARS_PER_WIDTH) - 1);
  if (text.length <= fit && !text.includes('\n')) return 1;
  let lines = 0;
  for (const line of text.split('\n')) lines += wrappedLines(line, fit);
  return lines;
}

/** Lines of one line of text broken at spaces into lines of at most `fit` characters; a longer word is cut. */
function wrappedLines(line: string, fit: number): number {
  if (line.length <= fit) return 1;
  let lines = 1;
  let used = 0;
  for (const word of line.split(' ')) {
    let length = word.length;
    if (used > 0 && used + 1 + length <= fit) {
      used += 1 + length;
      continue;
    }
    if (used > 0) lines += 1;
    for (; length > fit; length -= fit) lines += 1;
    used = length;
  }
  return lines;
}

/** The height of a row whose tallest cell holds `lines` lines; undefined for one line (the default height). */
export function rowHeight(lines: number): number | undefined {
  return lines > 1 ? Math.min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT) : undefined;
}

/** The tallest of some wrapped cells: `[text, column width]`, null for an empty cell. */
export function linesOfRow(cells: ReadonlyArray<readonly [string | null, number]>): number {
  let lines = 1;
  for (const [text, width] of cells) if (text) lines = Math.max(lines, linesIn(text, width));
  return lines;
}
