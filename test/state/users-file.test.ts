/**
 * The users file in a real folder: written 0600 (its new folder 0700) and whole, refused when its group or
 * others can read it (as ssh refuses a private key), holding scrypt hashes with their cost and never a
 * password; the accounts added, listed, removed and given a new password through src/run.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { addUser, changePassword, listUsers, removeUser, verifyLogin } from '../../src/run/users.js';
import { hashPassword, passwordMatches } from '../../src/state/passwords.js';
import { readUsersFile } from '../../src/state/users-file.js';
import { TEST_COST } from '../support/scrypt-cost.js';

const now = () => new Date('2026-12-01T09:00:00.000Z');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-users-'));
  file = join(dir, 'team', 'users.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const add = (name: string, password: string, role: 'operator' | 'approver' | 'auditor' = 'operator') =>
  addUser({ usersFile: file, name, role, password, now, cost: TEST_COST });

function fault(fn: () => unknown): RunError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunError) return error;
    throw error;
  }
  throw new Error('expected a RunError');
}

describe('the users file', () => {
  it('is created with mode 0600 in a new folder of mode 0700, and holds no password', async () => {
    await add('alice', 'correct horse battery');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'team')).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('correct horse battery');
    expect(JSON.parse(text)).toMatchObject({
      format: 'lpsync-users',
      formatVersion: 1,
      users: [
        {
          name: 'alice',
          role: 'operator',
          password: { algorithm: 'scrypt', N: 1024, r: 8, p: 1, keyLength: 32 },
        },
      ],
    });
    // Written whole: no temporary file is left beside it.
    expect(readdirSync(join(dir, 'team'))).toEqual(['users.json']);
  });

  it('keeps its mode 0600 when rewritten, whatever the umask', async () => {
    const before = process.umask(0o000);
    try {
      await add('alice', 'correct horse battery');
      await add('bob', 'another long password');
    } finally {
      process.umask(before);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is refused, with a clear message, when its group or others can read or write it', async () => {
    await add('alice', 'correct horse battery');
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(file, mode);
      const error = fault(() => readUsersFile(file));
      expect(error.code).toBe('users-file');
      expect(error.message).toContain(`(permissions ${mode.toString(8).padStart(4, '0')})`);
      expect(error.message).toContain('lpsync will not use it');
      expect(error.hint).toBe(`Let only its owner read it: chmod 600 ${file}`);
    }
    // Nor is it used to log in, or changed.
    chmodSync(file, 0o644);
    await expect(
      verifyLogin({ usersFile: file, name: 'alice', password: 'correct horse battery' }),
    ).rejects.toMatchObject({ code: 'users-file' });
    await expect(add('bob', 'another long password')).rejects.toMatchObject({ code: 'users-file' });
    chmodSync(file, 0o600);
    expect(readUsersFile(file)?.map((a) => a.name)).toEqual(['alice']);
  });

  it('is refused when it is not an lpsync users file, naming what is wrong', () => {
    writeFileSync(
      file.replace('team/', ''),
      '{"format":"lpsync-users","formatVersion":1,"users":[{"name":"x"}]}',
      {
        mode: 0o600,
      },
    );
    const error = fault(() => readUsersFile(file.replace('team/', '')));
    expect(error.message).toMatch(/is not an lpsync users file of format 1 at users\.0\.role/);
  });
});

describe('accounts', () => {
  it('verify the password as typed: the right one logs in with the role, a wrong one or a near one does not', async () => {
    await add('alice', ' pass word 1 ', 'approver');
    expect(await verifyLogin({ usersFile: file, name: 'alice', password: ' pass word 1 ' })).toEqual({
      ok: true,
      user: { name: 'alice', role: 'approver' },
    });
    for (const password of ['pass word 1', ' pass word 1', ' Pass word 1 ', ' pass word 2 '])
      expect(await verifyLogin({ usersFile: file, name: 'alice', password })).toMatchObject({
        ok: false,
        refusal: { code: 'wrong-credentials' },
      });
  });

  it('an unknown name is refused exactly as a wrong password is: the refusal does not tell which names exist', async () => {
    await add('alice', 'correct horse battery');
    const wrong = await verifyLogin({ usersFile: file, name: 'alice', password: 'not it at all' });
    const unknown = await verifyLogin({ usersFile: file, name: 'mallory', password: 'not it at all' });
    expect(unknown).toEqual(wrong);
  });

  it('hashes with a random salt each time, compared whole', async () => {
    const a = await hashPassword('same password', TEST_COST);
    const b = await hashPassword('same password', TEST_COST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await passwordMatches('same password', a)).toBe(true);
    expect(await passwordMatches('same passwore', a)).toBe(false);
    // A hash cut short never matches (the comparison is of the whole key).
    expect(await passwordMatches('same password', { ...a, hash: a.hash.slice(0, 20) })).toBe(false);
  });

  it('refuses a short password, a bad name and a name taken in another letter case', async () => {
    await expect(add('alice', 'short')).rejects.toThrow(/too short: at least 8 characters/);
    await expect(add('al ice', 'long enough password')).rejects.toThrow(/Invalid account name "al ice"/);
    await add('alice', 'long enough password');
    await expect(add('Alice', 'long enough password')).rejects.toThrow(/The account alice already exists/);
  });

  it('list shows each account without its hash; a hash below the cost asked for is marked weak', async () => {
    await add('alice', 'long enough password', 'auditor');
    const { users } = listUsers({ usersFile: file, cost: { ...TEST_COST, N: 2048 } });
    expect(users).toEqual([
      {
        name: 'alice',
        role: 'auditor',
        createdAt: '2026-12-01T09:00:00.000Z',
        passwordChangedAt: '2026-12-01T09:00:00.000Z',
        hash: { algorithm: 'scrypt', N: 1024, r: 8, p: 1, weak: true },
      },
    ]);
    expect(JSON.stringify(users)).not.toContain(readUsersFile(file)![0]!.password.hash);
    expect(listUsers({ usersFile: file, cost: TEST_COST }).users[0]!.hash.weak).toBe(false);
  });

  it('passwd: the new password logs in, the old one no longer does, at the cost asked for now', async () => {
    await add('alice', 'the first password');
    const before = readUsersFile(file)![0]!.password;
    const raised = { ...TEST_COST, N: 2048 };
    await changePassword({
      usersFile: file,
      name: 'alice',
      password: 'the second password',
      now,
      cost: raised,
    });
    const after = readUsersFile(file)![0]!.password;
    expect(after.salt).not.toBe(before.salt);
    expect(after.N).toBe(2048);
    expect((await verifyLogin({ usersFile: file, name: 'alice', password: 'the first password' })).ok).toBe(
      false,
    );
    expect((await verifyLogin({ usersFile: file, name: 'alice', password: 'the second password' })).ok).toBe(
      true,
    );
  });

  it('remove: the account can no longer log in; the others stay', async () => {
    await add('alice', 'long enough password');
    await add('bob', 'another long password');
    expect(removeUser({ usersFile: file, name: 'alice' }).removed.name).toBe('alice');
    expect(readUsersFile(file)!.map((a) => a.name)).toEqual(['bob']);
    expect((await verifyLogin({ usersFile: file, name: 'alice', password: 'long enough password' })).ok).toBe(
      false,
    );
    expect(() => removeUser({ usersFile: file, name: 'alice' })).toThrow(/There is no account alice/);
  });
});
