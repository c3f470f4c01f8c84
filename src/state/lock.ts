/**
 * The state store's writer lock: one row, owned by one process (run id + pid + host + a random
 * token), held as a lease that its heartbeat renews. It is taken only when free or when its holder is
 * provably gone (its process ended on this host) or its lease ran out (on any host: a process stopped
 * for longer than its lease may no longer write, and checks so before each write, src/run/lock.ts),
 * and released only by the token that took it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

/** The lease a holder takes unless it says otherwise: its heartbeat older than this, it is gone. */
export const LOCK_LEASE_MS = 2 * 60_000;
/** The lease of a row written before leases were stored (schema 5 and earlier). */
export const LOCK_STALE_MS = LOCK_LEASE_MS;
/** How often a holder renews its lease with the default lease: a twelfth of it. */
export const LOCK_HEARTBEAT_MS = LOCK_LEASE_MS / 12;

/** The process that asks for the lock. */
export interface LockClaim {
  runId: string;
  pid: number;
  host: string;
  /** How long its lease lasts without a renewal (default LOCK_LEASE_MS); stored with it, for the next claimant. */
  leaseMs?: number;
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
  /** How long the lease lasts without a renewal. */
  readonly leaseMs: number;
  /** Renews the lease; false when the lock is no longer this one's (taken over). Throws when the store cannot be written. */
  heartbeat(): boolean;
  /** Who holds the lock now, read from the store (another run, once this one lost it). */
  holderNow(): LockHolder | null;
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
  lease_ms: number | null;
}

/** Columns added to the version-1 lock table (schema migration 2). */
export const LOCK_MIGRATION = `
  ALTER TABLE lock ADD COLUMN token TEXT;
  ALTER TABLE lock ADD COLUMN started TEXT;
  ALTER TABLE lock ADD COLUMN heartbeat_at TEXT;
`;

/** The holder's lease, stored with its heartbeat: the next claimant honours the holder's lease, not its own. */
export const LOCK_LEASE_MIGRATION = `
  ALTER TABLE lock ADD COLUMN lease_ms INTEGER;
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
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the holder is gone: its process ended (this host), or its lease ran out (any host: stopped,
 * suspended or cut off, it checks its lease before each write and sends nothing once it has lapsed).
 */
export function holderGone(row: LockRow, nowMs: number, thisHost: string = hostname()): boolean {
  if (row.host === thisHost) {
    if (!pidAlive(row.pid)) return true;
    // The pid runs, but it is another process when its start differs (the pid was reused).
    const start = processStart(row.pid);
    if (row.started !== null && start !== null && start !== row.started) return true;
  }
  const beat = Date.parse(row.heartbeat_at ?? row.acquired_at);
  return Number.isFinite(beat) && nowMs - beat > (row.lease_ms ?? LOCK_STALE_MS);
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
      'SELECT pid, run_id, host, token, started, acquired_at, heartbeat_at, lease_ms FROM lock WHERE id = 1',
    ),
    set: db.prepare(`
      INSERT INTO lock (id, pid, run_id, host, token, started, acquired_at, heartbeat_at, lease_ms)
      VALUES (1, @pid, @runId, @host, @token, @started, @at, @at, @leaseMs)
      ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, run_id = excluded.run_id, host = excluded.host,
        token = excluded.token, started = excluded.started, acquired_at = excluded.acquired_at,
        heartbeat_at = excluded.heartbeat_at, lease_ms = excluded.lease_ms`),
    beat: db.prepare('UPDATE lock SET heartbeat_at = ? WHERE id = 1 AND token = ?'),
    release: db.prepare('DELETE FROM lock WHERE id = 1 AND token = ?'),
  };
  const renewal = db.transaction((at: string, token: string) => q.beat.run(at, token).changes === 1);
  const renew = (at: string, token: string): boolean => renewal.immediate(at, token);

  const current = (): LockHolder | null => {
    const row = q.get.get() as LockRow | undefined;
    return row ? toHolder(row) : null;
  };
  const take = db.transaction((claim: LockClaim, token: string): LockAttempt => {
    const row = q.get.get() as LockRow | undefined;
    if (row && !holderGone(row, now().getTime())) return { ok: false, holder: toHolder(row) };
    const at = now().toISOString();
    const { runId, pid, host } = claim;
    const leaseMs = claim.leaseMs ?? LOCK_LEASE_MS;
    q.set.run({ runId, pid, host, token, started: processStart(pid), at, leaseMs });
    const holder: LockHolder = { runId, pid, host, acquiredAt: at, heartbeatAt: at };
    let released = false;
    return {
      ok: true,
      lock: {
        token,
        holder,
        leaseMs,
        // IMMEDIATE: the renewal and a takeover are serialised; the one that commits first wins.
        heartbeat: () => !released && renew(now().toISOString(), token),
        holderNow: current,
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
    holder: current,
    /** The holder while it may still write (its process alive and its lease current); null when free or gone. */
    liveHolder: (): LockHolder | null => {
      const row = q.get.get() as LockRow | undefined;
      return row && !holderGone(row, now().getTime()) ? toHolder(row) : null;
    },
  };
}
