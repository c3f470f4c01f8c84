/**
 * `--trace-http FILE.har`: the run's requests and responses as valid HAR 1.2, with every secret of
 * the run masked — sheet passwords and the Teams secret in bodies (sent, and read back in clear by
 * Get SIP Connection), the client secret in the token form, every issued token, the proxy password.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHar } from '../../src/api/har.js';
import { createRedactor } from '../../src/model/redact.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { spawnCli, spellings } from '../guarantees/helpers.js';
import { INVALID_SECRETS, SECRETS, writeSecretsWorkbooks } from '../guarantees/secrets-workbook.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { harProblems } from './har-validate.js';

const CLIENT_SECRET = 'HarClientSecret-p8R3tY6u';
const PROXY_PASSWORD = 'HarProxyPass-w2E9rT4y';

let sim: RunningSimulator;
let proxy: ForwardProxy;
const dir = mkdtempSync(join(tmpdir(), 'lpsync-har-'));

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 21,
    taskDurationMs: 100,
    clients: [{ clientId: 'lpsync-har', clientSecret: CLIENT_SECRET }],
  });
  proxy = await startForwardProxy({ user: 'har', password: PROXY_PASSWORD });
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Entry {
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    postData?: { text: string };
  };
  response: { status: number; content: { text?: string } };
  comment?: string;
}

describe('--trace-http', () => {
  it('writes valid HAR 1.2 for apply, and no secret of the run is in it (0 hits)', async () => {
    const book = join(dir, 'book.xlsx');
    await writeSecretsWorkbooks(book, join(dir, 'invalid.xlsx'));
    const env = {
      LPSYNC_BASE_URL: `${sim.url}/tenantui`,
      LPSYNC_TOKEN_URL: `${sim.url}/oauth2/v2.0/token`,
      LPSYNC_CLIENT_ID: 'lpsync-har',
      LPSYNC_CLIENT_SECRET: CLIENT_SECRET,
      HTTP_PROXY: `http://har:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
    };
    const traces = [join(dir, 'first.har'), join(dir, 'second.har')];
    for (const trace of traces) {
      const r = await spawnCli(
        [
          'apply',
          book,
          '--state',
          join(dir, 'state.db'),
          '--trace-http',
          trace,
          '--log-file',
          join(dir, 'log.jsonl'),
        ],
        dir,
        env,
      ).done;
      // The sheet's conflict row exits 1; everything else applies.
      expect([0, 1], r.stderr).toContain(r.code);
      expect(r.stderr).toContain(`written to ${trace} (secrets masked)`);
    }
    expect(proxy.records.length).toBeGreaterThan(10);

    const needles = new Map<string, string>();
    const add = (value: string, name: string) => spellings(value).forEach((f) => needles.set(f, name));
    Object.entries({ ...SECRETS, ...INVALID_SECRETS }).forEach(([name, v]) => add(v, name));
    add(CLIENT_SECRET, 'client secret');
    add(PROXY_PASSWORD, 'proxy password');
    add(Buffer.from(`har:${PROXY_PASSWORD}`).toString('base64'), 'proxy Basic credentials');
    sim.issuedTokens().forEach((token, i) => add(token, `token ${i + 1}`));
    expect(sim.issuedTokens().length).toBeGreaterThanOrEqual(2);

    for (const trace of traces) {
      const text = readFileSync(trace, 'utf8');
      const har = JSON.parse(text) as { log: { entries: Entry[] } };
      expect(harProblems(har)).toEqual([]);
      const hits = [...needles].filter(([needle]) => text.includes(needle)).map(([, name]) => name);
      expect(hits, trace).toEqual([]);

      const { entries } = har.log;
      const token = entries.find((e) => e.request.url.endsWith('/oauth2/v2.0/token'));
      expect(token?.request.postData?.text).toContain('client_secret=***');
      expect(token?.response.content.text).toContain('"access_token":"***"');
      const listing = entries.find((e) => e.request.url.includes('/api/v3/customer?allDetails=true'));
      expect(listing?.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer ***' });
      expect(listing?.comment).toBe(`through the proxy http://har:***@127.0.0.1:${proxy.port}`);
    }
    const first = JSON.parse(readFileSync(traces[0]!, 'utf8')) as { log: { entries: Entry[] } };
    // The secrets were in what was sent: the trace shows where, masked.
    const create = first.log.entries.find(
      (e) => e.request.method === 'POST' && e.request.url.endsWith('/api/v2/customer'),
    );
    expect(create?.request.postData?.text).toContain('"CarrierUserPassword":"***"');
    const second = JSON.parse(readFileSync(traces[1]!, 'utf8')) as { log: { entries: Entry[] } };
    // Get SIP Connection answers the carrier password in clear: masked in the trace.
    const readBack = second.log.entries.find((e) => e.request.url.includes('/api/v2/sitelocation/'));
    expect(readBack?.response.content.text).toContain('"CarrierUserPassword":"***"');
  }, 120_000);

  it('a request that got no answer is an entry with status 0 and _error, still valid HAR', () => {
    const redactor = createRedactor(['tok-secret-1']);
    const har = buildHar(
      [
        {
          request: {
            method: 'GET',
            url: 'https://lp.example.com/tenantui/api/v3/customer?allDetails=true',
            headers: { authorization: 'Bearer tok-secret-1' },
          },
          startedAt: new Date('2026-11-30T02:15:00Z'),
          durationMs: 30_000,
          proxy: null,
          response: null,
          error: 'no answer within 30000 ms',
        },
      ],
      redactor,
      { name: 'lpsync', version: '0.1.0' },
    );
    expect(harProblems(har)).toEqual([]);
    expect(har.log.entries[0]).toMatchObject({
      response: { status: 0 },
      _error: 'no answer within 30000 ms',
      request: {
        queryString: [{ name: 'allDetails', value: 'true' }],
        headers: [{ name: 'authorization', value: 'Bearer ***' }],
      },
    });
    expect(JSON.stringify(har)).not.toContain('tok-secret-1');
  });
});
