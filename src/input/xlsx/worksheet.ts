/**
 * A worksheet's XML → its non-blank rows, streamed. A cell is placed by its reference (`r`), in
 * whatever order the cells come, and a row by its own (`<row r>`), in whatever order the rows come;
 * rows and cells without one (the standard allows it; some writers omit it) follow the one before.
 * Merged ranges and the AutoFilter's range are collected as they pass (they come after the rows).
 * Rows, columns and the XML's row count are bounded, so a sheet formatted down to row 1,048,576 or a
 * generated monster ends with a message.
 */
import type { Readable } from 'node:stream';
import { RunError } from '../../model/errors.js';
import type { CellText } from '../cell-text.js';
import { columnLetter } from '../headers.js';
import type { ReadLimits } from '../limits.js';
import type { MergedRange } from '../merged-cells.js';
import type { BookContext, RawCell } from './cells.js';
import { cellMemo, cellRead, type CellMemo } from './cell-memo.js';
import { parseXml, type XmlHandlers } from './xml.js';

export interface SheetRow {
  row: number;
  cells: Array<CellText | undefined>;
  /** Hidden in Excel (`hidden="1"`): hidden by hand, or filtered out by an AutoFilter. */
  hidden?: true;
  /** Cells the row's XML holds twice (two `<c r="C5">`), by reference: which value is meant is unknown. */
  duplicates?: string[];
  /** A second `<row r="5">` with values: which of the two rows is meant is unknown. */
  repeated?: true;
}

/** What a sheet says after its rows. */
export interface SheetNotes {
  merges: MergedRange[];
  /** The rows an AutoFilter covers (its header row first): its hidden rows are the ones filtered out. */
  autoFilter?: { firstRow: number; lastRow: number };
}

/** Excel's own bounds: a reference past them is not a workbook Excel wrote. */
const EXCEL_ROWS = 1_048_576;

/** The 0-based column of a cell reference's letters (`B12` → 1), or -1 when it does not start with one to three. */
function refColumn(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return i === 0 || i > 3 ? -1 : column - 1;
}

/** `B12` → { column: 1, row: 12 }; undefined when it is not a cell reference. */
export function parseCellRef(ref: string): { column: number; row: number } | undefined {
  const column = refColumn(ref);
  if (column < 0) return undefined;
  // How many letters the column took: A–Z are 0–25, AA–ZZ 26–701, AAA on 702 and up.
  const i = column < 26 ? 1 : column < 702 ? 2 : 3;
  // Plain digits (every cell's own reference) read as they come; anything else ($, spaces) as before.
  let digits = 0;
  let j = i;
  for (; j < ref.length; j++) {
    const code = ref.charCodeAt(j);
    if (code < 48 || code > 57) break;
    digits = digits * 10 + (code - 48);
  }
  if (j === ref.length && j > i) return { column, row: digits };
  const row = Number(ref.slice(i).replace(/\$/g, ''));
  return { column, row: Number.isInteger(row) && row > 0 ? row : 0 };
}

function refused(book: BookContext, what: string, hint: string): RunError {
  return new RunError('unreadable-input', `${book.file}: sheet "${book.sheet}" ${what}`, { hint });
}

/** Where the parser stands in one sheet: plain fields, so the per-cell handlers allocate nothing. */
interface SheetState {
  readonly book: BookContext;
  readonly limits: ReadLimits;
  readonly notes: SheetNotes;
  /** Rows finished since the last chunk, handed on between chunks. */
  ready: SheetRow[];
  rowNumber: number;
  /** One bit a row number, set once the row had values: a second row with that number is refused. */
  readonly rowsFilled: Uint8Array;
  rowElements: number;
  rowsWithValues: number;
  cellsWithValues: number;
  cells: Array<CellText | undefined>;
  filled: boolean;
  hidden: boolean;
  column: number;
  /**
   * Where each column was last placed, by its row element's count: a cell whose column holds this
   * row's count already repeats one before it. Reused for every row (no array a row).
   */
  placedIn: Int32Array;
  duplicates: string[] | undefined;
  readonly memo: CellMemo;
  // One cell object reused for every cell: it is read into a CellText before the next one starts.
  readonly current: RawCell;
  cell: RawCell | undefined;
  // Which text the parser is inside: a value, an inline string's text, a phonetic run.
  inValue: boolean;
  inInlineText: boolean;
  phonetic: number;
}

function sheetState(book: BookContext, limits: ReadLimits, notes: SheetNotes): SheetState {
  return {
    book,
    limits,
    notes,
    ready: [],
    rowNumber: 0,
    rowsFilled: new Uint8Array(EXCEL_ROWS / 8 + 1),
    rowElements: 0,
    rowsWithValues: 0,
    cellsWithValues: 0,
    cells: [],
    filled: false,
    hidden: false,
    column: -1,
    placedIn: new Int32Array(64).fill(-1),
    duplicates: undefined,
    memo: cellMemo(book.sharedStrings.length),
    current: { column: 0, type: 'n', value: '', hasValue: false, formula: false, style: 0 },
    cell: undefined,
    inValue: false,
    inInlineText: false,
    phonetic: 0,
  };
}

function startRow(state: SheetState, attributes: Record<string, string>): void {
  const r = attributes.r === undefined ? state.rowNumber + 1 : Number(attributes.r);
  // A row stored before one above it keeps its own number, as Excel and LibreOffice show it.
  state.rowNumber = Number.isInteger(r) && r > 0 ? r : state.rowNumber + 1;
  if (++state.rowElements > EXCEL_ROWS || state.rowNumber > EXCEL_ROWS)
    throw refused(
      state.book,
      `has rows past Excel's last row (${EXCEL_ROWS.toLocaleString('en-US')}): the file was not written by Excel and is damaged`,
      'Open it in Excel or LibreOffice and save the workbook again.',
    );
  state.cells = [];
  state.filled = false;
  state.hidden = attributes.hidden === '1' || attributes.hidden === 'true';
  state.column = -1;
  state.duplicates = undefined;
}

/** Where a cell goes: its reference's column, or the one after the previous cell when it has none. */
function placeCell(state: SheetState, ref: string | undefined): void {
  // As parseCellRef reads it, without an object a cell: only the column places a cell in its row.
  const at = ref === undefined ? -1 : refColumn(ref);
  const column = at >= 0 ? at : state.column + 1;
  if (column >= state.placedIn.length) {
    const grown = new Int32Array(Math.max(column + 1, state.placedIn.length * 2)).fill(-1);
    grown.set(state.placedIn);
    state.placedIn = grown;
  }
  // In order (the usual case) a cell cannot repeat one before it; out of order, look.
  if (column <= state.column && state.placedIn[column] === state.rowElements)
    (state.duplicates ??= []).push(`${columnLetter(column)}${state.rowNumber}`);
  state.placedIn[column] = state.rowElements;
  state.column = column;
}

function startCell(state: SheetState, attributes: Record<string, string>): void {
  placeCell(state, attributes.r);
  const current = state.current;
  current.column = state.column;
  current.type = attributes.t ?? 'n';
  current.value = '';
  current.hasValue = false;
  current.formula = false;
  current.style = attributes.s === undefined ? 0 : Number(attributes.s);
  state.cell = current;
}

/** The rows of a range such as `A1:F20`, or undefined when it is not one. */
function rowsOf(ref: string | undefined): { firstRow: number; lastRow: number } | undefined {
  const [from, to] = (ref ?? '').split(':');
  const first = from ? parseCellRef(from) : undefined;
  const last = to ? parseCellRef(to) : first;
  return first && last && first.row > 0 ? { firstRow: first.row, lastRow: last.row } : undefined;
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
  const text = cellRead(state.memo, done, rowNumber, book);
  if (!text) return;
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
  // A reference written twice keeps its first value; the row is refused for it (see duplicates).
  if (state.cells[done.column] === undefined) state.cells[done.column] = text;
  state.filled = true;
}

function endRow(state: SheetState): void {
  if (!state.filled && !state.duplicates) return;
  const { limits } = state;
  if (++state.rowsWithValues > limits.maxRows)
    throw refused(
      state.book,
      `has more than ${limits.maxRows.toLocaleString('en-US')} rows with values; lpsync reads at most ${limits.maxRows.toLocaleString('en-US')} rows per sheet`,
      'Split the rows into several workbooks and apply them one after the other.',
    );
  const row: SheetRow = { row: state.rowNumber, cells: state.cells };
  const bit = 1 << (state.rowNumber & 7);
  if (state.rowsFilled[state.rowNumber >> 3]! & bit) row.repeated = true;
  state.rowsFilled[state.rowNumber >> 3]! |= bit;
  if (state.hidden) row.hidden = true;
  if (state.duplicates) row.duplicates = state.duplicates;
  state.ready.push(row);
}

// Char codes of the one-letter tags, the most frequent (a cell, its value, its formula, a text run).
const C = 0x63;
const V = 0x76;
const T = 0x74;
const F = 0x66;

/** A one-letter tag opens: told by its char code, as saxes hands every name as a fresh string. */
function openLetter(state: SheetState, name: string, attributes: Record<string, string>): void {
  const cell = state.cell;
  switch (name.charCodeAt(0)) {
    case C:
      return startCell(state, attributes);
    case V:
      if (cell) {
        state.inValue = true;
        cell.hasValue = true;
      }
      return;
    case T:
      if (cell && cell.type === 'inlineStr') state.inInlineText = true;
      return;
    case F:
      if (cell) cell.formula = true;
      return;
  }
}

function openElement(state: SheetState, name: string, attributes: Record<string, string>): void {
  if (name.length === 1) return openLetter(state, name, attributes);
  switch (name) {
    case 'row':
      return startRow(state, attributes);
    case 'is':
      if (state.cell) state.cell.hasValue = true;
      return;
    case 'rPh':
      state.phonetic++;
      return;
    case 'mergeCell':
      return collectMerge(state.notes.merges, attributes.ref);
    case 'autoFilter': {
      const rows = rowsOf(attributes.ref);
      if (rows) state.notes.autoFilter = rows;
      return;
    }
  }
}

function closeElement(state: SheetState, name: string): void {
  if (name.length === 1) {
    const code = name.charCodeAt(0);
    if (code === V) state.inValue = false;
    else if (code === C) endCell(state);
    else if (code === T) state.inInlineText = false;
    return;
  }
  if (name === 'row') endRow(state);
  else if (name === 'rPh') state.phonetic--;
}

function addText(state: SheetState, text: string): void {
  const cell = state.cell;
  if (!cell) return;
  if (state.inValue || (state.inInlineText && state.phonetic === 0)) cell.value += text;
}

/** The non-blank rows of one sheet, a batch a chunk of XML; `notes` fills as the sheet ends (`reopen`: see parseXml). */
export async function* readWorksheet(
  stream: Readable,
  part: string,
  book: BookContext,
  limits: ReadLimits,
  notes: SheetNotes,
  reopen?: () => Promise<Readable>,
): AsyncGenerator<SheetRow[]> {
  const state = sheetState(book, limits, notes);
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
  for await (const _ of parseXml(stream, handlers, source, reopen)) {
    if (state.ready.length === 0) continue;
    const rows = state.ready;
    state.ready = [];
    yield rows;
  }
}
