/**
 * Applying: `applyPlan` through the real client against an in-process simulator on a loopback
 * port, against the same requests sent with the bare client under p-limit (no journal, no
 * ordering, no read-back). The ratio is the executor's overhead: SQLite journal writes
 * (synchronous = FULL), applied-record upserts, the per-customer serialiser and events.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { createLivePlatformClient, type LivePlatformClient } from '../src/api/index.js';
import type { WriteResult } from '../src/api/types.js';
import { applyPlan } from '../src/apply/scheduler.js';
import { normaliseApplySettings } from '../src/apply/settings.js';
import { silentLogger } from '../src/cli/logging.js';
import { createRedactor, type Redactor } from '../src/model/redact.js';
import type { WorkbookRows } from '../src/model/types.js';
import { planActions, readObservedState } from '../src/plan/index.js';
import { openStateStore, type StateStore } from '../src/state/index.js';
import type { Plan, PlannedAction } from '../src/plan/types.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.js';
import { workbookRows } from './data.js';
import { best, perItemDifference, perSecond, type BenchLine } from './harness.js';

const CONCURRENCIES = [1, 4, 8] as const;

const EMPTY_APPLIED = { customers: new Map(), sites: new Map() };

/** The baseline: each action's request(s) with the bare client, `concurrency` at a time. */
async function sendBare(client: LivePlatformClient, plan: Plan, concurrency: number): Promise<number> {
  const limit = pLimit(concurrency);
  const ok = (r: WriteResult<unknown>) => {
    if (r.kind !== 'ok') throw new Error(`baseline request failed: ${r.error.message}`);
  };
  const send = async (action: PlannedAction): Promise<void> => {
    switch (action.kind) {
      case 'create-customer':
        return ok(await client.createCustomer(action.request.body));
      case 'modify-site':
        return ok(
          await client.modifySite(action.request.customerGuid, action.request.siteGuid, action.request.body),
        );
      default:
        throw new Error(`the bench sends no ${action.kind}`);
    }
  };
  await Promise.all(plan.actions.map((a) => limit(() => send(a))));
  return plan.actions.length;
}

interface Rig {
  sim: RunningSimulator;
  client: LivePlatformClient;
  redactor: Redactor;
  dir: string;
  stores: number;
}

/** Runs the executor; returns when its first request left (after journaling every action as pending). */
async function runExecutor(
  rig: Rig,
  plan: Plan,
  concurrency: number,
  store: StateStore,
  redactor: Redactor = rig.redactor,
): Promise<number> {
  const started = process.hrtime.bigint();
  let firstSendMs = -1;
  const result = await applyPlan({
    plan,
    client: rig.client,
    store,
    runId: `bench-${rig.stores}`,
    settings: normaliseApplySettings({ concurrency }),
    redactor,
    onEvent: (event) => {
      if (event.type === 'action-start' && firstSendMs < 0)
        firstSendMs = Number(process.hrtime.bigint() - started) / 1e6;
    },
  });
  const bad = result.records.filter((r) => r.status !== 'succeeded');
  if (bad.length)
    throw new Error(`executor: ${bad.length} actions did not succeed (first: ${bad[0]!.error})`);
  return firstSendMs;
}

/** A fresh state store file per run (as a new run in an existing store would append to it). */
function freshStore(rig: Rig): StateStore {
  rig.stores += 1;
  return openStateStore(join(rig.dir, `state-${rig.stores}.db`));
}

/**
 * `actions` per run; `sheetSecrets` is how many passwords a full-size sheet gives the run's
 * redactor (one extra case runs with that many, as `lpsync apply` on such a sheet would).
 */
export async function benchApply(
  dir: string,
  actions: number,
  sheetSecrets: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const sim = await startSimulator({ port: 0, seed: 1 });
  // Without an SBC configuration type, which only a Modify SIP Connection sets, a create is one request.
  const customers = workbookRows(actions).customers.map(({ site, ...c }) => {
    const { sbcConfigurationType: _modifyOnly, ...rest } = site;
    return { ...c, site: rest };
  });
  const rows: WorkbookRows = { customers, sites: [] };
  const redactor = createRedactor(rows.customers.map((c) => c.site.carrierUserPassword));
  const client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor,
    concurrency: Math.max(...CONCURRENCIES),
    timeoutMs: 10_000,
  });
  const rig: Rig = { sim, client, redactor, dir, stores: 0 };
  log(`  apply: ${actions} actions per run against the simulator at ${sim.url}, best of 2 runs each`);
  const lines: BenchLine[] = [];
  try {
    // Creates: the simulator is emptied before every run so each run creates the same N customers.
    const creates = planActions(rows, { services: [], sites: new Map() }, EMPTY_APPLIED);
    if (creates.actions.some((a) => a.kind !== 'create-customer' || a.followUp))
      throw new Error('bench: expected one Create Essentials Customer per row and no follow-up');
    const fresh = () => sim.reset();

    // Warm-up: sockets, token, JIT.
    fresh();
    await sendBare(client, creates, 4);
    fresh();
    await runExecutor(rig, creates, 4, freshStore(rig));

    for (const concurrency of CONCURRENCIES) {
      const base = await best(2, async () => (fresh(), sendBare(client, creates, concurrency)));
      const subject = await best(2, async () => {
        fresh();
        const store = freshStore(rig);
        try {
          return await runExecutor(rig, creates, concurrency, store);
        } finally {
          store.close();
        }
      });
      lines.push(line('create-customer', actions, concurrency, subject.ms, base.ms, subject.value));
    }

    // Modifies: the N customers exist; the sheet changes each primary site's CAC profile.
    fresh();
    await sendBare(client, creates, 8);
    const changed: WorkbookRows = {
      customers: rows.customers.map((c) => ({ ...c, site: { ...c.site, cacProfile: '5 sessions' } })),
      sites: [],
    };
    const observed = await readObservedState(client, changed, 8);
    const modifies = planActions(changed, observed, EMPTY_APPLIED);
    if (modifies.actions.some((a) => a.kind !== 'modify-site'))
      throw new Error(`bench: expected only modify-site, got ${JSON.stringify(modifies.counts)}`);
    for (const concurrency of CONCURRENCIES) {
      const base = await best(2, () => sendBare(client, modifies, concurrency));
      const subject = await best(2, async () => {
        const store = freshStore(rig);
        try {
          return await runExecutor(rig, modifies, concurrency, store);
        } finally {
          store.close();
        }
      });
      const measured = line('modify-site', actions, concurrency, subject.ms, base.ms, subject.value);
      // Target: at c=1 with the journal on disk, at most 1 ms more per action than the bare client (ratio unbounded).
      lines.push(concurrency === 1 ? { ...measured, target: { ratio: Infinity, perItemMs: 1 } } : measured);
    }

    // Where the overhead goes: the same run with the state store in memory (no fsync).
    const base = await best(2, () => sendBare(client, modifies, 4));
    const memory = await best(2, async () => {
      const store = openStateStore(':memory:');
      try {
        return await runExecutor(rig, modifies, 4, store);
      } finally {
        store.close();
      }
    });
    lines.push({
      ...line('modify-site', actions, 4, memory.ms, base.ms, memory.value),
      case: 'modify-site c=4, store :memory:',
    });

    // The run's redactor as `lpsync apply` builds it for a full-size sheet: every password it read.
    const big = createRedactor(
      Array.from({ length: sheetSecrets }, (_, i) => `Pw!${String(i).padStart(6, '0')}-secret`),
    );
    // In memory, like the line above, so that disk noise does not hide the redaction cost.
    const secretsRun = await best(1, async () => {
      const store = openStateStore(':memory:');
      try {
        return await runExecutor(rig, modifies, 4, store, big);
      } finally {
        store.close();
      }
    });
    lines.push({
      ...line('modify-site', actions, 4, secretsRun.ms, base.ms, secretsRun.value),
      case: `modify-site c=4, :memory:, ${sheetSecrets.toLocaleString('en-US')} secrets`,
    });
  } finally {
    client.close();
    await sim.close();
  }
  return lines;
}

function line(
  kind: string,
  n: number,
  concurrency: number,
  ms: number,
  baselineMs: number,
  firstSendMs: number,
): BenchLine {
  return {
    bench: 'apply',
    case: `${kind} c=${concurrency}`,
    n,
    ms,
    baselineMs,
    note:
      `${perSecond(n, ms)} vs ${perSecond(n, baselineMs)}; ${perItemDifference(ms, baselineMs, n, 'action')}; ` +
      (firstSendMs < 0 ? 'no action-start event seen' : `first request after ${firstSendMs.toFixed(0)} ms`),
  };
}
