/**
 * The writer lock as a lease: taken over from any holder whose lease ran out (a process stopped on this
 * host too), by the holder's own lease; and the run's side (src/run/lock.ts), confirming it before each
 * write by two clocks, renewing from the store when the heartbeat was late, never writing once it is lost.
 * Real SQLite files; the clocks are moved by the test, nothing sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { keepLock, lockLostError, type LeaseClocks } from '../../src/run/lock.js';
import { openStateStore, type HeldLock, type StateStore } from '../../src/state/index.js';

let dir: string;
let path: string;
const open: StateStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-lease-'));
  path = join(dir, 'state.db');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(): StateStore {
  const s = openStateStore(path);
  open.push(s);
  return s;
}

/** Moves the holder's last heartbeat `ms` into the past, as a stopped holder leaves it. */
function heartbeatAgo(ms: number): void {
  const db = new Database(path);
  try {
    db.prepare('UPDATE lock SET heartbeat_at = ?').run(new Date(Date.now() - ms).toISOString());
  } finally {
    db.close();
  }
}

function take(s: StateStore, runId: string, leaseMs?: number): HeldLock {
  const attempt = s.acquireLock({
    runId,
    pid: process.pid,
    host: hostname(),
    ...(leaseMs ? { leaseMs } : {}),
  });
  if (!attempt.ok) throw new Error(`${runId} was refused`);
  return attempt.lock;
}

describe('the lease in the store', () => {
  it('a holder on this host that still runs is taken over once its own lease has run out, not before', () => {
    const s = store();
    take(s, 'run-a', 1_000);
    heartbeatAgo(900);
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(false);
    heartbeatAgo(1_100);
    // The claimant's own (default, two-minute) lease does not matter: the holder's does.
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(true);
    expect(s.lockHolder()?.runId).toBe('run-b');
  });

  it('a holder with the default lease keeps the lock across a stall shorter than two minutes', () => {
    const s = store();
    take(s, 'run-a');
    heartbeatAgo(100_000);
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(false);
  });
});

/** Clocks the test moves; the heartbeat is the function `beat()` calls. */
function fakeClocks(): LeaseClocks & { advance(ms: number, wallOnly?: boolean): void; beat(): void } {
  let mono = 1_000;
  let wall = Date.now();
  let beating: () => void = () => undefined;
  return {
    monotonic: () => mono,
    wall: () => wall,
    every: (_ms, fn) => {
      beating = fn;
      return () => (beating = () => undefined);
    },
    advance(ms, wallOnly = false) {
      if (!wallOnly) mono += ms;
      wall += ms;
    },
    beat: () => beating(),
  };
}

function keeper(lock: HeldLock, clocks: LeaseClocks) {
  const warnings: string[] = [];
  const kept = keepLock(
    lock,
    {
      lostError: (taken, silentMs) =>
        lockLostError(
          'run-a',
          { leaseMs: lock.leaseMs, silentMs, taken, by: null },
          'lpsync apply b.xlsx --resume run-a',
        ),
      warn: (m) => warnings.push(m),
    },
    clocks,
  );
  return { kept, warnings };
}

const thrown = (fn: () => void): RunError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunError) return error;
    throw error;
  }
  throw new Error('confirm() let the write go');
};

describe('confirming the lease before each write', () => {
  it('a late heartbeat (a stop longer than the lease) is renewed from the store, and a lock taken over is lost', () => {
    const s = store();
    const lock = take(s, 'run-a', 12_000);
    const clocks = fakeClocks();
    const { kept, warnings } = keeper(lock, clocks);
    kept.confirm(); // just taken: goes
    // Stopped for 20 s; meanwhile another process took the lock over.
    clocks.advance(20_000);
    heartbeatAgo(20_000);
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(true);
    const error = thrown(() => kept.confirm());
    expect(error.code).toBe('lock-lost');
    expect(error.message).toMatch(
      /^Run run-a lost the state store lock to another run: its lease of 12 s ran out/,
    );
    expect(error.hint).toContain('lpsync apply b.xlsx --resume run-a');
    expect(kept.lost.aborted).toBe(true);
    expect(kept.lost.reason).toBe(error);
    // Every later write is refused the same way, and said once.
    expect(thrown(() => kept.confirm())).toBe(error);
    expect(warnings).toHaveLength(1);
  });

  it('a machine that slept (the wall clock moved, the monotonic one did not) is checked against the store too', () => {
    const s = store();
    const lock = take(s, 'run-a', 12_000);
    const clocks = fakeClocks();
    const { kept } = keeper(lock, clocks);
    clocks.advance(60_000, true);
    heartbeatAgo(60_000);
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(true);
    expect(thrown(() => kept.confirm()).code).toBe('lock-lost');
  });

  it('a late heartbeat with the lock still its own renews it: the write goes, and the lease counts from now', () => {
    const s = store();
    const lock = take(s, 'run-a', 12_000);
    const clocks = fakeClocks();
    const { kept } = keeper(lock, clocks);
    clocks.advance(30_000);
    heartbeatAgo(30_000);
    kept.confirm();
    expect(kept.lost.aborted).toBe(false);
    // Renewed in the store: nobody can take it over now.
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(false);
  });

  it('the heartbeat notices a takeover between writes and stops the run before its next one', () => {
    const s = store();
    const lock = take(s, 'run-a', 12_000);
    const clocks = fakeClocks();
    const { kept, warnings } = keeper(lock, clocks);
    heartbeatAgo(20_000);
    expect(s.acquireLock({ runId: 'run-b', pid: process.pid, host: hostname() }).ok).toBe(true);
    clocks.beat();
    expect(kept.lost.aborted).toBe(true);
    expect(warnings[0]).toMatch(/lost the state store lock/);
    expect(thrown(() => kept.confirm()).code).toBe('lock-lost');
  });

  it('a lease that cannot be renewed (the store cannot be written) is used up to three quarters, then no more', () => {
    const s = store();
    const lock = take(s, 'run-a', 12_000);
    const clocks = fakeClocks();
    const { kept } = keeper(lock, clocks);
    s.close(); // every renewal now fails
    open.splice(open.indexOf(s), 1);
    clocks.advance(8_000);
    kept.confirm(); // 8 s of a 12 s lease: still inside three quarters
    clocks.advance(1_500);
    const error = thrown(() => kept.confirm());
    expect(error.message).toMatch(/could not renew its lease on the state store lock for 9\.5 s/);
  });
});
