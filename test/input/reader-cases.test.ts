/**
 * Issue 21, items 3, 6 and 7, on real files (test/fixtures/writers/reader-cases/, made by
 * make_reader_cases.py) read through loadWorkbook: every value of every row, secrets included,
 * as the cell shows it, or the row refused with its reason.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook, type LoadedWorkbook } from '../../src/input/index.js';
import { MASK } from '../../src/model/redact.js';
import type { CustomerRow } from '../../src/model/types.js';

const DIR = resolve(import.meta.dirname, '..', 'fixtures', 'writers', 'reader-cases');
const at = (name: string) => join(DIR, name);
const load = (name: string) => loadWorkbook({ kind: 'xlsx', path: at(name) });

/** An Essentials customer as the fixtures write it: SBC 5, scripts 7 and 700, and what the row adds. */
function essentials(
  file: string,
  row: number,
  shortName: string,
  fields: Partial<CustomerRow>,
  site: Record<string, unknown> = {},
): CustomerRow {
  return {
    kind: 'customer',
    origin: { file: at(file), sheet: 'Customers', row },
    license: 'Essentials',
    shortName,
    ...fields,
    siteName: shortName,
    site: { customVariables: {}, sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700, ...site },
  };
}

const issuesOf = (loaded: LoadedWorkbook) =>
  loaded.issues.map((i) => [i.row, i.column, i.severity, i.rule, i.value]);

describe('numbers typed where text belongs read as the cell shows them (item 3)', () => {
  // The same rows written three ways: openpyxl (built-in ids where Excel has one), XlsxWriter
  // (formats given by built-in id), and LibreOffice's round trip of the openpyxl file (its own codes).
  for (const file of [
    'openpyxl-number-formats.xlsx',
    'xlsxwriter-number-formats.xlsx',
    'libreoffice-number-formats.xlsx',
  ])
    it(file, async () => {
      const loaded = await load(file);
      expect(loaded.rows.customers).toEqual([
        // 0.5 under 0% reads 50%; 1,234 in an id is the id 1234; the password 123456 under 0000000 is 0123456.
        essentials(
          file,
          2,
          'Fmt01',
          { fullName: '50%', lcCustomerId: '1234' },
          { carrierUserPassword: '0123456' },
        ),
        // An id under 0000000 keeps its zeros; a number under "ID "0 in a custom variable reads ID 42.
        essentials(
          file,
          3,
          'Fmt02',
          { fullName: '1,234', lcCustomerId: '0001317' },
          { carrierUserName: '555-1234', customVariables: { Code: 'ID 42' } },
        ),
        essentials(file, 8, 'Fmt07', { fullName: '12.5%' }, { carrierMainLine: '+3222001000' }),
        essentials(file, 9, 'Fmt08', { fullName: '(1,234.50)' }, { carrierUserPassword: '1,234,567' }),
      ]);
      expect(issuesOf(loaded)).toEqual([
        [2, 'Full Name', 'warning', 'number-in-text-column', '50%'],
        [2, 'Carrier Password', 'warning', 'number-in-text-column', MASK],
        [3, 'Full Name', 'warning', 'number-in-text-column', '1,234'],
        [3, 'Carrier User Name', 'warning', 'number-in-text-column', '555-1234'],
        [3, 'Var:Code', 'warning', 'number-in-text-column', 'ID 42'],
        [4, 'Full Name', 'error', 'number-shown-inexactly', '1.50E+05'],
        [5, 'Carrier Password', 'error', 'number-shown-inexactly', MASK],
        [6, 'Full Name', 'error', 'number-shown-inexactly', '1.23457E+11'],
        [7, 'Full Name', 'error', 'number-shown-inexactly', '1234.57'],
        [8, 'Full Name', 'warning', 'number-in-text-column', '12.5%'],
        [8, 'Carrier Main Line', 'warning', 'number-in-text-column', '+3222001000'],
        [9, 'Full Name', 'warning', 'number-in-text-column', '(1,234.50)'],
        [9, 'Carrier Password', 'warning', 'number-in-text-column', MASK],
        // Kept as before: a date is refused, a number past 15 digits too, a phone number without its +.
        [10, 'Full Name', 'error', 'date-not-allowed', '2024-01-05'],
        // LibreOffice keeps 15 digits when it saves, as Excel does: the 16th is gone already.
        [
          10,
          'LC Customer Id',
          'error',
          'number-too-long',
          file.startsWith('libreoffice') ? '1234567890123460' : '1234567890123456',
        ],
        [11, 'Carrier Main Line', 'error', 'number-in-phone-column', '3222001000'],
      ]);
      const refused = loaded.issues.filter((i) => i.rule === 'number-shown-inexactly');
      for (const issue of refused) expect(issue.message).toContain('type it as text');
      expect(refused[0]!.message).toContain('"1.50E+05", which is not the number itself (150000)');
      // The secrets as shown are masked everywhere and known to the redactor.
      const secretIssues = loaded.issues.filter((i) => i.column === 'Carrier Password');
      expect(secretIssues).toHaveLength(3);
      for (const issue of secretIssues)
        expect(`${issue.message} ${issue.value}`).not.toMatch(/123456|1,234,567|13%|0\.125/);
      expect(loaded.secrets).toEqual(expect.arrayContaining(['0123456', '13%', '1,234,567']));
      expect(loaded.invalidRows.map((o) => o.row)).toEqual([4, 5, 6, 7, 10, 11]);
    });

  it('pandas-numbers.xlsx: int and float columns in text columns (General)', async () => {
    const file = 'pandas-numbers.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([
      essentials(file, 2, 'Pd01', { fullName: '1234' }, { carrierUserPassword: '12345678' }),
      // 0.1 + 0.2 is 0.30000000000000004 in the file; Excel keeps 15 digits and shows 0.3.
      essentials(file, 3, 'Pd02', { fullName: '0.3' }, { carrierUserPassword: '87654321' }),
    ]);
    expect(issuesOf(loaded)).toEqual([
      [2, 'Full Name', 'warning', 'number-in-text-column', '1234'],
      [2, 'Carrier Password', 'warning', 'number-in-text-column', MASK],
      [3, 'Full Name', 'warning', 'number-in-text-column', '0.3'],
      [3, 'Carrier Password', 'warning', 'number-in-text-column', MASK],
      [4, 'Full Name', 'error', 'number-shown-inexactly', '1.23457E+11'],
      [4, 'Carrier Password', 'warning', 'number-in-text-column', MASK],
    ]);
  });
});

describe('cells are placed by their reference (item 6)', () => {
  it('hand-out-of-order.xlsx: a row written right to left, and one mixing references and none', async () => {
    const file = 'hand-out-of-order.xlsx';
    const loaded = await load(file);
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers).toEqual([
      essentials(
        file,
        2,
        'Order02',
        { fullName: 'Out Of Order Ltd', lcCustomerId: '1317' },
        {
          carrierUserName: 'ooo.user',
          carrierUserPassword: 'Secret#2',
          carrierMainLine: '+3222001000',
          customVariables: { Code: 'k2-code' },
        },
      ),
      // D3 and E3 have no reference: they follow C3 (SBC Id 6, onboarding script 7).
      essentials(
        file,
        3,
        'Order03',
        { fullName: 'Mixed Order Ltd' },
        { sbcId: 6, carrierUserPassword: 'pw#3', carrierMainLine: '+3222001003' },
      ),
    ]);
  });

  it('hand-duplicate-ref.xlsx: a cell written twice refuses its row, naming the cell', async () => {
    const file = 'hand-duplicate-ref.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([
      essentials(file, 2, 'Dup02', {}, { carrierUserPassword: 'only-secret' }),
      essentials(file, 4, 'Dup04', {}),
    ]);
    expect(issuesOf(loaded)).toEqual([[3, 'Carrier Password', 'error', 'duplicate-cell', 'I3']]);
    expect(loaded.issues[0]!.message).toContain('the file holds cell I3 twice');
    expect(loaded.issues[0]!.message).not.toMatch(/first-secret|second-secret/);
    expect(loaded.invalidRows).toEqual([{ file: at(file), sheet: 'Customers', row: 3 }]);
  });
});

describe('rows stored out of order are read where their references put them', () => {
  it('hand-rows-out-of-order.xlsx: rows 4, 2, 6, 3 keep their numbers; row 5 written twice is refused', async () => {
    const file = 'hand-rows-out-of-order.xlsx';
    const loaded = await load(file);
    // LibreOffice shows the same: each row at its own number (it keeps the second row 5; lpsync cannot tell).
    expect(loaded.rows.customers.map((c) => [c.origin.row, c.shortName])).toEqual([
      [4, 'Rows04'],
      [2, 'Rows02'],
      [6, 'Rows06'],
      [3, 'Rows03'],
    ]);
    expect(loaded.rows.customers[0]).toEqual(essentials(file, 4, 'Rows04', {}));
    expect(issuesOf(loaded)).toEqual([[5, undefined, 'error', 'duplicate-row', undefined]]);
    expect(loaded.issues[0]!.message).toContain('the file holds row 5 twice');
    expect(loaded.invalidRows).toEqual([{ file: at(file), sheet: 'Customers', row: 5 }]);
  });

  it('hand-rows-out-of-order-header-last.xlsx: rows below the header stored before it are read; the title above is not', async () => {
    const file = 'hand-rows-out-of-order-header-last.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([
      essentials(file, 4, 'Late04', {}),
      essentials(file, 3, 'Late03', {}),
    ]);
    expect(loaded.issues).toEqual([]);
  });
});

describe("only the cell's own style sets its number format (item 7)", () => {
  it("hand-dxf-numfmt.xlsx: a conditional format's dxf reusing id 164 leaves 0000000 in force", async () => {
    const file = 'hand-dxf-numfmt.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([
      essentials(file, 2, 'Dxf02', { lcCustomerId: '0001317' }, { carrierUserPassword: '0123456' }),
    ]);
    expect(issuesOf(loaded)).toEqual([[2, 'Carrier Password', 'warning', 'number-in-text-column', MASK]]);
  });
});
