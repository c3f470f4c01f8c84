import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_STALE_MS, openStateStore, type StateStore } from '../../src/state/index.js';
import { processStart } from '../../src/state/lock.js';

let dir: string;
let path: string;
const open: StateStore[] = [];

function store(): StateStore {
  const s = openStateStore(path);
  open.push(s);
  return s;
}

/** Changes the lock row behind the store's back, as time or another host would. */
function alterLock(sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** A pid that ran and has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
}

const me = (runId: string) => ({ runId, pid: process.pid, host: hostname() });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-lock-'));
  path = join(dir, 'state.db');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the state store lock', () => {
  it('is refused to any other claim while its holder lives, the same run id and the same process included', () => {
    const s = store();
    const first = s.acquireLock(me('run-1'));
    expect(first.ok).toBe(true);
    // `--resume run-1` while run-1 still runs: refused, naming the holder.
    const resume = s.acquireLock(me('run-1'));
    expect(resume).toEqual({
      ok: false,
      holder: expect.objectContaining({ runId: 'run-1', pid: process.pid }),
    });
    expect(s.acquireLock({ runId: 'run-2', pid: process.ppid, host: hostname() }).ok).toBe(false);
    // A second connection to the same file sees the same row.
    expect(store().acquireLock(me('run-3')).ok).toBe(false);
    expect(s.lockHolder()).toMatchObject({ runId: 'run-1', pid: process.pid, host: hostname() });
  });

  it('is released only by the token that took it', () => {
    const s = store();
    const first = s.acquireLock(me('run-1'));
    if (!first.ok) throw new Error('not taken');
    first.lock.release();
    expect(s.lockHolder()).toBeNull();
    const second = s.acquireLock(me('run-2'));
    if (!second.ok) throw new Error('not taken');
    // The first holder's late release (twice, even) leaves the new holder's lock in place.
    first.lock.release();
    expect(s.lockHolder()?.runId).toBe('run-2');
    expect(first.lock.heartbeat()).toBe(false);
    expect(second.lock.heartbeat()).toBe(true);
  });

  it('is taken over from a holder on this host whose process has ended', () => {
    const s = store();
    const gone = s.acquireLock({ runId: 'run-killed', pid: deadPid(), host: hostname() });
    expect(gone.ok).toBe(true);
    const next = s.acquireLock(me('run-2'));
    expect(next.ok).toBe(true);
    if (gone.ok) expect(gone.lock.heartbeat()).toBe(false);
  });

  it('is taken over when the holder pid now belongs to another process (pid reused after kill -9)', () => {
    if (processStart(process.pid) === null) return; // no /proc: a pid alone is all there is to go on
    const s = store();
    expect(s.acquireLock({ runId: 'run-old', pid: process.ppid, host: hostname() }).ok).toBe(true);
    expect(s.acquireLock(me('run-2')).ok).toBe(false);
    alterLock("UPDATE lock SET started = 'another-start'");
    expect(s.acquireLock(me('run-2')).ok).toBe(true);
  });

  it('on another host is held while its heartbeat is fresh and taken over once it is older than the bound', () => {
    const s = store();
    expect(s.acquireLock({ runId: 'run-far', pid: 1, host: 'another-host' }).ok).toBe(true);
    expect(s.acquireLock(me('run-2')).ok).toBe(false);
    const stale = new Date(Date.now() - LOCK_STALE_MS - 5_000).toISOString();
    const fresh = new Date(Date.now() - LOCK_STALE_MS + 30_000).toISOString();
    alterLock('UPDATE lock SET heartbeat_at = ?', fresh);
    expect(s.acquireLock(me('run-2')).ok).toBe(false);
    alterLock('UPDATE lock SET heartbeat_at = ?', stale);
    expect(s.acquireLock(me('run-2')).ok).toBe(true);
  });

  it('keeps a holder fresh with its heartbeat', () => {
    const s = store();
    const held = s.acquireLock({ runId: 'run-far', pid: 1, host: 'another-host' });
    if (!held.ok) throw new Error('not taken');
    const stale = new Date(Date.now() - LOCK_STALE_MS - 5_000).toISOString();
    alterLock('UPDATE lock SET heartbeat_at = ?', stale);
    expect(held.lock.heartbeat()).toBe(true);
    expect(s.acquireLock(me('run-2')).ok).toBe(false);
  });
});
