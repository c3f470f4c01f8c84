import { describe, expect, it } from 'vitest';
import { client, essentialsBody, start, statuses } from './helpers.js';

describe('seeded faults', () => {
  it('the same seed gives the same sequence; another seed another one', async () => {
    const options = {
      errorRate: 0.2,
      unavailableRate: 0.1,
      throttle: { burstRate: 0.05, burstLength: 2, retryAfterSeconds: 1 },
    };
    // 40 requests are enough to tell sequences apart (the rates over hundreds: fault-rates.slow.test.ts).
    const a = await statuses({ ...options, seed: 7 }, 40);
    const b = await statuses({ ...options, seed: 7 }, 40);
    const c = await statuses({ ...options, seed: 8 }, 40);
    expect(new Set(a.out.map((s) => s.status)).size).toBeGreaterThan(1);
    expect(a.out.map((s) => s.status)).toEqual(b.out.map((s) => s.status));
    expect(a.out.map((s) => s.status)).not.toEqual(c.out.map((s) => s.status));
  });

  it('after a reset the same seed gives the same faults again', async () => {
    const sim = await start({ seed: 21, errorRate: 0.3 });
    const c = client(sim);
    const run = async () => {
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await c.get('/api/v3/customer')).status);
      return out;
    };
    const first = await run();
    sim.reset();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
  });

  it('GUIDs come from the seed too: the same seed and requests give the same ids', async () => {
    const ids = async () => {
      const c = client(await start({ seed: 77 }));
      const created = await c.post('/api/v2/customer', essentialsBody('Seeded1'));
      const site = await c.post(`/api/v2/customer/${created.body.id}/sitelocation/`, {
        siteLocationName: 'S2',
      });
      return [created.body.id, site.body.siteGuid];
    };
    const [a, b] = [await ids(), await ids()];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(2);
  });

  it('Retry-After as an HTTP date when asked: that many seconds ahead, never less', async () => {
    const sim = await start({
      throttle: { burstRate: 1, burstLength: 1, retryAfterSeconds: 2, retryAfterAsDate: true },
    });
    const before = Date.now();
    const res = await client(sim).get('/api/v3/customer');
    expect(res.status).toBe(429);
    const header = res.headers.get('retry-after') ?? '';
    expect(header).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(header)).toBeGreaterThanOrEqual(before + 2000);
    expect(Date.parse(header)).toBeLessThanOrEqual(Date.now() + 3000);
  });

  it('injected faults answer before the handler: no create attempt is counted', async () => {
    const sim = await start({ errorRate: 1 });
    const res = await client(sim).post('/api/v2/customer', essentialsBody('Brad1'));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ type: 'https://httpstatuses.com/500', title: 'Internal Server Error' });
    expect(sim.snapshot().counters.createAttempts).toEqual({});
    expect(sim.snapshot().services).toEqual([]);
  });

  it('faults apply to /api only, not to the token endpoint or /_sim', async () => {
    const sim = await start({ errorRate: 1 });
    const token = await fetch(`${sim.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'lpsync-demo',
        client_secret: 'demo-secret',
      }),
    });
    expect(token.status).toBe(200);
    expect((await client(sim, null).get('/_sim/state')).status).toBe(200);
  });

  it('drop after commit: the write is committed and counted, the socket closes without an answer', async () => {
    const sim = await start({ dropAfterCommitRate: 1 });
    const c = client(sim);
    await expect(c.post('/api/v2/customer', essentialsBody('Dropped1'))).rejects.toThrow();
    const state = (await client(sim, null).get('/_sim/state')).body;
    expect(state.services.map((s: { shortName: string }) => s.shortName)).toEqual(['Dropped1']);
    expect(state.counters.creates).toEqual({ Dropped1: 1 });
    expect(state.counters.faults.drop).toBe(1);
    // Reads are never dropped; the committed customer is there to be found.
    const list = await c.get('/api/v3/customer');
    expect(list.status).toBe(200);
    expect(list.body[0].CustomerShortName).toBe('Dropped1');
    // A refused write commits nothing and is answered.
    expect((await c.post('/api/v2/customer', essentialsBody('Dropped1'))).status).toBe(400);
  });

  it('drop after commit also hits add-site and modify-site', async () => {
    const sim = await start();
    const c = client(sim);
    const customer = await c.post('/api/v2/customer', essentialsBody('Brad1'));
    sim.setFaults({ dropAfterCommitRate: 1 });
    const base = `/api/v2/customer/${customer.body.id}/sitelocation/`;
    await expect(c.post(base, { siteLocationName: 'Site2' })).rejects.toThrow();
    const siteId = sim.snapshot().services[0]?.sites[1]?.id;
    expect(siteId).toBeDefined();
    await expect(c.patch(`${base}?sbcSiteGuid=${siteId}`, { CacProfile: '7 sessions' })).rejects.toThrow();
    sim.setFaults({ dropAfterCommitRate: 0 });
    expect((await c.get(`/api/v2/sitelocation/${siteId}`)).body.sbcInfo.cacProfile).toBe('7 sessions');
    expect(sim.snapshot().counters.faults.drop).toBe(2);
  });

  it('a 502 answers before the handler; a 504 answers after it, so a write is committed', async () => {
    const sim = await start({ gatewayErrorRate: 1, seed: 3 });
    const c = client(sim);
    const answers: number[] = [];
    for (let i = 0; i < 12; i++)
      answers.push((await c.post('/api/v2/customer', essentialsBody(`Gw${i}`))).status);
    expect(new Set(answers)).toEqual(new Set([502, 504]));
    const created = sim
      .snapshot()
      .services.map((s) => s.shortName)
      .sort();
    const expected = answers.flatMap((status, i) => (status === 504 ? [`Gw${i}`] : [])).sort();
    expect(created).toEqual(expected);
    expect(Object.keys(sim.snapshot().counters.createAttempts).sort()).toEqual(expected);
  });

  it('latency applies before the answer', async () => {
    const c = client(await start({ latencyMs: 150, latencyJitterMs: 50 }));
    const started = Date.now();
    expect((await c.get('/api/v3/customer')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('refuses invalid options at start', async () => {
    await expect(start({ errorRate: 1.5 })).rejects.toThrow(/errorRate/);
    await expect(start({ gatewayErrorRate: -0.1 })).rejects.toThrow(/gatewayErrorRate/);
    await expect(
      start({ throttle: { burstRate: 0.1, burstLength: 0, retryAfterSeconds: 1 } }),
    ).rejects.toThrow(/throttle\.burstLength/);
  });
});
