/**
 * Apply's CPU per action, as issue 26 measured it: `lpsync apply` of a workbook of N Create Essentials
 * Customer rows at --concurrency 64 (the whole process: start-up, reading, plan, the run, its report)
 * against a bare Node fetch loop sending the same N requests, 64 at a time (its whole process too).
 * Each is a child process; the simulator runs in a third, so neither's CPU includes it. CPU is user +
 * system of the child (all its threads), written at its exit by cpu-at-exit.js. Target: ≤ 1.5×.
 * Two more lines say where the difference lies: the same at 2N less N (what a further action costs,
 * each side's once-per-process cost taken out), and the run alone in this process, warm.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { createLivePlatformClient } from '../src/api/index.js';
import { applyPlan } from '../src/apply/scheduler.js';
import { normaliseApplySettings } from '../src/apply/settings.js';
import { silentLog } from '../src/model/log.js';
import { createRedactor } from '../src/model/redact.js';
import { planActions } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { openStateStore } from '../src/state/index.js';
import { sendBare, type BareRequest } from './bare-requests.js';
import { CUSTOMER_HEADERS, customerCells, workbookRows } from './data.js';
import { timed, type BenchLine } from './harness.js';

// Five each, alternating: with three, one busy moment on a shared 2-core machine moved the verdict at the line.
const RUNS = 5;
const CONCURRENCY = 64;
const DIST = resolve(import.meta.dirname, '..');
const MAIN = join(DIST, 'src', 'cli', 'main.js');
const here = (file: string) => join(DIST, 'bench', file);

/** An action's request, as the bare client sends it. */
function toBareRequest(action: Plan['actions'][number]): BareRequest {
  const { method, path, body } = action.request!;
  return { method, path, body };
}

/** Without SBC Configuration Type (only a Modify SIP Connection sets it), a create is one request. */
async function writeCreatesWorkbook(path: string, n: number): Promise<void> {
  const drop = CUSTOMER_HEADERS.indexOf('SBC Configuration Type');
  const keep = <T>(cells: readonly T[]) => cells.filter((_, i) => i !== drop);
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = writer.addWorksheet('Customers');
  sheet.addRow(keep(CUSTOMER_HEADERS)).commit();
  for (let i = 0; i < n; i++) sheet.addRow(keep(customerCells(i))).commit();
  sheet.commit();
  await writer.commit();
}

/** The requests the plan of those rows sends, for the bare client; the plan. */
function writeRequests(path: string, n: number): Plan {
  const customers = workbookRows(n).customers.map(({ site, ...c }) => {
    const { sbcConfigurationType: _modifyOnly, ...rest } = site;
    return { ...c, site: rest };
  });
  const plan = planActions(
    { customers, sites: [] },
    { services: [], sites: new Map() },
    {
      customers: new Map(),
      sites: new Map(),
    },
  );
  if (plan.actions.length !== n || plan.actions.some((a) => a.kind !== 'create-customer'))
    throw new Error('bench: expected one Create Essentials Customer per row');
  writeFileSync(path, JSON.stringify(plan.actions.map(toBareRequest)));
  return plan;
}

/**
 * The run alone, in this process and warm (the second and later runs): applyPlan through lpsync's client
 * with a state store on disk, against the same requests sent with Node's fetch from this process.
 * What an action costs once the process is up, without start-up, reading, planning and the report.
 */
async function inProcess(
  dir: string,
  url: string,
  plan: Plan,
): Promise<{ cpuMs: number; baselineCpuMs: number }> {
  // The run's redactor as lpsync apply builds it: every password the sheet holds.
  const redactor = createRedactor(
    workbookRows(plan.actions.length).customers.map((c) => c.site.carrierUserPassword),
  );
  const client = createLivePlatformClient({
    baseUrl: url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLog,
    redactor,
    concurrency: CONCURRENCY,
    timeoutMs: 30_000,
  });
  let stores = 0;
  const run = async () => {
    await reset(url);
    const store = openStateStore(join(dir, `in-process-${++stores}.db`));
    try {
      const result = await applyPlan({
        plan,
        client,
        store,
        runId: `bench-${stores}`,
        settings: normaliseApplySettings({ concurrency: CONCURRENCY }),
        redactor,
      });
      const failed = result.records.filter((r) => r.status !== 'succeeded');
      if (failed.length) throw new Error(`${failed.length} actions did not succeed: ${failed[0]!.error}`);
    } finally {
      store.close();
    }
  };
  const requests = plan.actions.map(toBareRequest);
  const bare = async () => {
    await reset(url);
    await sendBare(url, requests, CONCURRENCY);
  };
  try {
    await bare();
    await run();
    let cpuMs = Infinity;
    let baselineCpuMs = Infinity;
    for (let i = 0; i < RUNS; i++) {
      baselineCpuMs = Math.min(baselineCpuMs, (await timed(bare)).cpuMs);
      cpuMs = Math.min(cpuMs, (await timed(run)).cpuMs);
    }
    return { cpuMs, baselineCpuMs };
  } finally {
    client.close();
  }
}

/** CPU ms of one child process (node with the preload), which must exit 0. */
function cpuOf(dir: string, args: string[], env: Record<string, string>): number {
  const file = join(dir, 'cpu.json');
  writeFileSync(file, '');
  const child = spawnSync(process.execPath, ['--import', `file://${here('cpu-at-exit.js')}`, ...args], {
    env: { ...process.env, ...env, LPSYNC_BENCH_CPU_FILE: file },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (child.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr.slice(-1000)}`);
  const used = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.CpuUsage;
  return (used.user + used.system) / 1000;
}

const reset = (url: string) =>
  new Promise<void>((done, fail) => {
    const r = request(`${url}/_sim/reset`, { method: 'POST', agent: false }, (answer) => {
      answer.resume();
      answer.on('end', done);
    });
    r.on('error', fail);
    r.end();
  });

interface WholeProcess {
  subject: number;
  baseline: number;
  seen: string;
}

/** `lpsync apply` and the bare loop as processes of their own, alternating; the lowest CPU of each. */
async function wholeProcess(dir: string, url: string, n: number): Promise<WholeProcess> {
  const book = join(dir, `creates-${n}.xlsx`);
  const requests = join(dir, `creates-${n}.json`);
  await writeCreatesWorkbook(book, n);
  writeRequests(requests, n);
  const apply = [MAIN, 'apply', book, '--concurrency', String(CONCURRENCY)];
  const env = { LPSYNC_BASE_URL: url, LPSYNC_TOKEN: 'demo-token' };
  let subject = Infinity;
  let baseline = Infinity;
  const seen: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    await reset(url);
    const b = cpuOf(dir, [here('bare-fetch.js'), url, requests, String(CONCURRENCY)], {});
    await reset(url);
    const where = (ext: string) => join(dir, `apply-cpu-${n}-${i}.${ext}`);
    const s = cpuOf(dir, [...apply, '--state', where('db'), '--report', where('xlsx')], env);
    seen.push(`${s.toFixed(0)}/${b.toFixed(0)}`);
    baseline = Math.min(baseline, b);
    subject = Math.min(subject, s);
  }
  return { subject, baseline, seen: seen.join(', ') };
}

export async function benchApplyCpu(
  dir: string,
  n: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const sim = spawn(process.execPath, [here('simulator-process.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [chunk] = (await once(sim.stdout, 'data')) as [Buffer];
    const url = String(chunk).trim();
    const node = cpuOf(dir, ['-e', '0'], {});
    const one = await wholeProcess(dir, url, n);
    log(`  apply-cpu: ${n} creates at c=${CONCURRENCY}, CPU ms lpsync/bare per run: ${one.seen}`);
    // Twice as many: the difference is what the further actions cost, without what a process costs once.
    const two = await wholeProcess(dir, url, 2 * n);
    log(`  apply-cpu: ${2 * n} creates, CPU ms lpsync/bare per run: ${two.seen}`);
    const warm = await inProcess(dir, url, writeRequests(join(dir, 'in-process.json'), n));
    const perAction = (ms: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
    return [
      {
        bench: 'apply-cpu',
        case: `lpsync apply ${n} creates c=${CONCURRENCY}, CPU`,
        n,
        ms: one.subject,
        baselineMs: one.baseline,
        target: { ratio: 1.5 },
        note:
          `CPU ms of the whole process (start-up, read, plan, run, report) vs a bare Node fetch loop's whole process, ` +
          `lowest of ${RUNS} each; node -e 0 costs ${node.toFixed(0)} ms`,
      },
      {
        bench: 'apply-cpu',
        case: `  the further ${n} of ${2 * n}, CPU`,
        n,
        ms: two.subject - one.subject,
        baselineMs: two.baseline - one.baseline,
        note:
          `CPU of ${2 * n} creates less that of ${n}, each process whole: ${perAction(two.subject - one.subject)} an action vs ` +
          `${perAction(two.baseline - one.baseline)}; what lpsync costs once per run is then ${(one.subject - (two.subject - one.subject)).toFixed(0)} ms, the bare loop ${(one.baseline - (two.baseline - one.baseline)).toFixed(0)} ms`,
      },
      {
        bench: 'apply-cpu',
        case: `  the run alone, in process, warm, CPU`,
        n,
        ms: warm.cpuMs,
        baselineMs: warm.baselineCpuMs,
        note: `CPU ms of applyPlan (lpsync's client, journal and audit chain on disk) vs Node's fetch sending the same requests from the same process, lowest of ${RUNS} each after a warm-up`,
      },
    ];
  } finally {
    sim.kill('SIGTERM');
  }
}
