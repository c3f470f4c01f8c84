/**
 * Concurrency: the pace bench (auto on both kinds of platform, and following a capacity schedule), then
 * fixed 4, 8, 16 and 32 on the queueing platform beside auto; and, without a capacity limit, c=8 with the
 * journal on disk against the same run with the store in memory (what the journal costs at 40 actions/s),
 * beside the raw cost of one durable journal entry.
 */
import { join } from 'node:path';
import { normaliseConcurrency } from '../src/api/concurrency-setting.js';
import type { ActionRecord } from '../src/model/action-record.js';
import { describeConcurrency } from '../src/report/concurrency.js';
import { openStateStore } from '../src/state/index.js';
import {
  achieved,
  CAPACITY,
  capacityRate,
  creates,
  LATENCY_MS,
  pct,
  runCase,
  share,
  type CaseResult,
} from './concurrency-case.js';
import type { BenchLine } from './harness.js';
import { benchPace, paceSimulator, type PaceSizes } from './pace.js';

const FIXED = [4, 8, 16, 32] as const;
/**
 * The fixed settings that are not the likely best (8, under the capacity of 10) run a quarter of the
 * actions: their pace is steady within seconds, and at 2,000 actions each took about two minutes.
 * They are compared by time per action.
 */
const FULL_RUN = new Set<number>([8]);
const SHORT_SHARE = 4;

/** The pace lines only (`BENCH_ONLY=pace`), or with the fixed settings and the journal (`concurrency`). */
export async function benchConcurrency(
  dir: string,
  sizes: PaceSizes,
  log: (line: string) => void,
  { paceOnly }: { paceOnly: boolean },
): Promise<BenchLine[]> {
  const sim = await paceSimulator();
  let stores = 0;
  const store = () => join(dir, `concurrency-${(stores += 1)}.db`);
  log(
    `  ${sizes.queued} creates per run (${sizes.immediate} on the platform that throttles at once), ${LATENCY_MS} ms latency, ` +
      `capacity ${CAPACITY} (${capacityRate(CAPACITY)} requests/s), journal on disk`,
  );
  try {
    const pace = await benchPace(sim, sizes, store, log);
    if (paceOnly) return pace.lines;
    const fixed = await fixedLines(sim, sizes.queued, pace.auto.queue, store, log);
    return [...pace.lines, ...fixed, ...(await journalLines(sim, sizes.queued, store))];
  } finally {
    await sim.close();
  }
}

/** Fixed settings at capacity 10 on the queueing platform, and auto against the best of them. */
async function fixedLines(
  sim: Awaited<ReturnType<typeof paceSimulator>>,
  actions: number,
  auto: CaseResult,
  store: () => string,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const plan = creates(actions);
  const shortPlan = creates(Math.max(50, Math.round(actions / SHORT_SHARE)));
  log(`  fixed settings: c=8 ${actions} creates, c=4, 16, 32: ${shortPlan.actions.length}`);
  const results = new Map<number, CaseResult>();
  for (const c of FIXED) {
    const setting = normaliseConcurrency({ concurrency: c });
    const r = await runCase(sim, FULL_RUN.has(c) ? plan : shortPlan, setting, store());
    results.set(c, r);
    log(
      `  ${c}: ${(r.ms / 1000).toFixed(1)} s, ${describeConcurrency(r.report)}, ${r.failed} not succeeded, event loop delay p99 ${r.lagP99.toFixed(0)} ms`,
    );
  }
  const best = FIXED.map((c) => ({ c, r: results.get(c)! })).reduce((a, b) =>
    achieved(b.r) > achieved(a.r) ? b : a,
  );
  const line = (name: string, r: CaseResult): BenchLine => ({
    bench: 'concurrency',
    case: `queueing, capacity 10, ${name === 'auto' ? 'auto vs the best fixed' : name}`,
    n: r.n,
    ms: r.ms,
    // The best fixed setting's time for as many actions, at its time per action.
    baselineMs: (best.r.ms / best.r.n) * r.n,
    // Target: auto within 10% of the best fixed setting's rate.
    ...(name === 'auto' ? { target: { ratio: 1 / 0.9 } } : {}),
    note:
      `${achieved(r).toFixed(2)} of capacity; ${pct(share(r.report.throttled, r.report.requests))} throttled; ` +
      `limit ${r.report.lowest}→${r.report.highest}${r.failed ? `; ${r.failed} failed` : ''}; loop delay p99 ${r.lagP99.toFixed(0)} ms; baseline: best fixed, c=${best.c}`,
  });
  return [line('auto', auto), ...FIXED.map((c) => line(`c=${c}`, results.get(c)!))];
}

/** No capacity limit, c=8: the journal on disk against the store in memory; one journal entry's cost. */
async function journalLines(
  sim: Awaited<ReturnType<typeof paceSimulator>>,
  actions: number,
  store: () => string,
): Promise<BenchLine[]> {
  sim.setFaults({ capacity: 0 });
  // Half the actions: the two runs differ by the journal alone, and 1,000 actions at 40/s show it.
  const plan = creates(Math.max(100, Math.round(actions / 2)));
  const fixed8 = normaliseConcurrency({ concurrency: 8 });
  const disk = await runCase(sim, plan, fixed8, store());
  const memory = await runCase(sim, plan, fixed8, ':memory:');
  const ideal = (8 * 1000) / LATENCY_MS;
  const diskRate = (disk.succeeded * 1000) / disk.ms;
  const entry = journalEntryCost(store());
  return [
    {
      bench: 'concurrency',
      case: 'no capacity, c=8, journal on disk',
      n: disk.n,
      ms: disk.ms,
      baselineMs: memory.ms,
      target: {
        ratio: Infinity,
        checks: [{ what: '≥ 0.95 of 8/0.2 s', met: diskRate / ideal >= 0.95 }],
      },
      note: `${diskRate.toFixed(1)} actions/s = ${(diskRate / ideal).toFixed(2)} of 8/0.2 s; CPU ${(disk.cpuMs / disk.succeeded).toFixed(1)} ms/action (simulator included); loop delay p99 ${disk.lagP99.toFixed(0)} ms; baseline: the same with the store in memory (${((memory.succeeded * 1000) / memory.ms).toFixed(1)}/s)`,
    },
    {
      bench: 'concurrency',
      case: 'one journal entry, own transaction',
      n: entry.n,
      ms: entry.eachMs * entry.n,
      baselineMs: entry.groupedMs * entry.n,
      note: `${(entry.eachMs * 1000).toFixed(0)} µs per durable entry (synchronous = FULL) vs ${(entry.groupedMs * 1000).toFixed(0)} µs in groups of 8; at 40 actions/s (2 entries each) ${((80 * entry.eachMs) / 10).toFixed(1)}% of a second`,
    },
  ];
}

/** Milliseconds per durable journal entry, each in its own transaction, and in groups of 8. */
function journalEntryCost(path: string): { n: number; eachMs: number; groupedMs: number } {
  const store = openStateStore(path);
  const n = 400;
  const record = (i: number): ActionRecord => ({
    runId: 'cost',
    actionId: `customer:Cust${i % 50}`,
    kind: 'create-customer',
    rows: [{ file: 'book.xlsx', sheet: 'Customers', row: i + 2 }],
    customerShortName: `Cust${i % 50}`,
    siteName: null,
    status: 'in-flight',
    customerGuid: null,
    siteGuid: null,
    deploymentState: null,
    taskId: null,
    sentTwice: false,
    attempts: 1,
    messages: [],
    error: null,
    startedAt: new Date(0).toISOString(),
    endedAt: null,
    durationMs: 0,
  });
  try {
    let t = performance.now();
    for (let i = 0; i < n; i++) store.putJournal(record(i));
    const eachMs = (performance.now() - t) / n;
    t = performance.now();
    for (let i = 0; i < n; i += 8) store.putJournal(Array.from({ length: 8 }, (_, k) => record(i + k)));
    const groupedMs = (performance.now() - t) / n;
    return { n, eachMs, groupedMs };
  } finally {
    store.close();
  }
}
