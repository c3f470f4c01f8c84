/**
 * Reading: `loadWorkbook` (stream, bind headers, validate every row, cross-row rules, keep the
 * raw text for the report) against exceljs's streaming `WorkbookReader` alone on the same file.
 * Memory: heap retained after gc while the result is held, per row, at two sizes.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadWorkbook } from '../src/input/index.js';
import type { LoadedWorkbook } from '../src/input/index.js';
import { writeInputWorkbook } from './data.js';
import { heapAfterGc, heapGrowth, perSecond, timed, withPeakHeap, type BenchLine } from './harness.js';

interface StreamRow {
  eachCell(options: { includeEmpty: boolean }, fn: (cell: { value: unknown }) => void): void;
}

/** The baseline: every row of every sheet through the same reader options `readXlsx` uses, no validation. */
export async function iterateWorkbook(path: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let cells = 0;
  for await (const worksheet of reader) {
    for await (const row of worksheet as unknown as AsyncIterable<StreamRow>) {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.value !== null) cells += 1;
      });
    }
  }
  return cells;
}

/** Characters of the rows' own text (what any reader that keeps the rows must hold). */
function rawTextChars(loaded: LoadedWorkbook): number {
  let chars = 0;
  for (const sheet of loaded.sheets)
    for (const row of sheet.rows) for (const v of Object.values(row.values)) chars += v.length;
  return chars;
}

function check(loaded: LoadedWorkbook, customers: number): void {
  const { rows, issues } = loaded;
  if (rows.customers.length !== customers || rows.sites.length !== customers || issues.length)
    throw new Error(
      `bench workbook did not validate cleanly: ${rows.customers.length} customers, ${rows.sites.length} sites, ${issues.length} issues (first: ${issues[0]?.message ?? '-'})`,
    );
}

interface ReadFigures {
  ms: number;
  baselineMs: number;
  /** Heap held by the result after gc, and by a flat copy of it (the original dropped). */
  retained: number;
  flatRetained: number;
  textChars: number;
  peak: number;
  basePeak: number;
}

/** One size, in its own frame so nothing of it is still reachable when the next size is measured. */
async function measure(path: string, customers: number): Promise<ReadFigures> {
  const before = await heapAfterGc();
  const base = await timed(() => withPeakHeap(() => iterateWorkbook(path)));
  const baselineMs = base.ms;
  const basePeak = base.value.peak - before;

  const start = await heapAfterGc();
  const subject = await timed(() => withPeakHeap(() => loadWorkbook({ kind: 'xlsx', path })));
  const { ms } = subject;
  const peak = subject.value.peak - start;
  // Held in one place only, so that dropping it below really lets it go.
  const held: { loaded: LoadedWorkbook | null } = { loaded: subject.value.value };
  subject.value.value = null as unknown as LoadedWorkbook;
  check(held.loaded!, customers);
  // Retained while the caller still holds the result: what the rest of the run carries.
  const retained = (await heapAfterGc()) - start;
  const textChars = rawTextChars(held.loaded!);
  // The same result with every string copied flat: what the values cost without holding on
  // to the reader's text chunks they are sliced from.
  const flat = structuredClone(held.loaded!);
  held.loaded = null;
  const flatRetained = (await heapAfterGc()) - start;
  check(flat, customers); // (and holds `flat` until measured)
  return { ms, baselineMs, retained, flatRetained, textChars, peak, basePeak };
}

export async function benchRead(
  dir: string,
  customers: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  // Warm-up on a small file: JIT and module loading are not what is measured.
  const warm = join(dir, 'read-warm.xlsx');
  await writeInputWorkbook(warm, 2_000);
  await iterateWorkbook(warm);
  check(await loadWorkbook({ kind: 'xlsx', path: warm }), 2_000);

  const lines: BenchLine[] = [];
  const perRow: string[] = [];
  for (const n of [Math.max(1, Math.round(customers / 4)), customers]) {
    const path = join(dir, `read-${n}.xlsx`);
    const made = await timed(() => writeInputWorkbook(path, n));
    const rows = 2 * n;
    log(`  read: generated ${rows.toLocaleString('en-US')} rows in ${made.ms.toFixed(0)} ms`);
    const f = await measure(path, n);
    const bytesPerRow = Math.round(f.retained / rows);
    const flatPerRow = Math.round(f.flatRetained / rows);
    perRow.push(
      f.retained > 0
        ? `${bytesPerRow} B (${flatPerRow} B flat) at ${rows.toLocaleString('en-US')} rows`
        : `none measurable at ${rows.toLocaleString('en-US')} rows`,
    );
    lines.push({
      bench: 'read',
      case: `loadWorkbook ${rows.toLocaleString('en-US')} rows`,
      n: rows,
      ms: f.ms,
      baselineMs: f.baselineMs,
      note:
        `${perSecond(rows, f.ms)} vs ${perSecond(rows, f.baselineMs)}; ` +
        `retained ${heapGrowth(f.retained)}${f.retained > 0 ? ` = ${bytesPerRow} B/row` : ''} (row text ${Math.round(f.textChars / rows)} chars), ` +
        `${f.flatRetained > 0 ? `${flatPerRow} B/row` : heapGrowth(f.flatRetained)} as flat copies; peak ${heapGrowth(f.peak)} vs ${heapGrowth(f.basePeak)}`,
    });
  }
  log(`  read: heap retained per row: ${perRow.join(', ')}`);
  return lines;
}
