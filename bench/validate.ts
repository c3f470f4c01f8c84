/**
 * Validating, in CPU seconds (user + system of this process, all its threads): `loadWorkbook` of
 * N + N rows against the floor of any JavaScript reader, unzipping the parts it reads and running a
 * SAX parser over them (no cell kept); the same rows as two CSV files against csv-parse alone.
 * Issue 26's targets: ≤ 2× each. The best of three runs each, the runs interleaved.
 */
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import { loadWorkbook } from '../src/input/index.js';
import { writeInputWorkbook } from './data.js';
import { timed, type BenchLine } from './harness.js';
import { check, parseCsvFiles, writeInputCsv } from './read.js';

const RUNS = 3;
/** The parts lpsync's reader opens: the workbook, its styles and shared strings, the worksheets. */
const PARTS = /^xl\/(worksheets\/sheet\d+|sharedStrings|styles|workbook)\.xml$/;

/** The baseline: every part lpsync reads, inflated and through saxes, one count per tag and text. */
export async function unzipAndSax(path: string): Promise<number> {
  const zip = await yauzl.openPromise(path, { autoClose: false });
  let events = 0;
  try {
    const entries: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) if (PARTS.test(entry.fileName)) entries.push(entry);
    for (const entry of entries) {
      const parser = new SaxesParser();
      parser.on('opentag', () => events++);
      parser.on('text', () => events++);
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of await zip.openReadStreamPromise(entry))
        parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      parser.close();
    }
  } finally {
    zip.close();
  }
  return events;
}

/** The lowest CPU time of `RUNS` runs of each, alternating (the machine's other work then blurs both alike). */
async function lowestCpu(subject: () => Promise<unknown>, baseline: () => Promise<unknown>) {
  let s = Infinity;
  let b = Infinity;
  for (let i = 0; i < RUNS; i++) {
    b = Math.min(b, (await timed(baseline)).cpuMs);
    s = Math.min(s, (await timed(subject)).cpuMs);
  }
  return { cpuMs: s, baselineCpuMs: b };
}

export async function benchValidate(
  dir: string,
  customers: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const rows = 2 * customers;
  const xlsx = join(dir, `validate-${customers}.xlsx`);
  await writeInputWorkbook(xlsx, customers);
  const csv = await writeInputCsv(dir, customers);
  const files = [csv.customers, csv.sites];
  // Warm-up: JIT and module loading are not what is measured.
  await unzipAndSax(xlsx);
  check(await loadWorkbook({ kind: 'xlsx', path: xlsx }), customers);
  await parseCsvFiles(files);
  check(await loadWorkbook({ kind: 'csv', ...csv }), customers);
  log(
    `  validate: ${rows.toLocaleString('en-US')} rows, CPU time (user + system), lowest of ${RUNS} runs each`,
  );

  const load = async (source: Parameters<typeof loadWorkbook>[0]) =>
    check(await loadWorkbook(source), customers);
  const x = await lowestCpu(
    () => load({ kind: 'xlsx', path: xlsx }),
    () => unzipAndSax(xlsx),
  );
  const c = await lowestCpu(
    () => load({ kind: 'csv', ...csv }),
    () => parseCsvFiles(files),
  );
  const lineOf = (what: string, m: typeof x, baseline: string): BenchLine => ({
    bench: 'validate',
    case: `${what} ${rows.toLocaleString('en-US')} rows, CPU`,
    n: rows,
    ms: m.cpuMs,
    baselineMs: m.baselineCpuMs,
    target: { ratio: 2 },
    note: `CPU ms: loadWorkbook (read, bind, validate every row, cross-row rules) vs ${baseline}; ${(((m.cpuMs - m.baselineCpuMs) / rows) * 1000).toFixed(1)} µs of CPU a row over it`,
  });
  return [
    lineOf('.xlsx', x, 'inflating the parts it reads and a bare saxes pass over them'),
    lineOf('CSV', c, 'csv-parse alone'),
  ];
}
