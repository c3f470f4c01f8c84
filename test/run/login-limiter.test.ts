/**
 * Login attempts limited per account and per address, on a clock the test moves: five wrong passwords lock
 * the account for the set time (the right password included, and the refusal says until when), the lock
 * ends on time; an address that sprays wrong passwords over many names is locked whatever the name; a burst
 * of attempts at once cannot try more passwords than the lock allows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLimiter, isRefusal, type LoginAttempt } from '../../src/run/login-limiter.js';
import { addUser, verifyLogin } from '../../src/run/users.js';
import { TEST_COST } from '../support/scrypt-cost.js';

let dir: string;
let usersFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-login-'));
  usersFile = join(dir, 'users.json');
  const now = () => new Date('2026-12-01T09:00:00.000Z');
  await addUser({
    usersFile,
    name: 'alice',
    role: 'operator',
    password: 'alice password',
    now,
    cost: TEST_COST,
  });
  await addUser({ usersFile, name: 'bob', role: 'approver', password: 'bob password', now, cost: TEST_COST });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A clock the test moves, and a limiter on it. */
function limited(options: { maxFailures?: number; lockMs?: number; addressMaxFailures?: number } = {}) {
  let t = Date.parse('2026-12-01T10:00:00.000Z');
  const limiter = createLoginLimiter({ ...options, now: () => t });
  const login = (name: string, password: string, address = '192.0.2.10') =>
    verifyLogin({ usersFile, name, password, limiter, address });
  return { limiter, login, advance: (ms: number) => (t += ms) };
}

describe('the login limiter', () => {
  it('locks an account after 5 wrong passwords for 15 minutes, says so until then, and opens on time', async () => {
    const { login, advance } = limited();
    for (let i = 1; i <= 4; i++)
      expect(await login('alice', `wrong ${i}`)).toEqual({
        ok: false,
        refusal: { code: 'wrong-credentials', message: 'The name or password is wrong.' },
      });
    const fifth = await login('alice', 'wrong 5');
    expect(fifth).toMatchObject({
      ok: false,
      refusal: { code: 'account-locked', until: '2026-12-01T10:15:00.000Z' },
    });
    // Locked: the right password is refused too, and the refusal says so and until when.
    const locked = await login('alice', 'alice password');
    expect(locked).toEqual({
      ok: false,
      refusal: {
        code: 'account-locked',
        message: 'The account alice is locked after 5 wrong passwords, until 2026-12-01T10:15:00.000Z.',
        until: '2026-12-01T10:15:00.000Z',
      },
    });
    // Another account, from the same address, is not locked.
    expect((await login('bob', 'bob password')).ok).toBe(true);
    advance(15 * 60_000 - 1);
    expect(await login('alice', 'alice password')).toMatchObject({ refusal: { code: 'account-locked' } });
    advance(1);
    expect(await login('alice', 'alice password')).toEqual({
      ok: true,
      user: { name: 'alice', role: 'operator' },
    });
  });

  it('a good login starts the count again; wrong passwords older than the lock time stop counting', async () => {
    const { login, advance } = limited();
    for (let i = 0; i < 4; i++) await login('alice', 'wrong');
    expect((await login('alice', 'alice password')).ok).toBe(true);
    for (let i = 0; i < 4; i++) await login('alice', 'wrong');
    advance(15 * 60_000);
    // The four above no longer count: four more are not yet a lock.
    for (let i = 0; i < 4; i++)
      expect(await login('alice', 'wrong')).toMatchObject({ refusal: { code: 'wrong-credentials' } });
    expect(await login('alice', 'wrong')).toMatchObject({ refusal: { code: 'account-locked' } });
  });

  it('the lock time and the count are the server’s to set', async () => {
    const { login, advance } = limited({ maxFailures: 2, lockMs: 60_000 });
    await login('bob', 'wrong');
    expect(await login('bob', 'wrong')).toMatchObject({
      refusal: { code: 'account-locked', until: '2026-12-01T10:01:00.000Z' },
    });
    advance(60_000);
    expect((await login('bob', 'bob password')).ok).toBe(true);
    expect(() => createLoginLimiter({ maxFailures: 0 })).toThrow(/Invalid login limit maxFailures/);
  });

  it('limits an address: wrong passwords spread over many names lock that address, not another', async () => {
    const { login, advance } = limited({ addressMaxFailures: 6 });
    for (let i = 0; i < 5; i++)
      expect(await login(`guess${i}`, 'wrong', '198.51.100.7')).toMatchObject({
        refusal: { code: 'wrong-credentials' },
      });
    expect(await login('guess5', 'wrong', '198.51.100.7')).toMatchObject({
      refusal: { code: 'address-locked', until: '2026-12-01T10:15:00.000Z' },
    });
    // From that address, even a right password waits; from another, alice logs in.
    expect(await login('alice', 'alice password', '198.51.100.7')).toMatchObject({
      ok: false,
      refusal: { code: 'address-locked' },
    });
    expect((await login('alice', 'alice password', '203.0.113.5')).ok).toBe(true);
    advance(15 * 60_000);
    expect((await login('alice', 'alice password', '198.51.100.7')).ok).toBe(true);
  });

  it('a good login from an address does not wipe its wrong ones (one known account cannot cover a spray)', async () => {
    const { login } = limited({ addressMaxFailures: 3 });
    await login('x1', 'wrong', '198.51.100.8');
    await login('x2', 'wrong', '198.51.100.8');
    expect((await login('alice', 'alice password', '198.51.100.8')).ok).toBe(true);
    expect(await login('x3', 'wrong', '198.51.100.8')).toMatchObject({ refusal: { code: 'address-locked' } });
  });

  it('attempts under way count: a burst cannot try more passwords than the lock allows', () => {
    const { limiter } = limited();
    const started = Array.from({ length: 7 }, () => limiter.begin('alice', '192.0.2.20'));
    const attempts = started.filter((s): s is LoginAttempt => !isRefusal(s));
    expect(attempts).toHaveLength(5);
    expect(started.slice(5)).toEqual([
      { code: 'too-many-attempts', message: 'Too many logins for alice at once: try again in a moment.' },
      { code: 'too-many-attempts', message: 'Too many logins for alice at once: try again in a moment.' },
    ]);
    const outcomes = attempts.map((a) => a.failed());
    expect(outcomes.at(-1)).toMatchObject({ code: 'account-locked' });
    expect(() => attempts[0]!.failed()).toThrow(/ends once/);
  });
});
