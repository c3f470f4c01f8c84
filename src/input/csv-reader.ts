/**
 * Streams a CSV sheet (records from csv-records.ts): UTF-8 with or without BOM, delimiter detected among
 * `,` `;` tab from the header line, quoted newlines, every value kept as text. One file per
 * sheet, or one combined file whose `Type` column says which sheet each row belongs to.
 */
import { createReadStream } from 'node:fs';
import { RunError } from '../model/errors.js';
import type { SheetName } from '../model/catalogue.js';
import { excelTextFormula, tidyText, type CellText } from './cell-text.js';
import { sniff, unreadable } from './csv-bytes.js';
import { csvRecords } from './csv-records.js';
import type { SheetEvent } from './events.js';
import { headerSearch, isTypeHeader, type HeaderSearch, type NumberedRow } from './header-row.js';
import { readLimits, type ReadLimits } from './limits.js';
import { numberConvention, type NumberConvention } from './number-convention.js';

/** Which sheet a CSV file holds, or `combined` for a file with a Type column. */
export type CsvLayout = SheetName | 'combined';

export { firstInvalidUtf8 } from './csv-bytes.js';

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter used most outside quotes on the first line that uses any (a title line or blank
 * lines above the header have none); a comma when no line does.
 */
export function detectDelimiter(text: string): string {
  let quoted = false;
  let counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  const best = (): string | undefined => {
    let found: string | undefined;
    for (const d of DELIMITERS) if (counts.get(d)! > (found ? counts.get(found)! : 0)) found = d;
    return found;
  };
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      const found = best();
      if (found) return found;
      counts = new Map(DELIMITERS.map((d) => [d, 0]));
    } else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return best() ?? ',';
}

const TYPE_WORDS: Record<string, SheetName> = {
  customer: 'Customers',
  customers: 'Customers',
  sipconnection: 'SipConnections',
  sipconnections: 'SipConnections',
  site: 'SipConnections',
  sites: 'SipConnections',
};

/** The sheet a combined file's Type cell names, or undefined. */
export function sheetOfType(text: string): SheetName | undefined {
  return TYPE_WORDS[text.replace(/[\s_-]/g, '').toLowerCase()];
}

/** The last record's values and cells, by column: a column that repeats its text (a dropdown value) reads once. */
interface LastRecord {
  values: string[];
  cells: Array<CellText | undefined>;
}

/**
 * The text as a string of its own: a field of 13 characters or more is a slice of the 64 KiB chunk it
 * was split from (V8 keeps a longer substring so), and a kept slice would keep that whole chunk.
 */
function ownText(text: string): string {
  return text.length < 13 ? text : [text.slice(0, 1), text.slice(1)].join('');
}

/**
 * A record's cells as typed, and how many hold something; a cell written `="0001317"` reads as Excel
 * shows it, 0001317. (A cell kept shows something, so a record with none kept is a blank row.) A
 * text equal to the one above it is taken as that one, so the rows kept share one string, not a copy
 * each that the garbage collector must move.
 */
function toCells(record: string[], last: LastRecord): { cells: Array<CellText | undefined>; filled: number } {
  const cells = new Array<CellText | undefined>(record.length);
  let filled = 0;
  for (let i = 0; i < record.length; i++) {
    const value = record[i]!;
    let cell: CellText | undefined;
    if (value === last.values[i]) cell = last.cells[i];
    else {
      const shown = excelTextFormula(value);
      const text = ownText(tidyText(shown ?? value));
      if (text !== '') cell = shown === undefined ? { text } : { text, excelTextFormula: true };
      last.values[i] = value;
      last.cells[i] = cell;
    }
    cells[i] = cell;
    if (cell) filled++;
  }
  return { cells, filled };
}

/** Excel's hint line `sep=;` (first line of a CSV) names the delimiter; Excel does not show it as a row. */
export function sepHint(headText: string): string | undefined {
  const match = /^sep=(.)\s*?(\r\n|\n|\r|$)/i.exec(headText);
  return match?.[1];
}

/** Where a file's records stand: counted (csv-parse's info option costs an object per record), its rows and cells. */
interface RecordCount {
  records: number;
  rows: number;
  filled: number;
  last: LastRecord;
}

/**
 * One record as a numbered row (with empty lines kept, the record count is the row number Excel
 * shows), within the limits; undefined for a blank record or the `sep=` hint line.
 */
function csvRow(
  count: RecordCount,
  record: string[],
  hinted: boolean,
  file: string,
  limits: ReadLimits,
): NumberedRow | undefined {
  count.records++;
  if (hinted && count.records === 1) return undefined;
  const { cells, filled } = toCells(record, count.last);
  if (filled === 0) return undefined;
  const row = count.records - (hinted ? 1 : 0);
  if (cells.length > limits.maxColumns && cells.slice(limits.maxColumns).some((c) => c !== undefined))
    throw unreadable(
      file,
      `line ${row} has a value in column ${(limits.maxColumns + 1).toLocaleString('en-US')} or further right; lpsync reads at most ${limits.maxColumns.toLocaleString('en-US')} columns`,
      'Delete the columns right of your data, or check that the file is the one you meant.',
    );
  if (++count.rows > limits.maxRows)
    throw unreadable(
      file,
      `has more than ${limits.maxRows.toLocaleString('en-US')} rows with values; lpsync reads at most ${limits.maxRows.toLocaleString('en-US')} rows per file`,
      'Split the rows into several files and apply them one after the other.',
    );
  count.filled += filled;
  if (count.filled > limits.maxCells)
    throw unreadable(
      file,
      `has more than ${limits.maxCells.toLocaleString('en-US')} cells with values; lpsync reads at most ${limits.maxCells.toLocaleString('en-US')} per file`,
      'Split the rows into several files, and delete columns that lpsync does not read.',
    );
  return { row, cells };
}

/** The Type column of a file holding both sheets; a file without one cannot be read. */
function typeColumnOf(file: string, header: string[]): number {
  const index = header.findIndex(isTypeHeader);
  if (index < 0)
    throw unreadable(
      file,
      'has no Type column, so lpsync cannot tell customers from SIP connections',
      'Add a Type column (Customer / SipConnection), or pass the sheets as --customers a.csv --sites b.csv.',
    );
  return index;
}

/** The events a file's rows make, gathered until handed on: its header, then its rows by sheet. */
interface CsvEvents {
  out: SheetEvent[];
  header?: string[];
}

/** A header search that turns a file's rows into events (the Type column says a combined file's sheet). */
function csvEvents(
  file: string,
  layout: CsvLayout,
  numbers: NumberConvention | undefined,
  to: CsvEvents,
): HeaderSearch<NumberedRow> {
  const sheets: SheetName[] = layout === 'combined' ? ['Customers', 'SipConnections'] : [layout];
  let typeColumn: number | undefined;
  return headerSearch(sheets, {
    header({ row, cells }, guessed) {
      const header = Array.from(cells, (c) => c?.text ?? '');
      to.header = header;
      if (layout === 'combined') typeColumn = typeColumnOf(file, header);
      to.out.push({
        type: 'header',
        file,
        sheets,
        row,
        headers: header,
        ...(typeColumn === undefined ? {} : { typeColumn }),
        ...(guessed ? { guessed: true } : {}),
        ...(numbers ? { numbers } : {}),
      });
    },
    row({ row, cells }) {
      if (typeColumn === undefined)
        return void to.out.push({ type: 'row', file, sheet: layout as SheetName, row, cells });
      const typeText = cells[typeColumn]?.text ?? '';
      const sheet = sheetOfType(typeText);
      if (sheet) to.out.push({ type: 'row', file, sheet, row, cells });
      else
        to.out.push({
          type: 'untyped-row',
          file,
          row,
          typeText,
          typeColumn: to.header![typeColumn] ?? 'Type',
        });
    },
  });
}

/**
 * Events of one CSV file, in batches: the events of each batch of records, handed on together. Throws
 * `RunError('unreadable-input')` for a file that is not usable CSV text.
 */
export async function* readCsv(
  file: string,
  layout: CsvLayout,
  given: Partial<ReadLimits> = {},
): AsyncGenerator<SheetEvent[]> {
  const limits = readLimits(given);
  const stream = createReadStream(file);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (error) {
    throw unreadable(file, `cannot be read (${(error as Error).message})`);
  }
  if (first.done || first.value.length === 0) throw unreadable(file, 'is empty');
  try {
    sniff(file, first.value);
    const headText = new TextDecoder('utf-8').decode(first.value.subarray(0, 65536)).replace(/^\uFEFF/, '');
    const hint = sepHint(headText);
    const delimiter = hint ?? detectDelimiter(headText);
    const gathered: CsvEvents = { out: [] };
    const search = csvEvents(file, layout, numberConvention(delimiter, headText), gathered);
    const count: RecordCount = { records: 0, rows: 0, filled: 0, last: { values: [], cells: [] } };
    for await (const records of csvRecords(file, chunks, first.value, delimiter, limits)) {
      for (const record of records) {
        const row = csvRow(count, record, hint !== undefined, file, limits);
        if (row) search.take(row);
      }
      if (gathered.out.length > 0) {
        yield gathered.out;
        gathered.out = [];
      }
    }
    search.end();
    if (gathered.out.length > 0) yield gathered.out;
    if (!gathered.header) throw unreadable(file, 'has no header row (the file is empty)');
  } catch (error) {
    if (error instanceof RunError) throw error;
    const e = error as Error & { code?: string; lines?: number };
    if (e.code?.startsWith('CSV_'))
      throw unreadable(file, `is not valid CSV${e.lines ? ` near line ${e.lines}` : ''} (${e.message})`);
    throw unreadable(file, `cannot be read (${e.message})`);
  } finally {
    stream.destroy();
  }
}
