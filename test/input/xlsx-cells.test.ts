import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeXlsx, type SheetSpec } from './helpers.js';

async function load(sheets: SheetSpec[], options: { sharedStrings?: boolean } = {}) {
  const path = await writeXlsx(join(await tempDir(), 'book.xlsx'), sheets, options);
  return loadWorkbook({ kind: 'xlsx', path });
}

const HEADERS = [...ESSENTIALS_HEADERS, 'Full Name', 'LC Customer Id', 'Channel Id'];

describe('xlsx cells are read as the text a person typed', () => {
  it('formulas give their cached result; a formula error is an error issue', async () => {
    const loaded = await load([
      {
        name: 'Customers',
        rows: [
          HEADERS,
          [
            'Essentials',
            'Formula1',
            { formula: '2+3', result: 5 },
            7,
            700,
            { formula: '"Con"&"toso"', result: 'Contoso' },
          ],
          ['Essentials', 'Formula2', 5, 7, { formula: '1/0', result: { error: '#DIV/0!' } }],
        ],
      },
    ]);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Formula1',
      fullName: 'Contoso',
      site: { sbcId: 5 },
    });
    expect(loaded.issues).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'SBC Cleanup Script',
        rule: 'formula-error',
        severity: 'error',
      }),
    ]);
  });

  it('rich text becomes plain text and a hyperlink its text', async () => {
    const loaded = await load([
      {
        name: 'Customers',
        rows: [
          HEADERS,
          [
            ...essentialsRow('Rich1'),
            { richText: [{ text: 'Con' }, { font: { bold: true }, text: 'toso' }, { text: ' Ltd' }] },
          ],
          [...essentialsRow('Link1'), { text: 'Fabrikam', hyperlink: 'https://fabrikam.example/' }],
        ],
      },
    ]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers.map((c) => c.fullName)).toEqual(['Contoso Ltd', 'Fabrikam']);
    expect(loaded.sheets[0]!.rows[0]!.values['Full Name']).toBe('Contoso Ltd');
  });

  it('numbers work for ids and text numbers for integers, without float noise', async () => {
    const loaded = await load([
      {
        name: 'Customers',
        rows: [
          HEADERS,
          ['Essentials', 'Numbers1', ' 7 ', '10007', 10700, 0.1 + 0.2, 1317027, 42],
          ['Essentials', 'Numbers2', '7.5', 7, 700],
          ['Essentials', 'Numbers3', 7.5, 7, 700],
        ],
      },
    ]);
    expect(loaded.rows.customers[0]).toMatchObject({
      fullName: '0.3',
      lcCustomerId: '1317027',
      channelId: '42',
      site: { sbcId: 7, sbcOnboardingScript: 10007, sbcCleanupScript: 10700 },
    });
    // A number in a text column reads as its cell shows it, with a warning.
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule, i.value])).toEqual([
      [2, 'Full Name', 'number-in-text-column', '0.3'],
      [3, 'SBC Id', 'integer', '7.5'],
      [4, 'SBC Id', 'integer', '7.5'],
    ]);
  });

  it('booleans: Excel booleans and the yes/no words; an Excel boolean in a text field is TRUE/FALSE', async () => {
    const loaded = await load([
      { name: 'Customers', rows: [HEADERS, [...essentialsRow('Bool1'), true]] },
      {
        name: 'SipConnections',
        rows: [
          [
            'Customer Short Name',
            'Site Name',
            'Enable CAC',
            'Configure SBC',
            'Carrier Registration',
            'Configure M365 Routing',
          ],
          ['Bool1', 'SiteT', true, 'yes', 'Y', 1],
          ['Bool1', 'SiteF', false, 'No', 'n', '0'],
          ['Bool1', 'SiteW', 'TRUE', 'false', 'True', 'FALSE'],
        ],
      },
    ]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]!.fullName).toBe('TRUE');
    const flags = loaded.rows.sites.map((s) => [
      s.site.enableCAC,
      s.site.flagConfigureSbc,
      s.site.flagCarrierRegistration,
      s.site.m365?.flagConfigureM365Routing,
    ]);
    expect(flags).toEqual([
      [true, true, true, true],
      [false, false, false, false],
      [true, false, true, false],
    ]);
  });

  it('dates are not valid in any field, also as a formula result with a date format', async () => {
    const loaded = await load([
      {
        name: 'Customers',
        rows: [
          HEADERS,
          [...essentialsRow('Date1'), new Date(Date.UTC(2024, 0, 5))],
          ['Essentials', 'Date2', 5, 7, 700, null, { formula: 'TODAY()', result: 45000 }],
        ],
        numFmt: { G3: 'yyyy-mm-dd' },
      },
    ]);
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule])).toEqual([
      [2, 'Full Name', 'date-not-allowed'],
      [3, 'LC Customer Id', 'date-not-allowed'],
    ]);
    expect(loaded.issues[0]!.message).toContain('a date is not valid here');
    expect(loaded.issues[0]!.value).toBe('2024-01-05');
    // The formula's result as the cell shows it (serial 45000), not the bare number.
    expect(loaded.issues[1]!.value).toBe('2023-03-15');
  });

  it('shared strings and inline strings both read (a workbook written without shared strings)', async () => {
    const rows = [
      HEADERS,
      [...essentialsRow('Inline1'), 'Inline Ltd'],
      [...essentialsRow('Inline2'), 'Inline Ltd'],
    ];
    const shared = await load([{ name: 'Customers', rows }]);
    const inline = await load([{ name: 'Customers', rows }], { sharedStrings: false });
    expect(shared.issues).toEqual([]);
    expect(inline.issues).toEqual([]);
    expect(inline.rows.customers.map((c) => [c.shortName, c.fullName])).toEqual([
      ['Inline1', 'Inline Ltd'],
      ['Inline2', 'Inline Ltd'],
    ]);
    expect(inline.rows.customers.map((c) => c.site)).toEqual(shared.rows.customers.map((c) => c.site));
  });

  it('whitespace is trimmed from the values, the row as typed is kept for the report, a blank cell is absent', async () => {
    const loaded = await load([
      { name: 'Customers', rows: [HEADERS, ['  Essentials ', ' Trim1 ', 5, 7, 700, '   ', null, '\t']] },
    ]);
    expect(loaded.issues).toEqual([]);
    const customer = loaded.rows.customers[0]!;
    expect(customer.shortName).toBe('Trim1');
    expect('fullName' in customer).toBe(false);
    expect('channelId' in customer).toBe(false);
    expect(loaded.sheets[0]!.rows[0]!.values).toEqual({
      License: '  Essentials ',
      'Short Name': ' Trim1 ',
      'SBC Id': '5',
      'SBC Onboarding Script': '7',
      'SBC Cleanup Script': '700',
    });
  });

  it('row numbers are the ones Excel shows: header below blank rows, blank rows skipped but counted', async () => {
    const loaded = await load([
      {
        name: 'Customers',
        startRow: 3,
        rows: [
          HEADERS,
          essentialsRow('Row4'),
          [],
          [],
          essentialsRow('Row7'),
          ['Essentials', 'Row8', 'x', 7, 700],
        ],
      },
    ]);
    expect(loaded.rows.customers.map((c) => [c.shortName, c.origin.row])).toEqual([
      ['Row4', 4],
      ['Row7', 7],
    ]);
    expect(loaded.issues.map((i) => [i.row, i.column, i.rule])).toEqual([[8, 'SBC Id', 'integer']]);
  });

  it('reads only Customers and SipConnections, in any case; other sheets are ignored', async () => {
    const loaded = await load([
      { name: 'Instructions', rows: [['Fill in the sheets'], ['anything', 'at all']] },
      { name: 'customers', rows: [HEADERS, essentialsRow('Case1')] },
      {
        name: 'SIPCONNECTIONS',
        rows: [
          ['Customer Short Name', 'Site Name'],
          ['Case1', 'Branch'],
        ],
      },
      { name: 'Notes', rows: [['Short Name'], ['x']] },
    ]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.sheets.map((s) => s.sheet)).toEqual(['Customers', 'SipConnections']);
    expect(loaded.rows.sites[0]).toMatchObject({ customerShortName: 'Case1', siteName: 'Branch' });
    expect(loaded.files).toHaveLength(1);
  });
});
