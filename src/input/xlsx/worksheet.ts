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
import { parseXml } from './xml.js';

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

/** The non-blank rows of one sheet, a chunk of XML at a time; `merges` fills as the sheet ends. */
export async function* readWorksheet(
  stream: Readable,
  part: string,
  book: BookContext,
  limits: ReadLimits,
  merges: MergedRange[],
): AsyncGenerator<SheetRow> {
  const ready: SheetRow[] = [];
  let rowNumber = 0;
  let rowElements = 0;
  let rowsWithValues = 0;
  let cellsWithValues = 0;
  let cells: Array<CellText | undefined> = [];
  let filled = false;
  let column = -1;
  // One cell object reused for every cell: it is read into a CellText before the next one starts.
  const current: RawCell = { column: 0, type: 'n', value: '', hasValue: false, formula: false, style: 0 };
  let cell: RawCell | undefined;
  // Which text the parser is inside: a value, an inline string's text, a phonetic run.
  let inValue = false;
  let inInlineText = false;
  let phonetic = 0;

  const handlers = {
    open(name: string, attributes: Record<string, string>) {
      switch (name) {
        case 'row': {
          const r = attributes.r === undefined ? rowNumber + 1 : Number(attributes.r);
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          if (++rowElements > EXCEL_ROWS || rowNumber > EXCEL_ROWS)
            throw refused(
              book,
              `has rows past Excel's last row (${EXCEL_ROWS.toLocaleString('en-US')}): the file was not written by Excel and is damaged`,
              'Open it in Excel or LibreOffice and save the workbook again.',
            );
          cells = [];
          filled = false;
          column = -1;
          return;
        }
        case 'c': {
          const at = attributes.r === undefined ? undefined : parseCellRef(attributes.r);
          column = at && at.column > column ? at.column : column + 1;
          current.column = column;
          current.type = attributes.t ?? 'n';
          current.value = '';
          current.hasValue = false;
          current.formula = false;
          current.style = attributes.s === undefined ? 0 : Number(attributes.s);
          cell = current;
          return;
        }
        case 'v':
          if (cell) {
            inValue = true;
            cell.hasValue = true;
          }
          return;
        case 'is':
          if (cell) cell.hasValue = true;
          return;
        case 't':
          if (cell && cell.type === 'inlineStr') inInlineText = true;
          return;
        case 'rPh':
          phonetic++;
          return;
        case 'f':
          if (cell) cell.formula = true;
          return;
        case 'mergeCell': {
          const [from, to] = (attributes.ref ?? '').split(':');
          const first = from ? parseCellRef(from) : undefined;
          const last = to ? parseCellRef(to) : undefined;
          if (first && last && last.row > first.row)
            merges.push({
              ref: attributes.ref!,
              firstColumn: first.column + 1,
              firstRow: first.row,
              lastRow: last.row,
            });
          return;
        }
      }
    },
    close(name: string) {
      switch (name) {
        case 'v':
          inValue = false;
          return;
        case 't':
          inInlineText = false;
          return;
        case 'rPh':
          phonetic--;
          return;
        case 'c': {
          const done = cell;
          cell = undefined;
          if (!done) return;
          const read = xlsxCellText(done, rowNumber, book);
          if (!read) return;
          const tidy = tidyText(read.text);
          if (tidy === '' && !read.fault) return;
          const text = tidy === read.text ? read : { ...read, text: tidy };
          if (done.column >= limits.maxColumns)
            throw refused(
              book,
              `has a value in cell ${columnLetter(done.column)}${rowNumber}, right of column ${columnLetter(limits.maxColumns - 1)}; lpsync reads at most ${limits.maxColumns.toLocaleString('en-US')} columns`,
              'Delete the columns right of your data (select them, right-click › Delete) and save the workbook again.',
            );
          if (++cellsWithValues > limits.maxCells)
            throw refused(
              book,
              `has more than ${limits.maxCells.toLocaleString('en-US')} cells with values; lpsync reads at most ${limits.maxCells.toLocaleString('en-US')} per sheet`,
              'Split the rows into several workbooks, and delete columns that lpsync does not read.',
            );
          cells[done.column] = text;
          filled = true;
          return;
        }
        case 'row':
          if (!filled) return;
          if (++rowsWithValues > limits.maxRows)
            throw refused(
              book,
              `has more than ${limits.maxRows.toLocaleString('en-US')} rows with values; lpsync reads at most ${limits.maxRows.toLocaleString('en-US')} rows per sheet`,
              'Split the rows into several workbooks and apply them one after the other.',
            );
          ready.push({ row: rowNumber, cells });
          return;
      }
    },
    text(text: string) {
      if (!cell) return;
      if (inValue || (inInlineText && phonetic === 0)) cell.value += text;
    },
  };
  const source = {
    file: book.file,
    what: `sheet "${book.sheet}" (${part})`,
    maxTextChars: limits.maxCellChars * 8 + 1024,
  };
  for await (const _ of parseXml(stream, handlers, source)) {
    for (const row of ready) yield row;
    ready.length = 0;
  }
}
