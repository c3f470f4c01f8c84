/**
 * The two readings compared by the CSV split's tests: lpsync's (csvRecords over the file's bytes in
 * given chunks, csv-parse taking over where the split stops) and csv-parse alone with lpsync's
 * options over the same bytes, as the reader read every file before the split.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { csvParseOptions, csvRecords } from '../../src/input/csv-records.js';
import { readLimits, type ReadLimits } from '../../src/input/limits.js';

/** Records, or the error's code and message. */
export type Reading = { records: string[][] } | { code: string; message: string };

const failed = (error: unknown): Reading => {
  const e = error as Error & { code?: string };
  return { code: e.code ?? 'none', message: e.message };
};

/** csv-parse alone over the bytes after a leading BOM (which the reader drops before any parsing). */
export function csvParseReading(bytes: Buffer, delimiter: string, limits: Partial<ReadLimits> = {}): Reading {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    const options = csvParseOptions(delimiter, readLimits(limits), !body.includes(0x0d));
    const records: unknown = parse(body, options);
    return { records: records as string[][] };
  } catch (error) {
    return failed(error);
  }
}

/**
 * lpsync's records of `bytes` written to `dir`, handed to the reader cut at `cuts` (byte offsets;
 * the first chunk holds at least 3 bytes, as a file's first read always does).
 */
export async function lpsyncReading(
  dir: string,
  bytes: Buffer,
  delimiter: string,
  cuts: number[] = [],
  limits: Partial<ReadLimits> = {},
): Promise<Reading> {
  const file = join(dir, 'split.csv');
  await writeFile(file, bytes);
  const at = [...new Set(cuts.filter((c) => c >= 3 && c < bytes.length))].sort((a, b) => a - b);
  const pieces = [0, ...at, bytes.length]
    .slice(1)
    .map((end, i, ends) => bytes.subarray(i ? ends[i - 1] : 0, end));
  const first = pieces.shift()!;
  const chunks = Readable.from(pieces)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const records: string[][] = [];
  try {
    for await (const batch of csvRecords(file, chunks, first, delimiter, readLimits(limits)))
      records.push(...batch);
    return { records };
  } catch (error) {
    return failed(error);
  }
}
