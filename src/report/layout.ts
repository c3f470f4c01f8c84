import type ExcelJS from 'exceljs';

/**
 * How the results workbook reads on screen and on paper: every sheet printed landscape, one
 * page wide and as many pages tall as it takes, the header row on every page; a row as tall as
 * the wrapped text it holds.
 */

/** One page wide (fitToPage, without which fitToWidth is ignored), any number of pages tall. */
export const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
};

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
