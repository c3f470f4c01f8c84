/**
 * A worksheet's XML → its non-blank rows, streamed. Rows and cells without an `r` attribute
 * (the standard allows it; some writers omit it) follow the one before. Merged ranges are
 * collected as they pass (they come after the rows). Rows, columns and the XML's row count are
 * bounded, so a sheet formatted down to row 1,048,576 or a generated monster ends with a message.
 */
import type { Readable } from 'node:stream';
import { RunError } from '../../model/errors.js';
import { tidyText, type CellText } from '../cell-text.js';
import { columnLetter } from '../headers.js';
import type { ReadLimits } from '../limits.js';
import type { MergedRange } from '../merged-cells.js';
import { xlsxCellText, type BookContext, type RawCell } from './cells.js';
import { parseXml, type XmlHandlers } from './xml.js';

export interface SheetRow {
  row: number;
  cells: Array<CellText | undefined>;
}

/** Excel's own bounds: a reference past them is not a workbook Excel wrote. */
const EXCEL_ROWS = 1_048_576;

/** `B12` → { column: 1, row: 12 }; undefined when it is not a cell reference. */
export function parseCellRef(ref: string): { column: number; row: number } | undefined {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  if (i === 0 || i > 3) return undefined;
  const row = Number(ref.slice(i).replace(/\$/g, ''));
  return { column: column - 1, row: Number.isInteger(row) && row > 0 ? row : 0 };
}

function refused(book: BookContext, what: string, hint: string): RunError {
  return new RunError('unreadable-input', `${book.file}: sheet "${book.sheet}" ${what}`, { hint });
}

/** Where the parser stands in one sheet: plain fields, so the per-cell handlers allocate nothing. */
interface SheetState {
  readonly book: BookContext;
  readonly limits: ReadLimits;
  readonly merges: MergedRange[];
  /** Rows finished since the last chunk, handed on between chunks. */
  readonly ready: SheetRow[];
  rowNumber: number;
  rowElements: number;
  rowsWithValues: number;
  cellsWithValues: number;
  cells: Array<CellText | undefined>;
  filled: boolean;
  column: number;
  // One cell object reused for every cell: it is read into a CellText before the next one starts.
  readonly current: RawCell;
  cell: RawCell | undefined;
  // Which text the parser is inside: a value, an inline string's text, a phonetic run.
  inValue: boolean;
  inInlineText: boolean;
  phonetic: number;
}

function sheetState(book: BookContext, limits: ReadLimits, merges: MergedRange[]): SheetState {
  return {
    book,
    limits,
    merges,
    ready: [],
    rowNumber: 0,
    rowElements: 0,
    rowsWithValues: 0,
    cellsWithValues: 0,
    cells: [],
    filled: false,
    column: -1,
    current: { column: 0, type: 'n', value: '', hasValue: false, formula: false, style: 0 },
    cell: undefined,
    inValue: false,
    inInlineText: false,
    phonetic: 0,
  };
}

function startRow(state: SheetState, attributes: Record<string, string>): void {
  const r = attributes.r === undefined ? state.rowNumber + 1 : Number(attributes.r);
  state.rowNumber = Number.isInteger(r) && r > state.rowNumber ? r : state.rowNumber + 1;
  if (++state.rowElements > EXCEL_ROWS || state.rowNumber > EXCEL_ROWS)
    throw refused(
      state.book,
      `has rows past Excel's last row (${EXCEL_ROWS.toLocaleString('en-US')}): the file was not written by Excel and is damaged`,
      'Open it in Excel or LibreOffice and save the workbook again.',
    );
  state.cells = [];
  state.filled = false;
  state.column = -1;
}

function startCell(state: SheetState, attributes: Record<string, string>): void {
  const at = attributes.r === undefined ? undefined : parseCellRef(attributes.r);
  state.column = at && at.column > state.column ? at.column : state.column + 1;
  const current = state.current;
  current.column = state.column;
  current.type = attributes.t ?? 'n';
  current.value = '';
  current.hasValue = false;
  current.formula = false;
  current.style = attributes.s === undefined ? 0 : Number(attributes.s);
  state.cell = current;
}

/** A range merged down more than one row; one merged across a row only loses nothing. */
function collectMerge(merges: MergedRange[], ref: string | undefined): void {
  const [from, to] = (ref ?? '').split(':');
  const first = from ? parseCellRef(from) : undefined;
  const last = to ? parseCellRef(to) : undefined;
  if (first && last && last.row > first.row)
    merges.push({ ref: ref!, firstColumn: first.column + 1, firstRow: first.row, lastRow: last.row });
}

function endCell(state: SheetState): void {
  const done = state.cell;
  state.cell = undefined;
  if (!done) return;
  const { book, limits, rowNumber } = state;
  const read = xlsxCellText(done, rowNumber, book);
  if (!read) return;
  const tidy = tidyText(read.text);
  // A number whose format shows nothing (`;;;`) is still a value: kept, so it is not lost unsaid.
  if (tidy === '' && !read.fault && read.number === undefined) return;
  const text = tidy === read.text ? read : { ...read, text: tidy };
  if (done.column >= limits.maxColumns)
    throw refused(
      book,
      `has a value in cell ${columnLetter(done.column)}${rowNumber}, right of column ${columnLetter(limits.maxColumns - 1)}; lpsync reads at most ${limits.maxColumns.toLocaleString('en-US')} columns`,
      'Delete the columns right of your data (select them, right-click › Delete) and save the workbook again.',
    );
  if (++state.cellsWithValues > limits.maxCells)
    throw refused(
      book,
      `has more than ${limits.maxCells.toLocaleString('en-US')} cells with values; lpsync reads at most ${limits.maxCells.toLocaleString('en-US')} per sheet`,
      'Split the rows into several workbooks, and delete columns that lpsync does not read.',
    );
  state.cells[done.column] = text;
  state.filled = true;
}

function endRow(state: SheetState): void {
  if (!state.filled) return;
  const { limits } = state;
  if (++state.rowsWithValues > limits.maxRows)
    throw refused(
      state.book,
      `has more than ${limits.maxRows.toLocaleString('en-US')} rows with values; lpsync reads at most ${limits.maxRows.toLocaleString('en-US')} rows per sheet`,
      'Split the rows into several workbooks and apply them one after the other.',
    );
  state.ready.push({ row: state.rowNumber, cells: state.cells });
}

function openElement(state: SheetState, name: string, attributes: Record<string, string>): void {
  switch (name) {
    case 'row':
      return startRow(state, attributes);
    case 'c':
      return startCell(state, attributes);
    case 'v':
      if (state.cell) {
        state.inValue = true;
        state.cell.hasValue = true;
      }
      return;
    case 'is':
      if (state.cell) state.cell.hasValue = true;
      return;
    case 't':
      if (state.cell && state.cell.type === 'inlineStr') state.inInlineText = true;
      return;
    case 'rPh':
      state.phonetic++;
      return;
    case 'f':
      if (state.cell) state.cell.formula = true;
      return;
    case 'mergeCell':
      return collectMerge(state.merges, attributes.ref);
  }
}

function closeElement(state: SheetState, name: string): void {
  switch (name) {
    case 'v':
      state.inValue = false;
      return;
    case 't':
      state.inInlineText = false;
      return;
    case 'rPh':
      state.phonetic--;
      return;
    case 'c':
      return endCell(state);
    case 'row':
      return endRow(state);
  }
}

function addText(state: SheetState, text: string): void {
  const cell = state.cell;
  if (!cell) return;
  if (state.inValue || (state.inInlineText && state.phonetic === 0)) cell.value += text;
}

/** The non-blank rows of one sheet, a chunk of XML at a time; `merges` fills as the sheet ends. */
export async function* readWorksheet(
  stream: Readable,
  part: string,
  book: BookContext,
  limits: ReadLimits,
  merges: MergedRange[],
): AsyncGenerator<SheetRow> {
  const state = sheetState(book, limits, merges);
  const handlers: XmlHandlers = {
    open: (name, attributes) => openElement(state, name, attributes),
    close: (name) => closeElement(state, name),
    text: (text) => addText(state, text),
  };
  const source = {
    file: book.file,
    what: `sheet "${book.sheet}" (${part})`,
    maxTextChars: limits.maxCellChars * 8 + 1024,
  };
  const ready = state.ready;
  for await (const _ of parseXml(stream, handlers, source)) {
    for (const row of ready) yield row;
    ready.length = 0;
  }
}
