/**
 * Issue 21, items 5 and 8, on real files (test/fixtures/writers/reader-cases/, made by
 * make_reader_cases.py) read through loadWorkbook: hidden sheets and rows said, a table's totals
 * row skipped, merged ranges still refusing the rows they cover, other formats named.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook, type LoadedWorkbook } from '../../src/input/index.js';
import { RunError } from '../../src/model/errors.js';
import { planActions, renderPlan } from '../../src/plan/index.js';

const DIR = resolve(import.meta.dirname, '..', 'fixtures', 'writers', 'reader-cases');
const at = (name: string) => join(DIR, name);
const load = (name: string) => loadWorkbook({ kind: 'xlsx', path: at(name) });

/** The rows the fixtures write: customers_rows(prefix) in make_reader_cases.py. */
function written(file: string, prefix: string, row: number, site: Record<string, unknown> = {}) {
  const short = `${prefix}${String(row).padStart(2, '0')}`;
  return {
    kind: 'customer',
    origin: { file: at(file), sheet: 'Customers', row },
    license: 'Essentials',
    shortName: short,
    fullName: `${prefix} Ltd ${row}`,
    siteName: short,
    site: {
      customVariables: {},
      sbcId: 5,
      sbcOnboardingScript: 7,
      sbcCleanupScript: 700,
      carrierUserName: `user${row}`,
      carrierUserPassword: `pw-${row}!`,
      ...site,
    },
  };
}

const issuesOf = (loaded: LoadedWorkbook) =>
  loaded.issues.map((i) => [i.sheet, i.row ?? null, i.column ?? null, i.severity, i.rule]);

async function refusal(name: string): Promise<RunError> {
  const error = await load(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunError);
  return error as RunError;
}

describe('hidden sheets are never read without saying so (item 5a)', () => {
  it('openpyxl-hidden-customers.xlsx: the only Customers sheet is hidden: read, with a file-level warning', async () => {
    const file = 'openpyxl-hidden-customers.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([written(file, 'Hdn', 2), written(file, 'Hdn', 3)]);
    expect(issuesOf(loaded)).toEqual([['Customers', null, null, 'warning', 'hidden-sheet']]);
    expect(loaded.issues[0]!.message).toContain('sheet "Customers" is hidden');
  });

  it('openpyxl-veryhidden-twin.xlsx: a very hidden Customers and a visible "Customers (new)": refused, naming both', async () => {
    const error = await refusal('openpyxl-veryhidden-twin.xlsx');
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('two sheets could be the Customers sheet');
    expect(error.message).toContain('"Customers" (very hidden)');
    expect(error.message).toContain('the visible "Customers (new)"');
    expect(error.message).toContain('nothing was read');
    expect(error.hint).toContain('VBA editor');
  });
});

describe('hidden and filtered rows are read, and said by row (item 5b)', () => {
  it('openpyxl-hidden-rows.xlsx: a row hidden by hand', async () => {
    const file = 'openpyxl-hidden-rows.xlsx';
    const loaded = await load(file);
    expect(loaded.rows.customers).toEqual([2, 3, 4].map((r) => written(file, 'Hid', r)));
    expect(issuesOf(loaded)).toEqual([['Customers', 3, null, 'warning', 'hidden-row']]);
    expect(loaded.issues[0]!.message).toMatch(/^row 3 is hidden in Excel; /);
    expect(loaded.hiddenRows).toEqual([{ file: at(file), sheet: 'Customers', row: 3 }]);
  });

  it('xlsxwriter-autofilter.xlsx: rows the AutoFilter filters out, and one hidden below it', async () => {
    const file = 'xlsxwriter-autofilter.xlsx';
    const loaded = await load(file);
    const kept = (r: number) => ({ ...written(file, 'Flt', r), fullName: `keep Flt Ltd ${r}` });
    expect(loaded.rows.customers).toEqual([
      kept(2),
      written(file, 'Flt', 3),
      kept(4),
      written(file, 'Flt', 5),
      kept(6),
      kept(7),
      kept(8),
    ]);
    expect(loaded.issues.map((i) => [i.row, i.rule, i.message.split(';')[0]])).toEqual([
      [3, 'hidden-row', 'row 3 is hidden in Excel (filtered out by the AutoFilter)'],
      [5, 'hidden-row', 'row 5 is hidden in Excel (filtered out by the AutoFilter)'],
      [8, 'hidden-row', 'row 8 is hidden in Excel'],
    ]);
    expect(loaded.hiddenRows.map((o) => o.row)).toEqual([3, 5, 8]);
  });

  it('the plan says how many hidden rows it includes', async () => {
    const loaded = await load('xlsxwriter-autofilter.xlsx');
    const plan = planActions(
      loaded.rows,
      { services: [], sites: new Map() },
      {
        customers: new Map(),
        sites: new Map(),
      },
    );
    const lines = renderPlan(plan, { hiddenRows: loaded.hiddenRows }).split('\n');
    expect(lines[0]).toMatch(/^Plan: 7 to create/);
    expect(lines[1]).toBe(
      'Includes 3 rows hidden in Excel (hidden or filtered out): Customers row 3, Customers row 5, Customers row 8',
    );
    // Without hidden rows, no such line.
    expect(renderPlan(plan).split('\n')[1]).toBe('');
  });
});

describe("an Excel table's totals row is not data (item 5c)", () => {
  it('xlsxwriter-table-totals.xlsx: the three rows, not the Total row below them', async () => {
    const file = 'xlsxwriter-table-totals.xlsx';
    const loaded = await load(file);
    expect(loaded.issues).toEqual([]);
    const row = (r: number) => {
      const { carrierUserName: _, carrierUserPassword: __, ...site } = written(file, 'Tbl', r).site;
      return { ...written(file, 'Tbl', r), site };
    };
    expect(loaded.rows.customers).toEqual([row(2), row(3), row(4)]);
    expect(loaded.sheets[0]!.rows.map((r) => r.origin.row)).toEqual([2, 3, 4]);
  });
});

describe('merged ranges still refuse the rows they cover (item 8)', () => {
  it('openpyxl-merges.xlsx: F3:F5 merged down refuses rows 3-5; G6:H6 across one row keeps only G6', async () => {
    const file = 'openpyxl-merges.xlsx';
    const loaded = await load(file);
    const { carrierUserName: _, ...site6 } = written(file, 'Mrg', 6).site;
    expect(loaded.rows.customers).toEqual([
      written(file, 'Mrg', 2),
      { ...written(file, 'Mrg', 6), site: site6 },
    ]);
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 3, 'SBC Cleanup Script', 'error', 'merged-cells'],
      ['Customers', 4, 'SBC Cleanup Script', 'error', 'required'],
      ['Customers', 5, 'SBC Cleanup Script', 'error', 'required'],
    ]);
    expect(loaded.invalidRows.map((o) => o.row).sort()).toEqual([3, 4, 5]);
  });
});

describe('a file named .xlsx that is another format is refused, naming it (item 5d)', () => {
  const cases: Array<[string, string, string]> = [
    ['hand-xlsb.xlsx', 'an Excel Binary Workbook (.xlsb)', 'File › Save As › Excel Workbook (.xlsx)'],
    ['libreoffice-ods.xlsx', 'an OpenDocument spreadsheet (.ods)', 'Excel 2007-365'],
    ['hand-numbers.xlsx', 'an Apple Numbers document', 'File › Export To › Excel'],
    [
      'hand-spreadsheetml-2003.xlsx',
      'an XML Spreadsheet 2003 (SpreadsheetML) file',
      'Excel Workbook (.xlsx)',
    ],
    ['libreoffice-html.xlsx', 'a web page (HTML)', 'File › Save As › Excel Workbook (.xlsx)'],
    ['pandas-html.xlsx', 'a web page (HTML)', 'File › Save As › Excel Workbook (.xlsx)'],
    ['libreoffice-xls.xlsx', 'an Excel 97-2003 workbook (.xls)', 'File › Save As › Excel Workbook (.xlsx)'],
  ];
  for (const [name, format, how] of cases)
    it(name, async () => {
      const error = await refusal(name);
      expect(error.code).toBe('unreadable-input');
      expect(error.message).toMatch(new RegExp(`^${at(name)}: not a readable .xlsx workbook: it is `));
      expect(error.message).toContain(`it is ${format} named .xlsx`);
      expect(error.hint).toContain(how);
    });
});
