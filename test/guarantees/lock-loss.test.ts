/**
 * Guarantee: a run that lost its lock sends nothing more. Run A is stopped (SIGSTOP: a laptop lid, a paused
 * VM) for longer than its lease; run B takes the lock over and applies everything; when A continues it must
 * send no write at all, exit with the lock-lost code (3), journal why, and say how to finish later. Two real
 * processes, one simulator, one state store; the simulator's own request log is the judge.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { writeWorkbook } from '../fixtures/build-samples.js';
import { sleep, spawnCli, waitUntil, type CliProcess } from './helpers.js';
import { manyCustomersSheets } from './secrets-workbook.js';

const LEASE_SECONDS = '1.5';
const CUSTOMERS = 24;

const running: RunningSimulator[] = [];
const children: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0))
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGCONT');
      c.child.kill('SIGKILL');
    }
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The process's state letter from /proc (`T` once it is stopped). */
const stateOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

/** Whether another process could write to the store now (not blocked by a transaction left open). */
function storeWritable(state: string): boolean {
  const db = new Database(state, { timeout: 300 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * Stops `pid` between two of its store transactions: a process stopped inside its 1–2 ms journal commit
 * holds SQLite's write lock until it continues (no lease can change that), so such a stop is undone and tried
 * again a moment later.
 */
async function stopOutsideTransaction(pid: number, state: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    process.kill(pid, 'SIGSTOP');
    expect(await waitUntil(() => stateOf(pid) === 'T', 5_000)).toBe(true);
    if (storeWritable(state)) return;
    process.kill(pid, 'SIGCONT');
    await sleep(37);
  }
  throw new Error('never stopped outside a store transaction');
}

/** The lock row as another process sees it: its run, and whether its lease has run out by now. */
function lockRow(state: string): { runId: string; lapsed: boolean } | null {
  const db = new Database(state, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT run_id, heartbeat_at, lease_ms FROM lock WHERE id = 1').get() as
      { run_id: string; heartbeat_at: string; lease_ms: number } | undefined;
    if (!row) return null;
    return { runId: row.run_id, lapsed: Date.now() - Date.parse(row.heartbeat_at) > row.lease_ms };
  } finally {
    db.close();
  }
}

function runStatus(state: string, runId: string): string | undefined {
  const db = new Database(state, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare('SELECT status FROM runs WHERE run_id = ?').get(runId) as { status: string } | undefined
    )?.status;
  } finally {
    db.close();
  }
}

describe('a run that lost its lock', () => {
  it('stopped past its lease and taken over, sends no write after it continues and exits 3 saying why', async () => {
    const sim = await startSimulator({
      port: 0,
      seed: 23,
      latencyMs: 150,
      staticTokens: ['token-a', 'token-b'],
    });
    running.push(sim);
    const cwd = mkdtempSync(join(tmpdir(), 'lpsync-lock-loss-'));
    dirs.push(cwd);
    const book = join(cwd, 'lost.xlsx');
    await writeWorkbook(
      book,
      manyCustomersSheets({
        prefix: 'Lost',
        essentials: CUSTOMERS,
        ocs: 0,
        sites: CUSTOMERS,
        spread: 5,
        tenantPrefix: '77777777-4444-4555-8666-',
        phoneBase: 40000,
      }),
    );
    const state = join(cwd, 'state.db');
    const cli = (token: string) => {
      const run = spawnCli(['apply', book, '--state', state, '--concurrency', '2'], cwd, {
        LPSYNC_BASE_URL: `${sim.url}/tenantui`,
        LPSYNC_TOKEN: token,
        LPSYNC_LOCK_LEASE: LEASE_SECONDS,
      });
      children.push(run);
      return run;
    };
    const writesOf = (token: string) => sim.writesReceived().filter((w) => w.token === token);

    // A writes for a while, and is stopped just as the platform got one of its Add SIP Connections: its
    // answer arrives while A is stopped, and A's next step would be that site's follow-up Modify …
    const a = cli('token-a');
    const addedSite = (): boolean =>
      writesOf('token-a').some((w) => w.method === 'POST' && w.path.includes('/sitelocation'));
    expect(await waitUntil(addedSite, 60_000)).toBe(true);
    // … then left stopped until its lease has run out for everyone to see.
    await stopOutsideTransaction(a.child.pid!, state);
    const stoppedAt = Date.now();
    const aRun = lockRow(state)?.runId;
    expect(aRun).toMatch(/^run-/);
    expect(await waitUntil(() => lockRow(state)?.lapsed === true, 20_000)).toBe(true);
    const sentByABeforeStop = writesOf('token-a').length;

    // B takes the lock over and applies everything, A's writes in flight read back, not sent again.
    const b = await cli('token-b').done;
    expect(b.code, b.stderr.slice(-2000)).toBe(0);
    const bRun = /Run: (run-\S+)/.exec(b.stdout)?.[1];
    expect(b.stdout).toMatch(/Apply: \d+ created, \d+ added/);
    expect(writesOf('token-b').length).toBeGreaterThan(0);

    // A continues: not one more write, its own exit code, the reason and the way to finish later.
    a.child.kill('SIGCONT');
    const lost = await a.done;
    const writesAfterStop = writesOf('token-a').filter((w) => w.at >= stoppedAt);
    expect(writesAfterStop.map((w) => `${w.method} ${w.path}`)).toEqual([]);
    expect(writesOf('token-a')).toHaveLength(sentByABeforeStop);
    expect(lost.code, lost.stderr.slice(-3000)).toBe(3);
    expect(lost.stderr).toContain(`Run ${aRun} lost the state store lock to run ${bRun}`);
    expect(lost.stderr).toContain('It sent nothing more.');
    expect(lost.stdout).toContain(
      `To finish this run: lpsync apply ${book} --resume ${aRun} --state ${state}`,
    );
    expect(runStatus(state, aRun!)).toBe('lock-lost');

    // Between them everything was created once: nothing twice, nothing lost.
    const { createAttempts, siteAdds, creates } = sim.snapshot().counters;
    expect(Object.keys(creates)).toHaveLength(CUSTOMERS);
    expect([...Object.values(createAttempts), ...Object.values(siteAdds)].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
