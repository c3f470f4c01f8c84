/**
 * Guarantee: however often lpsync is killed (kill -9) and started again, and whatever the platform
 * does to its requests (answers lost after the commit, 502/504, 503, 429 bursts, jitter, slow tasks),
 * no customer is created twice, no SIP connection is added twice, the platform ends equal to the
 * sheet, and the last report accounts for every input row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { readResults, reportPathOf } from '../e2e/cli-helpers.js';
import { differences } from '../e2e/sheet-state.js';
import { writeWorkbook, type SampleSheet } from '../fixtures/build-samples.js';
import { lockPid, sleep, spawnCli, waitUntil, type CliResult } from './helpers.js';
import { manyCustomersSheets } from './secrets-workbook.js';

const SEED = Number(process.env.LPSYNC_SOAK_SEED ?? 424242);
const KILLS = 4;

/** mulberry32: a small seeded PRNG, so the kill moments repeat for a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 8 Essentials and 3 OC Essentials customers, 14 further SIP connections spread over them. */
function soakSheets(): SampleSheet[] {
  return manyCustomersSheets({
    prefix: 'Soak',
    essentials: 8,
    ocs: 3,
    sites: 14,
    spread: 7,
    tenantPrefix: '22222222-3333-4444-8555-',
    phoneBase: 10000,
  });
}

let sim: RunningSimulator | undefined;
let dir: string | undefined;
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a create is never sent twice', () => {
  it(`seeded soak (seed ${SEED}): every fault on, ${KILLS} kill -9 at random moments, then --resume / reconcile`, async () => {
    const random = prng(SEED);
    sim = await startSimulator({
      port: 0,
      seed: SEED,
      // Slow enough that every run is still at work at its seeded kill moment, however fast the client gets.
      latencyMs: 60,
      latencyJitterMs: 120,
      taskDurationMs: 500,
      unavailableRate: 0.05,
      gatewayErrorRate: 0.06,
      dropAfterCommitRate: 0.1,
      throttle: { burstRate: 0.02, burstLength: 2, retryAfterSeconds: 1 },
    });
    const s = sim;
    dir = mkdtempSync(join(tmpdir(), 'lpsync-guard-soak-'));
    const cwd = dir;
    const book = join(cwd, 'soak.xlsx');
    await writeWorkbook(book, soakSheets());
    const input = await loadWorkbook({ kind: 'xlsx', path: book });
    expect(input.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const state = join(cwd, 'state.db');
    const env = { LPSYNC_BASE_URL: `${s.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
    const common = ['--state', state, '--retries', '8', '--timeout', '10'];
    const history: string[] = [];
    const describeRun = (r: CliResult) => `${r.args.slice(0, 3).join(' ')} → ${r.code ?? r.signal}`;

    // Killed runs: the first apply, then alternately --resume and a plain reconcile, each at a seeded moment.
    const next = (k: number): string[] =>
      k === 0 ? ['apply', book] : k % 2 === 1 ? ['apply', book, '--resume'] : ['reconcile', book];
    let killed = 0;
    let refused = 0; // second writers that ended while the first still ran
    for (let k = 0; k < KILLS; k++) {
      // Moments counted from when the run holds the lock (starting node takes a while): inside its work.
      const delayMs = Math.round(200 + random() * 2500);
      const intruderDelay = Math.round(random() * delayMs);
      const run = spawnCli([...next(k), ...common, '--concurrency', String(2 + (k % 3))], cwd, env);
      const holding = waitUntil(
        () => lockPid(state) === run.child.pid || run.child.exitCode !== null,
        30_000,
      );
      // A second writer (another kind of run) starts while the first holds the lock: it must be refused.
      const intruder = holding.then(async () => {
        await sleep(intruderDelay);
        if (run.child.exitCode !== null || run.child.signalCode !== null) return null;
        const r = await spawnCli([...next(k + 1), ...common], cwd, env).done;
        return { ...r, firstAlive: run.child.exitCode === null && run.child.signalCode === null };
      });
      // The kill waits for the second writer's answer too, so that the refusal is what is tested.
      const timer = Promise.all([holding.then(() => sleep(delayMs)), intruder]).then(() =>
        run.child.kill('SIGKILL'),
      );
      const result = await run.done;
      const second = await intruder;
      await timer;
      if (result.signal === 'SIGKILL') killed += 1;
      history.push(`${describeRun(result)} (kill at ${delayMs} ms)`);
      if (second) history.push(`  a second writer ${intruderDelay} ms in: ${describeRun(second)}`);
      // It ended on its own while the first still ran: it must have been refused.
      if (second?.firstAlive) {
        refused += 1;
        expect(second.code, `${history.join('\n')}\n${second.stderr}`).toBe(4);
      }
    }
    // The seed picks moments inside the runs; a run that finishes first is not a failure, but most must be killed.
    expect(killed, history.join('\n')).toBeGreaterThanOrEqual(2);
    expect(refused, history.join('\n')).toBeGreaterThanOrEqual(2);

    // Then runs that are left alone, faults still on, until one is clean (a lost answer can fail a row once).
    let last: CliResult | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      last = await spawnCli(['reconcile', book, ...common], cwd, env).done;
      history.push(describeRun(last));
      if (last.code === 0) break;
      history.push(
        last.stdout,
        last.stderr
          .split('\n')
          .filter((l) => /"level":"(warn|error)"/.test(l))
          .join('\n'),
      );
    }
    expect(last?.code, `${history.join('\n')}\n${last?.stderr}\n${last?.stdout}`).toBe(0);

    // Nothing created or added twice, by the platform's own counters.
    const counters = s.snapshot().counters;
    const customerCount = input.rows.customers.length;
    expect(Object.keys(counters.creates)).toHaveLength(customerCount);
    expect(
      Object.entries(counters.creates).filter(([, n]) => n !== 1),
      JSON.stringify(counters.creates),
    ).toEqual([]);
    // Stronger: no create was even sent twice once it had reached the platform (a lost answer is read back).
    expect(
      Object.entries(counters.createAttempts).filter(([, n]) => n !== 1),
      JSON.stringify(counters.createAttempts),
    ).toEqual([]);
    expect(Object.keys(counters.siteAdds)).toHaveLength(input.rows.sites.length);
    expect(
      Object.entries(counters.siteAdds).filter(([, n]) => n !== 1),
      JSON.stringify(counters.siteAdds),
    ).toEqual([]);
    expect(differences(input.rows, s.snapshot())).toEqual([]);

    // A final reconcile (faults still on): all unchanged, exit 0, every input row in its report.
    const final = await spawnCli(['reconcile', book, ...common], cwd, env).done;
    history.push(describeRun(final));
    expect(final.code, `${history.join('\n')}\n${final.stderr}`).toBe(0);
    const total = customerCount + input.rows.sites.length;
    expect(final.stdout).toContain(`0 created, 0 added, 0 modified, 0 failed, ${total} unchanged`);
    const results = await readResults(reportPathOf(final.stdout, cwd));
    for (const sheet of input.sheets) {
      const got = results.get(sheet.sheet);
      expect(got?.rows, sheet.sheet).toBe(sheet.rows.length);
      expect(new Set(got?.statuses), sheet.sheet).toEqual(new Set(['unchanged']));
    }
    expect(s.snapshot().counters.creates).toEqual(counters.creates);
    // The faults did happen (so the guarantee was tested under them).
    const faults = s.snapshot().counters.faults;
    expect(faults.drop + faults['502'] + faults['503'] + faults['504']).toBeGreaterThan(0);
    console.log(
      `soak seed ${SEED}:\n${history.join('\n')}\nfaults ${JSON.stringify(faults)}\ncreateAttempts ${JSON.stringify(counters.createAttempts)}`,
    );
  }, 120_000);
});
