/**
 * How the team console is reached. With --tls-cert/--tls-key it speaks HTTPS (a self-signed certificate
 * made here with openssl), its cookies Secure and HSTS sent. Behind a TLS proxy (--behind-tls-proxy
 * ADDRESS --public-url) the proxy's X-Forwarded-For is believed from that address only: from another it is
 * ignored, and the Host must still be the console's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { collectingLog, cookieOf, send } from './helpers.js';
import { PASSWORDS, startTeamConsole, writeUsers, type TeamConsole } from './team-helpers.js';

const PROXY = '127.0.0.2';
const PUBLIC = 'https://lpsync.example.test';
let sim: RunningSimulator;
let dir: string;
let usersFile: string;
const started: TeamConsole[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2403 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-web-team-reach-'));
  usersFile = await writeUsers(dir);
});
afterAll(async () => {
  for (const web of started) await web.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(
  team: NonNullable<Parameters<typeof startTeamConsole>[0]['team']>,
  log = collectingLog(),
) {
  const web = await startTeamConsole({ baseUrl: `${sim.url}/tenantui`, dir, usersFile, log, team });
  started.push(web);
  return { web, log };
}

/** A login as the form sends it, with the headers and the source address given. */
async function login(
  port: number,
  o: { headers?: Record<string, string>; origin: string; ca?: Buffer; localAddress?: string },
) {
  const via = { ...(o.ca ? { ca: o.ca } : {}), ...(o.localAddress ? { localAddress: o.localAddress } : {}) };
  const form = await send(port, '/login', { headers: o.headers ?? {}, ...via });
  expect(form.status).toBe(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  return send(port, '/login', {
    method: 'POST',
    headers: {
      ...o.headers,
      Cookie: cookieOf(form, 'lpsync_login'),
      Origin: o.origin,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: token, name: 'alice', password: PASSWORDS.alice }).toString(),
    ...via,
  });
}

describe('TLS', () => {
  it('with a certificate and key the console speaks HTTPS: Secure cookies, HSTS; plain HTTP gets no page', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-keyout', key, '-out', cert, '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'ignore' }); // prettier-ignore
    const ca = readFileSync(cert);
    const { web } = await start({ tls: { cert: ca, key: readFileSync(key) } });
    expect(web.console.url).toBe(`https://127.0.0.1:${web.port}/login`);
    const answer = await login(web.port, { ca, origin: `https://127.0.0.1:${web.port}` });
    expect(answer.status).toBe(303);
    expect(String(answer.headers['set-cookie'])).toMatch(/lpsync_session=[^;]+;.*Secure/i);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    // The http:// origin is not this console's: a form posted from it is refused.
    expect((await login(web.port, { ca, origin: `http://127.0.0.1:${web.port}` })).status).toBe(403);
    await expect(send(web.port, '/login')).rejects.toThrow();
  });
});

describe('behind a TLS proxy', () => {
  it('X-Forwarded-For is believed from the proxy’s address only; cookies are Secure; Host must be the public one', async () => {
    const { web, log } = await start({ behindTlsProxy: PROXY, publicUrl: PUBLIC });
    expect(web.console.url).toBe(`${PUBLIC}/login`);
    const forwarded = (client: string) => ({
      Host: 'lpsync.example.test',
      'X-Forwarded-For': client,
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'lpsync.example.test',
    });
    const viaProxy = await login(web.port, {
      headers: forwarded('203.0.113.7'),
      origin: PUBLIC,
      localAddress: PROXY,
    });
    expect(viaProxy.status).toBe(303);
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/lpsync_session=[^;]+;.*Secure/i);
    const notProxy = await login(web.port, { headers: forwarded('203.0.113.8'), origin: PUBLIC });
    expect(notProxy.status).toBe(303);
    const addresses = log.lines.filter((l) => l.message === 'console login').map((l) => l.fields.address);
    expect(addresses).toEqual(['203.0.113.7', '127.0.0.1']);
    // Not the public name: refused, whoever sends it.
    for (const localAddress of [PROXY, '127.0.0.1']) {
      const wrong = await send(web.port, '/login', {
        headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
        localAddress,
      });
      expect(wrong.status).toBe(421);
    }
  });
});
