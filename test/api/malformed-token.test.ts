/**
 * A token an HTTP header cannot carry (a line break, a character outside Latin-1) is a malformed token,
 * said at once: not retried five times and reported as "the Live Platform is unreachable … check --base-url".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenHeaderProblem } from '../../src/api/auth.js';
import { RunError, exitCodeFor } from '../../src/model/errors.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { useSimulator } from './simulator-fixture.js';

const fixture = useSimulator({ seed: 5 });
let sim: RunningSimulator;
beforeEach(() => {
  sim = fixture.sim;
});
const closing: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

const apiRequests = (): number =>
  Object.entries(sim.snapshot().counters.requests)
    .filter(([route]) => route.includes(' /api/'))
    .reduce((n, [, count]) => n + count, 0);

async function refusal(promise: Promise<unknown>): Promise<RunError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunError);
  return error as RunError;
}

/** An OAuth token endpoint on loopback that answers `accessToken`, counting the requests it gets. */
async function tokenEndpoint(accessToken: string): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  const server: Server = createServer((req, res) => {
    asked += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, asked: () => asked };
}

describe('a token that cannot be sent in a header', () => {
  it.each([
    ['a line break', 'demo-token\n', 'a line break at character 11'],
    ['a character outside Latin-1', 'demo\u2011token', 'a character outside Latin-1'],
    ['a control character', 'demo\u0000token', 'a control character at character 5'],
  ])('LPSYNC_TOKEN with %s: invalid configuration (exit 2) at once, nothing sent', async (_, token, said) => {
    const { client } = fixture.client({ auth: { kind: 'token', token } });
    const error = await refusal(client.listServices());
    expect(error.code).toBe('invalid-options');
    expect(exitCodeFor(error.code)).toBe(2);
    expect(error.message).toContain('LPSYNC_TOKEN cannot be sent in an HTTP header');
    expect(error.message).toContain(said);
    expect(error.message).not.toMatch(/unreachable|base-url/);
    expect(error.message + (error.hint ?? '')).not.toContain(token);
    // Every later request is refused the same way, and nothing reached the platform.
    expect((await refusal(client.createCustomer({} as never))).code).toBe('invalid-options');
    expect(apiRequests()).toBe(0);
    expect(client.stats().retries).toBe(0);
  });

  it('a token endpoint that answers one: auth refused (exit 3) after one request, the platform never asked', async () => {
    const endpoint = await tokenEndpoint('eyJhbGciOi\r\nJIUzI1NiJ9');
    const { client } = fixture.client({
      auth: { kind: 'client-credentials', tokenUrl: endpoint.url, clientId: 'app', clientSecret: 's3cret' },
    });
    const error = await refusal(client.listServices());
    expect(error.code).toBe('auth-refused');
    expect(exitCodeFor(error.code)).toBe(3);
    expect(error.message).toMatch(
      /token endpoint \/token answered an access_token that cannot be sent in an HTTP header: it holds a line break at character 11/,
    );
    expect(error.message).not.toContain('eyJhbGciOi');
    await refusal(client.listServices());
    expect(endpoint.asked()).toBe(1);
    expect(apiRequests()).toBe(0);
  });

  it('a token every header can carry passes: Latin-1 letters and tabs included', () => {
    expect(tokenHeaderProblem('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln-_~+/=')).toBeNull();
    expect(tokenHeaderProblem('caf\u00e9\ttoken')).toBeNull();
  });
});
