/**
 * Merged ranges at scale (issue 21, item 8): thousands of merges still each refuse exactly the rows they
 * cover. The small cases on real writers' files are in reader-sheets.test.ts.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { ESSENTIALS_HEADERS, tempDir } from './helpers.js';

describe('merged ranges still refuse the rows they cover (item 8)', () => {
  it('2,000 merges over 4,000 rows: each refuses exactly the rows it covers', async () => {
    const path = join(await tempDir(), 'merges.xlsx');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Customers');
    ws.addRow([...ESSENTIALS_HEADERS, 'Full Name']);
    for (let i = 0; i < 4000; i++) ws.addRow(['Essentials', `Mrg${i}`, 5, 7, 700, `Name ${i}`]);
    // Full Name (F) merged over rows 2-3, 6-7, 10-11 …: every other pair of rows.
    const merged: number[] = [];
    for (let first = 2; first + 1 <= 4001; first += 4) {
      ws.mergeCells(`F${first}:F${first + 1}`);
      merged.push(first, first + 1);
    }
    await book.xlsx.writeFile(path);
    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.issues.filter((i) => i.rule === 'merged-cells')).toHaveLength(1000);
    expect(loaded.invalidRows.map((o) => o.row).sort((a, b) => a - b)).toEqual(merged);
    expect(loaded.rows.customers).toHaveLength(2000);
    const byRow = new Map(loaded.rows.customers.map((c) => [c.origin.row, c.fullName]));
    expect(byRow.get(4)).toBe('Name 2');
    expect(byRow.get(5)).toBe('Name 3');
    expect(byRow.has(2) || byRow.has(3)).toBe(false);
  });
});
