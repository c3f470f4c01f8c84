import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, firstInvalidUtf8, sepHint } from '../../src/input/csv-reader.js';
import { loadWorkbook } from '../../src/input/index.js';
import { tempDir, writeText } from './helpers.js';

const HEADER = [
  'License',
  'Short Name',
  'SBC Id',
  'SBC Onboarding Script',
  'SBC Cleanup Script',
  'Full Name',
];

async function customers(content: string | Buffer, name = 'customers.csv') {
  const path = await writeText(join(await tempDir(), name), content);
  return loadWorkbook({ kind: 'csv', customers: path });
}

describe('CSV files as people export them', () => {
  it("honours Excel's sep= hint line, and counts rows as Excel shows them (without it)", async () => {
    const loaded = await customers(
      `sep=;\r\n${HEADER.join(';')}\r\nEssentials;Sep1;5;7;700;Contoso, Ltd\r\nEssentials;Sep2;x;7;700;\r\n`,
    );
    expect(loaded.rows.customers[0]).toMatchObject({ shortName: 'Sep1', fullName: 'Contoso, Ltd' });
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule])).toEqual([[3, 'SBC Id', 'integer']]);
    expect(sepHint('sep=,\nA,B')).toBe(',');
    expect(sepHint('SEP=\t\r\nA')).toBe('\t');
    expect(sepHint('License;sep=')).toBeUndefined();
  });

  it('a BOM, a title line and an empty line above the header; trailing empty columns', async () => {
    const loaded = await customers(
      `\uFEFFCustomer wave 3;;;;;;;\r\n;;;;;;;\r\n${HEADER.join(';')};;\r\nEssentials;Title1;5;7;700;Zoë;;\r\n`,
    );
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Title1',
      fullName: 'Zoë',
      origin: { row: 4 },
    });
  });

  it('a title line without delimiters above a semicolon header: the delimiter comes from the header', async () => {
    const loaded = await customers(
      `Customer wave 3\n\n${HEADER.join(';')}\nEssentials;Title2;5;7;700;Contoso, Ltd\n`,
    );
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Title2',
      fullName: 'Contoso, Ltd',
      origin: { row: 4 },
    });
    expect(detectDelimiter('Title\r\n\r\na\tb\tc')).toBe('\t');
  });

  it('decorated headers and NBSP / zero-width spaces around values', async () => {
    const loaded = await customers(
      `"License *","Short Name *","SBC Id:",SBC Onboarding Script (number),SBC Cleanup Script,"Full\nName"\n\u00a0Essentials\u00a0,\u00a0Deco1\u00a0,5\u200b,7,700,Contoso\u200b\n`,
    );
    expect(loaded.issues.map((i) => [i.column, i.severity, i.rule])).toEqual([
      ['SBC Id:', 'warning', 'invisible-character'],
      ['Full\nName', 'warning', 'invisible-character'],
    ]);
    expect(loaded.rows.customers[0]).toMatchObject({
      license: 'Essentials',
      shortName: 'Deco1',
      fullName: 'Contoso\u200b',
      site: { sbcId: 5 },
    });
  });

  it('a Windows-1252 file is refused with the line of the first non-UTF-8 byte and how to save as CSV UTF-8', async () => {
    const latin = Buffer.from(`${HEADER.join(',')}\r\nEssentials,Ansi1,5,7,700,Caf\xe9 Ltd\r\n`, 'latin1');
    await expect(customers(latin)).rejects.toMatchObject({
      code: 'unreadable-input',
      message: expect.stringMatching(/is not UTF-8 text \(line 2 has the byte 0xE9\).*Windows-1252/),
      hint: expect.stringContaining('CSV UTF-8'),
    });
    expect(firstInvalidUtf8(Buffer.from('ok é', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from('ok \xe9 x', 'latin1'))).toBe(3);
  });

  it('reads UTF-8 across the 64 KiB chunks it reads, and names the line of a bad byte deep in the file', async () => {
    // Rows of 2-, 3- and 4-byte characters: some fall across a chunk's end whatever the row length.
    const rows = Array.from({ length: 3000 }, (_, i) => `Essentials,Multi${i},5,7,700,Café € 😀 Ltd ${i}`);
    const text = `${HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
    const loaded = await customers(Buffer.from(`\ufeff${text}`, 'utf8'));
    expect(loaded.rows.customers).toHaveLength(3000);
    expect(loaded.rows.customers.every((c, i) => c.fullName === `Café € 😀 Ltd ${i}`)).toBe(true);
    const latinLate = Buffer.concat([
      Buffer.from(text, 'utf8'),
      Buffer.from('Essentials,Late,5,7,700,Caf\xe9\r\n', 'latin1'),
    ]);
    await expect(customers(latinLate)).rejects.toMatchObject({
      message: expect.stringMatching(/is not UTF-8 text \(line 3002 has the byte 0xE9\)/),
    });
    // The file ends inside a character: refused, no byte to name.
    const cut = Buffer.concat([
      Buffer.from(text, 'utf8'),
      Buffer.from('Essentials,Cut,5,7,700,'),
      Buffer.from([0xe2, 0x82]),
    ]);
    await expect(customers(cut)).rejects.toMatchObject({
      message: expect.stringMatching(/is not UTF-8 text: /),
    });
  });

  it('UTF-16 ("Unicode Text" from Excel, tab-separated) is refused clearly', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${HEADER.join('\t')}\r\nEssentials\tU16\t5\t7\t700\t\r\n`, 'utf16le'),
    ]);
    await expect(customers(utf16, 'customers.txt.csv')).rejects.toMatchObject({
      code: 'unreadable-input',
      message: expect.stringContaining('UTF-16'),
      hint: expect.stringContaining('CSV UTF-8'),
    });
  });

  it('numbers Excel saved in scientific notation are an error naming the cell', async () => {
    const path = await writeText(
      join(await tempDir(), 'sites.csv'),
      'Customer Short Name,Site Name,Carrier Main Line,Phones,SBC Id\nCust1,SiteA,3.12012E+10,3.12012E+10,5E+00\n',
    );
    const loaded = await loadWorkbook({ kind: 'csv', sites: path });
    expect(loaded.issues.filter((i) => i.severity === 'error').map((i) => [i.row, i.column, i.rule])).toEqual(
      [
        [2, 'Carrier Main Line', 'scientific-notation'],
        [2, 'Phones', 'scientific-notation'],
        [2, 'SBC Id', 'scientific-notation'],
      ],
    );
  });

  it('secrets in columns lpsync cannot use are masked too (other sheet, unknown, repeated)', async () => {
    const path = await writeText(
      join(await tempDir(), 'all.csv'),
      'Type,License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Carrier Password DPI,Carrier Pwd\nCustomer,Essentials,Sec1,5,7,700,Dpi#Secret1,Pwd#Secret2\n',
    );
    const loaded = await loadWorkbook({ kind: 'csv', combined: path });
    expect(loaded.issues.map((i) => [i.column, i.rule, i.value])).toEqual([
      ['Carrier Password DPI', 'column-not-for-sheet', '***'],
      ['Carrier Pwd', 'value-in-rejected-column', '***'],
      // A combined file's header belongs to neither sheet, so its issues come after the sheets'.
      ['Carrier Pwd', 'unknown-header', undefined],
    ]);
    expect(JSON.stringify(loaded.issues)).not.toMatch(/Secret1|Secret2/);
    expect(loaded.secrets).toEqual(expect.arrayContaining(['Dpi#Secret1', 'Pwd#Secret2']));
  });

  it('a combined file: title line above, Type column written "Type *"', async () => {
    const path = await writeText(
      join(await tempDir(), 'all.csv'),
      'lpsync import\n"Type *",License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Site Name\nCustomer,Essentials,Comb1,5,7,700,\nSite,,Comb1,,,,Branch\n',
    );
    const loaded = await loadWorkbook({ kind: 'csv', combined: path });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.sites[0]).toMatchObject({
      customerShortName: 'Comb1',
      siteName: 'Branch',
      origin: { row: 4 },
    });
  });
});
