/**
 * The state store's writer lock: one row, owned by one process (run id + pid + host + a random
 * token), kept fresh by a heartbeat. It is taken only when free or when its holder is provably gone,
 * and released only by the token that took it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

/** A holder on another host whose heartbeat is older than this is gone (its host cannot be asked). */
export const LOCK_STALE_MS = 2 * 60_000;
/** How often a holder refreshes its heartbeat: well inside `LOCK_STALE_MS`. */
export const LOCK_HEARTBEAT_MS = 10_000;

/** The process that asks for the lock. */
export interface LockClaim {
  runId: string;
  pid: number;
  host: string;
}

/** Who holds the lock, to name them when a run is refused. */
export interface LockHolder extends LockClaim {
  acquiredAt: string;
  heartbeatAt: string | null;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly token: string;
  readonly holder: LockHolder;
  /** Refreshes the heartbeat; false when the lock is no longer this one's (taken over as stale). */
  heartbeat(): boolean;
  /** Deletes the lock row if it is still this one's; a second call does nothing. */
  release(): void;
}

export type LockAttempt = { ok: true; lock: HeldLock } | { ok: false; holder: LockHolder | null };

interface LockRow {
  pid: number;
  run_id: string;
  host: string;
  token: string | null;
  started: string | null;
  acquired_at: string;
  heartbeat_at: string | null;
}

/** Columns added to the version-1 lock table (schema migration 2). */
export const LOCK_MIGRATION = `
  ALTER TABLE lock ADD COLUMN token TEXT;
  ALTER TABLE lock ADD COLUMN started TEXT;
  ALTER TABLE lock ADD COLUMN heartbeat_at TEXT;
`;

/**
 * When a process started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat). With the pid
 * it names one process for good: a pid reused after a kill -9 has another start. Null where unknown.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and brackets: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** A process id that still runs on this host (EPERM: it runs under another user). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder is provably gone: its process ended (this host), or its heartbeat went stale (another host). */
export function holderGone(row: LockRow, nowMs: number, thisHost: string = hostname()): boolean {
  if (row.host === thisHost) {
    if (!pidAlive(row.pid)) return true;
    // The pid runs, but it is another process when its start differs (the pid was reused).
    const start = processStart(row.pid);
    return row.started !== null && start !== null && start !== row.started;
  }
  const beat = Date.parse(row.heartbeat_at ?? row.acquired_at);
  return Number.isFinite(beat) && nowMs - beat > LOCK_STALE_MS;
}

function toHolder(row: LockRow): LockHolder {
  return {
    runId: row.run_id,
    pid: row.pid,
    host: row.host,
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at,
  };
}

/** The lock operations over an open, migrated state store. `now` is injectable for tests of staleness. */
export function createLockTable(db: Database.Database, now: () => Date = () => new Date()) {
  const q = {
    get: db.prepare(
      'SELECT pid, run_id, host, token, started, acquired_at, heartbeat_at FROM lock WHERE id = 1',
    ),
    set: db.prepare(`
      INSERT INTO lock (id, pid, run_id, host, token, started, acquired_at, heartbeat_at)
      VALUES (1, @pid, @runId, @host, @token, @started, @at, @at)
      ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, run_id = excluded.run_id, host = excluded.host,
        token = excluded.token, started = excluded.started, acquired_at = excluded.acquired_at,
        heartbeat_at = excluded.heartbeat_at`),
    beat: db.prepare('UPDATE lock SET heartbeat_at = ? WHERE id = 1 AND token = ?'),
    release: db.prepare('DELETE FROM lock WHERE id = 1 AND token = ?'),
  };

  const take = db.transaction((claim: LockClaim, token: string): LockAttempt => {
    const row = q.get.get() as LockRow | undefined;
    if (row && !holderGone(row, now().getTime())) return { ok: false, holder: toHolder(row) };
    const at = now().toISOString();
    q.set.run({ ...claim, token, started: processStart(claim.pid), at });
    const holder: LockHolder = { ...claim, acquiredAt: at, heartbeatAt: at };
    let released = false;
    return {
      ok: true,
      lock: {
        token,
        holder,
        heartbeat: () => !released && q.beat.run(now().toISOString(), token).changes === 1,
        release: () => {
          if (released) return;
          released = true;
          q.release.run(token);
        },
      },
    };
  });

  return {
    /** IMMEDIATE: the write lock is taken before reading, so two processes cannot both see the row free. */
    acquire: (claim: LockClaim): LockAttempt => take.immediate(claim, randomUUID()),
    holder: (): LockHolder | null => {
      const row = q.get.get() as LockRow | undefined;
      return row ? toHolder(row) : null;
    },
  };
}
