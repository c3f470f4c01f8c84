import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ClientOptions } from '../../src/api/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { until } from '../support/until.js';
import { customerBody } from './helpers.js';
import { useSimulator } from './simulator-fixture.js';

const NO_FAULTS = {
  latencyMs: 0,
  errorRate: 0,
  unavailableRate: 0,
  gatewayErrorRate: 0,
  dropAfterCommitRate: 0,
  throttle: { burstRate: 0, burstLength: 1, retryAfterSeconds: 1 },
};

/** Fake time for the client's waits (Retry-After, back-off, --rate, the request budget's pause); the sockets stay real. */
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });

describe('retries, timeouts and unknown outcomes', () => {
  const fixture = useSimulator({ seed: 7 });
  const make = (overrides: Partial<ClientOptions> = {}) => fixture.client(overrides);
  let sim: RunningSimulator;
  beforeEach(() => {
    sim = fixture.sim;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * One listing throttled once with `throttle`: the retry is not sent 1 ms before `waitMs` of fake time
   * has passed, and is sent (and answered) at it.
   */
  async function retriedAfter(
    throttle: { retryAfterSeconds: number; retryAfterAsDate?: boolean },
    waitMs: number,
  ) {
    const { client, log } = make();
    sim.setFaults({ throttle: { burstRate: 1, burstLength: 1, ...throttle } });
    // The platform throttles once: as soon as the client has seen the 429, the burst is over.
    let waiting = '';
    log.onLine((line) => {
      if (line.includes('→ 429')) sim.setFaults(NO_FAULTS);
      if (line.includes('retrying in')) waiting = line;
    });
    const listing = client.listServices();
    await until(() => waiting !== '', 'the client waits to retry');
    expect(waiting).toContain(`retrying in ${waitMs} ms`);
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(client.stats().requests).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await listing).toEqual([]);
    expect(sim.snapshot().counters.faults['429']).toBe(1);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(2);
    expect(client.stats().retries).toBe(1);
  }

  it('a 429 with Retry-After: 1 waits 1 s, then the retry succeeds', async () => {
    fakeClock();
    await retriedAfter({ retryAfterSeconds: 1 }, 1_000);
  });

  it('a 429 with Retry-After as an HTTP date waits until that date', async () => {
    fakeClock();
    // Half a second into a second: the simulator's date is the next whole second plus 1 s, 1.5 s from now.
    vi.setSystemTime(Date.parse('2026-03-02T10:00:00.500Z'));
    await retriedAfter({ retryAfterSeconds: 1, retryAfterAsDate: true }, 1_500);
  });

  it('502 and 504 on a GET are retried until the platform answers', async () => {
    const { client, log } = make();
    sim.setFaults({ gatewayErrorRate: 1 });
    let seen = 0;
    log.onLine((line) => {
      if (/→ 50[24]/.test(line) && ++seen === 3) sim.setFaults(NO_FAULTS);
    });
    expect(await client.listServices({ allDetails: true })).toEqual([]);
    const counters = sim.snapshot().counters;
    expect(counters.faults['502'] + counters.faults['504']).toBe(3);
    expect(counters.requests['GET /api/v3/customer']).toBe(4);
    expect(client.stats().retries).toBe(3);
  });

  it('task polls ride out 502 and 504 and still see the task finish', async () => {
    sim.setFaults({ taskDurationMs: 100 });
    const { client, log } = make();
    const created = await client.createOcService({
      customerShortName: 'GwPoll1',
      licenseType: 3,
      siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
    });
    if (created.kind !== 'ok') throw new Error('create failed');
    let gateway = 0;
    log.onLine((line) => {
      if (line.includes('GET /api/v2/task') && gateway === 0) sim.setFaults({ gatewayErrorRate: 1 });
      if (/task.*→ 50[24]/.test(line) && ++gateway === 4) sim.setFaults(NO_FAULTS);
    });
    const task = await client.waitForTask(created.value.jobId);
    expect(task.status).toBe('CompletedSuccess');
    expect(task.customerGuid).not.toBeNull();
    const counters = sim.snapshot().counters;
    expect(counters.faults['502'] + counters.faults['504']).toBe(4);
    expect(counters.requests['GET /api/v2/task/{id}']).toBeGreaterThanOrEqual(5);
  });

  it('a 502 or 504 after a POST is unknown-outcome and never re-sent (a 504 came after the commit)', async () => {
    const { client } = make();
    sim.setFaults({ gatewayErrorRate: 1 });
    const names = Array.from({ length: 8 }, (_, i) => `Gateway${i}`);
    for (const name of names) {
      const result = await client.createCustomer(customerBody(name));
      expect(result.kind).toBe('unknown-outcome');
      expect(result.attempts).toBe(1);
      if (result.kind === 'unknown-outcome') {
        expect(result.error.message).toMatch(/gateway error after a POST .* not sent again/);
      }
    }
    const counters = sim.snapshot().counters;
    expect(counters.requests['POST /api/v2/customer']).toBe(names.length);
    expect(counters.faults['502']).toBeGreaterThan(0);
    expect(counters.faults['504']).toBeGreaterThan(0);
    // Every 504 was answered after the customer was created, every 502 before: each name at most once.
    expect(Object.keys(counters.creates)).toHaveLength(counters.faults['504']);
    for (const n of Object.values(counters.creates)) expect(n).toBe(1);
    expect(client.stats().retries).toBe(0);
  });

  it('503s are retried with back-off until the platform answers; the write happens once', async () => {
    const { client, log } = make({ retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 50 } });
    sim.setFaults({ unavailableRate: 1 });
    let seen = 0;
    log.onLine((line) => {
      if (line.includes('→ 503') && ++seen === 2) sim.setFaults(NO_FAULTS);
    });
    const result = await client.createCustomer(customerBody('Retry503'));
    expect(result.kind).toBe('ok');
    expect(result.attempts).toBe(3);
    const counters = sim.snapshot().counters;
    expect(counters.faults['503']).toBe(2);
    expect(counters.requests['POST /api/v2/customer']).toBe(3);
    expect(counters.createAttempts.Retry503).toBe(1);
    expect(counters.creates.Retry503).toBe(1);
  });

  it('gives up after maxAttempts: a write that was never accepted is a definite failure', async () => {
    const { client } = make({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    sim.setFaults({ unavailableRate: 1 });
    const result = await client.createCustomer(customerBody('Always503'));
    expect(result.kind).toBe('failed');
    expect(result.attempts).toBe(3);
    if (result.kind === 'failed') expect((result.error as ApiError).status).toBe(503);
    expect(sim.snapshot().counters.requests['POST /api/v2/customer']).toBe(3);
    expect(sim.snapshot().counters.createAttempts.Always503 ?? 0).toBe(0);
  });

  it('a 400 is never retried', async () => {
    const { client } = make();
    const result = await client.createCustomer(customerBody('no spaces allowed'));
    expect(result.kind).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(sim.snapshot().counters.requests['POST /api/v2/customer']).toBe(1);
    expect(client.stats().retries).toBe(0);
  });

  it('a 500 on a write is a definite failure, not re-sent', async () => {
    const { client } = make();
    sim.setFaults({ errorRate: 1 });
    const result = await client.createCustomer(customerBody('Error500'));
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect((result.error as ApiError).status).toBe(500);
    expect(sim.snapshot().counters.requests['POST /api/v2/customer']).toBe(1);
  });

  it('a 500 on a read is retried (a GET changes nothing) until the platform answers', async () => {
    const { client, log } = make();
    sim.setFaults({ errorRate: 1 });
    let seen = 0;
    log.onLine((line) => {
      if (/→ 500/.test(line) && ++seen === 2) sim.setFaults(NO_FAULTS);
    });
    expect(await client.listServices({ allDetails: true })).toEqual([]);
    expect(sim.snapshot().counters.faults['500']).toBe(2);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(3);
  });

  it('a POST committed and then dropped is unknown-outcome and is not re-sent', async () => {
    const { client } = make();
    sim.setFaults({ dropAfterCommitRate: 1 });
    const result = await client.createCustomer(customerBody('Dropped1'));
    expect(result.kind).toBe('unknown-outcome');
    if (result.kind === 'unknown-outcome') {
      expect((result.error as ApiError).code).toBe('unknown-outcome');
      expect(result.error.message).toMatch(/may or may not have been applied/);
    }
    const counters = sim.snapshot().counters;
    expect(counters.createAttempts.Dropped1).toBe(1);
    expect(counters.faults.drop).toBe(1);
    // Reading back is how the caller learns that it did happen.
    sim.setFaults(NO_FAULTS);
    const services = await client.listServices();
    expect(services.map((s) => s.shortName)).toContain('Dropped1');
  });

  it('a dropped PATCH (the same values again change nothing) is retried within the budget; unknown only when it runs out', async () => {
    const { client, log } = make();
    const created = await client.createCustomer(customerBody('SiteDrop1'));
    if (created.kind !== 'ok') throw new Error('create failed');
    const guid = created.value.customerGuid;
    const body = {
      siteLocationName: 'SiteDrop1',
      sbcSiteName: 'SiteDrop1',
      scriptParameters: { CacProfile: '3 sessions' },
    };
    const patches = () =>
      sim.snapshot().counters.requests['PATCH /api/v2/customer/{customerGuid}/sitelocation'];

    // One answer lost, one 504: the third attempt answers.
    sim.setFaults({ dropAfterCommitRate: 1 });
    let seen = 0;
    log.onLine((line) => {
      if (!line.includes('PATCH') || !line.includes('→')) return;
      seen += 1;
      if (seen === 1) sim.setFaults({ dropAfterCommitRate: 0, gatewayErrorRate: 1 });
      if (seen === 2) sim.setFaults(NO_FAULTS);
    });
    const modified = await client.modifySite(guid, guid, body);
    expect(modified.kind).toBe('ok');
    expect(modified.attempts).toBe(3);
    expect(patches()).toBe(3);
    expect((await client.getSite(guid))?.cacProfile).toBe('3 sessions');

    // Every answer lost: after the budget (5 attempts) it may have been applied, so unknown, not failed.
    seen = 99;
    sim.setFaults({ dropAfterCommitRate: 1 });
    const lost = await client.modifySite(guid, guid, {
      ...body,
      scriptParameters: { CacProfile: '4 sessions' },
    });
    expect(lost.kind).toBe('unknown-outcome');
    expect(lost.attempts).toBe(5);
    expect(patches()).toBe(8);
    sim.setFaults(NO_FAULTS);
    expect((await client.getSite(guid))?.cacProfile).toBe('4 sessions');

    const missing = await client.addSite('00000000-0000-4000-8000-000000000000', {
      siteLocationName: 'Nowhere',
    });
    expect(missing.kind).toBe('failed');
    expect(missing.attempts).toBe(1);
    if (missing.kind === 'failed') {
      expect((missing.error as ApiError).status).toBe(404);
      expect((missing.error as ApiError).hint).toMatch(/does not exist/);
    }
  });

  it('a GET that times out is retried (and succeeds once the platform is fast again)', async () => {
    const { client, log } = make({ timeoutMs: 150 });
    sim.setFaults({ latencyMs: 400 });
    log.onLine((line) => {
      if (line.includes('→ timeout')) sim.setFaults(NO_FAULTS);
    });
    const services = await client.listServices();
    expect(services).toEqual([]);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(2);
    expect(client.stats().retries).toBe(1);
  });

  it('a GET that keeps timing out throws ApiError timeout after maxAttempts', async () => {
    const { client } = make({ timeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    sim.setFaults({ latencyMs: 300 });
    const error = await client.getSite('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('timeout');
    expect((error as ApiError).attempts).toBe(2);
  });

  it('a POST that times out after it was sent is unknown-outcome, not re-sent (and it did commit)', async () => {
    const { client } = make({ timeoutMs: 150 });
    sim.setFaults({ latencyMs: 400 });
    const result = await client.createCustomer(customerBody('SlowPost1'));
    expect(result.kind).toBe('unknown-outcome');
    if (result.kind === 'unknown-outcome') expect(result.error.message).toMatch(/no answer within 150 ms/);
    // The platform carries on without the client: wait until it has committed, then count.
    await vi.waitFor(() => expect(sim.snapshot().counters.creates.SlowPost1).toBe(1));
    const counters = sim.snapshot().counters;
    expect(counters.creates.SlowPost1).toBe(1);
    expect(counters.createAttempts.SlowPost1).toBe(1);
    expect(counters.requests['POST /api/v2/customer']).toBe(1);
  });

  it('a connection refused before sending is retried, then reported as a network failure', async () => {
    // A port that was just listened on and is closed now.
    const gone = await startSimulator({ port: 0 });
    await gone.close();
    const { client } = make({
      baseUrl: `${gone.url}/tenantui`,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const result = await client.createCustomer(customerBody('Refused1'));
    expect(result.kind).toBe('failed');
    expect(result.attempts).toBe(3);
    if (result.kind === 'failed') {
      expect((result.error as ApiError).code).toBe('network');
      expect(result.error.message).toMatch(/before the request was sent/);
    }
    expect(client.stats().retries).toBe(2);
  });

  it('an answer that does not fit is bad-response: thrown for a read, unknown-outcome for a write', async () => {
    // The simulator's own endpoints answer JSON of another shape where the API is expected.
    const { client } = make({ baseUrl: `${sim.url}/_sim/expire-tokens?not-the-api=` });
    const write = await client.addSite('g-1', { siteLocationName: 'Shape1' });
    expect(write.kind).toBe('unknown-outcome');
    if (write.kind === 'unknown-outcome') {
      expect((write.error as ApiError).code).toBe('bad-response');
      expect(write.error.message).toMatch(/missing field siteGuid.*It answered: \{"expired":0\}/);
    }
    const reader = make({ baseUrl: `${sim.url}/_sim/state?not-the-api=` }).client;
    const error = await reader.getTask('wst_1').catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('bad-response');
    expect((error as ApiError).body).toContain('"counters"');
  });

  it('a --rate cap spaces requests out', async () => {
    fakeClock();
    const { client } = make({ rate: 5 });
    let answered = 0;
    const listings = Array.from({ length: 8 }, () => client.listServices().then(() => (answered += 1)));
    // 5 go at once (one second's burst), then one every 200 ms.
    await until(() => answered === 5, 'the burst is answered');
    for (const sent of [6, 7, 8]) {
      await vi.advanceTimersByTimeAsync(199);
      expect(client.stats().requests).toBe(sent - 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => answered === sent, `request ${sent} is answered`);
    }
    await Promise.all(listings);
    expect(sim.snapshot().counters.requests['GET /api/v3/customer']).toBe(8);
  });

  it('an abort signal ends a back-off wait with RunError interrupted', async () => {
    const controller = new AbortController();
    const { client, log } = make({
      signal: controller.signal,
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    sim.setFaults({ throttle: { burstRate: 1, burstLength: 100, retryAfterSeconds: 30 } });
    log.onLine((line) => {
      if (line.includes('retrying in')) controller.abort();
    });
    const error = await client.listServices().catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('interrupted');
  });
});
