import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeText, writeXlsx } from './helpers.js';

/** A workbook built the way people build it in Excel: exceljs's full Workbook, then saved. */
async function saveBook(build: (wb: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  const path = join(await tempDir(), 'messy.xlsx');
  await workbook.xlsx.writeFile(path);
  return loadWorkbook({ kind: 'xlsx', path });
}

const where = (loaded: Awaited<ReturnType<typeof loadWorkbook>>) =>
  loaded.issues.map((i) => [i.sheet, i.row, i.column, i.rule]);

describe('workbooks as migration teams fill them in', () => {
  it('a title line, a merged title and blank rows above the header row; row numbers as Excel shows them', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.getCell('A1').value = 'Customer onboarding — wave 3';
      ws.mergeCells('A1:E1');
      ws.getCell('A2').value = 'Prepared by the migration team';
      ws.getCell('B2').value = new Date(Date.UTC(2026, 10, 1));
      ws.getRow(4).values = ESSENTIALS_HEADERS;
      ws.getRow(5).values = essentialsRow('Title1') as ExcelJS.CellValue[];
      ws.getRow(7).values = ['Essentials', 'Title2', 'x', 7, 700];
    });
    expect(loaded.sheets[0]!.headers).toEqual(ESSENTIALS_HEADERS);
    expect(loaded.rows.customers.map((c) => [c.shortName, c.origin.row])).toEqual([['Title1', 5]]);
    expect(where(loaded)).toEqual([['Customers', 7, 'SBC Id', 'integer']]);
  });

  it('headers with line breaks, NBSP, zero-width spaces, required stars, colons and notes in brackets', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.getRow(1).values = [
        'License *',
        'Short\nName*',
        'SBC\u00a0Id:',
        '\u200bSBC Onboarding Script (number)',
        'SBC Cleanup Script [number]',
        ' Full Name: ',
      ];
      ws.getRow(2).values = [...essentialsRow('Deco1'), 'Decorated Ltd'] as ExcelJS.CellValue[];
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Deco1',
      fullName: 'Decorated Ltd',
      site: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
    });
  });

  it('cells merged down several rows are an error naming the range; the rows it covers are not used', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.getCell('A1').value = 'Wave 3';
      ws.mergeCells('A1:F2');
      ws.addRow([...ESSENTIALS_HEADERS, 'Full Name']);
      ws.addRow(['Essentials', 'Merge1', 5, 7, 700, 'Shared Ltd']);
      ws.addRow([null, 'Merge2', 5, 7, 700, null]);
      ws.addRow([null, 'Merge3', 5, 7, 700, 'Own Ltd']);
      ws.addRow(['Essentials', 'Merge4', 5, 7, 700, null]);
      ws.addRow(['Essentials', 'Merge5', 5, 7, 700, null]);
      ws.mergeCells('A4:A6');
      ws.mergeCells('F4:F5');
      ws.mergeCells('F7:G7');
    });
    expect(where(loaded).filter((i) => i[3] === 'merged-cells')).toEqual([
      ['Customers', 4, 'License', 'merged-cells'],
      ['Customers', 4, 'Full Name', 'merged-cells'],
    ]);
    expect(loaded.issues.find((i) => i.rule === 'merged-cells')).toMatchObject({ value: 'A4:A6' });
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Merge4', 'Merge5']);
  });

  it('sheet names with spaces, case, singular; Instructions and Lists sheets are ignored', async () => {
    const loaded = await saveBook((wb) => {
      wb.addWorksheet('Instructions').getCell('A1').value = 'Short Name and SBC Id are required';
      const lists = wb.addWorksheet('Lists');
      lists.getColumn(1).values = ['License', 'Essentials', 'OC Essentials'];
      const customers = wb.addWorksheet('customers');
      customers.addRow(ESSENTIALS_HEADERS);
      customers.addRow(essentialsRow('Sheet1'));
      const sites = wb.addWorksheet('SIP Connections');
      sites.addRow(['Customer Short Name', 'Site Name']);
      sites.addRow(['Sheet1', 'Branch']);
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.sites[0]).toMatchObject({ customerShortName: 'Sheet1', siteName: 'Branch' });
  });

  it('a sheet with the headers of a known sheet under another name is a warning (a dropdown Lists sheet is not)', async () => {
    const loaded = await saveBook((wb) => {
      const customers = wb.addWorksheet('Customers');
      customers.addRow(ESSENTIALS_HEADERS);
      customers.addRow(essentialsRow('Named1'));
      const lists = wb.addWorksheet('Lists');
      lists.addRow(['License', 'OVOC Customer Type', 'SBC Configuration Type']);
      lists.addRow(['Essentials', 'IPGROUP_TYPE', 'SIP Trunk']);
      const typo = wb.addWorksheet('SIP Conections');
      typo.addRow(['Branches of wave 3']);
      typo.addRow(['Customer Short Name', 'Site Name', 'SBC Id']);
      typo.addRow(['Named1', 'Branch', 5]);
    });
    expect(loaded.issues.map((i) => [i.severity, i.sheet, i.row, i.rule])).toEqual([
      ['warning', 'SIP Conections', 2, 'sheet-not-read'],
    ]);
    expect(loaded.issues[0]!.message).toContain('rename it to SipConnections');
    const only = await saveBook((wb) => {
      const typo = wb.addWorksheet('Customer List');
      typo.addRow(ESSENTIALS_HEADERS);
    }).catch((e: unknown) => e);
    expect(only).toMatchObject({
      message: expect.stringContaining('"Customer List" looks like Customers: rename it'),
    });
  });

  it('an Excel table, hidden columns and template rows with dropdowns but no values', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.addTable({
        name: 'CustomersTable',
        ref: 'A1',
        headerRow: true,
        style: { theme: 'TableStyleMedium2', showRowStripes: true },
        columns: [...ESSENTIALS_HEADERS, 'Full Name'].map((name) => ({ name, filterButton: true })),
        rows: [
          [...essentialsRow('Table1'), 'Tabled Ltd'],
          [...essentialsRow('Table2'), 'Hidden column Ltd'],
        ],
      });
      ws.getColumn(6).hidden = true;
      for (let r = 4; r <= 50; r++) {
        ws.getCell(`A${r}`).dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: ['"Essentials,OC Essentials"'],
        };
        ws.getCell(`B${r}`).numFmt = '@';
        ws.getCell(`C${r}`).style = { font: { bold: true } };
      }
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers.map((c) => c.fullName)).toEqual(['Tabled Ltd', 'Hidden column Ltd']);
  });

  it('ids typed as numbers, long numbers, phones typed as numbers', async () => {
    const loaded = await saveBook((wb) => {
      const c = wb.addWorksheet('Customers');
      c.addRow([...ESSENTIALS_HEADERS, 'LC Customer Id', 'Channel Id']);
      c.addRow([...essentialsRow('Num1'), 1317027, 31201234567]);
      c.getCell('G2').numFmt = '0.00E+00';
      c.addRow([...essentialsRow('Num2'), 12345678901234567000]);
      const s = wb.addWorksheet('SipConnections');
      s.addRow(['Customer Short Name', 'Site Name', 'Carrier Main Line', 'Phones']);
      s.addRow(['Num1', 'SiteA', 31201234567, '+31201234567']);
      s.addRow(['Num1', 'SiteB', '31201234567', 31201234567]);
      s.addRow(['Num1', 'SiteC', null, '0031 20 123 4567']);
    });
    expect(loaded.rows.customers[0]).toMatchObject({ lcCustomerId: '1317027', channelId: '31201234567' });
    // A main line stored as a number may have lost its +: refused like phones.
    expect(where(loaded)).toEqual([
      ['Customers', 3, 'LC Customer Id', 'number-too-long'],
      ['SipConnections', 2, 'Carrier Main Line', 'number-in-phone-column'],
      ['SipConnections', 3, 'Phones', 'phone-e164'],
      ['SipConnections', 4, 'Phones', 'phone-e164'],
    ]);
    expect(loaded.issues[1]!.message).toContain('e.g. +31201234567');
    expect(loaded.issues[2]!.message).toContain('Excel drops the + of numbers');
    expect(loaded.issues[2]!.message).toContain('+31201234567');
    expect(loaded.issues[3]!.message).toContain('write it as +31201234567');
  });

  it('numbers read as their cell shows them when the format adds leading zeros or a + (00123, "+"0)', async () => {
    const loaded = await saveBook((wb) => {
      const c = wb.addWorksheet('Customers');
      c.addRow([...ESSENTIALS_HEADERS, 'Channel Id']);
      c.addRow([...essentialsRow('Shown1'), 123]);
      c.getCell('F2').numFmt = '00000';
      const s = wb.addWorksheet('SipConnections');
      s.addRow(['Customer Short Name', 'Site Name', 'Phones', 'Carrier Main Line']);
      s.addRow(['Shown1', 'SiteA', 3222001000, 3222001000]);
      s.getCell('C2').numFmt = '"+"0';
      s.getCell('D2').numFmt = '\\+0';
    });
    // Text columns read the shown text with a warning (a number can lose what was typed); an id takes it silently.
    expect(loaded.issues.map((i) => [i.sheet, i.row, i.column, i.rule, i.severity])).toEqual([
      ['SipConnections', 2, 'Phones', 'number-in-text-column', 'warning'],
      ['SipConnections', 2, 'Carrier Main Line', 'number-in-text-column', 'warning'],
    ]);
    expect(loaded.rows.customers[0]!.channelId).toBe('00123');
    expect(loaded.rows.sites[0]!.site).toMatchObject({
      phones: ['+3222001000'],
      carrierMainLine: '+3222001000',
    });
  });

  it('an e-mail typed into a cell (a mailto: hyperlink), zero-width spaces and NBSP around values', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.addRow(['License', 'Short Name', 'Invitation Email', 'Lead Id', 'Full Name']);
      ws.addRow([
        'OC Essentials',
        '\u00a0Mail1\u00a0',
        { text: 'admin@contoso.example', hyperlink: 'mailto:admin@contoso.example' },
        ' 0b7cd1d2-7fd1-4f43-9f2e-0ef2d0a8c001\u200b',
        '\u00a0Contoso\u200b',
      ]);
      ws.addRow(['OC Essentials', '\u200bMail2']);
    });
    // NBSP is whitespace: trimmed. A zero-width space is not: a GUID cannot hold it (left out, with
    // a warning), a full name keeps it (with a warning), a short name refuses it.
    expect(loaded.issues.map((i) => [i.row, i.column, i.severity, i.rule])).toEqual([
      [2, 'Lead Id', 'warning', 'invisible-character'],
      [2, 'Full Name', 'warning', 'invisible-character'],
      [3, 'Short Name', 'error', 'invisible-character'],
    ]);
    expect(loaded.issues[2]!.message).toContain('U+200B (zero-width space) at its start');
    expect(loaded.rows.customers).toHaveLength(1);
    expect(loaded.rows.customers[0]).toMatchObject({
      shortName: 'Mail1',
      fullName: 'Contoso\u200b',
      oc: { invitationEmail: 'admin@contoso.example', leadId: '0b7cd1d2-7fd1-4f43-9f2e-0ef2d0a8c001' },
    });
  });

  it('shared formulas give their cached results; #N/A is an error naming the cell', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.addRow([...ESSENTIALS_HEADERS, 'Full Name']);
      ws.addRow([
        'Essentials',
        'Shared1',
        5,
        7,
        700,
        { formula: 'B2&" Ltd"', result: 'Shared1 Ltd', shareType: 'shared', ref: 'F2:F3' },
      ]);
      ws.addRow(['Essentials', 'Shared2', 5, 7, 700, { sharedFormula: 'F2', result: 'Shared2 Ltd' }]);
      ws.addRow([
        'Essentials',
        'Shared3',
        { formula: 'VLOOKUP("x",H:I,2,FALSE)', result: { error: '#N/A' } },
        7,
        700,
      ]);
    });
    expect(loaded.rows.customers.map((c) => c.fullName)).toEqual(['Shared1 Ltd', 'Shared2 Ltd']);
    expect(where(loaded)).toEqual([['Customers', 4, 'SBC Id', 'formula-error']]);
    // The error the cell shows, as saved (exceljs's reader lost which one it was).
    expect(loaded.issues[0]!.value).toBe('#N/A');
  });

  it('formula results 0, "" and FALSE (LibreOffice saves booleans as FALSE() formulas) are values, not errors', async () => {
    const loaded = await saveBook((wb) => {
      const c = wb.addWorksheet('Customers');
      c.addRow([...ESSENTIALS_HEADERS, 'Full Name']);
      c.addRow([
        'Essentials',
        'Falsy1',
        { formula: '0*1', result: 0 },
        7,
        700,
        { formula: 'IF(1,"","x")', result: '' },
      ]);
      // A formula filled down below the data: its rows read as empty.
      for (let r = 3; r <= 40; r++)
        c.getCell(`F${r}`).value = { formula: `IF(B${r}="","",B${r})`, result: '' };
      const s = wb.addWorksheet('SipConnections');
      s.addRow(['Customer Short Name', 'Site Name', 'Enable CAC', 'Configure SBC']);
      s.addRow([
        'Falsy1',
        'SiteF',
        { formula: 'FALSE()', result: false },
        { formula: 'TRUE()', result: true },
      ]);
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]!.site.sbcId).toBe(0);
    expect('fullName' in loaded.rows.customers[0]!).toBe(false);
    expect(loaded.rows.sites[0]!.site).toMatchObject({ enableCAC: false, flagConfigureSbc: true });
  });

  it('a results workbook fed back as input: its result columns and masked passwords are refused, saying why', async () => {
    const path = await writeXlsx(join(await tempDir(), 'book.xlsx'), [
      {
        name: 'Customers',
        rows: [
          [...ESSENTIALS_HEADERS, 'Carrier Password', 'Status'],
          [...essentialsRow('Again1'), '***', 'succeeded'],
        ],
      },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(where(loaded)).toEqual([
      ['Customers', 1, 'Status', 'unknown-header'],
      // Left to right within a row.
      ['Customers', 2, 'Carrier Password', 'masked-secret'],
      ['Customers', 2, 'Status', 'value-in-rejected-column'],
    ]);
    expect(loaded.issues[0]!.message).toContain("lpsync's results workbook");
  });

  it('the parameter name of the Add SIP Connection page, CarrierMailLine, is the carrier main line', async () => {
    const path = await writeXlsx(join(await tempDir(), 'book.xlsx'), [
      {
        name: 'SipConnections',
        rows: [
          ['CustomerShortName', 'siteLocationName', 'CarrierMailLine'],
          ['Cust1', 'S1', 'Main1'],
        ],
      },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.rows.sites[0]!.site.carrierMainLine).toBe('Main1');
  });

  it('a password-protected (or 97-2003) workbook and a CSV named .xlsx say what they are', async () => {
    const dir = await tempDir();
    const ole = await writeText(
      join(dir, 'protected.xlsx'),
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
    );
    await expect(loadWorkbook({ kind: 'xlsx', path: ole })).rejects.toMatchObject({
      code: 'unreadable-input',
      message: expect.stringContaining('password-protected'),
      hint: expect.stringContaining('remove the password'),
    });
    const csv = await writeText(join(dir, 'book.xlsx'), 'License,Short Name\nEssentials,Csv1\n');
    await expect(loadWorkbook({ kind: 'xlsx', path: csv })).rejects.toMatchObject({
      message: expect.stringContaining('it is text (a CSV file?)'),
      hint: expect.stringContaining('.csv'),
    });
  });

  it('a lookup filled down past the data (#N/A on rows with nothing typed) is one warning, not an error per row', async () => {
    const loaded = await saveBook((wb) => {
      const ws = wb.addWorksheet('Customers');
      ws.addRow(ESSENTIALS_HEADERS);
      const lookup = (r: number, result: ExcelJS.CellValue) => ({
        formula: `VLOOKUP(B${r},Lists!A:B,2,FALSE)`,
        result,
      });
      ws.addRow(['Essentials', 'Lookup1', lookup(2, 5), 7, 700]);
      ws.addRow(['Essentials', 'Lookup2', lookup(3, { error: '#N/A' }), 7, 700]);
      for (let r = 4; r <= 30; r++)
        ws.getCell(`C${r}`).value = lookup(r, { error: '#N/A' }) as ExcelJS.CellValue;
    });
    expect(loaded.issues.map((i) => [i.severity, i.row, i.column, i.rule])).toEqual([
      ['error', 3, 'SBC Id', 'formula-error'],
      ['warning', 4, undefined, 'formula-error-rows-skipped'],
    ]);
    expect(loaded.issues[1]!.message).toContain('27 rows between 4 and 30');
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Lookup1']);
  });

  it('a header that cannot be found is reported on the first row, as written', async () => {
    const path = await writeXlsx(join(await tempDir(), 'book.xlsx'), [
      {
        name: 'Customers',
        rows: [
          ['Lisense', 'Shrt Nme'],
          ['Essentials', 'Bad1'],
        ],
      },
    ]);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(where(loaded).filter((i) => i[3] === 'unknown-header')).toEqual([
      ['Customers', 1, 'Lisense', 'unknown-header'],
      ['Customers', 1, 'Shrt Nme', 'unknown-header'],
    ]);
  });
});
