/**
 * Property: lpsync's CSV records are csv-parse's, for every text. Random records (quotes, doubled
 * quotes, delimiters, CR / LF / CRLF inside quotes, empty fields, a trailing delimiter, a BOM, the
 * last line with or without a line break), and random text that is not well-formed CSV (stray and
 * unclosed quotes), each cut into random chunks, read by csvRecords, give the same records as
 * csv-parse alone with lpsync's options, or the same error (code and message).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvParseReading, lpsyncReading } from './csv-split-helpers.js';
import { tempDir } from './helpers.js';

const DELIMITERS = [',', ';', '\t', '|', ' ', '§'];
/** What CSV text is made of: the characters that mean something to a parser, and some that do not. */
const PIECES = [
  '"',
  '""',
  ',',
  ';',
  '\t',
  '|',
  ' ',
  '\r',
  '\n',
  '\r\n',
  'a',
  'Zz',
  'é',
  '€',
  '😀',
  '\u00a0',
  '\ufeff',
  '0',
  '=',
  '§',
  '\u0000',
];

const piece = fc.constantFrom(...PIECES);
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

/** A field as a writer would put it: bare when it can be, or quoted with its quotes doubled. */
const field = fc
  .tuple(text, fc.boolean())
  .map(([value, quote]) =>
    quote || /[",;\t|\r\n§ ]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value,
  );
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** Well-formed CSV: records of fields, a line end each (the last maybe without), maybe a BOM. */
const wellFormed = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    records: fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
    ends: fc.array(lineEnd, { minLength: 8, maxLength: 8 }),
    trailingDelimiter: fc.boolean(),
    lastLineEnd: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ delimiter, records, ends, trailingDelimiter, lastLineEnd, bom }) => {
    const lines = records.map((r, i) => r.join(delimiter) + (trailingDelimiter && i % 2 ? delimiter : ''));
    const body = lines.map((l, i) => l + (i < lines.length - 1 || lastLineEnd ? ends[i]! : '')).join('');
    return { delimiter, text: (bom ? '\ufeff' : '') + body };
  });

/** Any text from the same pieces: stray quotes, quotes never closed, text after a closing quote. */
const anyText = fc.record({
  delimiter: fc.constantFrom(...DELIMITERS),
  text: fc.array(piece, { minLength: 1, maxLength: 60 }).map((p) => p.join('')),
});

const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

async function sameAsCsvParse(
  dir: string,
  { delimiter, text }: { delimiter: string; text: string },
  at: number[],
  maxCellChars?: number,
): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const limits = maxCellChars ? { maxCellChars } : {};
  expect(await lpsyncReading(dir, bytes, delimiter, at, limits)).toEqual(
    csvParseReading(bytes, delimiter, limits),
  );
}

describe('CSV split (property: the records csv-parse gives, or its error)', () => {
  it('well-formed records, cut anywhere', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(wellFormed, cuts, (csv, at) => sameAsCsvParse(dir, csv, at)),
      { numRuns: 1500 },
    );
  });

  it('any text (stray or unclosed quotes), cut anywhere', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(anyText, cuts, (csv, at) => sameAsCsvParse(dir, csv, at)),
      { numRuns: 1500 },
    );
  });

  it('records near the size limit (csv-parse counts bytes; the split hands it the long ones)', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(fc.oneof(wellFormed, anyText), cuts, fc.integer({ min: 1, max: 2 }), (csv, at, max) =>
        sameAsCsvParse(dir, csv, at, max),
      ),
      { numRuns: 800 },
    );
  });
});
