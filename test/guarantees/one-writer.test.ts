/**
 * Guarantee: one state store has one writer at a time. While an apply runs, every other writer —
 * `apply --resume` of the same run, a plain apply, a reconcile — is refused with exit 4 and sends
 * nothing; a holder killed with -9 is taken over; of two writers started at the same instant exactly
 * one runs. Real processes, one state store, the simulator's own counters as the judge.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { writeWorkbook, type SampleSheet } from '../fixtures/build-samples.js';
import { lockPid, readJournal, spawnCli, waitUntil, type CliResult } from './helpers.js';
import { manyCustomersSheets } from './secrets-workbook.js';

/** 6 Essentials and 2 OC Essentials customers, 8 further SIP connections. */
function sheets(): SampleSheet[] {
  return manyCustomersSheets({
    prefix: 'Lock',
    essentials: 6,
    ocs: 2,
    sites: 8,
    spread: 3,
    tenantPrefix: '33333333-4444-4555-8666-',
    phoneBase: 20000,
  });
}

const running: RunningSimulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setUp(options: Partial<SimulatorOptions> = {}) {
  const sim = await startSimulator({ port: 0, seed: 17, latencyMs: 120, taskDurationMs: 600, ...options });
  running.push(sim);
  const cwd = mkdtempSync(join(tmpdir(), 'lpsync-one-writer-'));
  dirs.push(cwd);
  const book = join(cwd, 'lock.xlsx');
  await writeWorkbook(book, sheets());
  const state = join(cwd, 'state.db');
  const env = { LPSYNC_BASE_URL: `${sim.url}/tenantui`, LPSYNC_TOKEN: 'demo-token' };
  const cli = (args: string[]) => spawnCli([...args, '--state', state, '--concurrency', '2'], cwd, env);
  return { sim, cwd, book, state, cli };
}

/** Every short name and SIP connection the platform was asked to create more than once. */
function sentTwice(sim: RunningSimulator): Array<[string, number]> {
  const { createAttempts, siteAdds } = sim.snapshot().counters;
  return [...Object.entries(createAttempts), ...Object.entries(siteAdds)].filter(([, n]) => n > 1);
}

const runIdOf = (r: CliResult) => /Run: (run-\S+)/.exec(r.stdout)?.[1] ?? null;
const show = (r: CliResult) =>
  `${r.args.slice(0, 3).join(' ')} → ${r.code ?? r.signal}\n${r.stderr.slice(-1500)}`;

describe('one writer per state store', () => {
  it('while an apply runs, --resume, a second apply and a reconcile are each refused (exit 4) and send nothing', async () => {
    const { sim, book, state, cli } = await setUp({ latencyMs: 200 });
    const first = cli(['apply', book, '--timeout', '120']);
    const pid = first.child.pid!;
    // The holder is writing: the lock is its and its journal has entries in flight or done.
    expect(
      await waitUntil(
        () => lockPid(state) === pid && readJournal(state).some((e) => e.status !== 'pending'),
        30_000,
      ),
    ).toBe(true);
    // From now on every request of the holder takes 3 s: it is still writing when the others are refused.
    sim.setFaults({ latencyMs: 3000 });

    const resume = await cli(['apply', book, '--resume']).done;
    expect(resume.code, show(resume)).toBe(4);
    expect(resume.stderr).toMatch(new RegExp(`Another lpsync run \\(run run-\\S+, process ${pid} on `));
    expect(resume.stderr).toContain('nothing was sent');
    // The refused process left the holder's lock in place: the next writer is refused too.
    expect(lockPid(state)).toBe(pid);
    const [second, nightly] = await Promise.all([cli(['apply', book]).done, cli(['reconcile', book]).done]);
    expect(second.code, show(second)).toBe(4);
    expect(nightly.code, show(nightly)).toBe(4);
    expect(first.child.exitCode, 'the holder was still running').toBeNull();
    expect(lockPid(state)).toBe(pid);
    for (const refused of [resume, second, nightly]) expect(runIdOf(refused)).toBeNull();

    sim.setFaults({ latencyMs: 0 });
    const done = await first.done;
    expect(done.code, show(done)).toBe(0);
    expect(lockPid(state)).toBeNull();
    expect(sentTwice(sim)).toEqual([]);
    expect(Object.keys(sim.snapshot().counters.creates)).toHaveLength(8);
  }, 90_000);

  it('a holder killed with -9 is taken over by the next apply, which finishes the work without sending anything twice', async () => {
    const { sim, book, state, cli } = await setUp({ dropAfterCommitRate: 0.1 });
    const first = cli(['apply', book]);
    const pid = first.child.pid!;
    expect(
      await waitUntil(
        () =>
          lockPid(state) === pid &&
          readJournal(state).some((e) => e.status === 'in-flight' || e.status === 'succeeded'),
        20_000,
      ),
    ).toBe(true);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(lockPid(state)).toBe(pid); // the dead holder's row is still there …

    const next = await cli(['apply', book]).done; // … and taken over
    expect(next.code, show(next)).toBe(0);
    expect(lockPid(state)).toBeNull();
    expect(sentTwice(sim)).toEqual([]);
    expect(Object.keys(sim.snapshot().counters.creates)).toHaveLength(8);
    const again = await cli(['reconcile', book]).done;
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout).toContain('0 created, 0 added, 0 modified, 0 failed, 16 unchanged');
  }, 90_000);

  it('of two writers started at the same instant exactly one runs, round after round, and no name is sent twice', async () => {
    const rounds = 4;
    const history: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const { sim, book, cli } = await setUp({ latencyMs: 60, seed: 100 + round });
      const kinds = [['apply', book], round % 2 === 0 ? ['reconcile', book] : ['apply', book]];
      const results = await Promise.all(kinds.map((args) => cli(args).done));
      history.push(results.map(show).join('\n'));
      const codes = results.map((r) => r.code).sort();
      expect(codes, history.join('\n---\n')).toEqual([0, 4]);
      expect(sentTwice(sim), history.join('\n---\n')).toEqual([]);
      expect(Object.keys(sim.snapshot().counters.creates)).toHaveLength(8);
    }
  }, 120_000);
});
