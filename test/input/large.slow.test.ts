import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { tempDir } from './helpers.js';

const ROWS = 10_000;

describe('a large workbook', () => {
  it('is read row by row: every row, the right numbers, each bad row reported', async () => {
    const path = join(await tempDir(), 'large.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const customers = writer.addWorksheet('Customers');
    customers
      .addRow([
        'License',
        'Short Name',
        'SBC Id',
        'SBC Onboarding Script',
        'SBC Cleanup Script',
        'Carrier Password',
      ])
      .commit();
    for (let i = 0; i < ROWS; i++) {
      // Every 1000th row has a fractional SBC id.
      customers
        .addRow(['Essentials', `Cust${i}`, i % 1000 === 999 ? 5.5 : 5, 7, 700, `Pw-${i}-secret`])
        .commit();
    }
    customers.commit();
    const sites = writer.addWorksheet('SipConnections');
    sites.addRow(['Customer Short Name', 'Site Name', 'Phones']).commit();
    for (let i = 0; i < ROWS; i++)
      sites.addRow([`Cust${i}`, `Branch${i}`, `+3222${String(i).padStart(6, '0')}`]).commit();
    sites.commit();
    await writer.commit();

    const loaded = await loadWorkbook({ kind: 'xlsx', path });
    expect(loaded.sheets.map((s) => s.rows.length)).toEqual([ROWS, ROWS]);
    expect(loaded.rows.customers).toHaveLength(ROWS - ROWS / 1000);
    expect(loaded.rows.sites).toHaveLength(ROWS);
    expect(loaded.issues).toHaveLength(ROWS / 1000);
    expect(loaded.issues[0]).toMatchObject({
      sheet: 'Customers',
      row: 1001,
      column: 'SBC Id',
      rule: 'integer',
    });
    expect(loaded.rows.sites.at(-1)!.origin.row).toBe(ROWS + 1);
    expect(loaded.secrets).toHaveLength(ROWS);
  });
});
