/** The users file's lock: a change waits for another's, a crash's lock is taken over, the lock never outlives a change. */
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { withUsersFileLock } from '../../src/state/users-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-users-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid no process has: beyond Linux's largest. */
const GONE = 4_194_304 + 7;

describe('the users file lock', () => {
  it('runs the change and removes the lock, also when the change throws; makes the folder, private', () => {
    const file = join(dir, 'new', 'users.json');
    expect(withUsersFileLock(file, () => existsSync(`${file}.lock`))).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(() =>
      withUsersFileLock(file, () => {
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('a lock another live process holds: the change waits, then is refused naming the holder; nothing ran', () => {
    const file = join(dir, 'held.json');
    writeFileSync(`${file}.lock`, `${process.ppid}\n`);
    let ran = false;
    const error = (() => {
      try {
        withUsersFileLock(file, () => (ran = true), { waitMs: 60 });
      } catch (e) {
        return e;
      }
    })();
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).code).toBe('users-file');
    expect((error as RunError).message).toContain(`held by process ${process.ppid}`);
    expect(existsSync(`${file}.lock`)).toBe(true);
  });

  it('a lock left by a process that is gone is taken over once it is old; a fresh one is waited for', () => {
    const file = join(dir, 'crashed.json');
    writeFileSync(`${file}.lock`, `${GONE}\n`);
    expect(() => withUsersFileLock(file, () => 'ran', { waitMs: 60 })).toThrow(/is being changed/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    expect(withUsersFileLock(file, () => 'ran', { waitMs: 60 })).toBe('ran');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
