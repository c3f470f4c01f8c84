/**
 * One apply run against the in-process simulator, as the pace and concurrency benches make it: `applyPlan`
 * through the real client (a fresh budget) and a state store, sampled every 250 ms; and what is read from it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLivePlatformClient, type LivePlatformClient } from '../src/api/index.js';
import type { ConcurrencyReport } from '../src/api/concurrency.js';
import {
  concurrencyCeiling,
  concurrencyOptions,
  type ConcurrencySetting,
} from '../src/api/concurrency-setting.js';
import { applyPlan } from '../src/apply/scheduler.js';
import { normaliseApplySettings } from '../src/apply/settings.js';
import { silentLogger } from '../src/cli/logging.js';
import type { ActionRecord } from '../src/model/action-record.js';
import { createRedactor } from '../src/model/redact.js';
import { planActions } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import type { RunningSimulator } from '../src/simulator/index.js';
import { openStateStore } from '../src/state/index.js';
import { workbookRows } from './data.js';
import { timed } from './harness.js';

export const LATENCY_MS = 200;
export const CAPACITY = 10;
/** Requests per second the platform can serve: capacity / latency. */
export const capacityRate = (capacity: number) => (capacity * 1000) / LATENCY_MS;

export interface CaseResult {
  /** Actions in the plan. */
  n: number;
  ms: number;
  succeeded: number;
  failed: number;
  report: ConcurrencyReport;
  /** CPU time of the process meanwhile (client, journal and simulator alike). */
  cpuMs: number;
  /** The event loop's delay, 99th percentile (ms): how busy the machine kept this process. */
  lagP99: number;
  /** Actions ended, throttled answers, limit: sampled every 250 ms from the start. */
  samples: Array<{ atMs: number; ended: number; throttled: number; limit: number }>;
}

const EMPTY_APPLIED = { customers: new Map(), sites: new Map() };

function clientFor(sim: RunningSimulator, setting: ConcurrencySetting): LivePlatformClient {
  return createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    ...concurrencyOptions(setting),
    timeoutMs: 30_000,
  });
}

/** One apply of `plan` on an emptied simulator, with a fresh client (a fresh budget) and state store. */
export async function runCase(
  sim: RunningSimulator,
  plan: Plan,
  setting: ConcurrencySetting,
  storePath: string,
): Promise<CaseResult> {
  sim.reset();
  const client = clientFor(sim, setting);
  const store = openStateStore(storePath);
  let ended = 0;
  const samples: CaseResult['samples'] = [];
  const started = performance.now();
  const sample = (): void => {
    const r = client.concurrency.report();
    samples.push({ atMs: performance.now() - started, ended, throttled: r.throttled, limit: r.final });
  };
  const sampler = setInterval(sample, 250);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  try {
    const run = await timed(() =>
      applyPlan({
        plan,
        client,
        store,
        runId: 'bench',
        settings: normaliseApplySettings({ concurrency: concurrencyCeiling(setting) }),
        redactor: createRedactor(),
        onEvent: (e) => {
          if (e.type === 'action-end') ended += 1;
        },
      }),
    );
    sample();
    const records: ActionRecord[] = run.value.records;
    return {
      n: plan.actions.length,
      ms: run.ms,
      cpuMs: run.cpuMs,
      succeeded: records.filter((r) => r.status === 'succeeded').length,
      failed: records.filter((r) => r.status !== 'succeeded').length,
      report: client.concurrency.report(),
      lagP99: lag.percentile(99) / 1e6,
      samples,
    };
  } finally {
    lag.disable();
    clearInterval(sampler);
    store.close();
    client.close();
  }
}

export const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** Actions that succeeded per second, over what the capacity allows. */
export const achieved = (r: CaseResult, capacity = CAPACITY) =>
  (r.succeeded * 1000) / r.ms / capacityRate(capacity);
export const throttledShare = (r: CaseResult) => share(r.report.throttled, r.report.requests);

/**
 * Seconds from a capacity change until the pace fits the new capacity: the first moment after which,
 * for 2 s, actions end at 0.8–1.1× capacity/latency and nothing is throttled. Null if never.
 */
export function followSeconds(
  samples: CaseResult['samples'],
  changeAtMs: number,
  capacity: number,
): number | null {
  const rate = capacityRate(capacity);
  for (let i = 0; i < samples.length; i++) {
    const from = samples[i]!;
    if (from.atMs < changeAtMs) continue;
    const to = samples.find((s) => s.atMs >= from.atMs + 2_000);
    if (!to) return null;
    const perSecond = ((to.ended - from.ended) * 1000) / (to.atMs - from.atMs);
    if (perSecond >= 0.8 * rate && perSecond <= 1.1 * rate && to.throttled === from.throttled)
      return (from.atMs - changeAtMs) / 1000;
  }
  return null;
}

/**
 * `n` Create Essentials Customer actions of one request each: without an SBC configuration type, which
 * only a Modify SIP Connection can set, no follow-up is needed, so requests per second are actions per second.
 */
export function creates(n: number): Plan {
  const customers = workbookRows(n).customers.map(({ site, ...c }) => {
    const { sbcConfigurationType: _modifyOnly, ...rest } = site;
    return { ...c, site: rest };
  });
  const plan = planActions({ customers, sites: [] }, { services: [], sites: new Map() }, EMPTY_APPLIED);
  if (plan.actions.some((a) => a.kind !== 'create-customer' || a.followUp))
    throw new Error('bench: expected one Create Essentials Customer per row and no follow-up');
  return plan;
}

/** "4 6 9 12 13 …": the limit at each whole second, to see the shape of a run. */
export function limitsBySecond(samples: CaseResult['samples']): string {
  const out: number[] = [];
  for (const s of samples) if (s.atMs >= out.length * 1000) out.push(s.limit);
  return out.join(' ');
}

/** Wall time if every phase of the schedule were used at its capacity. */
export function idealMs(actions: number, schedule: Array<{ capacity: number; atMs: number }>): number {
  let left = actions;
  for (let i = 0; i < schedule.length; i++) {
    const rate = capacityRate(schedule[i]!.capacity) / 1000;
    const next = schedule[i + 1];
    const span = next ? next.atMs - schedule[i]!.atMs : Infinity;
    if (left <= rate * span) return schedule[i]!.atMs + left / rate;
    left -= rate * span;
  }
  return 0;
}
