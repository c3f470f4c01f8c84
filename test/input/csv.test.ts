import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/input/csv-reader.js';
import { loadWorkbook } from '../../src/input/index.js';
import { tempDir, writeText } from './helpers.js';

const CUSTOMERS = 'License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Full Name';

async function customersCsv(content: string | Buffer, name = 'customers.csv') {
  const path = await writeText(join(await tempDir(), name), content);
  return loadWorkbook({ kind: 'csv', customers: path });
}

describe('CSV dialects', () => {
  it('comma, with CRLF line ends', async () => {
    const loaded = await customersCsv(`${CUSTOMERS}\r\nEssentials,Comma1,5,7,700,"Contoso, Ltd"\r\n`);
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Comma1',
      fullName: 'Contoso, Ltd',
      site: { sbcId: 5 },
    });
  });

  it('semicolon (Excel in many European locales)', async () => {
    const loaded = await customersCsv(
      `${CUSTOMERS.replace(/,/g, ';')}\nEssentials;Semi1;5;7;700;Contoso, Ltd\n`,
    );
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({ shortName: 'Semi1', fullName: 'Contoso, Ltd' });
  });

  it('tab', async () => {
    const loaded = await customersCsv(
      `${CUSTOMERS.replace(/,/g, '\t')}\nEssentials\tTab1\t5\t7\t700\tContoso; Ltd\n`,
      'c.tsv',
    );
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({ shortName: 'Tab1', fullName: 'Contoso; Ltd' });
  });

  it('a UTF-8 BOM is stripped (the first header still matches)', async () => {
    const loaded = await customersCsv(`\uFEFF${CUSTOMERS}\nEssentials,Bom1,5,7,700,Zoë Café\n`);
    expect(loaded.issues).toEqual([]);
    expect(loaded.sheets[0]!.headers[0]).toBe('License');
    expect(loaded.rows.customers[0]).toMatchObject({ license: 'Essentials', fullName: 'Zoë Café' });
  });

  it('quoted newlines stay inside the cell; row numbers count records as Excel shows them', async () => {
    const loaded = await customersCsv(
      `${CUSTOMERS}\nEssentials,Quoted1,5,7,700,"Line one\nline two"\n\nEssentials,Quoted2,x,7,700,"say ""hi"""\n`,
    );
    expect(loaded.rows.customers[0]).toMatchObject({ shortName: 'Quoted1', fullName: 'Line one\nline two' });
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule])).toEqual([[4, 'SBC Id', 'integer']]);
    expect(loaded.sheets[0]!.rows.map((r) => r.origin.row)).toEqual([2, 4]);
    expect(loaded.sheets[0]!.rows[1]!.values['Full Name']).toBe('say "hi"');
  });

  it('a quote inside an unquoted value is kept as typed', async () => {
    const loaded = await customersCsv(`${CUSTOMERS}\nEssentials,Quote1,5,7,700,Contoso "Big" Ltd\n`);
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]!.fullName).toBe('Contoso "Big" Ltd');
  });

  it('values stay text: leading zeros, ids and phone numbers are kept as typed', async () => {
    const path = await writeText(
      join(await tempDir(), 'sites.csv'),
      'Customer Short Name,Site Name,Carrier User Name,Carrier Main Line,Phones\nCust1,00210PRG1,007,+3222001000,"+32 2 200 10 00, +3222001001"\n',
    );
    const loaded = await loadWorkbook({ kind: 'csv', sites: path });
    expect(loaded.issues.map((i) => i.rule)).toEqual(['customer-not-in-sheet']);
    expect(loaded.rows.sites[0]).toMatchObject({
      siteName: '00210PRG1',
      site: {
        carrierUserName: '007',
        carrierMainLine: '+3222001000',
        phones: ['+3222001000', '+3222001001'],
      },
    });
  });

  it('detects the delimiter from the header line only, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;"c,d,e"\n1,2,3,4,5')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
});

describe('a combined CSV with a Type column', () => {
  const combined = [
    'Type,License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Customer Short Name,Site Name,Phones',
    'Customer,Essentials,Comb1,5,7,700,,,',
    'sip connection,,,5,,,Comb1,Branch1,+3222001000',
    'site,,,,,,Comb1,Branch2,',
    'customer,Essentials,Comb2,5,7,700,,,+3222001001',
    'Router,,,,,,Comb1,Branch3,',
    'SipConnection,Essentials,,,,,Comb1,Branch4,',
  ].join('\n');

  it('splits rows by Type into the two sheets, keeping file row numbers', async () => {
    const path = await writeText(join(await tempDir(), 'all.csv'), `${combined}\n`);
    const loaded = await loadWorkbook({ kind: 'csv', combined: path });
    expect(loaded.sheets.map((s) => [s.sheet, s.rows.map((r) => r.origin.row)])).toEqual([
      ['Customers', [2, 5]],
      ['SipConnections', [3, 4, 7]],
    ]);
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Comb1']);
    expect(loaded.rows.sites.map((s) => s.siteName)).toEqual(['Branch1', 'Branch2']);
    expect(loaded.issues.map((i) => [i.sheet, i.row, i.column, i.rule])).toEqual([
      ['Customers', 5, 'Phones', 'column-not-for-sheet'],
      ['SipConnections', 7, 'License', 'column-not-for-sheet'],
      [undefined, 6, 'Type', 'unknown-type'],
    ]);
  });

  it('one Short Name column may key both kinds of rows', async () => {
    const path = await writeText(
      join(await tempDir(), 'all.csv'),
      'Type;License;Short Name;SBC Id;SBC Onboarding Script;SBC Cleanup Script;Site Name\nCustomer;Essentials;Key1;5;7;700;\nSite;;Key1;;;;Branch1\n',
    );
    const loaded = await loadWorkbook({ kind: 'csv', combined: path });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.sites[0]).toMatchObject({ customerShortName: 'Key1', siteName: 'Branch1' });
  });

  it('a combined file without a Type column is unreadable, with a hint', async () => {
    const path = await writeText(
      join(await tempDir(), 'all.csv'),
      `${CUSTOMERS}\nEssentials,X123,5,7,700,\n`,
    );
    await expect(loadWorkbook({ kind: 'csv', combined: path })).rejects.toMatchObject({
      code: 'unreadable-input',
      message: expect.stringContaining('has no Type column'),
    });
  });
});
