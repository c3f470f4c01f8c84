/**
 * A look at a state store that changes nothing: `lpsync doctor` must not create the file, nor the
 * -wal/-shm files a read-only SQLite open leaves beside a WAL database. So the store (and its WAL,
 * which may hold the latest runs) is copied to a temporary folder and read there.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type StateInspection =
  | {
      kind: 'absent';
      path: string;
      /** The nearest folder that exists, and whether this user can create the store under it. */
      folder: string;
      creatable: boolean;
    }
  | {
      kind: 'present';
      path: string;
      writable: boolean;
      schemaVersion: number | null;
      lastRun: {
        runId: string;
        command: string;
        status: string;
        startedAt: string;
        endedAt: string | null;
      } | null;
      lock: { pid: number; runId: string; host: string; acquiredAt: string } | null;
    }
  | { kind: 'unreadable'; path: string; problem: string };

/** What the store at `path` holds, without writing anything beside it. */
export function inspectStateStore(path: string): StateInspection {
  const full = resolve(path);
  if (!existsSync(full)) {
    let folder = dirname(full);
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
    return { kind: 'absent', path: full, folder, creatable: canWrite(folder) };
  }
  if (!statSync(full).isFile()) return { kind: 'unreadable', path: full, problem: 'it is not a file' };
  const scratch = mkdtempSync(join(tmpdir(), 'lpsync-doctor-'));
  try {
    const copy = join(scratch, 'state.db');
    copyFileSync(full, copy);
    if (existsSync(`${full}-wal`)) copyFileSync(`${full}-wal`, `${copy}-wal`);
    const db = new Database(copy, { fileMustExist: true });
    try {
      const tables = new Set(
        (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
        ).map((t) => t.name),
      );
      const version = tables.has('schema_version')
        ? ((db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined)
            ?.version ?? null)
        : null;
      const run = tables.has('runs')
        ? (db
            .prepare(
              'SELECT run_id, command, status, started_at, ended_at FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1',
            )
            .get() as
            | { run_id: string; command: string; status: string; started_at: string; ended_at: string | null }
            | undefined)
        : undefined;
      const lock = tables.has('lock')
        ? (db.prepare('SELECT pid, run_id, host, acquired_at FROM lock WHERE id = 1').get() as
            { pid: number; run_id: string; host: string; acquired_at: string } | undefined)
        : undefined;
      return {
        kind: 'present',
        path: full,
        writable: canWrite(full) && canWrite(dirname(full)),
        schemaVersion: version,
        lastRun: run
          ? {
              runId: run.run_id,
              command: run.command,
              status: run.status,
              startedAt: run.started_at,
              endedAt: run.ended_at,
            }
          : null,
        lock: lock
          ? { pid: lock.pid, runId: lock.run_id, host: lock.host, acquiredAt: lock.acquired_at }
          : null,
      };
    } finally {
      db.close();
    }
  } catch (error) {
    return { kind: 'unreadable', path: full, problem: (error as Error).message };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
