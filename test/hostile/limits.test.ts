/**
 * The read limits (src/input/limits.ts), each with a small limit so the test is quick; the
 * hostile corpus (corpus.test.ts) runs the defaults on real monsters. Every refusal names the
 * file, the sheet or part, and what to do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { RunError } from '../../src/model/errors.js';
import { ESSENTIALS_HEADERS, essentialsRow, tempDir, writeText, writeXlsx } from '../input/helpers.js';

async function refusal(promise: Promise<unknown>): Promise<RunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunError);
  expect((error as RunError).hint).toBeTruthy();
  return error as RunError;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => essentialsRow(`Cap${i}`));

describe('read limits', () => {
  it('rows: a sheet past the cap is refused naming the sheet and the cap', async () => {
    const path = await writeXlsx(join(await tempDir(), 'rows.xlsx'), [
      { name: 'Customers', rows: [ESSENTIALS_HEADERS, ...rows(30)] },
    ]);
    const ok = await loadWorkbook({ kind: 'xlsx', path }, { limits: { maxRows: 31 } });
    expect(ok.rows.customers).toHaveLength(30);
    const error = await refusal(loadWorkbook({ kind: 'xlsx', path }, { limits: { maxRows: 20 } }));
    expect(error.message).toBe(
      `${path}: sheet "Customers" has more than 20 rows with values; lpsync reads at most 20 rows per sheet`,
    );
    const csv = await writeText(
      join(await tempDir(), 'rows.csv'),
      [ESSENTIALS_HEADERS.join(','), ...rows(30).map((r) => r.join(','))].join('\n'),
    );
    const csvError = await refusal(
      loadWorkbook({ kind: 'csv', customers: csv }, { limits: { maxRows: 20 } }),
    );
    expect(csvError.message).toContain('rows.csv: has more than 20 rows with values');
  });

  it('columns: a value right of the last column read is refused naming the cell', async () => {
    const wide = [...essentialsRow('Wide1')];
    wide[40] = 'far right';
    const path = await writeXlsx(join(await tempDir(), 'wide.xlsx'), [
      { name: 'Customers', rows: [ESSENTIALS_HEADERS, wide] },
    ]);
    const error = await refusal(loadWorkbook({ kind: 'xlsx', path }, { limits: { maxColumns: 30 } }));
    expect(error.message).toContain('sheet "Customers" has a value in cell AO2, right of column AD');
    const csv = await writeText(
      join(await tempDir(), 'wide.csv'),
      `${ESSENTIALS_HEADERS.join(',')}\n${wide.join(',')}\n`,
    );
    const csvError = await refusal(
      loadWorkbook({ kind: 'csv', customers: csv }, { limits: { maxColumns: 30 } }),
    );
    expect(csvError.message).toContain('line 2 has a value in column 31 or further right');
  });

  it('a part that inflates past the bound is refused before it is read, naming the part', async () => {
    const dir = await tempDir();
    const path = await writeXlsx(join(dir, 'bomb.xlsx'), [{ name: 'Customers', rows: [ESSENTIALS_HEADERS] }]);
    // Pad the sheet with 2 MB of blank rows: it compresses far more than 100 times.
    const zip = await JSZip.loadAsync(await readFile(path));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const padded = sheet.replace('</sheetData>', `${'<row/>'.repeat(350_000)}</sheetData>`);
    zip.file('xl/worksheets/sheet1.xml', padded);
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const byRatio = await refusal(
      loadWorkbook({ kind: 'xlsx', path }, { limits: { ratioFloorBytes: 1024 * 1024 } }),
    );
    expect(byRatio.message).toMatch(/the part xl\/worksheets\/sheet1\.xml would inflate to 2 MB \(\d+ times/);
    const bySize = await refusal(
      loadWorkbook({ kind: 'xlsx', path }, { limits: { maxPartBytes: 1024 * 1024 } }),
    );
    expect(bySize.message).toContain('lpsync reads parts of at most 1 MB');
    expect(bySize.hint).toContain('zip bomb');
  });

  it('a cell of more text than Excel allows is refused before it is held', async () => {
    const path = await writeXlsx(
      join(await tempDir(), 'long.xlsx'),
      [
        {
          name: 'Customers',
          rows: [
            [...ESSENTIALS_HEADERS, 'Full Name'],
            [...essentialsRow('Long1'), 'x'.repeat(20_000)],
          ],
        },
      ],
      { sharedStrings: false },
    );
    const error = await refusal(loadWorkbook({ kind: 'xlsx', path }, { limits: { maxCellChars: 500 } }));
    expect(error.message).toContain('sheet "Customers" (xl/worksheets/sheet1.xml) holds a text of more than');
  });

  it('a CSV with mixed line endings (CRLF, then LF) reads every row', async () => {
    const lines = [ESSENTIALS_HEADERS.join(','), ...rows(5).map((r) => r.join(','))];
    const text = `${lines.slice(0, 3).join('\r\n')}\r\n${lines.slice(3).join('\n')}\n`;
    const path = await writeText(join(await tempDir(), 'mixed.csv'), text);
    const loaded = await loadWorkbook({ kind: 'csv', customers: path });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers.map((c) => [c.shortName, c.origin.row])).toEqual(
      rows(5).map((r, i) => [r[1], i + 2]),
    );
  });
});
