/**
 * The results workbook as other programs read it: openpyxl (Python) without a warning, and LibreOffice
 * (`soffice --convert-to csv`), each finding the values lpsync wrote, hostile text included. Needs
 * /usr/bin/python3 with openpyxl and LibreOffice (`.ci/run` installs them): without them it fails, never skips.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResultsWorkbook } from '../../src/report/workbook.js';
import { libreOfficeConvert } from '../support/libreoffice.js';
import { FORMULA_LIKE, HOSTILE_READ, hostileInput } from '../support/results-input.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lpsync-results-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'hostile.results.xlsx');
const PLAIN = 20;

/** Every sheet's cells as openpyxl reads them (None as null); a warning of openpyxl's is an error. */
const OPENPYXL = `
import json, sys, warnings
warnings.simplefilter('error')
import openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in book.worksheets:
    out[ws.title] = {
        'rows': [[c.value for c in row] for row in ws.iter_rows()],
        'frozen': ws.freeze_panes,
        'filter': ws.auto_filter.ref,
        'titles': ws.print_title_rows,
        'orientation': ws.page_setup.orientation,
        'fit': [ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
                ws.page_setup.fitToWidth, ws.page_setup.fitToHeight],
        'footer': [ws.oddFooter.left.text, ws.oddFooter.right.text],
    }
json.dump({'creator': book.properties.creator, 'sheets': out}, sys.stdout)
`;

const input = hostileInput(PLAIN);
const fullNames = [
  HOSTILE_READ,
  ...FORMULA_LIKE,
  null,
  ...Array.from({ length: PLAIN }, (_, i) => `Plain customer ${i} `.repeat(3)),
];

beforeAll(async () => {
  await writeResultsWorkbook(path, input);
});

describe('the results workbook in other programs', () => {
  it('openpyxl reads it without a warning: the same sheets, values, panes, filter and print setup', async () => {
    const { stdout, stderr } = await run('/usr/bin/python3', ['-c', OPENPYXL, path], { maxBuffer: 64 << 20 });
    expect(stderr).toBe('');
    const read = JSON.parse(stdout) as {
      creator: string;
      sheets: Record<string, { rows: unknown[][]; [k: string]: unknown }>;
    };
    expect(read.creator).toBe('lpsync');
    expect(Object.keys(read.sheets)).toEqual(['Customers', 'Summary', 'Drift', 'Issues']);
    const customers = read.sheets.Customers!;
    expect(customers).toMatchObject({
      frozen: 'B2',
      filter: `A1:M${fullNames.length + 1}`,
      titles: '$1:$1',
      orientation: 'landscape',
      fit: [true, 1, 0],
      footer: ['&A', 'Page &P of &N'],
    });
    const header = customers.rows[0]!;
    const column = (name: string) => customers.rows.slice(1).map((r) => r[header.indexOf(name)]);
    fullNames.forEach((name, i) => name !== null && expect(column('Full Name')[i]).toBe(name));
    expect(column('SBC Id')).toEqual(fullNames.map((_, i) => i));
    expect(new Set(column('Carrier Password'))).toEqual(new Set(['***']));
    expect(read.sheets.Issues!.rows[1]![4]).toBe(HOSTILE_READ);
  });

  it('LibreOffice converts it to CSV with the same cell values', async () => {
    // Comma, double quote, UTF-8 (76), first line 1.
    await libreOfficeConvert(
      path,
      'csv:Text - txt - csv (StarCalc):44,34,76,1',
      dir,
      join(dir, 'lo-profile'),
    );
    const rows: string[][] = parse(readFileSync(join(dir, 'hostile.results.csv'), 'utf8'), {
      relax_column_count: true,
    });
    const header = rows[0]!;
    expect(header.slice(0, 4)).toEqual(['Short Name', 'Action', 'Status', 'Error']);
    const column = (name: string) => rows.slice(1).map((r) => r[header.indexOf(name)]);
    fullNames.forEach((name, i) => name !== null && expect(column('Full Name')[i]).toBe(name));
    expect(column('SBC Id')).toEqual(fullNames.map((_, i) => String(i)));
    expect(column('Status')).toContain('failed');
  }, 180_000);
});
