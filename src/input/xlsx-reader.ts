/**
 * Streams the Customers and SipConnections sheets of an .xlsx workbook with exceljs's
 * `WorkbookReader`: one row at a time, never a whole in-memory workbook.
 */
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { RunError } from '../model/errors.js';
import type { SheetName } from '../model/catalogue.js';
import { cellText, tidyText, type CellText } from './cell-text.js';
import { isBlank, knownSheet, onlyFormulaErrors, type SheetEvent } from './events.js';
import { HEADER_SEARCH_ROWS, headerOfSheet, locateHeader, type NumberedRow } from './header-row.js';
import { watchMerges, type MergedRange } from './merged-cells.js';

interface StreamCell {
  value: unknown;
  numFmt?: string;
  /** A formula cell's cached result; unlike `value.result` it keeps 0, "" and FALSE. */
  result?: unknown;
}

/**
 * The cell's value with its cached formula result. exceljs drops a falsy result (0, "", FALSE:
 * LibreOffice saves booleans as TRUE()/FALSE() formulas) from `value`; `result` still has it.
 */
function valueOf(cell: StreamCell): unknown {
  const value = cell.value;
  if (value === null || typeof value !== 'object') return value;
  if (!('formula' in value || 'sharedFormula' in value) || 'result' in value) return value;
  return cell.result === undefined ? value : { ...value, result: cell.result };
}
interface StreamRow {
  number: number;
  eachCell(options: { includeEmpty: boolean }, fn: (cell: StreamCell, col: number) => void): void;
}

// Date number formats (exceljs recognises them for plain values, not for formula results).
const DATE_FORMAT = /(^|[^"\\])([dmyhs]{1,4})|\[\$-/i;

function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt || numFmt === 'General' || numFmt === '@') return false;
  const bare = numFmt.replace(/"[^"]*"/g, '').replace(/\[(?:[a-z]+\d*|[<>=][^\]]*)\]/gi, '');
  return DATE_FORMAT.test(bare);
}

// A whole-number format people use for ids and phone numbers: a literal prefix ("+" or \+) and
// digit placeholders, e.g. 00000 (leading zeros) or "+"0 (a phone number typed without its +).
const INTEGER_FORMAT = /^((?:"[^"]*"|\\.|\+)*)([#0]+)$/;

/** A whole number as its cell shows it when the format adds leading zeros or a literal prefix. */
export function displayedInteger(value: number, numFmt: string | undefined): string | undefined {
  if (!numFmt || !Number.isSafeInteger(value) || value < 0) return undefined;
  const match = INTEGER_FORMAT.exec(numFmt);
  if (!match) return undefined;
  const prefix = (match[1] ?? '').replace(
    /"([^"]*)"|\\(.)/g,
    (_, quoted?: string, escaped?: string) => quoted ?? escaped ?? '',
  );
  const zeros = (match[2] ?? '').replace(/#/g, '').length;
  const text = `${prefix}${String(value).padStart(zeros, '0')}`;
  return text === String(value) ? undefined : text;
}

function rowCells(row: StreamRow): Array<CellText | undefined> {
  const cells: Array<CellText | undefined> = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const value = valueOf(cell);
    const shown = typeof value === 'number' ? displayedInteger(value, cell.numFmt) : undefined;
    // What the cell shows is what the person meant (00123, +3222001000); it is text then.
    if (shown !== undefined) {
      cells[col - 1] = { text: shown };
      return;
    }
    const text = cellText(value, isDateFormat(cell.numFmt));
    if (!text) return;
    const tidy = tidyText(text.text);
    if (text.fault || tidy !== '')
      cells[col - 1] = {
        ...text,
        text: tidy,
        ...(typeof cell.value === 'number' ? { typedAsNumber: true } : {}),
      };
  });
  return cells;
}

function unreadable(file: string, what: string, hint?: string, cause?: unknown): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint:
      hint ?? 'Open it in Excel and save it as an .xlsx workbook with Customers and SipConnections sheets.',
    cause,
  });
}

/** The non-blank rows of one worksheet, as text. */
async function* sheetRows(worksheet: AsyncIterable<StreamRow>): AsyncGenerator<NumberedRow> {
  for await (const raw of worksheet) {
    const cells = rowCells(raw);
    if (!isBlank(cells)) yield { row: raw.number, cells };
  }
}

/**
 * Reads a sheet lpsync does not use through to its end, so the zip stream moves on; returns the
 * header row it finds among its first rows when that is the header of a Customers or SipConnections sheet.
 */
async function skipRows(
  worksheet: AsyncIterable<StreamRow>,
): Promise<{ row: number; looksLike: SheetName } | undefined> {
  let looked = 0;
  let found: { row: number; looksLike: SheetName } | undefined;
  for await (const raw of worksheet) {
    if (found || looked >= HEADER_SEARCH_ROWS) continue;
    const cells = rowCells(raw);
    if (isBlank(cells)) continue;
    looked++;
    const looksLike = headerOfSheet(cells);
    if (looksLike) found = { row: raw.number, looksLike };
  }
  return found;
}

/**
 * Under load exceljs's reader sometimes loses the workbook part of a file it spooled
 * ("reading 'sheets'"); nothing has been read yet then, so reading again is safe.
 */
function isSpoolRace(error: unknown): boolean {
  return error instanceof TypeError && /reading 'sheets'/.test(error.message);
}

/** What the first bytes say the file is when it is not an .xlsx (zip) file; undefined when it may be one. */
export async function notXlsx(file: string): Promise<RunError | undefined> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return undefined;
  if (head.readUInt32BE(0) === 0xd0cf11e0)
    return new RunError(
      'unreadable-input',
      `${file}: not a readable .xlsx workbook: it is an Excel 97-2003 (.xls) workbook or a password-protected one`,
      {
        hint: 'Open it in Excel, remove the password (File › Info › Protect Workbook) and save it as .xlsx.',
      },
    );
  const text = [...head].every(
    (b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80,
  );
  return unreadable(
    file,
    text
      ? 'not a readable .xlsx workbook: it is text (a CSV file?)'
      : 'not a readable .xlsx workbook (not a zip file)',
    text ? 'Give a CSV file a .csv name: lpsync validate --customers file.csv' : undefined,
  );
}

/** Events of the known sheets of one workbook. Throws `RunError('unreadable-input')` for a file that is not a readable workbook. */
export async function* readXlsx(file: string): AsyncGenerator<SheetEvent> {
  const refused = await notXlsx(file);
  if (refused) throw refused;
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const event of readXlsxOnce(file)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      const cause = error instanceof RunError ? error.cause : error;
      if (yielded || attempt >= 3 || !isSpoolRace(cause)) throw error;
    }
  }
}

async function* readXlsxOnce(file: string): AsyncGenerator<SheetEvent> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  const seen: string[] = [];
  const found: SheetName[] = [];
  const lookalikes: string[] = [];
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name?: string }).name ?? '';
      seen.push(name);
      const sheet = knownSheet(name);
      const rows = worksheet as unknown as AsyncIterable<StreamRow>;
      // Other sheets (Instructions, Lists…) are read through and dropped.
      if (!sheet) {
        const lookalike = await skipRows(rows);
        if (lookalike) {
          lookalikes.push(`"${name}" looks like ${lookalike.looksLike}`);
          yield { type: 'ignored-sheet', file, name, ...lookalike };
        }
        continue;
      }
      if (!found.includes(sheet)) found.push(sheet);
      const merges: MergedRange[] = [];
      const reader = worksheet as unknown as { iterator: AsyncIterable<Buffer | string> };
      // The sheet's XML as the reader will parse it (an exceljs internal: left alone if it moves).
      if (reader.iterator && Symbol.asyncIterator in Object(reader.iterator))
        reader.iterator = watchMerges(reader.iterator, merges);
      let headerSeen = false;
      let headerRow = 0;
      const errorOnly = { firstRow: 0, lastRow: 0, count: 0 };
      for await (const located of locateHeader(sheetRows(rows), [sheet])) {
        const { row, cells } = located.row;
        if (located.kind === 'header') {
          headerSeen = true;
          headerRow = row;
          const headers = Array.from(cells, (c) => c?.text ?? '');
          yield { type: 'header', file, sheets: [sheet], row, headers };
        } else if (onlyFormulaErrors(cells)) {
          // Nothing typed on the row: a formula filled down past the data (#N/A from a lookup).
          errorOnly.firstRow ||= row;
          errorOnly.lastRow = row;
          errorOnly.count++;
        } else {
          yield { type: 'row', file, sheet, row, cells };
        }
      }
      if (errorOnly.count > 0) yield { type: 'error-only-rows', file, sheet, ...errorOnly };
      if (!headerSeen) yield { type: 'header', file, sheets: [sheet], row: 1, headers: [] };
      for (const merge of merges)
        if (headerSeen && merge.lastRow > headerRow)
          yield {
            type: 'merged',
            file,
            sheet,
            ref: merge.ref,
            column: merge.firstColumn - 1,
            firstRow: merge.firstRow,
            lastRow: merge.lastRow,
          };
    }
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw unreadable(file, `not a readable .xlsx workbook (${(error as Error).message})`, undefined, error);
  }
  if (found.length === 0)
    throw unreadable(
      file,
      seen.length
        ? `no Customers or SipConnections sheet (it has: ${seen.join(', ')})${lookalikes.length ? `; ${lookalikes.join(', ')}: rename it` : ''}`
        : 'no worksheet found: the file is empty or not a workbook',
    );
}
