/**
 * Merged cells at scale: a Customers sheet of 20,000 rows with 50,000 ranges merged down two rows
 * (five optional columns of every pair of rows), against the same rows without merges. While the
 * rows a range covers were found by a walk over every row per range (merges × rows) this took
 * 14.6 s (105 s on the issue's larger sheet); found by binary search over the rows in order, the
 * target is under 2 s.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { loadWorkbook } from '../src/input/index.js';
import { CUSTOMER_HEADERS, customerCells } from './data.js';
import { timed, type BenchLine } from './harness.js';

const ROWS = 20_000;
/** Full Name, MS Tenant Id, CAC Profile, Proxy Set, Carrier Host Name: merging them adds no "required" errors. */
const MERGED_COLUMNS = ['C', 'D', 'J', 'K', 'P'];

async function writeRows(path: string): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const ws = writer.addWorksheet('Customers');
  ws.addRow([...CUSTOMER_HEADERS]).commit();
  for (let i = 0; i < ROWS; i++) ws.addRow(customerCells(i)).commit();
  ws.commit();
  await writer.commit();
}

/**
 * The same workbook with the ranges added to its sheet's XML (exceljs's mergeCells checks each new
 * range against all the others: writing 50,000 of them would take longer than reading them).
 */
async function addMerges(from: string, to: string): Promise<number> {
  const zip = await JSZip.loadAsync(await readFile(from));
  const part = 'xl/worksheets/sheet1.xml';
  const refs: string[] = [];
  for (let first = 2; first < ROWS + 2; first += 2)
    for (const column of MERGED_COLUMNS) refs.push(`${column}${first}:${column}${first + 1}`);
  const cells = refs.map((ref) => `<mergeCell ref="${ref}"/>`).join('');
  const xml = (await zip.file(part)!.async('string')).replace(
    '</sheetData>',
    `</sheetData><mergeCells count="${refs.length}">${cells}</mergeCells>`,
  );
  zip.file(part, xml);
  await writeFile(to, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return refs.length;
}

export async function benchMerges(dir: string, log: (line: string) => void): Promise<BenchLine[]> {
  const plain = join(dir, 'merges-none.xlsx');
  const path = join(dir, 'merges-50k.xlsx');
  await writeRows(plain);
  const merges = await addMerges(plain, path);
  log(`  merges: ${ROWS.toLocaleString('en-US')} rows, ${merges.toLocaleString('en-US')} merged ranges`);
  await loadWorkbook({ kind: 'xlsx', path: plain }); // warm-up
  const base = await timed(() => loadWorkbook({ kind: 'xlsx', path: plain }));
  const run = await timed(() => loadWorkbook({ kind: 'xlsx', path }));
  const { invalidRows, issues } = run.value;
  if (invalidRows.length !== ROWS || !issues.some((i) => i.rule === 'merged-cells'))
    throw new Error(`merges bench: ${invalidRows.length} of ${ROWS} rows refused, expected all`);
  return [
    {
      target: { ratio: Number.POSITIVE_INFINITY, ms: 2_000 },
      bench: 'read',
      case: `loadWorkbook ${merges.toLocaleString('en-US')} merged ranges`,
      n: merges,
      ms: run.ms,
      baselineMs: base.ms,
      // Before: a walk over every row per range, 14.6 s here at 20,000 rows (105 s in the issue's larger sheet).
      note: `${ROWS.toLocaleString('en-US')} rows, each covered by a merge and refused; baseline: the same rows unmerged`,
    },
  ];
}
