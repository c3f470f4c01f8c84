/**
 * Streams a CSV sheet with csv-parse: UTF-8 with or without BOM, delimiter detected among
 * `,` `;` tab from the header line, quoted newlines, every value kept as text. One file per
 * sheet, or one combined file whose `Type` column says which sheet each row belongs to.
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { RunError } from '../model/errors.js';
import type { SheetName } from '../model/catalogue.js';
import { excelTextFormula, tidyText, type CellText } from './cell-text.js';
import type { SheetEvent } from './events.js';
import { headerSearch, isTypeHeader, type HeaderSearch, type NumberedRow } from './header-row.js';
import { readLimits, type ReadLimits } from './limits.js';
import { numberConvention, type NumberConvention } from './number-convention.js';

/** Which sheet a CSV file holds, or `combined` for a file with a Type column. */
export type CsvLayout = SheetName | 'combined';

const DELIMITERS = [',', ';', '\t'] as const;

function unreadable(file: string, what: string, hint?: string): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint: hint ?? 'Save it as "CSV UTF-8 (comma delimited)" from Excel.',
  });
}

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

/** Refuses what is not UTF-8 text: a UTF-16 BOM, NUL bytes (UTF-16 without BOM, binary), a zip. */
function sniff(file: string, head: Buffer): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw unreadable(
      file,
      'is UTF-16 text (Excel\'s "Unicode Text"); lpsync reads UTF-8 CSV',
      'In Excel use File › Save As › "CSV UTF-8 (comma delimited) (*.csv)".',
    );
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    throw unreadable(
      file,
      'is a zip file (an .xlsx workbook?), not CSV text',
      'Give an .xlsx workbook a .xlsx name.',
    );
  const sample = head.subarray(0, 4096);
  let nuls = 0;
  for (const byte of sample) if (byte === 0) nuls++;
  if (nuls > 0)
    throw unreadable(
      file,
      `is not UTF-8 text (${nuls} NUL bytes in its first ${sample.length}: UTF-16 or binary)`,
    );
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      // A sequence cut by the end of the chunk is not an error here.
      if (i + k >= bytes.length) return -1;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function notUtf8(file: string, line: number, byte: number | undefined): RunError {
  const where =
    byte === undefined
      ? ''
      : ` (line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')})`;
  return unreadable(
    file,
    `is not UTF-8 text${where}: it looks like Excel's "CSV (comma delimited)" in a Windows code page (Windows-1252/ANSI), which lpsync does not guess`,
    'In Excel use File › Save As › "CSV UTF-8 (comma delimited) (*.csv)"; in LibreOffice choose the character set "Unicode (UTF-8)".',
  );
}

/** The file's text in chunks; a byte sequence that is not UTF-8 ends the run. */
/** Bytes at the end of `bytes` that begin a UTF-8 sequence the next chunk completes (0 to 3). */
function cutSequence(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

function newlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/**
 * The file's bytes, each chunk checked to be UTF-8 (a sequence cut by a chunk's end is checked with
 * the next) and the BOM dropped; csv-parse reads the bytes itself. (Decoding to text here and csv-parse
 * encoding it back was a fifth of the CSV reader's CPU.)
 */
async function* checkedUtf8(
  file: string,
  chunks: AsyncIterator<Buffer>,
  first: Buffer,
): AsyncGenerator<Buffer> {
  let lines = 1;
  let carried: Buffer | undefined;
  const check = (chunk: Buffer, last: boolean): Buffer => {
    const bytes = carried ? Buffer.concat([carried, chunk]) : chunk;
    const cut = last ? 0 : cutSequence(bytes);
    const whole = cut ? bytes.subarray(0, bytes.length - cut) : bytes;
    carried = cut ? bytes.subarray(bytes.length - cut) : undefined;
    if (!isUtf8(whole)) {
      // -1: the file ends inside a sequence (no byte to name).
      const at = firstInvalidUtf8(whole);
      throw notUtf8(
        file,
        lines + newlines(whole, at < 0 ? whole.length : at),
        at < 0 ? undefined : whole[at],
      );
    }
    lines += newlines(whole);
    return whole;
  };
  const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  yield check(bom ? first.subarray(3) : first, false);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield check(next.value, false);
  if (carried) yield check(Buffer.alloc(0), true);
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

/**
 * A record's cells as typed, and how many hold something; a cell written `="0001317"` reads as Excel
 * shows it, 0001317. (A cell kept shows something, so a record with none kept is a blank row.)
 */
function toCells(record: string[]): { cells: Array<CellText | undefined>; filled: number } {
  const cells = new Array<CellText | undefined>(record.length);
  let filled = 0;
  for (let i = 0; i < record.length; i++) {
    const value = record[i]!;
    const shown = excelTextFormula(value);
    const text = tidyText(shown ?? value);
    if (text === '') cells[i] = undefined;
    else {
      filled++;
      cells[i] = shown === undefined ? { text } : { text, excelTextFormula: true };
    }
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
  const { cells, filled } = toCells(record);
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

/** The records of a file's decoded text, split at `delimiter`, with the reader's limits. */
function parseDecoded(
  file: string,
  chunks: AsyncIterator<Buffer>,
  first: Buffer,
  delimiter: string,
  limits: ReadLimits,
): ReturnType<typeof parse> {
  const parser = parse({
    delimiter,
    relax_column_count: true,
    // A quote inside an unquoted value (Contoso "Big" Ltd) is kept as typed.
    relax_quotes: true,
    skip_empty_lines: false,
    // Any line ending, also mixed: a file edited on two systems has CRLF lines then LF ones.
    record_delimiter: ['\r\n', '\n', '\r'],
    // One record longer than this is not a row anyone typed (an unclosed quote, a binary file).
    max_record_size: limits.maxCellChars * 64,
  });
  const source = Readable.from(checkedUtf8(file, chunks, first));
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  return parser;
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
 * Events of one CSV file, in batches: the events of the records csv-parse holds, handed on when it
 * holds no more (the next record waits for more of the file anyway). Throws
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
    const parser = parseDecoded(file, chunks, first.value, delimiter, limits);
    const gathered: CsvEvents = { out: [] };
    const search = csvEvents(file, layout, numberConvention(delimiter, headText), gathered);
    const count: RecordCount = { records: 0, rows: 0, filled: 0 };
    for await (const record of parser as AsyncIterable<string[]>) {
      const row = csvRow(count, record, hint !== undefined, file, limits);
      if (row) search.take(row);
      if (gathered.out.length > 0 && parser.readableLength === 0) {
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
