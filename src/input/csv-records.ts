/**
 * A CSV file's records, in batches: split by hand (csv-split.ts) while the text is the usual kind,
 * else by csv-parse from the file's start, the records already handed on skipped (csv-parse gives
 * the same ones: the split hands on only what csv-parse reads alike), so an odd file reads and
 * fails exactly as csv-parse makes it.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Options } from 'csv-parse';
import { checkedUtf8 } from './csv-bytes.js';
import type { ReadLimits } from './limits.js';
import { splitRecords, splitsAt, TO_CSV_PARSE } from './csv-split.js';

/** The longest record csv-parse reads, in bytes: one longer is not a row anyone typed (an unclosed quote, a binary file). */
const maxRecordBytes = (limits: ReadLimits) => limits.maxCellChars * 64;

/** csv-parse's options for the reader: every record as an array of its fields as typed. */
export function csvParseOptions(delimiter: string, limits: ReadLimits, lineFeedsOnly: boolean): Options {
  return {
    delimiter,
    relax_column_count: true,
    // A quote inside an unquoted value (Contoso "Big" Ltd) is kept as typed.
    relax_quotes: true,
    skip_empty_lines: false,
    // Any line ending, also mixed: a file edited on two systems has CRLF lines then LF ones. A file
    // without a carriage return can only end its lines with a line feed: told so, csv-parse tests
    // one delimiter a byte instead of three (a tenth of its time), and reads the same records.
    record_delimiter: lineFeedsOnly ? ['\n'] : ['\r\n', '\n', '\r'],
    max_record_size: maxRecordBytes(limits),
  };
}

/** csv-parse over a file's checked bytes (loaded only then: most files never need it). */
async function csvParse(file: string, chunks: AsyncIterator<Buffer>, first: Buffer, options: Options) {
  const { parse } = await import('csv-parse');
  const parser = parse(options);
  const source = Readable.from(checkedUtf8(file, chunks, first));
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  return parser;
}

/**
 * True when the file holds no carriage return (CR, 0x0D) at all: the file read once more, each
 * chunk searched natively. Any doubt (a read that fails) counts as holding one.
 */
async function lineFeedsOnly(file: string): Promise<boolean> {
  const all = createReadStream(file);
  try {
    for await (const chunk of all) if ((chunk as Buffer).includes(0x0d)) return false;
    return true;
  } catch {
    return false;
  } finally {
    all.destroy();
  }
}

/** The file's records by csv-parse, read from its start, the first `skip` left out. */
async function* byCsvParse(
  file: string,
  delimiter: string,
  limits: ReadLimits,
  skip: number,
): AsyncGenerator<string[][]> {
  const stream = createReadStream(file);
  try {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    const head = first.done ? Buffer.alloc(0) : first.value;
    const options = csvParseOptions(delimiter, limits, await lineFeedsOnly(file));
    const parser = await csvParse(file, chunks, head, options);
    let batch: string[][] = [];
    for await (const record of parser as AsyncIterable<string[]>) {
      if (skip > 0) skip--;
      else batch.push(record);
      // Handed on when csv-parse holds no more: the next record waits for more of the file anyway.
      if (batch.length > 0 && parser.readableLength === 0) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    stream.destroy();
  }
}

/**
 * The records of a file whose first chunk is `first` and the rest `chunks`, a batch a chunk. Throws
 * what csv-parse and the UTF-8 check throw (csv-bytes.ts).
 */
export async function* csvRecords(
  file: string,
  chunks: AsyncIterator<Buffer>,
  first: Buffer,
  delimiter: string,
  limits: ReadLimits,
): AsyncGenerator<string[][]> {
  if (!splitsAt(delimiter)) {
    yield* byCsvParse(file, delimiter, limits, 0);
    return;
  }
  const code = delimiter.charCodeAt(0);
  const maxBytes = maxRecordBytes(limits);
  let handedOn = 0;
  let rest = '';
  let final = false;
  const bytes = checkedUtf8(file, chunks, first);
  while (!final) {
    const next = await bytes.next();
    final = next.done === true;
    // Each chunk ends on a whole UTF-8 sequence (checkedUtf8 carries a cut one to the next).
    const text = final ? rest : rest + (next.value as Buffer).toString('utf8');
    const records: string[][] = [];
    const at = splitRecords(text, code, final, maxBytes, records);
    if (at === TO_CSV_PARSE) {
      await bytes.return(undefined);
      yield* byCsvParse(file, delimiter, limits, handedOn);
      return;
    }
    rest = text.slice(at);
    handedOn += records.length;
    if (records.length > 0) yield records;
  }
}
