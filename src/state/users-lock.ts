/**
 * The users file's lock: each change reads the accounts and writes them back under an exclusive lock file
 * beside it (`users.json.lock`, created only if absent), so two `lpsync users` commands at the same moment
 * both keep their change instead of the second write dropping the first's account.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { RunError } from '../model/errors.js';
import { pidAlive } from './lock.js';

export interface UsersLockOptions {
  /** How long to wait for another process's change (default 10 s; a change holds it for milliseconds). */
  waitMs?: number;
  /** A lock older than this whose process is gone was left by a crash (default 10 s). */
  staleMs?: number;
}

/** Runs `change` (a read, then a write, of the users file) while this process holds the file's lock. */
export function withUsersFileLock<T>(path: string, change: () => T, o: UsersLockOptions = {}): T {
  const lock = `${path}.lock`;
  const waitMs = o.waitMs ?? 10_000;
  const started = Date.now();
  // The first account makes the folder, private as writeUsersFile makes it.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (;;) {
    const fd = tryCreate(lock);
    if (fd !== null) {
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      try {
        return change();
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (leftByCrash(lock, o.staleMs ?? 10_000)) continue;
    if (Date.now() - started > waitMs)
      throw new RunError(
        'users-file',
        `The users file ${path} is being changed by another lpsync (its lock ${lock} is held${holderText(lock)}): nothing was changed.`,
        { hint: `Try again; if no lpsync is running, remove ${lock}.` },
      );
    sleep(20);
  }
}

function tryCreate(lock: string): number | null {
  try {
    return openSync(lock, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
}

/** Removes a lock whose process is gone and that is old enough not to be a fresh one; true if it did. */
function leftByCrash(lock: string, staleMs: number): boolean {
  const before = statOrNull(lock);
  if (!before || Date.now() - before.mtimeMs < staleMs) return false;
  const pid = holderPid(lock);
  if (pid !== null && pidAlive(pid)) return false;
  // The same file still (not a new lock another process made meanwhile): remove it.
  const now = statOrNull(lock);
  if (!now || now.ino !== before.ino) return false;
  rmSync(lock, { force: true });
  return true;
}

function statOrNull(path: string): { mtimeMs: number; ino: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function holderPid(lock: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function holderText(lock: string): string {
  const pid = holderPid(lock);
  return pid === null ? '' : ` by process ${pid}`;
}

/** A synchronous pause: the change around it is synchronous, and a CLI command has nothing else to do. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
