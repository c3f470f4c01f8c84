/**
 * Streams a CSV sheet with csv-parse: UTF-8 with or without BOM, delimiter detected among
 * `,` `;` tab from the header line, quoted newlines, every value kept as text. One file per
 * sheet, or one combined file whose `Type` column says which sheet each row belongs to.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { RunError } from '../model/errors.js';
import type { SheetName } from '../model/catalogue.js';
import type { CellText } from './cell-text.js';
import { isBlank, type SheetEvent } from './events.js';

/** Which sheet a CSV file holds, or `combined` for a file with a Type column. */
export type CsvLayout = SheetName | 'combined';

const DELIMITERS = [',', ';', '\t'] as const;

function unreadable(file: string, what: string, hint?: string): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint: hint ?? 'Save it as "CSV UTF-8 (comma delimited)" from Excel.',
  });
}

/** The delimiter used most outside quotes on the header line; a comma when none is used. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Refuses what is not UTF-8 text: a UTF-16 BOM, NUL bytes (UTF-16 without BOM, binary), a zip. */
function sniff(file: string, head: Buffer): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw unreadable(file, 'is UTF-16 text; lpsync reads UTF-8 CSV');
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

/** The file's text in chunks; a byte sequence that is not UTF-8 ends the run. */
async function* decoded(file: string, chunks: AsyncIterator<Buffer>, first: Buffer): AsyncGenerator<string> {
  // fatal: invalid UTF-8 throws instead of turning into U+FFFD; the BOM is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    yield decoder.decode(first, { stream: true });
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      yield decoder.decode(next.value, { stream: true });
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) throw unreadable(file, 'is not UTF-8 text');
    throw error;
  }
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

function toCells(record: string[]): Array<CellText | undefined> {
  return record.map((value) => (value.trim() === '' ? undefined : { text: value.trim() }));
}

/** Events of one CSV file. Throws `RunError('unreadable-input')` for a file that is not usable CSV text. */
export async function* readCsv(file: string, layout: CsvLayout): AsyncGenerator<SheetEvent> {
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
    const headText = new TextDecoder('utf-8').decode(first.value.subarray(0, 65536));
    const parser = parse({
      delimiter: detectDelimiter(headText.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      // A quote inside an unquoted value (Contoso "Big" Ltd) is kept as typed.
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    });
    const source = Readable.from(decoded(file, chunks, first.value));
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);

    const sheets: SheetName[] = layout === 'combined' ? ['Customers', 'SipConnections'] : [layout];
    let header: string[] | undefined;
    let typeColumn: number | undefined;
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { records: number };
    }>) {
      const cells = toCells(record);
      if (isBlank(cells)) continue;
      const row = info.records;
      if (!header) {
        header = record.map((h) => h.trim());
        if (layout === 'combined') {
          const index = header.findIndex((h) => h.toLowerCase() === 'type');
          if (index < 0)
            throw unreadable(
              file,
              'has no Type column, so lpsync cannot tell customers from SIP connections',
              'Add a Type column (Customer / SipConnection), or pass the sheets as --customers a.csv --sites b.csv.',
            );
          typeColumn = index;
        }
        yield {
          type: 'header',
          file,
          sheets,
          row,
          headers: header,
          ...(typeColumn === undefined ? {} : { typeColumn }),
        };
        continue;
      }
      if (typeColumn === undefined) {
        yield { type: 'row', file, sheet: layout as SheetName, row, cells };
        continue;
      }
      const typeText = cells[typeColumn]?.text ?? '';
      const sheet = sheetOfType(typeText);
      if (sheet) yield { type: 'row', file, sheet, row, cells };
      else yield { type: 'untyped-row', file, row, typeText, typeColumn: header[typeColumn] ?? 'Type' };
    }
    if (!header) throw unreadable(file, 'has no header row (the file is empty)');
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
