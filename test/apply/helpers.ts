import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLivePlatformClient, type LivePlatformClient } from '../../src/api/index.js';
import type { LivePlatform } from '../../src/api/types.js';
import { silentLogger } from '../../src/cli/logging.js';
import { applyPlan as runScheduler } from '../../src/apply/scheduler.js';
import { normaliseApplySettings, type ApplySettings } from '../../src/apply/settings.js';
import type { ApplyOptions, ApplyResult } from '../../src/apply/types.js';
import { createRedactor, type Redactor } from '../../src/model/redact.js';
import type { CustomerRow, SipConnectionRow, WorkbookRows } from '../../src/model/types.js';
import { planActions, readObservedState } from '../../src/plan/index.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import type { Plan } from '../../src/plan/types.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export interface Rig {
  sim: RunningSimulator;
  client: LivePlatformClient;
  store: StateStore;
  dir: string;
  close(): Promise<void>;
}

/** A simulator on an OS-chosen port, the real client with short waits, a state store in a temp folder. */
export async function startRig(options: SimulatorOptions = {}): Promise<Rig> {
  const sim = await startSimulator({ port: 0, seed: 7, taskDurationMs: 100, ...options });
  const client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    concurrency: 8,
    timeoutMs: 5_000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    task: { pollIntervalMs: 50, maxPollIntervalMs: 200, timeoutMs: 20_000 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'lpsync-apply-'));
  const store = openStateStore(join(dir, 'state.db'));
  return {
    sim,
    client,
    store,
    dir,
    async close() {
      store.close();
      client.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let row = 1;
export function customer(shortName: string, extra: Partial<CustomerRow> = {}): CustomerRow {
  row += 1;
  return {
    kind: 'customer',
    origin: { file: 'book.xlsx', sheet: 'Customers', row },
    license: 'Essentials',
    shortName,
    fullName: `${shortName} Ltd`,
    siteName: shortName,
    site: { sbcId: 1, sbcOnboardingScript: 3, sbcCleanupScript: 4, customVariables: {} },
    ...extra,
  };
}

export function ocCustomer(shortName: string): CustomerRow {
  return customer(shortName, {
    license: 'OC Essentials',
    site: { customVariables: {} },
    oc: { configurationName: 'OcEssential_IPGROUP_TYPE', licensedUsersCount: 10 },
  });
}

export function site(
  customerShortName: string,
  siteName: string,
  extra: Partial<SipConnectionRow['site']> = {},
): SipConnectionRow {
  row += 1;
  return {
    kind: 'site',
    origin: { file: 'book.xlsx', sheet: 'SipConnections', row },
    customerShortName,
    siteName,
    site: {
      sbcId: 2,
      sbcOnboardingScript: 5,
      sbcCleanupScript: 6,
      cacProfile: 'Cac1',
      customVariables: {},
      ...extra,
    },
  };
}

export async function planFor(client: LivePlatform, store: StateStore, rows: WorkbookRows): Promise<Plan> {
  const observed = await readObservedState(client, rows, 4);
  return planActions(rows, observed, store.loadApplied());
}

/** A LivePlatform that records when each write started and ended (wraps the real client; nothing faked). */
export function recordingWrites(inner: LivePlatform) {
  const spans: Array<{ key: string; start: number; end: number }> = [];
  let seq = 0;
  const track = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const span = { key, start: seq++, end: -1 };
    spans.push(span);
    try {
      return await fn();
    } finally {
      span.end = seq++;
    }
  };
  const client: LivePlatform = {
    ...inner,
    listServices: (o) => inner.listServices(o),
    getService: (g) => inner.getService(g),
    getSite: (id) => inner.getSite(id),
    getTask: (id) => inner.getTask(id),
    waitForTask: (id, o) => inner.waitForTask(id, o),
    createCustomer: (b) => track(b.shortName, () => inner.createCustomer(b)),
    createOcService: (b) => track(b.customerShortName, () => inner.createOcService(b)),
    addSite: (g, b) => track(g, () => inner.addSite(g, b)),
    modifySite: (g, s, b) => track(g, () => inner.modifySite(g, s, b)),
  };
  return { client, spans };
}

/** `applyPlan` with the test rig's defaults: settings normalised as the run does, a fresh redactor. */
export function applyPlan(
  options: Omit<ApplyOptions, 'settings' | 'redactor'> & Partial<ApplySettings> & { redactor?: Redactor },
): Promise<ApplyResult> {
  const { concurrency, maxErrors, readBackWaitMs, readBackIntervalMs, taskTimeoutMs, redactor, ...rest } =
    options;
  return runScheduler({
    ...rest,
    settings: normaliseApplySettings({
      concurrency,
      maxErrors,
      readBackWaitMs,
      readBackIntervalMs,
      taskTimeoutMs,
    }),
    redactor: redactor ?? createRedactor(),
  });
}
