/**
 * The console's protections, each by the request a browser or an attacker would send: no token or
 * cookie, a wrong Host (DNS rebinding), a foreign Origin, no CSRF token, an upload over the cap, an
 * apply while another run holds the writer lock. Each is refused, and each test fails without its door.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { SAMPLE } from '../e2e/cli-helpers.js';
import { location, send, startTestConsole, Visitor, type TestConsole } from './helpers.js';

let sim: RunningSimulator;
let web: TestConsole;
let dir: string;
let temp: string;
const CAP = 64 << 10;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, taskDurationMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-web-doors-'));
  temp = mkdtempSync(join(tmpdir(), 'lpsync-web-temp-'));
  web = await startTestConsole({
    baseUrl: `${sim.url}/tenantui`,
    statePath: join(dir, 'state.db'),
    reportsDir: join(dir, 'reports'),
    maxUploadBytes: CAP,
    tempDir: temp,
  });
});
afterAll(async () => {
  await web?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
});

async function visitor(): Promise<Visitor> {
  const v = new Visitor(web.port, web.console.url);
  await v.signIn();
  await v.get('/');
  return v;
}

describe('the token and the session cookie', () => {
  it('without the token or a cookie every page is 401; the token once sets an HttpOnly SameSite=Strict cookie and leaves the URL', async () => {
    for (const path of ['/', '/uploads/x/validate', '/plans/x/apply', '/runs/x'])
      expect((await send(web.port, path)).status).toBe(401);
    expect((await send(web.port, '/?token=not-the-token')).status).toBe(401);
    expect((await send(web.port, '/', { headers: { Cookie: 'lpsync_session=made-up' } })).status).toBe(401);

    const first = await send(web.port, new URL(web.console.url).pathname + new URL(web.console.url).search);
    expect(first.status).toBe(303);
    expect(location(first)).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^lpsync_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const page = await send(web.port, '/', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Upload a workbook');
    expect(page.text).not.toContain(new URL(web.console.url).searchParams.get('token')!);
  });

  it('every answer carries the CSP without inline script or style, nosniff, no referrer and no-store', async () => {
    const v = await visitor();
    for (const answer of [await v.get('/'), await send(web.port, '/')]) {
      expect(answer.headers['content-security-policy']).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    const page = (await v.get('/')).text;
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page).not.toMatch(/<style|\sstyle=/);
  });
});

describe('Host and Origin', () => {
  it('a Host that is not this server (DNS rebinding) is refused with 421, even with a valid cookie', async () => {
    const v = await visitor();
    const rebound = await v.get('/', { Host: `attacker.example:${web.port}` });
    expect(rebound.status).toBe(421);
    expect((await v.get('/', { Host: `127.0.0.1:${web.port + 1}` })).status).toBe(421);
    expect((await v.get('/', { Host: `localhost:${web.port}` })).status).toBe(200);
    expect((await send(web.port, '/assets/console.js', { headers: { Host: 'evil.example' } })).status).toBe(
      421,
    );
  });

  it('a state-changing request from a foreign Origin is refused with 403, its CSRF token right', async () => {
    const v = await visitor();
    const foreign = await v.post('/session/end', {}, { headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const crossSite = await v.post(
      '/session/end',
      {},
      { headers: { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' } },
    );
    expect(crossSite.status).toBe(403);
    expect((await v.get('/')).status).toBe(200);
    // The console's own form under no-referrer: Origin null, Sec-Fetch-Site same-origin.
    const own = await v.post(
      '/session/end',
      {},
      { headers: { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' } },
    );
    expect(own.status).toBe(200);
    expect((await v.get('/')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('a POST without the session token, or with another session’s, is refused with 403', async () => {
    const v = await visitor();
    const other = await visitor();
    expect((await v.post('/session/end', {}, { csrf: false })).status).toBe(403);
    expect((await v.post('/session/end', { _csrf: other.csrf }, { csrf: false })).status).toBe(403);
    expect(
      (await v.upload([{ role: 'workbook', name: 'c.xlsx', bytes: Buffer.from('x') }], { csrf: false }))
        .status,
    ).toBe(403);
    expect((await v.post('/uploads/none/plan', { mode: 'upsert' }, { csrf: false })).status).toBe(403);
    expect((await v.get('/')).status).toBe(200);
    expect((await v.post('/session/end')).status).toBe(200);
  });
});

describe('uploads', () => {
  it('an upload over the cap is refused with 413 and a clear page; nothing of it is kept', async () => {
    const v = await visitor();
    const big = await v.upload([{ role: 'workbook', name: 'big.xlsx', bytes: Buffer.alloc(CAP * 3, 1) }]);
    expect(big.status).toBe(413);
    expect(big.text).toContain('Upload too large');
    expect(big.text).toContain('--max-upload-mb');
    // Under the whole request's cap but one file over it: the multipart limit stops it.
    const one = await v.upload([{ role: 'workbook', name: 'big.xlsx', bytes: Buffer.alloc(CAP + 1000, 1) }]);
    expect(one.status).toBe(413);
    const kept = readdirSync(temp).flatMap((d) =>
      readdirSync(join(temp, d), { recursive: true }).map(String),
    );
    expect(kept.filter((f) => String(f).endsWith('big.xlsx'))).toEqual([]);
  });

  it('an upload is stored 0600 in a 0700 folder of the session, deleted when the session ends', async () => {
    const v = await visitor();
    const taken = await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }]);
    expect(taken.status).toBe(303);
    expect(location(taken)).toMatch(/^\/uploads\/[A-Za-z0-9_-]+\/validate$/);
    const folders = readdirSync(temp).filter((d) => d.startsWith('lpsync-console-'));
    const stored = folders
      .flatMap((d) => readdirSync(join(temp, d), { recursive: true }).map((f) => join(temp, d, String(f))))
      .filter((f) => f.endsWith('customers.xlsx'));
    expect(stored).toHaveLength(1);
    expect(statSync(stored[0]!).mode & 0o777).toBe(0o600);
    expect(statSync(join(stored[0]!, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(join(stored[0]!, '..', '..')).mode & 0o777).toBe(0o700);
    expect((await v.get(location(taken))).status).toBe(200);
    expect((await v.post('/session/end')).status).toBe(200);
    expect(() => statSync(stored[0]!)).toThrow();
  });
});

describe('one writer', () => {
  it('while another run holds the state store lock, the console names it, offers no Apply, and refuses one (409)', async () => {
    const v = await visitor();
    const up = await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }]);
    const id = /\/uploads\/([^/]+)\//.exec(location(up))![1]!;
    await v.get(`/uploads/${id}/validate`);
    const planned = await v.post(`/uploads/${id}/plan`, { mode: 'upsert', only: '', limit: '' });
    expect(planned.status).toBe(303);
    const planPage = await v.get(`/uploads/${id}/plan`);
    const sha = /\/plans\/([0-9a-f]{64})\/apply/.exec(planPage.text)![1]!;

    // The lock as a CLI apply takes it: a live process (this one) on this host.
    const store = openStateStore(join(dir, 'state.db'));
    const attempt = store.acquireLock({ runId: 'run-cli-holds-it', pid: process.pid, host: hostname() });
    if (!attempt.ok) throw new Error('the lock was not free');
    try {
      const confirm = await v.get(`/plans/${sha}/apply`);
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain('Another lpsync run is applying now');
      expect(confirm.text).toContain(`process ${process.pid} on ${hostname()}`);
      expect(confirm.text).toContain('run-cli-holds-it');
      expect(confirm.text).not.toContain(`action="/plans/${sha}/apply"`);
      const refused = await v.post(`/plans/${sha}/apply`);
      expect(refused.status).toBe(409);
      expect(sim.snapshot().services).toHaveLength(0);
    } finally {
      attempt.lock.release();
      store.close();
    }
    const offered = await v.get(`/plans/${sha}/apply`);
    expect(offered.text).toContain(`action="/plans/${sha}/apply"`);
  });
});

describe('shutdown', () => {
  it('closing the console ends every session: their uploads are deleted', async () => {
    const own = mkdtempSync(join(tmpdir(), 'lpsync-web-close-'));
    const other = await startTestConsole({
      baseUrl: `${sim.url}/tenantui`,
      statePath: join(dir, 'state-close.db'),
      reportsDir: join(dir, 'reports'),
      tempDir: own,
    });
    const v = new Visitor(other.port, other.console.url);
    await v.signIn();
    await v.get('/');
    expect(
      (await v.upload([{ role: 'workbook', name: 'customers.xlsx', bytes: readFileSync(SAMPLE) }])).status,
    ).toBe(303);
    expect(readdirSync(own).filter((d) => d.startsWith('lpsync-console-'))).toHaveLength(1);
    await other.close();
    expect(readdirSync(own)).toEqual([]);
    rmSync(own, { recursive: true, force: true });
  });
});
