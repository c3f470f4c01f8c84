/**
 * A sheet's cells read once per distinct content: every cell pointing at the same shared string,
 * and every plain number cell with the same value and style, reads to the same text. A content seen
 * a second time is kept and handed on from then on (cells are never changed once read), so a column
 * of one value builds one text where it built one per row. A content seen once is only marked as
 * seen: keeping every unique cell until the sheet ends would make the garbage collector copy it.
 */
import { tidyText, type CellText } from '../cell-text.js';
import { xlsxCellText, type BookContext, type RawCell } from './cells.js';

/** How many distinct numbers a sheet remembers: past it, a number cell is read each time. */
const MAX_NUMBERS = 10_000;

/** `null`: the cell shows nothing and is left out of its row. */
type Read = CellText | null;
/** What is known of a content: nothing yet (undefined), seen once (`SEEN`), or its read. */
type Known = Read | typeof SEEN | undefined;

const SEEN = 0;

export interface CellMemo {
  /** By shared-string index. */
  readonly shared: Known[];
  /** By style index, then by the `<v>` text. */
  readonly numbers: Array<Map<string, Known> | undefined>;
  numberCount: number;
}

export function cellMemo(sharedStrings: number): CellMemo {
  // Sized up front: cells point at shared strings in any order, and a sparse array is slow.
  return { shared: new Array<Known>(sharedStrings), numbers: [], numberCount: 0 };
}

/** The cell as read (undefined or empty text when it shows nothing, as `tidyText` says). */
function readOnce(cell: RawCell, row: number, book: BookContext): Read {
  const read = xlsxCellText(cell, row, book);
  if (!read) return null;
  const tidy = tidyText(read.text);
  // A number whose format shows nothing (`;;;`) is still a value: kept, so it is not lost unsaid.
  if (tidy === '' && !read.fault && read.number === undefined) return null;
  return tidy === read.text ? read : { ...read, text: tidy };
}

/** A shared-string cell's read (as xlsxCellText and readOnce give it, without their detours). */
function sharedRead(cell: RawCell, row: number, book: BookContext, index: number): Read {
  const text = book.sharedStrings[index];
  // Past the table: xlsxCellText says the file is damaged.
  if (text === undefined) return readOnce(cell, row, book);
  return tidyText(text) === '' ? null : { text };
}

/** A shared string's index as written, when it is plain digits (every writer's); else -1. */
function sharedIndex(value: string): number {
  if (value.length === 0 || value.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    n = n * 10 + (code - 48);
  }
  return n;
}

/** The cell's text, or null when it shows nothing; from the memo when its content was seen before. */
export function cellRead(memo: CellMemo, cell: RawCell, row: number, book: BookContext): Read {
  if (cell.formula) return readOnce(cell, row, book);
  if (cell.type === 's' && cell.hasValue) {
    const index = sharedIndex(cell.value);
    if (index < 0) return readOnce(cell, row, book);
    const known = memo.shared[index];
    if (known !== undefined && known !== SEEN) return known;
    const read = sharedRead(cell, row, book, index);
    memo.shared[index] = known === SEEN ? read : SEEN;
    return read;
  }
  if (cell.type !== 'n') return readOnce(cell, row, book);
  let byValue = memo.numbers[cell.style];
  const known = byValue?.get(cell.value);
  if (known !== undefined && known !== SEEN) return known;
  const read = readOnce(cell, row, book);
  if (known === SEEN) byValue!.set(cell.value, read);
  else if (memo.numberCount < MAX_NUMBERS) {
    memo.numberCount++;
    if (!byValue) memo.numbers[cell.style] = byValue = new Map<string, Known>();
    byValue.set(cell.value, SEEN);
  }
  return read;
}
