/**
 * The conformance corpus (test/fixtures/writers/): the same content written by openpyxl,
 * XlsxWriter (shared and inline strings), LibreOffice (a round trip and a CSV import) and by
 * hand in each way a writer may differ. Every file must load to the rows of the CSV twins,
 * or be refused with a message that says why.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook, type LoadedWorkbook } from '../../src/input/index.js';

const DIR = resolve(import.meta.dirname, '..', 'fixtures', 'writers');
const at = (name: string) => join(DIR, name);

/** The valid rows without the file they came from, so files can be compared. */
function rowsOf(loaded: LoadedWorkbook) {
  const strip = <T extends { origin: { file: string } }>(rows: T[]) =>
    rows.map((r) => ({ ...r, origin: { ...r.origin, file: '' } }));
  return { customers: strip(loaded.rows.customers), sites: strip(loaded.rows.sites) };
}

const READ_AS_WRITTEN = [
  'openpyxl.xlsx',
  'xlsxwriter-shared.xlsx',
  'xlsxwriter-inline.xlsx',
  'libreoffice-roundtrip.xlsx',
  'hand-plain.xlsx',
  'hand-prefixed.xlsx',
  'hand-late-parts.xlsx',
  'hand-no-r.xlsx',
  'hand-part-names.xlsx',
  'hand-absolute-targets.xlsx',
  'hand-inline-rich.xlsx',
  'hand-str-formulas.xlsx',
  'hand-phonetic.xlsx',
  'hand-escapes.xlsx',
];

describe('workbooks from every writer read as their author meant', async () => {
  const expected = await loadWorkbook({
    kind: 'csv',
    customers: at('customers.csv'),
    sites: at('sip-connections.csv'),
  });

  it('the CSV twins hold the content, read exactly', () => {
    expect(expected.issues).toEqual([]);
    const [brad, contoso] = expected.rows.customers;
    expect(brad).toMatchObject({
      shortName: 'BradSB1E1',
      fullName: '北海道電力',
      site: { sbcId: 5, carrierUserPassword: 'P&amp;ss<1', carrierMainLine: '+3222001000' },
    });
    expect(contoso).toMatchObject({ shortName: 'Contoso01', fullName: 'Contoso & Co <Ltd>' });
    expect(expected.rows.sites[0]!.site).toMatchObject({ phones: ['+3222001001', '+3222001002'] });
  });

  it('every file of the corpus is tested', () => {
    const refused = ['libreoffice-csv-import.xlsx', ...Object.keys(REFUSED)];
    const files = readdirSync(DIR).filter((f) => f.endsWith('.xlsx'));
    expect(files.sort()).toEqual([...READ_AS_WRITTEN, ...refused].sort());
  });

  for (const name of READ_AS_WRITTEN)
    it(`${name}: the same rows, no issue`, async () => {
      const loaded = await loadWorkbook({ kind: 'xlsx', path: at(name) });
      // hand-late-parts.xlsx holds the main line as a number formatted "+"0: read as shown, with a warning.
      const warned =
        name === 'hand-late-parts.xlsx' ? [[2, 'Carrier Main Line', 'number-in-text-column']] : [];
      expect(loaded.issues.map((i) => [i.row, i.column, i.rule])).toEqual(warned);
      expect(rowsOf(loaded)).toEqual(rowsOf(expected));
      expect(loaded.sheets.map((s) => s.rows.length)).toEqual([2, 2]);
    });

  it("LibreOffice's CSV import turned the Carrier Main Line into a number: refused, not sent without its +", async () => {
    const loaded = await loadWorkbook({ kind: 'xlsx', path: at('libreoffice-csv-import.xlsx') });
    expect(loaded.issues.map((i) => [i.sheet, i.row, i.column, i.rule, i.value])).toEqual([
      ['Customers', 2, 'Carrier Main Line', 'number-in-phone-column', '3222001000'],
    ]);
    expect(loaded.issues[0]!.message).toContain('format the cell as Text');
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Contoso01']);
  });
});

const REFUSED: Record<string, { rule?: string; value?: string; message: string | RegExp }> = {
  // openpyxl and Google Sheets write dates as ISO text cells.
  'hand-iso-date.xlsx': {
    rule: 'date-not-allowed',
    value: '2026-03-01',
    message: 'a date is not valid here',
  },
  // A 1904-system workbook: serial 43538 is 2023-03-15 there (2019-03-14 in the 1900 system).
  'hand-date1904.xlsx': {
    rule: 'date-not-allowed',
    value: '2023-03-15',
    message: 'a date is not valid here',
  },
  'hand-shared-out-of-range.xlsx': {
    message:
      'sheet "Customers" cell C3 points at shared text 999, but the workbook holds only 29: the file is damaged',
  },
  'hand-two-customers.xlsx': {
    message:
      'the sheets "Customers" and "customers " are both read as Customers; lpsync reads one sheet of each kind and does not merge them',
  },
};

describe('what the corpus holds that no field takes is refused, saying why', () => {
  for (const [name, want] of Object.entries(REFUSED))
    it(name, async () => {
      const outcome = await loadWorkbook({ kind: 'xlsx', path: at(name) }).then(
        (loaded) => loaded,
        (error: unknown) => error as Error,
      );
      if (want.rule) {
        const loaded = outcome as LoadedWorkbook;
        expect(loaded.issues.map((i) => [i.row, i.column, i.rule, i.value])).toEqual([
          [2, 'SBC Id', want.rule, want.value],
        ]);
        expect(loaded.issues[0]!.message).toContain(want.message);
      } else {
        expect(outcome).toBeInstanceOf(Error);
        expect((outcome as Error).message).toContain(name);
        expect((outcome as Error).message).toContain(want.message);
      }
    });
});
