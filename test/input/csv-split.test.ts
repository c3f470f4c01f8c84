/**
 * The hand split of CSV text (csv-split.ts) on the cases that decide it, each against csv-parse alone
 * with lpsync's options; and what a file whose odd part comes after many rows reads as, or fails
 * with, now that csv-parse takes over mid-file. (The property over random text: csv-split.slow.test.ts.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitRecords, TO_CSV_PARSE } from '../../src/input/csv-split.js';
import { loadWorkbook } from '../../src/input/index.js';
import { csvParseReading, lpsyncReading } from './csv-split-helpers.js';
import { tempDir, writeText } from './helpers.js';

const CASES: Array<[string, string]> = [
  ['bare fields, LF', 'a,b,c\n1,2,3\n'],
  ['last line without a line break', 'a,b\n1,2'],
  ['CRLF and a lone CR', 'a,b\r\n1,2\r3,4\r\n'],
  ['empty lines and empty fields', 'a,,b\n\n,\n,,\n'],
  ['a trailing delimiter', 'a,b,\n1,2,\n'],
  ['quoted delimiters, doubled quotes, line breaks in quotes', '"a,b","say ""hi""","x\r\ny\rz\nw"\n'],
  ['an empty quoted field', '"",""\n""'],
  ['a quote inside a bare field', 'Contoso "Big" Ltd,a"b,c""d\n'],
  ['a space before an opening quote', 'a, "b"\n'],
  ['a BOM, then quoted text', '\ufeff"Short Name",x\n"é€😀",y\n'],
  ['a BOM character that is not the first', 'a,\ufeffb\n'],
];
/** Text only csv-parse reads: the split must hand it over. */
const ODD: Array<[string, string]> = [
  ['text after a closing quote', 'a,"b"c,d\n'],
  ['a quote never closed', 'a,"b\n'],
  ['a doubled quote at the very end', '"a""'],
  ['a NUL after a closing quote', '"a"\u0000b\n'],
];

describe('CSV split: the records csv-parse gives', () => {
  for (const [name, text] of [...CASES, ...ODD])
    it(name, async () => {
      const bytes = Buffer.from(text, 'utf8');
      const expected = csvParseReading(bytes, ',');
      // Every cut, so a record, a quote pair and a CRLF are each split across two chunks.
      for (let cut = 3; cut <= bytes.length; cut++)
        expect(await lpsyncReading(await tempDir(), bytes, ',', [cut])).toEqual(expected);
    });

  it('hands over what it cannot read alike, and reads the usual text itself', () => {
    for (const [, text] of ODD) expect(splitRecords(text, 0x2c, true, 1e6, [])).toBe(TO_CSV_PARSE);
    for (const [, text] of CASES) {
      const out: string[][] = [];
      expect(splitRecords(text.replace(/^\ufeff/, ''), 0x2c, true, 1e6, out)).toBe(
        text.replace(/^\ufeff/, '').length,
      );
      expect(out.length).toBeGreaterThan(0);
    }
  });

  it('a record longer than a third of the byte limit goes to csv-parse, which counts its bytes', () => {
    expect(splitRecords(`a,${'x'.repeat(40)}\n`, 0x2c, true, 120, [])).toBe(TO_CSV_PARSE);
    const out: string[][] = [];
    expect(splitRecords(`a,${'x'.repeat(30)}\n`, 0x2c, true, 120, out)).toBe(33);
    expect(out).toEqual([['a', 'x'.repeat(30)]]);
  });
});

const HEADER = 'License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Full Name';
/** Rows enough that the odd one is read several chunks into the file. */
const manyRows = Array.from({ length: 5000 }, (_, i) => `Essentials,Cust${i},5,7,700,Contoso ${i}\n`).join(
  '',
);

describe('CSV split: an odd record after many rows', () => {
  it('a closing quote followed by text reads as csv-parse reads it, the rows before it kept', async () => {
    const path = await writeText(
      join(await tempDir(), 'late.csv'),
      `${HEADER}\n${manyRows}Essentials,Late1,5,7,700,"Contoso" Ltd\nEssentials,Late2,5,7,700,After\n`,
    );
    const loaded = await loadWorkbook({ kind: 'csv', customers: path });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers).toHaveLength(5002);
    // csv-parse (relax_quotes) keeps both quotes when text follows the closing one, as main's reader did.
    expect(loaded.rows.customers[5000]!.fullName).toBe('"Contoso" Ltd');
    expect(loaded.rows.customers[5001]).toMatchObject({ shortName: 'Late2', origin: { row: 5003 } });
  });

  it('an unclosed quote names its line, as csv-parse does', async () => {
    const path = await writeText(
      join(await tempDir(), 'open.csv'),
      `${HEADER}\n${manyRows}Essentials,"Open1,5,7,700,x\n`,
    );
    await expect(loadWorkbook({ kind: 'csv', customers: path })).rejects.toThrow(
      /open\.csv: is not valid CSV near line 5002 \(Quote Not Closed: the parsing is finished with an opening quote at line 5002\)/,
    );
  });
});
