import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { onTestFinished } from 'vitest';

/**
 * A fresh temp folder, removed after the test. (Not a module-level afterEach: unit files share one module
 * cache, so such a hook would only be registered in the first file of a worker.)
 */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpsync-input-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface SheetSpec {
  name: string;
  /** Rows from row 1 (or from `startRow`); `null` leaves a cell empty, `undefined` entries too. */
  rows: unknown[][];
  startRow?: number;
  /** Number formats by cell address, e.g. { C2: 'yyyy-mm-dd' }. */
  numFmt?: Record<string, string>;
}

/** Writes a real .xlsx with exceljs (cells keep their kind: numbers, booleans, dates, formulas, rich text…). */
export async function writeXlsx(
  path: string,
  sheets: SheetSpec[],
  options: { sharedStrings?: boolean } = {},
) {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name);
    spec.rows.forEach((row, r) =>
      row.forEach((value, c) => {
        if (value === null || value === undefined) return;
        ws.getCell((spec.startRow ?? 1) + r, c + 1).value = value as ExcelJS.CellValue;
      }),
    );
    for (const [address, fmt] of Object.entries(spec.numFmt ?? {})) ws.getCell(address).numFmt = fmt;
  }
  if (options.sharedStrings === false) {
    await new Promise<void>((resolve, reject) => {
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
      for (const spec of sheets) {
        const ws = writer.addWorksheet(spec.name);
        for (const row of spec.rows) ws.addRow(row).commit();
        ws.commit();
      }
      writer.commit().then(resolve, reject);
    });
    return path;
  }
  await workbook.xlsx.writeFile(path);
  return path;
}

/** Writes a text file (CSV) as given. */
export async function writeText(path: string, content: string | Buffer): Promise<string> {
  await writeFile(path, content);
  return path;
}

/** Essentials columns every valid customer row needs. */
export const ESSENTIALS_HEADERS = [
  'License',
  'Short Name',
  'SBC Id',
  'SBC Onboarding Script',
  'SBC Cleanup Script',
];
export const essentialsRow = (shortName: string): unknown[] => ['Essentials', shortName, 5, 7, 700];
