import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { createLivePlatformClient, type ClientOptions } from '../../src/api/index.js';
import { connectionOptions, resolveConnection } from '../../src/cli/connection.js';
import { createClientFromSettings } from '../../src/run/client.js';
import { RunError } from '../../src/model/errors.js';
import { createRedactor } from '../../src/model/redact.js';
import { startSimulator } from '../../src/simulator/index.js';
import { flush, memoryLog } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lpsync-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

/** Parses argv exactly as a command that spreads `connectionOptions` would. */
const argvOf = (args: string[]) =>
  yargs(args)
    .options(connectionOptions)
    .strict()
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .parseSync() as Record<string, unknown>;

const failure = (fn: () => unknown): RunError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunError) return error;
    throw error;
  }
  throw new Error('expected a RunError');
};

describe('resolveConnection', () => {
  it('takes the base URL from the flag, the token from the environment, defaults for the rest', () => {
    const s = resolveConnection(argvOf(['--base-url', 'https://lp.example.com/tenantui/']), {
      LPSYNC_TOKEN: 'tok-123',
    });
    expect(s).toEqual({
      baseUrl: 'https://lp.example.com/tenantui',
      auth: { kind: 'token', token: 'tok-123' },
      insecure: false,
      timeoutMs: 30_000,
      maxResponseBytes: 16 * 1024 * 1024,
      maxAttempts: 5,
      concurrency: { mode: 'auto', start: 4, max: 32 },
      proxy: { https: null, http: null, noProxy: [] },
      sources: {
        baseUrl: '--base-url',
        credentials: 'static token from LPSYNC_TOKEN',
        caFile: 'not set (public roots)',
        insecure: 'default',
        timeout: 'default',
        maxResponse: 'default',
        retries: 'default',
        concurrency: 'default',
        maxConcurrency: 'default',
        rate: 'not set (no cap)',
        proxy: 'not set (direct)',
      },
    });
  });

  it('client credentials from the environment; flags win over the environment, which wins over the file', () => {
    const config = writeConfig('a.json', {
      baseUrl: 'https://from-file.example.com/tenantui',
      clientId: 'file-client',
      scope: 'api://file/.default',
      timeout: 10,
      maxResponseMb: 64,
      concurrency: 2,
      caFile: 'ca.pem',
    });
    writeConfig('ca.pem', '-----BEGIN CERTIFICATE-----\n');
    const s = resolveConnection(
      argvOf(['--config', config, '--concurrency', '6', '--rate', '2.5', '--retries', '0']),
      {
        LPSYNC_BASE_URL: 'https://from-env.example.com/tenantui',
        LPSYNC_TOKEN_URL: 'https://login.example.com/tenant/oauth2/v2.0/token',
        LPSYNC_CLIENT_ID: 'env-client',
        LPSYNC_CLIENT_SECRET: 'env-secret',
      },
    );
    expect(s).toEqual({
      baseUrl: 'https://from-env.example.com/tenantui',
      auth: {
        kind: 'client-credentials',
        tokenUrl: 'https://login.example.com/tenant/oauth2/v2.0/token',
        clientId: 'env-client',
        clientSecret: 'env-secret',
        scope: 'api://file/.default',
      },
      caFile: path.join(dir, 'ca.pem'),
      insecure: false,
      timeoutMs: 10_000,
      maxResponseBytes: 64 * 1024 * 1024,
      maxAttempts: 1,
      concurrency: { mode: 'fixed', limit: 6 },
      rate: 2.5,
      proxy: { https: null, http: null, noProxy: [] },
      sources: {
        baseUrl: 'LPSYNC_BASE_URL',
        credentials: `client credentials from LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET, "scope" in ${config}`,
        caFile: `"caFile" in ${config}`,
        insecure: 'default',
        timeout: `"timeout" in ${config}`,
        maxResponse: `"maxResponseMb" in ${config}`,
        retries: '--retries',
        concurrency: '--concurrency',
        maxConcurrency: 'default',
        rate: '--rate',
        proxy: 'not set (direct)',
      },
    });
  });

  it('everything from a config file (secrets included), for cron jobs', () => {
    const config = writeConfig('all.json', {
      baseUrl: 'http://127.0.0.1:8080/tenantui',
      tokenUrl: 'http://127.0.0.1:8080/oauth2/token',
      clientId: 'lpsync-demo',
      clientSecret: 'demo-secret',
      insecure: true,
    });
    const s = resolveConnection(argvOf(['--config', config]), {});
    expect(s.auth).toEqual({
      kind: 'client-credentials',
      tokenUrl: 'http://127.0.0.1:8080/oauth2/token',
      clientId: 'lpsync-demo',
      clientSecret: 'demo-secret',
    });
    expect(s.insecure).toBe(true);
  });

  it('--concurrency auto with --max-concurrency, from flags or the config file; a number pins it', () => {
    const env = { LPSYNC_TOKEN: 't' };
    const flags = resolveConnection(
      argvOf(['--base-url', 'https://x.example.com', '--concurrency', 'auto', '--max-concurrency', '12']),
      env,
    );
    expect(flags.concurrency).toEqual({ mode: 'auto', start: 4, max: 12 });
    expect(flags.sources).toMatchObject({
      concurrency: '--concurrency',
      maxConcurrency: '--max-concurrency',
    });
    const config = writeConfig('auto.json', {
      baseUrl: 'https://x.example.com',
      concurrency: 'auto',
      maxConcurrency: 16,
    });
    const file = resolveConnection(argvOf(['--config', config]), env);
    expect(file.concurrency).toEqual({ mode: 'auto', start: 4, max: 16 });
    expect(file.sources.maxConcurrency).toBe(`"maxConcurrency" in ${config}`);
    const pinned = resolveConnection(argvOf(['--config', config, '--concurrency', '20']), env);
    expect(pinned.concurrency).toEqual({ mode: 'fixed', limit: 20 });
    const bad = failure(() =>
      resolveConnection(argvOf(['--base-url', 'https://x.example.com', '--concurrency', 'fast']), env),
    );
    expect(bad.message).toBe(
      'Invalid connection settings: --concurrency: expected "auto" or a whole number of 1 or more, got "fast"',
    );
  });

  it('--max-response-mb: MiB from the flag (fractions too), a clear error for none or a negative', () => {
    const env = { LPSYNC_TOKEN: 't' };
    const url = ['--base-url', 'https://x.example.com'];
    const raised = resolveConnection(argvOf([...url, '--max-response-mb', '0.5']), env);
    expect(raised.maxResponseBytes).toBe(512 * 1024);
    expect(raised.sources.maxResponse).toBe('--max-response-mb');
    expect(failure(() => resolveConnection(argvOf([...url, '--max-response-mb', '0']), env)).message).toBe(
      'Invalid connection settings: --max-response-mb: expected a number of MiB > 0',
    );
  });

  it('names what is missing or wrong (RunError invalid-options, exit 2)', () => {
    const noUrl = failure(() => resolveConnection(argvOf([]), { LPSYNC_TOKEN: 't' }));
    expect(noUrl.code).toBe('invalid-options');
    expect(noUrl.message).toMatch(/--base-url.*LPSYNC_BASE_URL/);

    const noAuth = failure(() => resolveConnection(argvOf(['--base-url', 'https://x.example.com']), {}));
    expect(noAuth.message).toMatch(/LPSYNC_TOKEN.*LPSYNC_CLIENT_SECRET/);

    const partial = failure(() =>
      resolveConnection(argvOf(['--base-url', 'https://x.example.com']), {
        LPSYNC_CLIENT_ID: 'id',
        LPSYNC_TOKEN_URL: 'https://login.example.com/token',
      }),
    );
    expect(partial.message).toMatch(/LPSYNC_CLIENT_SECRET missing/);

    const both = failure(() =>
      resolveConnection(argvOf(['--base-url', 'https://x.example.com']), {
        LPSYNC_TOKEN: 't',
        LPSYNC_CLIENT_ID: 'id',
      }),
    );
    expect(both.message).toMatch(/keep one/);

    const badUrl = failure(() =>
      resolveConnection(argvOf(['--base-url', 'lp.example.com']), { LPSYNC_TOKEN: 't' }),
    );
    expect(badUrl.message).toMatch(/expected an http\(s\) URL/);

    const badNumbers = failure(() =>
      resolveConnection(
        argvOf(['--base-url', 'https://x.example.com', '--timeout', '0', '--concurrency', '1.5']),
        {
          LPSYNC_TOKEN: 't',
        },
      ),
    );
    expect(badNumbers.message).toMatch(/--timeout/);
    expect(badNumbers.message).toMatch(/--concurrency/);

    const typo = failure(() =>
      resolveConnection(argvOf(['--config', writeConfig('typo.json', { baseURL: 'https://x' })]), {}),
    );
    expect(typo.message).toMatch(/unknown setting "baseURL"/);

    const notJson = failure(() =>
      resolveConnection(argvOf(['--config', writeConfig('bad.json', '{ nope')]), {}),
    );
    expect(notJson.message).toMatch(/not valid JSON/);

    const missingFile = failure(() =>
      resolveConnection(argvOf(['--config', path.join(dir, 'none.json')]), {}),
    );
    expect(missingFile.message).toMatch(/Cannot read the --config file/);

    const missingCa = failure(() =>
      resolveConnection(
        argvOf(['--base-url', 'https://x.example.com', '--ca-file', path.join(dir, 'no-ca.pem')]),
        {
          LPSYNC_TOKEN: 't',
        },
      ),
    );
    expect(missingCa.message).toMatch(/--ca-file/);
  });

  it('offers no flag for a secret', () => {
    expect(Object.keys(connectionOptions).filter((k) => /secret|token|password/i.test(k))).toEqual([]);
    expect(() => argvOf(['--client-secret', 'x'])).toThrow();
  });
});

describe('createClientFromSettings', () => {
  it('builds a working client and registers the secrets with the run redactor', async () => {
    const sim = await startSimulator({ port: 0, seed: 1 });
    const redactor = createRedactor();
    const log = memoryLog();
    const settings = resolveConnection(argvOf(['--base-url', `${sim.url}/tenantui`]), {
      LPSYNC_TOKEN_URL: `${sim.url}/oauth2/token`,
      LPSYNC_CLIENT_ID: 'lpsync-demo',
      LPSYNC_CLIENT_SECRET: 'demo-secret',
    });
    const client = createClientFromSettings(settings, log.logger, redactor);
    try {
      expect(await client.listServices()).toEqual([]);
      expect(redactor.text('the secret is demo-secret')).toBe('the secret is ***');
      expect(client.stats().requests).toBe(1);
    } finally {
      client.close();
      await sim.close();
    }
  });

  it('warns when TLS verification is switched off', async () => {
    const log = memoryLog();
    const settings = resolveConnection(argvOf(['--base-url', 'https://127.0.0.1:1/tenantui', '--insecure']), {
      LPSYNC_TOKEN: 'tok-123',
    });
    const client = createClientFromSettings(settings, log.logger, createRedactor());
    client.close();
    await flush();
    expect(log.text()).toMatch(/"level":"warn".*TLS certificate verification is OFF/);
  });
});

describe('createLivePlatformClient options', () => {
  it('refuses nonsense at once with RunError invalid-options naming the option', () => {
    const make = (options: Partial<ClientOptions>) =>
      failure(() =>
        createLivePlatformClient({
          baseUrl: 'https://lp.example.com/tenantui',
          auth: { kind: 'token', token: 't' },
          logger: memoryLog().logger,
          redactor: createRedactor(),
          ...options,
        }),
      );
    expect(make({ baseUrl: 'ftp://lp.example.com' }).message).toMatch(/baseUrl: expected an http\(s\) URL/);
    expect(make({ concurrency: 0 }).message).toMatch(/concurrency/);
    expect(make({ retry: { maxAttempts: 0 } }).message).toMatch(/retry\.maxAttempts/);
    expect(make({ rate: -1 }).code).toBe('invalid-options');
    // A password in the URL would be dropped without a word: refused, and not repeated in the message.
    const userinfo = make({ baseUrl: 'https://admin:Pw-In-Url-77@lp.example.com/tenantui' });
    expect(userinfo.code).toBe('invalid-options');
    expect(userinfo.message).toMatch(/baseUrl: has a user name or password in it, which lpsync never sends/);
    expect(userinfo.message).not.toContain('Pw-In-Url-77');
    expect(make({ caFile: path.join(dir, 'absent-ca.pem') }).message).toMatch(/Cannot read the CA file/);
  });
});
