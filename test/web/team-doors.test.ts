/**
 * The team console's doors, each by the requests that would get through without it: the login form's own
 * CSRF token and Origin; five wrong passwords lock the account for the set time (a moved clock, no
 * sleeping); a session idle past its time is sent to the login page; signing out ends the session; Host is
 * checked before the login page. Each test fails when its door is removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { collectingLog, cookieOf, location, send, Visitor } from './helpers.js';
import { PASSWORDS, startTeamConsole, writeUsers, type TeamConsole } from './team-helpers.js';

const LOCK_MS = 10 * 60_000;
const IDLE_MS = 30 * 60_000;
let sim: RunningSimulator;
let web: TeamConsole;
let dir: string;
const log = collectingLog();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2402, taskDurationMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-web-team-doors-'));
  const usersFile = await writeUsers(dir);
  web = await startTeamConsole({
    baseUrl: `${sim.url}/tenantui`,
    dir,
    usersFile,
    log,
    lockMs: LOCK_MS,
    idleMs: IDLE_MS,
  });
});
afterAll(async () => {
  await web?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The login form's POST with what the test chooses to send. */
async function postLogin(o: {
  cookie?: string;
  token?: string;
  origin?: string;
  name: string;
  password: string;
}) {
  return send(web.port, '/login', {
    method: 'POST',
    headers: {
      ...(o.cookie ? { Cookie: o.cookie } : {}),
      Origin: o.origin ?? `http://127.0.0.1:${web.port}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      ...(o.token ? { _csrf: o.token } : {}),
      name: o.name,
      password: o.password,
    }).toString(),
  });
}

async function loginForm() {
  const form = await send(web.port, '/login');
  return {
    cookie: cookieOf(form, 'lpsync_login'),
    token: /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!,
  };
}

describe('signing in', () => {
  it('a page asked for without a session goes to the login page; the session cookie is HttpOnly, SameSite=Strict, new at each login', async () => {
    const first = await send(web.port, '/history');
    expect(first.status).toBe(303);
    expect(location(first)).toBe('/login?next=%2Fhistory');
    expect((await send(web.port, '/plans/x/apply', { method: 'POST' })).status).toBe(401);
    const v = new Visitor(web.port, web.console.url);
    const answer = await v.login('alice', PASSWORDS.alice);
    expect(answer.status).toBe(303);
    const set = String(answer.headers['set-cookie']);
    expect(set).toMatch(/lpsync_session=[A-Za-z0-9_-]{40,};.*HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).not.toMatch(/Secure/i);
    const again = new Visitor(web.port, web.console.url);
    await again.login('alice', PASSWORDS.alice);
    expect(again.cookie).not.toBe(v.cookie);
    expect(log.lines.some((l) => l.message === 'console login' && l.fields.user === 'alice')).toBe(true);
  });

  it('the login form without its token, with another form’s, or from another site is refused (403), the password right', async () => {
    const form = await loginForm();
    const other = await loginForm();
    const tries = [
      { cookie: form.cookie, name: 'alice', password: PASSWORDS.alice },
      { cookie: form.cookie, token: other.token, name: 'alice', password: PASSWORDS.alice },
      { token: form.token, name: 'alice', password: PASSWORDS.alice },
      { ...form, origin: 'http://evil.example', name: 'alice', password: PASSWORDS.alice },
    ];
    for (const t of tries) {
      const answer = await postLogin(t);
      expect(answer.status).toBe(403);
      expect(String(answer.headers['set-cookie'])).not.toContain('lpsync_session=');
    }
    expect((await postLogin({ ...form, name: 'alice', password: PASSWORDS.alice })).status).toBe(303);
  });

  it('a Host that is not this console is refused (421) before the login page', async () => {
    const answer = await send(web.port, '/login', { headers: { Host: 'evil.example:80' } });
    expect(answer.status).toBe(421);
    expect(answer.text).not.toContain('name="password"');
  });
});

describe('a signed-in session', () => {
  it('a change without the session’s CSRF token, or from another site, is refused (403); every page carries the CSP', async () => {
    const alice = await web.as('alice');
    const bob = await web.as('bob');
    const path = `/plans/${'a'.repeat(64)}/approve`;
    expect((await bob.post(path, {}, { csrf: false })).status).toBe(403);
    expect((await bob.post(path, { _csrf: alice.csrf }, { csrf: false })).status).toBe(403);
    const foreign = await bob.post(path, {}, { headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('may not change anything here');
    // With its token and from here, the same request reaches the route (no such plan: 404).
    expect((await bob.post(path)).status).toBe(404);
    for (const answer of [await send(web.port, '/login'), await bob.get('/history'), await bob.get('/audit')])
      expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self';/);
  });
});

describe('the login limits', () => {
  it('five wrong passwords lock the account for the set time, the right one included; then it opens again', async () => {
    for (let i = 1; i <= 5; i++) {
      const answer = await new Visitor(web.port, web.console.url).login('bob', `wrong ${i} password`);
      expect(answer.status).toBe(i < 5 ? 401 : 429);
    }
    const locked = await new Visitor(web.port, web.console.url).login('bob', PASSWORDS.bob);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('The account bob is locked after 5 wrong passwords, until');
    expect(locked.headers['set-cookie'] ?? '').not.toContain('lpsync_session=');
    // Another account is not locked by bob's failures.
    expect((await new Visitor(web.port, web.console.url).login('audrey', PASSWORDS.audrey)).status).toBe(303);
    web.clock.move(LOCK_MS - 1_000);
    expect((await new Visitor(web.port, web.console.url).login('bob', PASSWORDS.bob)).status).toBe(429);
    web.clock.move(2_000);
    expect((await new Visitor(web.port, web.console.url).login('bob', PASSWORDS.bob)).status).toBe(303);
    const refusals = log.lines.filter(
      (l) => l.message === 'console login refused' && l.fields.user === 'bob',
    );
    expect(refusals.map((l) => l.fields.code)).toEqual([
      ...Array(4).fill('wrong-credentials'),
      'account-locked',
      'account-locked',
      'account-locked',
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(PASSWORDS.bob);
  });
});

describe('the session', () => {
  it('a session idle past its time is sent to the login page; one in use stays', async () => {
    const kept = await web.as('alice');
    const idle = await web.as('audrey');
    web.clock.move(IDLE_MS - 60_000);
    expect((await kept.get('/history')).status).toBe(200);
    web.clock.move(120_000);
    expect((await kept.get('/history')).status).toBe(200);
    const ended = await idle.get('/history');
    expect(ended.status).toBe(303);
    expect(location(ended)).toBe('/login?next=%2Fhistory&ended=1');
    expect((await idle.get(location(ended))).text).toContain('Your session ended');
    expect((await idle.post('/logout')).status).toBe(401);
  });

  it('signing out ends the session: its cookie opens nothing afterwards', async () => {
    const v = await web.as('alice');
    const out = await v.post('/logout');
    expect(out.status).toBe(303);
    expect(location(out)).toBe('/login?out=1');
    const after = await v.get('/history');
    expect(after.status).toBe(303);
    expect(location(after)).toMatch(/^\/login\?/);
  });
});
