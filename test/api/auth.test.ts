import { beforeEach, describe, expect, it } from 'vitest';
import type { ClientOptions } from '../../src/api/index.js';
import { RunError, exitCodeFor } from '../../src/model/errors.js';
import { createRedactor } from '../../src/model/redact.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { clientCredentials, customerBody } from './helpers.js';
import { useSimulator } from './simulator-fixture.js';

describe('authentication', () => {
  const fixture = useSimulator({ seed: 11 });
  const make = (overrides: Partial<ClientOptions> = {}) => fixture.client(overrides);
  let sim: RunningSimulator;
  beforeEach(() => {
    sim = fixture.sim;
  });

  it('fetches one token for many concurrent first calls', async () => {
    const { client } = make({ auth: clientCredentials(sim), concurrency: 20 });
    await Promise.all(Array.from({ length: 20 }, () => client.listServices()));
    expect(sim.snapshot().counters.tokensIssued).toBe(1);
    expect(client.stats().tokenRefreshes).toBe(0);
  });

  it('a token that expires mid-run is refreshed exactly once for 20 concurrent calls', async () => {
    const { client } = make({ auth: clientCredentials(sim), concurrency: 20 });
    await client.listServices();
    expect(sim.snapshot().counters.tokensIssued).toBe(1);

    await fetch(`${sim.url}/_sim/expire-tokens`, { method: 'POST' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.listServices({ allDetails: true })),
    );

    expect(results).toHaveLength(20);
    expect(sim.snapshot().counters.tokensIssued).toBe(2);
    expect(client.stats().tokenRefreshes).toBe(1);
    // Each of the 20 was refused once and sent once more: 1 + 20 + 20.
    const counters = sim.snapshot().counters.requests;
    expect((counters['GET /api/v3/customer'] ?? 0) - 1).toBe(40);
  });

  it('a write refused with 401 after expiry is sent once more with the new token and lands once', async () => {
    const { client } = make({ auth: clientCredentials(sim) });
    await client.listServices();
    await fetch(`${sim.url}/_sim/expire-tokens`, { method: 'POST' });
    const result = await client.createCustomer(customerBody('AfterExpiry'));
    expect(result.kind).toBe('ok');
    expect(result.attempts).toBe(2);
    const counters = sim.snapshot().counters;
    expect(counters.requests['POST /api/v2/customer']).toBe(2);
    expect(counters.createAttempts.AfterExpiry).toBe(1);
    expect(counters.creates.AfterExpiry).toBe(1);
    expect(client.stats().tokenRefreshes).toBe(1);
  });

  it('renews a token shortly before it expires, without a 401', async () => {
    sim.setFaults({ tokenLifetimeSeconds: 1 });
    let now = Date.now();
    const { client } = make({ auth: clientCredentials(sim), clock: () => now });
    await client.listServices();
    // A 1 s token is renewed 0.1 s before it expires: 0.85 s later it is still used, 0.95 s later it is not.
    now += 850;
    await client.listServices();
    expect(sim.snapshot().counters.tokensIssued).toBe(1);
    now += 100;
    await client.listServices();
    expect(sim.snapshot().counters.tokensIssued).toBe(2);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(3);
  });

  it('refused client credentials end the run (exit 3) with one token request, however many calls', async () => {
    const { client } = make({ auth: clientCredentials(sim, 'wrong-secret') });
    const errors = await Promise.all(
      Array.from({ length: 20 }, () => client.listServices().catch((e: unknown) => e)),
    );
    const later = await client.createCustomer(customerBody('AfterRefusal')).catch((e: unknown) => e);
    for (const error of [...errors, later]) {
      expect(error).toBeInstanceOf(RunError);
      expect((error as RunError).code).toBe('auth-refused');
    }
    const error = errors[0] as RunError;
    expect(exitCodeFor(error.code)).toBe(3);
    expect(error.message).toMatch(/refused client id "lpsync-demo"/);
    expect(error.message).toMatch(/AADSTS7000215/);
    expect(error.hint).toMatch(/LPSYNC_CLIENT_SECRET/);
    const counters = sim.snapshot().counters;
    expect(counters.requests['POST /oauth2/token']).toBe(1);
    expect(counters.tokensIssued).toBe(0);
    expect(counters.requests['GET /api/v3/customer'] ?? 0).toBe(0);
  });

  it('an unknown client id is refused with the directory message', async () => {
    const { client } = make({ auth: { ...clientCredentials(sim), clientId: 'not-registered' } });
    const error = await client.listServices().catch((e: unknown) => e);
    expect((error as RunError).code).toBe('auth-refused');
    expect((error as RunError).message).toMatch(/AADSTS700016/);
  });

  it('a refused static token ends the run after one request, and later calls fail without sending', async () => {
    const { client } = make({ auth: { kind: 'token', token: 'not-a-valid-token' } });
    const first = await client.listServices().catch((e: unknown) => e);
    const second = await client.getSite('x').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RunError);
    expect((first as RunError).code).toBe('auth-refused');
    expect((first as RunError).message).toMatch(/LPSYNC_TOKEN/);
    // The message survives the run's redaction whole (no "bearer ***" where a word was).
    expect(createRedactor().text((first as RunError).message)).toBe((first as RunError).message);
    expect(second).toBe(first);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(1);
    expect(sim.snapshot().counters.requests['GET /api/v2/sitelocation/{siteId}'] ?? 0).toBe(0);
  });

  it('a write refused for auth throws RunError rather than returning a row failure', async () => {
    const { client } = make({ auth: { kind: 'token', token: 'not-a-valid-token' } });
    const error = await client.createCustomer(customerBody('NoAuth1')).catch((e: unknown) => e);
    expect((error as RunError).code).toBe('auth-refused');
    expect(sim.snapshot().counters.createAttempts.NoAuth1 ?? 0).toBe(0);
  });

  it('an unreachable token endpoint is RunError unreachable after the retries', async () => {
    const { client } = make({
      auth: { ...clientCredentials(sim), tokenUrl: 'http://127.0.0.1:9/oauth2/token' },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await client.listServices().catch((e: unknown) => e);
    expect((error as RunError).code).toBe('unreachable');
  });
});
