/**
 * The state store's disk fills up mid-run (SQLite answers SQLITE_FULL: the file is capped with its own
 * max_page_count, a real fault of the real file): the run stops sending and says what was sent and
 * confirmed, where the journal stands and the exact resume command; once there is room again, that resume
 * finishes the run and nothing is created twice. Full before the first request: nothing sent, and it says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLivePlatformClient, type LivePlatformClient } from '../../src/api/index.js';
import { silentLogger } from '../../src/cli/logging.js';
import { inputSourceFrom } from '../../src/input/index.js';
import { RunError, exitCodeFor } from '../../src/model/errors.js';
import { createRedactor } from '../../src/model/redact.js';
import { runApply, type RunApplyOptions } from '../../src/run/apply.js';
import type { RunEvent } from '../../src/run/events.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { openStateStore, type StateStore } from '../../src/state/index.js';
import { writeWorkbook } from '../fixtures/build-samples.js';
import { manyCustomersSheets } from '../guarantees/secrets-workbook.js';

const CUSTOMERS = 16;
let sim: RunningSimulator | undefined;
let client: LivePlatformClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  client?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = client = dir = undefined;
});

async function setUp() {
  sim = await startSimulator({ port: 0, seed: 31, latencyMs: 20 });
  client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    concurrency: 2,
  });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-full-'));
  const book = join(dir, 'full.xlsx');
  const sheets = manyCustomersSheets({
    prefix: 'Full',
    essentials: CUSTOMERS,
    ocs: 0,
    sites: CUSTOMERS,
    spread: 3,
    tenantPrefix: '88888888-4444-4555-8666-',
    phoneBase: 50000,
  });
  await writeWorkbook(book, sheets);
  const state = join(dir, 'state.db');
  const options = (extra: Partial<RunApplyOptions> = {}): RunApplyOptions => ({
    command: 'apply',
    source: inputSourceFrom({ file: book }),
    client: client!,
    baseUrl: sim!.url,
    statePath: state,
    reportPath: join(dir!, 'full.results.xlsx'),
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    lockOwner: { pid: process.pid, host: hostname() },
    apply: { concurrency: 2 },
    ...extra,
  });
  return { sim, book, state, options };
}

/** Every create and add the platform was asked for more than once. */
function sentTwice(s: RunningSimulator): Array<[string, number]> {
  const { createAttempts, siteAdds } = s.snapshot().counters;
  return [...Object.entries(createAttempts), ...Object.entries(siteAdds)].filter(([, n]) => n > 1);
}

describe('the state store disk full', () => {
  it('mid-run: stops, tells what was sent, confirmed and journaled and how to resume; the resume sends nothing twice', async () => {
    const { sim, book, state, options } = await setUp();
    let store: StateStore | undefined;
    let confirmed = 0;
    // The disk fills up once the platform has confirmed four changes.
    const onEvent = (event: RunEvent): void => {
      if (event.type === 'action-end' && event.record.status === 'succeeded' && ++confirmed === 4)
        store!.capPages(0);
    };
    const outcome = await runApply(
      options({
        openStore: (path) => (store = openStateStore(path)),
        onEvent,
      }),
    );
    if (outcome.kind !== 'applied') throw new Error(`expected a run, got ${outcome.kind}`);
    const { fatal, records } = outcome.result;
    const runId = outcome.summary.runId;
    const resume = `lpsync apply ${book} --resume ${runId} --state ${state}`;
    expect(outcome.exitCode).toBe(3);
    expect(fatal?.code).toBe('state-store');
    const [first, sent, journal] = fatal!.message.split('\n');
    expect(first).toBe(
      `The state store ${state} could not be written (database or disk is full): lpsync stopped sending.`,
    );
    // What was sent and confirmed, as the records say and as the platform saw it.
    const writes = records.filter((r) => r.kind === 'create-customer' || r.kind === 'add-site');
    // A create that landed, stopped before its follow-up: confirmed, without the fields the follow-up sets.
    const incomplete = writes.filter(
      (r) => r.status === 'failed' && (r.kind === 'add-site' ? r.siteGuid : r.customerGuid) !== null,
    ).length;
    expect(writes.filter((r) => r.status === 'failed')).toHaveLength(incomplete);
    const ok = writes.filter((r) => r.status === 'succeeded').length + incomplete;
    const noAnswer = writes.filter((r) => r.status === 'unknown').length;
    const notSent = writes.filter((r) => r.status === 'not-run' || r.status === 'pending').length;
    expect(ok).toBeGreaterThanOrEqual(4);
    expect(notSent).toBeGreaterThan(0);
    expect(sent).toBe(
      `Sent: ${ok + noAnswer} change(s) — ${ok} confirmed by the Live Platform${incomplete ? ` (${incomplete} without the fields a follow-up sets)` : ''}, 0 refused, ${noAnswer} without an answer; ${notSent} not sent.`,
    );
    const { creates, siteAdds } = sim.snapshot().counters;
    const landed = Object.keys(creates).length + Object.keys(siteAdds).length;
    expect(landed).toBeGreaterThanOrEqual(ok);
    expect(landed).toBeLessThanOrEqual(ok + noAnswer);
    expect(journal).toMatch(
      /^Journal: \d+ recorded as done, \d+ as in flight \(every change sent was recorded so before it left; the resume reads these back and never sends them blindly again\), \d+ as not sent yet\.$/,
    );
    expect(fatal!.hint).toBe(`Free space on the disk of ${state}, then finish the run: ${resume}`);
    expect(outcome.summary.resumeCommand).toBe(resume);
    expect(exitCodeFor(fatal!.code)).toBe(3);

    // Room again: the resume finishes the run; nothing was created twice, nothing is missing.
    sim.setFaults({ latencyMs: 0 });
    const resumed = await runApply(options({ resume: runId }));
    if (resumed.kind !== 'applied') throw new Error(`expected a run, got ${resumed.kind}`);
    expect(resumed.exitCode, resumed.result.fatal?.message).toBe(0);
    expect(sentTwice(sim)).toEqual([]);
    expect(Object.keys(sim.snapshot().counters.creates)).toHaveLength(CUSTOMERS);
    expect(Object.keys(sim.snapshot().counters.siteAdds)).toHaveLength(CUSTOMERS);
  });

  it('before the first request: nothing sent, and the same command to run again', async () => {
    const { sim, book, state, options } = await setUp();
    const error = await runApply(
      options({
        openStore: (path) => {
          const s = openStateStore(path);
          s.capPages(0);
          return s;
        },
      }),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunError);
    const e = error as RunError;
    expect(e.code).toBe('state-store');
    expect(e.message).toBe(
      `The state store ${state} could not be written (database or disk is full): nothing was sent.`,
    );
    expect(e.hint).toBe(
      `Free space on its disk (or choose another --state), then run it again: lpsync apply ${book} --state ${state}`,
    );
    expect(sim.writesReceived()).toEqual([]);
  });
});
