/**
 * Reading: `loadWorkbook` (stream, bind headers, validate every row, cross-row rules, keep the
 * raw text for the report) against exceljs's streaming `WorkbookReader` alone on the same file.
 * Memory: heap retained after gc while the result is held, per row, at two sizes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { loadWorkbook } from '../src/input/index.js';
import type { LoadedWorkbook } from '../src/input/index.js';
import { CUSTOMER_HEADERS, customerCells, SITE_HEADERS, siteCells, writeInputWorkbook } from './data.js';
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

/** The same rows as two CSV files (--customers, --sites), as Excel's "CSV UTF-8" writes them. */
export async function writeInputCsv(dir: string, n: number): Promise<{ customers: string; sites: string }> {
  const quote = (v: string | number | boolean) => {
    const text = String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const write = async (
    path: string,
    header: readonly string[],
    row: (i: number) => Array<string | number | boolean>,
  ) => {
    const out = createWriteStream(path);
    out.write(`${header.join(',')}\n`);
    for (let i = 0; i < n; i++) if (!out.write(`${row(i).map(quote).join(',')}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    return path;
  };
  return {
    customers: await write(join(dir, `read-${n}-customers.csv`), CUSTOMER_HEADERS, customerCells),
    sites: await write(join(dir, `read-${n}-sites.csv`), SITE_HEADERS, siteCells),
  };
}

/** The CSV baseline: every record of both files through csv-parse alone, no validation. */
export async function parseCsvFiles(files: string[]): Promise<number> {
  let fields = 0;
  for (const file of files)
    for await (const record of createReadStream(file).pipe(parse({ relax_column_count: true })))
      fields += (record as string[]).length;
  return fields;
}

/**
 * The floor of any reader that hands rows on for a report: csv-parse, every cell tidied, and a
 * copy of each row's text kept under its header (what loadWorkbook keeps for the results workbook).
 */
async function keepCsvRows(files: string[]): Promise<number> {
  const kept: Array<Record<string, string>> = [];
  for (const file of files) {
    let header: string[] | undefined;
    for await (const record of createReadStream(file).pipe(parse({ relax_column_count: true }))) {
      const cells = (record as string[]).map((v) => v.trim());
      if (!header) {
        header = cells;
        continue;
      }
      const values: Record<string, string> = {};
      cells.forEach((v, i) => {
        if (v !== '') values[header![i] ?? String(i)] = v;
      });
      kept.push(values);
    }
  }
  return kept.length;
}

/** Characters of the rows' own text (what any reader that keeps the rows must hold). */
function rawTextChars(loaded: LoadedWorkbook): number {
  let chars = 0;
  for (const sheet of loaded.sheets)
    for (const row of sheet.rows) for (const v of Object.values(row.values)) chars += v.length;
  return chars;
}

/** Ends the bench unless the generated rows were all read back, every one valid. */
export function check(loaded: LoadedWorkbook, customers: number): void {
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
      ...(n === customers ? { target: { ratio: 1.3 } } : {}),
      bench: 'read',
      case: `loadWorkbook ${rows.toLocaleString('en-US')} rows`,
      n: rows,
      ms: f.ms,
      baselineMs: f.baselineMs,
      note:
        `${perSecond(rows, f.ms)} vs ${perSecond(rows, f.baselineMs)}; ` +
        `retained ${heapGrowth(f.retained)} = ${bytesPerRow} B/row (row text ${Math.round(f.textChars / rows)} chars), ` +
        `${flatPerRow} B/row as flat copies; peak ${heapGrowth(f.peak)} vs ${heapGrowth(f.basePeak)} ` +
        // The baseline holds no rows; loadWorkbook returns them all, so its peak includes that floor.
        `(${(f.peak / f.basePeak).toFixed(2)}×; of it ${heapGrowth(f.retained)} is the result it returns, ${heapGrowth(f.peak - f.retained)} transient: ${((f.peak - f.retained) / f.basePeak).toFixed(2)}× the baseline's)`,
    });
  }
  log(`  read: heap retained per row: ${perRow.join(', ')}`);

  // CSV: the same rows as two files, loadWorkbook against a bare csv-parse pass.
  const csv = await writeInputCsv(dir, customers);
  await parseCsvFiles([csv.customers, csv.sites]);
  const csvBase = await timed(() => parseCsvFiles([csv.customers, csv.sites]));
  const csvKeep = await timed(() => keepCsvRows([csv.customers, csv.sites]));
  const csvRun = await timed(() => loadWorkbook({ kind: 'csv', ...csv }));
  check(csvRun.value, customers);
  lines.push({
    target: { ratio: 2 },
    bench: 'read',
    case: `loadWorkbook CSV ${(2 * customers).toLocaleString('en-US')} rows`,
    n: 2 * customers,
    ms: csvRun.ms,
    baselineMs: csvBase.ms,
    note:
      `${perSecond(2 * customers, csvRun.ms)} vs ${perSecond(2 * customers, csvBase.ms)} (csv-parse alone; target ≤ 2×). ` +
      `csv-parse alone ${csvBase.ms.toFixed(0)} ms, and with each row's text kept under its header ${csvKeep.ms.toFixed(0)} ms ` +
      `(${(csvKeep.ms / csvBase.ms).toFixed(2)}×). lpsync splits the usual CSV text itself (csv-parse reads only files with odd quotes), ` +
      `so most of its time is binding, checking and typing ~19 cells a row, cross-row keys and the gc of what the result keeps`,
  });
  return lines;
}
