/**
 * The audit entries real runs write, in order and content: a run interrupted and resumed, then a change
 * interrupted and carried on by a plain run, through `runApply` against the simulator. Times, run ids,
 * GUIDs and hashes are named by their order of appearance, so the file compared is the entries' shape and
 * every value that does not vary; a change to what the store or the run appends fails it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePlatformClient, type LivePlatformClient } from '../../src/api/index.js';
import { silentLogger } from '../../src/cli/logging.js';
import { inputSourceFrom } from '../../src/input/index.js';
import { createRedactor } from '../../src/model/redact.js';
import type { SentRequest } from '../../src/model/sent-request.js';
import { runApply, type RunApplyOptions, type RunApplyOutcome } from '../../src/run/apply.js';
import type { RunEvent } from '../../src/run/events.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { openStateStore } from '../../src/state/index.js';
import { writeWorkbook } from '../fixtures/build-samples.js';
import { manyCustomersSheets } from '../guarantees/secrets-workbook.js';

let sim: RunningSimulator;
let client: LivePlatformClient;
let dir: string;
const outcomes: RunApplyOutcome[] = [];
/** Every request the runs' event streams carried, in order. */
const requests: SentRequest[] = [];

const sheets = (customers: number, cac: string) => {
  const book = manyCustomersSheets({
    prefix: 'Trail',
    essentials: customers,
    ocs: 0,
    sites: 2,
    spread: 1,
    tenantPrefix: '77777777-4444-4555-8666-',
    phoneBase: 61000,
  });
  const sites = book[1]!;
  sites.rows[0] = { ...sites.rows[0], 'CAC Profile': cac };
  return book;
};

/** Stops the run once `n` actions have ended (one at a time: always the same ones). */
function stopAfter(n: number): Pick<RunApplyOptions, 'signal' | 'onEvent'> {
  const stop = new AbortController();
  let ended = 0;
  return {
    signal: stop.signal,
    onEvent: (event: RunEvent) => {
      if (event.type === 'action-end' && ++ended === n) stop.abort();
    },
  };
}

/** As kill -9 between the answer and its journal entry leaves it: the run's last confirmed write still in flight. */
function leaveInFlight(path: string): void {
  const store = openStateStore(path);
  try {
    const run = store.latestRun()!;
    const last = store
      .journal(run.runId)
      .filter((r) => r.status === 'succeeded')
      .at(-1)!;
    store.putJournal({ ...last, status: 'in-flight' });
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, latencyMs: 0, taskDurationMs: 0 });
  client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    concurrency: 1,
  });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-trail-'));
  const book = join(dir, 'trail book.xlsx');
  const changed = join(dir, 'changed.xlsx');
  await writeWorkbook(book, sheets(2, '10 sessions'));
  await writeWorkbook(changed, sheets(3, 'Audited Profile'));
  const options = (file: string, user: string, extra: Partial<RunApplyOptions>): RunApplyOptions => ({
    command: 'apply',
    source: inputSourceFrom({ file }),
    client,
    baseUrl: sim.url,
    statePath: join(dir, 'state.db'),
    reportPath: join(dir, `report-${outcomes.length}.xlsx`),
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    lockOwner: { pid: 4242, host: 'build-01' },
    apply: { concurrency: 1 },
    invocation: {
      user,
      host: 'build-01',
      pid: 4242,
      commandLine: ['lpsync', 'apply', file, '--token', 'T0ken-9x'],
    },
    ...extra,
    onEvent: (event) => {
      if (event.type === 'request') requests.push(event.request);
      extra.onEvent?.(event);
    },
  });
  const run = async (o: RunApplyOptions) => {
    o.redactor.addSecrets(['T0ken-9x']);
    outcomes.push(await runApply(o));
  };
  await run(options(book, 'alice', stopAfter(2)));
  leaveInFlight(join(dir, 'state.db'));
  await run(options(book, 'bob', { resume: true }));
  await run(options(changed, 'alice', stopAfter(1)));
  leaveInFlight(join(dir, 'state.db'));
  await run(options(changed, 'carol', {}));
}, 60_000);

afterAll(async () => {
  client?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Values that vary from run to run, named by their order of appearance (the same value, the same name). */
function normalised(value: unknown): unknown {
  const names = new Map<string, string>();
  const name = (kind: string, text: string): string => {
    const key = `${kind}:${text}`;
    if (!names.has(key))
      names.set(key, `<${kind}-${[...names.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1}>`);
    return names.get(key)!;
  };
  const text = JSON.stringify(value, (key, v: unknown) =>
    key === 'durationMs' && typeof v === 'number' ? '<ms>' : v,
  )
    .split(dir)
    .join('<dir>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/run-\d{8}T\d{6}-[0-9a-f]{8}/g, (m) => name('run', m))
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (m) => name('guid', m))
    .replace(/\b[0-9a-f]{64}\b/g, (m) => name('sha', m))
    .replace(/127\.0\.0\.1:\d+/g, '<simulator>');
  return JSON.parse(text);
}

describe('the audit entries of real runs', () => {
  it('are appended in the same order and with the same content as before the store owned them', async () => {
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    const entries = (
      db.prepare('SELECT content FROM audit ORDER BY seq').all() as Array<{ content: string }>
    ).map((row) => JSON.parse(row.content) as unknown);
    db.close();
    const kinds = entries.map((e) => (e as { kind: string }).kind);
    // Every kind a run writes is in the file compared.
    expect(new Set(kinds)).toEqual(
      new Set([
        'run-start',
        'resume',
        'run-end',
        'change',
        'action',
        'applied',
        'request',
        'report',
        'before-image',
      ]),
    );
    // Each request entry is a request the run's event stream carried, in the same order.
    const sent = entries.filter((e) => (e as { kind: string }).kind === 'request');
    expect(sent).toEqual(
      requests.map(({ actionId, at, ...data }) => expect.objectContaining({ actionId, at, data })),
    );
    const summaries = outcomes.map((o) => (o.kind === 'applied' ? o.summary.audit : null));
    await expect(`${JSON.stringify(normalised({ entries, summaries }), null, 1)}\n`).toMatchFileSnapshot(
      './__snapshots__/run-audit-shape.json',
    );
  });
});
