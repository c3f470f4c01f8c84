/**
 * Proxy support: the rules (HTTPS_PROXY / HTTP_PROXY / NO_PROXY in either case, --proxy, config),
 * and the client through a forwarding proxy on loopback that records what passed through it —
 * absolute-form requests for http, CONNECT tunnels for https (with a private CA behind them),
 * the token endpoint by the same rules, kept-alive connections, and a password never shown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/index.js';
import { bypasses, proxyFor, resolveProxyRules, showProxy } from '../../src/api/proxy.js';
import { RunError } from '../../src/model/errors.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { clientCredentials, clientFor, customerBody, flush } from './helpers.js';
import { makePrivateCa, startTlsTerminator, type Terminator } from './private-ca.js';

const USER = 'corp\\lpsync';
const PASSWORD = 'Pr0xy-Pass:w@rd/9';
const credentials = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const url = (u: string) => new URL(u);

describe('proxy rules, as curl and npm read them', () => {
  it('HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs, in either case; lower case wins', () => {
    const rules = resolveProxyRules({
      env: {
        HTTPS_PROXY: 'http://upper:3128',
        https_proxy: 'http://lower:3128',
        HTTP_PROXY: 'proxy.corp:8080',
      },
    });
    expect(rules.https?.url.href).toBe('http://lower:3128/');
    expect(rules.https?.source).toBe('https_proxy');
    // Without a scheme it is an http:// proxy, as curl reads it.
    expect(rules.http?.url.href).toBe('http://proxy.corp:8080/');
    expect(rules.http?.source).toBe('HTTP_PROXY');
    expect(proxyFor(rules, url('https://lp.example.com/tenantui'))?.url.host).toBe('lower:3128');
    expect(proxyFor(rules, url('http://lp.example.com/tenantui'))?.url.host).toBe('proxy.corp:8080');
    expect(
      proxyFor(resolveProxyRules({ env: { HTTP_PROXY: 'http://p:1' } }), url('https://x.example.com')),
    ).toBe(null);
  });

  it('--proxy (or config "proxy") is used for every URL, over the environment', () => {
    const rules = resolveProxyRules({
      explicit: { value: 'http://flag:1', source: '--proxy' },
      env: { HTTPS_PROXY: 'http://env:2' },
    });
    expect(proxyFor(rules, url('https://a.example.com'))?.source).toBe('--proxy');
    expect(proxyFor(rules, url('http://a.example.com'))?.url.host).toBe('flag:1');
  });

  it('NO_PROXY: *, a domain and its subdomains (with or without a leading dot or *.), host:port, IPs, CIDR, IPv6', () => {
    const list = (v: string) => resolveProxyRules({ env: { no_proxy: v } }).noProxy;
    expect(bypasses(list('*'), url('https://anything.example'))).toBe(true);
    const domains = list('example.com, .corp.local *.internal');
    expect(bypasses(domains, url('https://example.com'))).toBe(true);
    expect(bypasses(domains, url('https://lp.example.com'))).toBe(true);
    expect(bypasses(domains, url('https://notexample.com'))).toBe(false);
    expect(bypasses(domains, url('https://lp.corp.local'))).toBe(true);
    expect(bypasses(domains, url('https://corp.local'))).toBe(true);
    expect(bypasses(domains, url('https://a.b.internal'))).toBe(true);
    expect(bypasses(list('LP.Example.COM'), url('https://lp.example.com.'))).toBe(true);
    expect(bypasses(list('lp.example.com:8443'), url('https://lp.example.com:8443'))).toBe(true);
    expect(bypasses(list('lp.example.com:8443'), url('https://lp.example.com'))).toBe(false);
    expect(bypasses(list('lp.example.com:443'), url('https://lp.example.com'))).toBe(true);
    expect(bypasses(list('127.0.0.1'), url('http://127.0.0.1:8080'))).toBe(true);
    expect(bypasses(list('127.0.0.1'), url('http://127.0.0.2:8080'))).toBe(false);
    expect(bypasses(list('10.0.0.0/8'), url('https://10.20.30.40'))).toBe(true);
    expect(bypasses(list('10.0.0.0/8'), url('https://11.0.0.1'))).toBe(false);
    expect(bypasses(list('::1'), url('http://[::1]:8080'))).toBe(true);
    expect(bypasses(list('[::1]:8080'), url('http://[::1]:8080'))).toBe(true);
    expect(bypasses(list('fd00::/8'), url('https://[fd12::1]'))).toBe(true);
    const rules = resolveProxyRules({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'lp.example.com' } });
    expect(proxyFor(rules, url('https://lp.example.com/tenantui'))).toBe(null);
    expect(proxyFor(rules, url('https://login.microsoftonline.com/x'))).not.toBe(null);
    expect(rules.noProxySource).toBe('NO_PROXY');
  });

  it('refuses a proxy it cannot speak to, naming the setting and never the password', () => {
    const refused = (value: string) => {
      try {
        resolveProxyRules({ env: { HTTPS_PROXY: value } });
      } catch (error) {
        return error as RunError;
      }
      throw new Error('expected a RunError');
    };
    expect(refused('socks5://p:1080').message).toMatch(/HTTPS_PROXY: a socks5 proxy is not supported/);
    const bad = refused('http://user:S3cret-Bad@[nope');
    expect(bad.code).toBe('invalid-options');
    expect(bad.message).toContain('HTTPS_PROXY');
    expect(bad.message).not.toContain('S3cret-Bad');
    expect(showProxy(new URL(`http://${credentials}@proxy.corp:8080`))).toBe(
      'http://corp\\lpsync:***@proxy.corp:8080',
    );
  });
});

describe('the client through a forwarding proxy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpsync-proxy-'));
  let sim: RunningSimulator;
  let proxy: ForwardProxy;
  let terminator: Terminator;
  let caFile = '';

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 3 });
    proxy = await startForwardProxy({ user: USER, password: PASSWORD });
    const ca = makePrivateCa(dir);
    caFile = ca.caFile;
    terminator = await startTlsTerminator(ca, sim.port);
  });
  afterAll(async () => {
    await proxy.close();
    await terminator.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rulesFor = (env: Record<string, string>) => resolveProxyRules({ env });
  const proxyUrl = () => `http://${credentials}@127.0.0.1:${proxy.port}`;

  it('http: absolute-form requests with the credentials, the token endpoint too, over one kept-alive connection', async () => {
    const before = proxy.records.length;
    const connectionsBefore = proxy.connections();
    const { client, log } = clientFor(sim, {
      auth: clientCredentials(sim),
      proxy: rulesFor({ http_proxy: proxyUrl() }),
      concurrency: 2,
    });
    try {
      for (let i = 0; i < 4; i += 1) expect(await client.listServices({ allDetails: true })).toEqual([]);
    } finally {
      client.close();
    }
    const seen = proxy.records.slice(before);
    expect(seen.map((r) => `${r.method} ${new URL(r.target).pathname}`)).toEqual([
      'POST /oauth2/token',
      'GET /tenantui/api/v3/customer',
      'GET /tenantui/api/v3/customer',
      'GET /tenantui/api/v3/customer',
      'GET /tenantui/api/v3/customer',
    ]);
    expect(seen.every((r) => r.kind === 'forward' && r.proxyAuthorization === basic && !r.refused)).toBe(
      true,
    );
    expect(proxy.connections() - connectionsBefore).toBe(1);
    await flush();
    expect(log.text()).not.toContain(PASSWORD);
    expect(log.text()).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('https: one CONNECT tunnel, kept alive, to a platform whose certificate a private CA signed', async () => {
    const before = proxy.records.length;
    const { client } = clientFor(sim, {
      baseUrl: `${terminator.url}/tenantui`,
      caFile,
      proxy: rulesFor({ HTTPS_PROXY: proxyUrl() }),
    });
    try {
      for (let i = 0; i < 3; i += 1) expect(await client.listServices()).toEqual([]);
    } finally {
      client.close();
    }
    const seen = proxy.records.slice(before);
    expect(seen).toEqual([
      expect.objectContaining({
        kind: 'connect',
        target: new URL(terminator.url).host,
        proxyAuthorization: basic,
      }),
    ]);
  });

  it('https: the private CA is checked through the tunnel (without it, a TLS failure, not sent)', async () => {
    const { client } = clientFor(sim, {
      baseUrl: `${terminator.url}/tenantui`,
      proxy: rulesFor({ HTTPS_PROXY: proxyUrl() }),
    });
    try {
      const error = (await client.listServices().catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.message).toMatch(/TLS failure/);
      expect(error.message).toContain(`through the proxy http://${USER}:***@127.0.0.1:${proxy.port}`);
      expect(error.message).not.toContain(PASSWORD);
    } finally {
      client.close();
    }
  });

  it('NO_PROXY: a host it names is reached directly', async () => {
    const before = proxy.records.length;
    const { client } = clientFor(sim, {
      proxy: rulesFor({ HTTP_PROXY: proxyUrl(), NO_PROXY: 'localhost,127.0.0.1' }),
    });
    try {
      expect(await client.listServices()).toEqual([]);
    } finally {
      client.close();
    }
    expect(proxy.records.length).toBe(before);
  });

  it('a tunnel the proxy cannot open (502): the create was never sent, so it failed for certain and was retried', async () => {
    const closed = await startForwardProxy();
    const port = closed.port;
    await closed.close();
    const before = proxy.records.length;
    const { client } = clientFor(sim, {
      baseUrl: `https://127.0.0.1:${port}/tenantui`,
      proxy: rulesFor({ HTTPS_PROXY: proxyUrl() }),
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const result = await client.createCustomer(customerBody('TunnelNo1'));
      expect(result.kind).toBe('failed');
      if (result.kind !== 'failed') return;
      expect(result.error.message).toContain(`refused to open a tunnel to 127.0.0.1:${port} (HTTP 502`);
      expect(result.attempts).toBe(3);
      expect(proxy.records.length - before).toBe(3);
    } finally {
      client.close();
    }
  });

  it('a refused proxy password (407): one attempt, a hint about the proxy, the password never shown', async () => {
    const wrong = `http://${encodeURIComponent(USER)}:Wrong-Pass-77@127.0.0.1:${proxy.port}`;
    for (const [baseUrl, env] of [
      [`${terminator.url}/tenantui`, { HTTPS_PROXY: wrong }],
      [`${sim.url}/tenantui`, { HTTP_PROXY: wrong }],
    ] as const) {
      const before = proxy.records.length;
      const { client, log } = clientFor(sim, { baseUrl, caFile, proxy: rulesFor(env) });
      try {
        const error = (await client.listServices().catch((e: unknown) => e)) as ApiError;
        expect(error).toBeInstanceOf(ApiError);
        expect(error.message).toMatch(/407/);
        expect(error.hint).toMatch(/proxy refused its credentials/);
        expect(error.attempts).toBe(1);
        expect(proxy.records.length - before).toBe(1);
        await flush();
        for (const text of [error.message, error.hint ?? '', log.text()])
          expect(text).not.toContain('Wrong-Pass-77');
      } finally {
        client.close();
      }
    }
  });
});
