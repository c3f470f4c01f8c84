/**
 * `lpsync doctor`: all green against the simulator, one line per check; each failure says what to
 * do (settings, TCP, TLS with and without the private CA, through a proxy, a refused token, a
 * refused client secret, an answer with unknown fields, a skewed clock, the state store); exit
 * 0 / 1 / 3; and nothing written — not even a state store that does not exist yet.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor, type DoctorArgs } from '../../src/cli/commands/doctor.js';
import { openStateStore, SCHEMA_VERSION } from '../../src/state/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startForwardProxy, type ForwardProxy } from '../api/forward-proxy.js';
import { makePrivateCa, startTlsTerminator, type Terminator } from '../api/private-ca.js';
import { runCli, SAMPLE } from '../e2e/cli-helpers.js';
import { vendorServiceListNewerRelease, vendorSiteReadBack } from '../support/vendor-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-doctor-'));
let sim: RunningSimulator;
let terminator: Terminator;
let proxy: ForwardProxy;
let caFile = '';
let fake: Server;
let fakeUrl = '';
let fakeDateOffsetMs = 0;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 31 });
  const ca = makePrivateCa(dir, 400);
  caFile = ca.caFile;
  terminator = await startTlsTerminator(ca, sim.port);
  proxy = await startForwardProxy({ user: 'doc', password: 'DocProxy-Pw1' });
  // A platform of a newer release, whose clock can be set.
  fake = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path.endsWith('/api/v3/customer') ? vendorServiceListNewerRelease : vendorSiteReadBack;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      Date: new Date(Date.now() + fakeDateOffsetMs).toUTCString(),
    });
    res.end(JSON.stringify(body));
  });
  fake.on('request', () => undefined);
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/tenantui`;
  // Something to list and read back.
  const seeded = await runCli(
    ['apply', SAMPLE, '--state', join(dir, 'seed.db'), '--reports-dir', join(dir, 'reports')],
    {
      cwd: dir,
      baseUrl: `${sim.url}/tenantui`,
    },
  );
  expect(seeded.code, seeded.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => fake.close(() => resolve()));
  await proxy.close();
  await terminator.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const args = (partial: Partial<DoctorArgs> = {}): DoctorArgs => ({
  state: join(dir, 'absent', 'state.db'),
  format: 'text',
  verbose: false,
  ...partial,
});
const token = (baseUrl: string) => ({ LPSYNC_BASE_URL: baseUrl, LPSYNC_TOKEN: 'demo-token' });
const line = (stdout: string, title: string) =>
  stdout.split('\n').find((l) => l.slice(2).startsWith(`${title}:`)) ?? '';

/** Every file under `root` with its size and mtime: what "nothing written" is checked against. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${p} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(root);
  return out.sort();
}

describe('lpsync doctor', () => {
  it('against the simulator: all green, one line per check, exit 0 — through the real CLI', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = await runCli(['doctor'], {
      cwd,
      baseUrl: `${sim.url}/tenantui`,
      env: {
        LPSYNC_TOKEN: '',
        LPSYNC_TOKEN_URL: `${sim.url}/oauth2/v2.0/token`,
        LPSYNC_CLIENT_ID: 'lpsync-demo',
        LPSYNC_CLIENT_SECRET: 'demo-secret',
        LPSYNC_SCOPE: 'api://lp/.default',
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`lpsync doctor: ${sim.url}/tenantui`);
    const checks = lines.slice(1, -1);
    expect(checks.map((l) => l.split(':')[0])).toEqual([
      '✓ Settings',
      '✓ Base URL',
      '✓ DNS',
      '✓ TCP',
      '✓ TLS',
      '✓ Token',
      '✓ Listing',
      '✓ Read-back',
      '✓ Clock',
      '✓ State store',
    ]);
    expect(line(r.stdout, 'Settings')).toContain(
      'baseUrl ← LPSYNC_BASE_URL; credentials ← client credentials from LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET, LPSYNC_SCOPE',
    );
    expect(line(r.stdout, 'Token')).toMatch(
      /obtained from 127\.0\.0\.1:\d+ in \d+ ms for client lpsync-demo: expires in 60 min, scope api:\/\/lp\/\.default/,
    );
    expect(line(r.stdout, 'Listing')).toContain(
      '8 service(s), 17 SIP connection(s); every field as documented',
    );
    expect(line(r.stdout, 'State store')).toContain('does not exist yet: the first apply creates it');
    expect(lines.at(-1)).toBe('All checks passed: lpsync can work from here.');
    expect(r.stdout + r.stderr).not.toContain('demo-secret');
    // Nothing written: not the state store, not its folder.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--format json: the same checks as data', async () => {
    const r = await doctor(args({ format: 'json' }), token(`${sim.url}/tenantui`));
    const json = JSON.parse(r.stdout) as {
      ok: boolean;
      exitCode: number;
      checks: Array<{ id: string; status: string; data?: Record<string, unknown> }>;
    };
    expect(r.exitCode).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.id)).toEqual([
      'settings',
      'url',
      'dns',
      'tcp',
      'tls',
      'token',
      'listing',
      'read-back',
      'clock',
      'state',
    ]);
    expect(json.checks.every((c) => c.status === 'ok')).toBe(true);
    expect(json.checks[0]!.data).toMatchObject({
      sources: { baseUrl: 'LPSYNC_BASE_URL', credentials: 'static token from LPSYNC_TOKEN' },
    });
  });

  it('an existing state store is read, not touched (no -wal/-shm left, same bytes and times)', async () => {
    const state = join(dir, 'existing', 'state.db');
    const store = openStateStore(state);
    store.createRun({
      runId: 'run-x',
      command: 'reconcile',
      inputFile: 'c.xlsx',
      inputDigest: 'd',
      baseUrl: 'u',
      startedAt: '2026-11-30T02:15:00.000Z',
    });
    store.close();
    const before = snapshot(join(dir, 'existing'));
    const r = await doctor(args({ state }), token(`${sim.url}/tenantui`));
    expect(snapshot(join(dir, 'existing'))).toEqual(before);
    expect(line(r.stdout, 'State store')).toContain(
      `${state}; schema ${SCHEMA_VERSION}; last run run-x (reconcile, running, started 2026-11-30T02:15:00.000Z); it did not finish`,
    );
    expect(r.exitCode).toBe(0);
  });

  it('a state store from a newer lpsync, or a file that is not one: ✗, exit 3', async () => {
    const newer = join(dir, 'newer.db');
    const db = new Database(newer);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99)');
    db.close();
    const r = await doctor(args({ state: newer }), token(`${sim.url}/tenantui`));
    expect(r.exitCode).toBe(3);
    expect(line(r.stdout, 'State store')).toMatch(
      /^✗ .*written by a newer lpsync .*→ Run the lpsync version/,
    );
    mkdirSync(join(dir, 'folder.db'));
    expect(
      line(
        (await doctor(args({ state: join(dir, 'folder.db') }), token(`${sim.url}/tenantui`))).stdout,
        'State store',
      ),
    ).toMatch(/^✗ .*not a file/);
  });

  it('no settings: ✗ Settings with what to do, the rest not tried, exit 3', async () => {
    const r = await doctor(args(), {});
    expect(r.exitCode).toBe(3);
    expect(line(r.stdout, 'Settings')).toMatch(
      /^✗ Settings: No Live Platform URL.* → It is the provider host followed by \/tenantui/,
    );
    expect(r.stdout).toContain('lpsync cannot work from here');
  });

  it('nothing listening: ✗ TCP with what to do; the API checks not tried', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await doctor(args(), token(`http://127.0.0.1:${port}/tenantui`));
    expect(r.exitCode).toBe(3);
    expect(line(r.stdout, 'TCP')).toMatch(
      new RegExp(
        `^✗ TCP: cannot connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.* → Check the host and port`,
      ),
    );
    expect(line(r.stdout, 'Listing')).toMatch(/^– Listing: not tried/);
  });

  it('TLS: a private CA not given is ✗ with --ca-file as the fix; given, ✓ with its chain; also through a proxy', async () => {
    const baseUrl = `${terminator.url}/tenantui`;
    const untrusted = await doctor(args(), token(baseUrl));
    expect(untrusted.exitCode).toBe(3);
    expect(line(untrusted.stdout, 'TLS')).toMatch(
      /^✗ TLS: the certificate is not trusted \(.*\): TLSv1\.3, chain 127\.0\.0\.1.* → Pass --ca-file/,
    );

    const trusted = await doctor(args({ caFile }), token(baseUrl));
    expect(trusted.exitCode, trusted.stdout).toBe(0);
    expect(line(trusted.stdout, 'TLS')).toMatch(
      /^✓ TLS: verified: TLSv1\.3, chain 127\.0\.0\.1 .*valid until .* \(399 days\); --ca-file .*ca\.pem trusted/,
    );

    // A certificate that expires within 30 days: a warning, exit 1.
    const shortDir = join(dir, 'short-ca');
    mkdirSync(shortDir);
    const short = makePrivateCa(shortDir, 2);
    const soon = await startTlsTerminator(short, sim.port);
    try {
      const r = await doctor(args({ caFile: short.caFile }), token(`${soon.url}/tenantui`));
      expect(r.exitCode).toBe(1);
      expect(line(r.stdout, 'TLS')).toMatch(
        /^! TLS: the certificate expires soon: .*\(1 days\).* → Tell the platform operator/,
      );
    } finally {
      await soon.close();
    }

    const env = { ...token(baseUrl), HTTPS_PROXY: `http://doc:DocProxy-Pw1@127.0.0.1:${proxy.port}` };
    const proxied = await doctor(args({ caFile }), env);
    expect(proxied.exitCode, proxied.stdout).toBe(0);
    expect(line(proxied.stdout, 'DNS')).toContain(
      `(the proxy http://doc:***@127.0.0.1:${proxy.port} from HTTPS_PROXY; it resolves 127.0.0.1)`,
    );
    expect(line(proxied.stdout, 'TCP')).toContain(`connected to 127.0.0.1:${proxy.port}`);
    expect(line(proxied.stdout, 'TLS')).toContain(`through http://doc:***@127.0.0.1:${proxy.port}`);
    expect(line(proxied.stdout, 'Settings')).toContain('proxy ← HTTPS_PROXY');
    expect(proxied.stdout).not.toContain('DocProxy-Pw1');
  });

  it('a refused token or client secret: ✗ with the reason and what to check', async () => {
    const refused = await doctor(args(), {
      LPSYNC_BASE_URL: `${sim.url}/tenantui`,
      LPSYNC_TOKEN: 'expired-token-123',
    });
    expect(refused.exitCode).toBe(3);
    expect(line(refused.stdout, 'Listing')).toMatch(
      /^✗ Listing: The Live Platform refused the access token from LPSYNC_TOKEN \(HTTP 401\)\. A 401 means .* → /,
    );
    expect(refused.stdout).not.toContain('expired-token-123');
    const secret = await doctor(args(), {
      LPSYNC_BASE_URL: `${sim.url}/tenantui`,
      LPSYNC_TOKEN_URL: `${sim.url}/oauth2/token`,
      LPSYNC_CLIENT_ID: 'lpsync-demo',
      LPSYNC_CLIENT_SECRET: 'wrong-secret-456',
    });
    expect(secret.exitCode).toBe(3);
    expect(line(secret.stdout, 'Token')).toMatch(
      /^✗ Token: The token endpoint \/oauth2\/token refused client id "lpsync-demo" \(HTTP 401\).* → Check LPSYNC_CLIENT_ID/,
    );
    expect(line(secret.stdout, 'Listing')).toBe('– Listing: not tried: no token');
    expect(secret.stdout).not.toContain('wrong-secret-456');
  });

  it('a platform with unknown fields and a clock 10 minutes off: warnings (!), exit 1', async () => {
    fakeDateOffsetMs = 10 * 60_000;
    try {
      const r = await doctor(args(), token(fakeUrl));
      expect(r.exitCode, r.stdout).toBe(1);
      expect(line(r.stdout, 'Listing')).toMatch(
        /^! Listing: .*2 service\(s\), 2 SIP connection\(s\); fields lpsync does not know: SiteLocation\[\]\.sbcVersion, PartnerId; values lpsync does not know: SiteLocation\[\]\.sbcDeploymentState = Provisioning, LicenseType = 5 → /,
      );
      expect(line(r.stdout, 'Clock')).toMatch(
        /^! Clock: this machine's clock is (599|600|601) s behind the Live Platform's .* → Set the clock \(NTP\)/,
      );
      expect(r.stdout.trim().split('\n').at(-1)).toBe('lpsync can work, with 2 warning(s) (!) to look at.');
    } finally {
      fakeDateOffsetMs = 0;
    }
  });
});
