/**
 * Writing: `writeResultsWorkbook` (input rows as they were + result columns, redaction, status
 * fills, frozen header, auto-filter, Summary/Drift/Issues sheets, write-then-rename) against a
 * bare exceljs streaming write of the same cells with no styling.
 * A second series holds the run's secrets in the redactor, as `lpsync apply` does.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createRedactor, MASK, type Redactor } from '../src/model/redact.js';
import {
  originKey,
  type ReportSheet,
  type ResultsWorkbookInput,
  type RowResult,
  type RunSummary,
} from '../src/report/types.js';
import { RESULT_COLUMNS, writeResultsWorkbook } from '../src/report/workbook.js';
import { CUSTOMER_HEADERS, customerCells, shortNameOf } from './data.js';
import {
  best,
  duration,
  heapAfterGc,
  heapGrowth,
  perSecond,
  timed,
  withPeakHeap,
  type BenchLine,
} from './harness.js';

const SECRET_COLUMN = CUSTOMER_HEADERS.indexOf('Carrier Password');

/** The report's input for `rows` customer rows, each created by this run. */
export function reportInput(rows: number, redactor: Redactor): ResultsWorkbookInput {
  const sheet: ReportSheet = {
    file: 'bench.xlsx',
    sheet: 'Customers',
    headers: [...CUSTOMER_HEADERS],
    rows: [],
  };
  const results = new Map<string, RowResult>();
  for (let i = 0; i < rows; i++) {
    const cells = customerCells(i);
    const values: Record<string, string> = {};
    CUSTOMER_HEADERS.forEach((h, c) => (values[h] = String(cells[c])));
    const origin = { file: 'bench.xlsx', sheet: 'Customers', row: i + 2 };
    sheet.rows.push({ origin, values });
    results.set(originKey(origin), resultOf(i));
  }
  const summary: RunSummary = {
    runId: 'bench',
    command: 'apply',
    dryRun: false,
    startedAt: '2026-11-27T02:15:00.000Z',
    endedAt: '2026-11-27T02:45:00.000Z',
    lpsyncVersion: '0.1.0',
    baseUrl: 'http://127.0.0.1:8080/tenantui',
    inputFiles: [{ file: 'bench.xlsx', sha256: '0'.repeat(64) }],
    rows,
    byStatus: { succeeded: rows },
    byAction: { 'create-customer': rows },
    byActionStatus: { 'create-customer': { succeeded: rows } },
    drift: 0,
    scope: { mode: 'upsert', only: [], limit: null },
    plan: null,
    stoppedBy: null,
    fatalError: null,
    resumeCommand: null,
    reportPath: null,
  };
  return { sheets: [sheet], results, summary, drift: [], issues: [], redactor };
}

function resultOf(i: number): RowResult {
  const guid = `0000000${i % 10}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    action: 'create-customer',
    status: 'succeeded',
    customerGuid: guid,
    siteGuid: guid,
    deploymentState: 'Deployed',
    messages: [`service "${shortNameOf(i)}" not found on the Live Platform`],
    error: null,
    attempts: 1,
    durationMs: 180 + (i % 70),
  };
}

/** The baseline: the same cell values (secret column masked), exceljs defaults, no styles, no redaction pass. */
export async function bareWrite(
  path: string,
  input: ResultsWorkbookInput,
  sharedStrings = false,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: sharedStrings,
  });
  for (const sheet of input.sheets) {
    const ws = workbook.addWorksheet(sheet.sheet);
    ws.addRow([...sheet.headers, ...RESULT_COLUMNS]).commit();
    for (const row of sheet.rows) {
      const r = input.results.get(originKey(row.origin))!;
      const values: Array<string | number | null> = sheet.headers.map((h, i) =>
        i === SECRET_COLUMN ? MASK : (row.values[h] ?? null),
      );
      values.push(
        r.action,
        r.status,
        r.customerGuid,
        r.siteGuid,
        r.deploymentState,
        r.messages.join('\n'),
        r.error,
        r.attempts,
        r.durationMs,
      );
      ws.addRow(values).commit();
    }
    ws.commit();
  }
  await workbook.commit();
}

/** Differences in cost per row below this share are noise on a shared machine, not growth. */
const GROWTH_NOISE = 0.15;

export async function benchWrite(
  dir: string,
  rows: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const out = (name: string) => join(dir, `${name}.xlsx`);
  // Warm-up.
  const warm = reportInput(1_000, createRedactor());
  await bareWrite(out('warm-bare'), warm);
  await writeResultsWorkbook(out('warm'), warm);

  const lines: BenchLine[] = [];
  // The main line: a redactor with patterns only (no run secrets), so the cost is the writer's own.
  const input = reportInput(rows, createRedactor());
  const before = await heapAfterGc();
  const base = await timed(() => withPeakHeap(() => bareWrite(out('bare'), input)));
  const basePeak = base.value.peak - before;
  const start = await heapAfterGc();
  const subject = await timed(() => withPeakHeap(() => writeResultsWorkbook(out('results'), input)));
  lines.push({
    bench: 'write',
    case: `results workbook ${rows.toLocaleString('en-US')} rows`,
    n: rows,
    ms: subject.ms,
    baselineMs: base.ms,
    note: `${perSecond(rows, subject.ms)} vs ${perSecond(rows, base.ms)}; peak heap ${heapGrowth(subject.value.peak - start)} vs ${heapGrowth(basePeak)}; redactor without run secrets`,
    // Target: within 1.5× a bare streaming write of the same cells.
    target: { ratio: 1.5 },
  });

  // Where the time goes: the same bare write with the shared-strings table the report uses.
  const sharedStart = await heapAfterGc();
  const shared = await timed(() => withPeakHeap(() => bareWrite(out('bare-shared'), input, true)));
  lines.push({
    bench: 'write',
    case: `  bare + useSharedStrings ${rows.toLocaleString('en-US')}`,
    n: rows,
    ms: shared.ms,
    baselineMs: base.ms,
    note: `exceljs's shared-strings table alone (the report writes inline strings); peak heap ${heapGrowth(shared.value.peak - sharedStart)}`,
  });

  // With the run's secrets: `lpsync apply` gives the redactor every password it read.
  const sizes = [1_000, 2_000, 4_000];
  const points: Array<{ n: number; perRowMs: number }> = [];
  for (const n of sizes) {
    const plain = reportInput(n, createRedactor());
    const secrets = plain.sheets[0]!.rows.map((r) => r.values['Carrier Password']);
    const withSecrets = { ...plain, redactor: createRedactor(secrets) };
    const b = await best(2, () => bareWrite(out(`bare-${n}`), plain));
    const s = await best(1, () => writeResultsWorkbook(out(`secrets-${n}`), withSecrets));
    points.push({ n, perRowMs: s.ms / n });
    lines.push({
      bench: 'write',
      case: `results ${n.toLocaleString('en-US')} rows, ${n.toLocaleString('en-US')} secrets`,
      n,
      ms: s.ms,
      baselineMs: b.ms,
      note: `${(s.ms / n).toFixed(3)} ms/row`,
    });
  }
  // The cause, measured directly: one `redactor.text` call with as many secrets as the full-size run has.
  const secrets = Array.from({ length: rows }, (_, i) => customerCells(i)[SECRET_COLUMN] as string);
  const runRedactor = createRedactor(secrets);
  const message = `service "${shortNameOf(rows - 1)}" not found on the Live Platform`;
  const perCallUs = async (redactor: Redactor): Promise<number> => {
    const calls = 200;
    const call = await timed(() => {
      for (let i = 0; i < calls; i++) redactor.text(`${message} ${i}`);
    });
    return (call.ms * 1000) / calls;
  };
  const withAll = await perCallUs(runRedactor);
  const without = await perCallUs(createRedactor());
  log(
    `  write: redactor.text of one result message: ${withAll.toFixed(1)} µs with ${rows.toLocaleString('en-US')} known secrets, ` +
      `${without.toFixed(1)} µs with none (the executor and the logger call it for every message too)`,
  );

  // Does the cost per row grow with the number of secrets? Measured at the sizes above; the full
  // size with as many secrets is not run, only estimated from them (and printed as an estimate).
  const first = points[0]!;
  const last = points.at(-1)!;
  const measured = points.map((p) => `${(p.perRowMs * 1000).toFixed(0)} µs`).join(' → ');
  const grows = last.perRowMs > first.perRowMs * (1 + GROWTH_NOISE);
  const slope = grows ? (last.perRowMs - first.perRowMs) / (last.n - first.n) : 0;
  const estimateMs = rows * (last.perRowMs + slope * (rows - last.n));
  log(
    `  write: per row with as many secrets as rows (${points.map((p) => p.n.toLocaleString('en-US')).join(' / ')}): ${measured}, ` +
      (grows
        ? `growing ${(slope * 1e6).toFixed(2)} µs per 1 000 secrets`
        : `no growth beyond ${(GROWTH_NOISE * 100).toFixed(0)}% (noise)`) +
      `; estimate, not run: ${rows.toLocaleString('en-US')} rows with ${rows.toLocaleString('en-US')} secrets ≈ ${duration(estimateMs)}`,
  );
  return lines;
}
