import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePlatformClient, type LivePlatformClient } from '../../src/api/index.js';
import { silentLogger } from '../../src/cli/logging.js';
import { createRedactor } from '../../src/model/redact.js';
import { readObservedState } from '../../src/plan/observe.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { customerRow, siteRow } from './fixtures.js';

let sim: RunningSimulator;
let client: LivePlatformClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3 });
  client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  });
  for (const shortName of ['ObsA1', 'ObsB1']) {
    const created = await client.createCustomer({
      shortName,
      siteLocation: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
    });
    if (created.kind !== 'ok') throw created.error;
    const added = await client.addSite(created.value.customerGuid, {
      siteLocationName: `${shortName}-S1`,
      sbcId: 5,
    });
    if (added.kind !== 'ok') throw added.error;
  }
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

function reads(): Record<string, number> {
  const counters = sim.snapshot().counters.requests;
  return Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith('GET')));
}

describe('readObservedState', () => {
  it('lists once, then reads only the existing sites the sheet names, each once', async () => {
    const before = reads();
    const rows = {
      customers: [
        customerRow({ shortName: 'ObsA1' }),
        customerRow({ shortName: 'ObsNew1' }),
        customerRow({ shortName: 'obsb1' }),
      ],
      sites: [
        siteRow('ObsA1', 'ObsA1-S1'),
        siteRow('ObsA1', 'ObsA1-S1'),
        siteRow('ObsA1', 'Missing9'),
        siteRow('ObsB1', 'obsb1-s1'),
        siteRow('Nobody', 'X'),
      ],
    };
    let scheduled = 0;
    const limit = pLimit(2);
    const counting = ((fn: () => Promise<unknown>) => {
      scheduled += 1;
      return limit(fn);
    }) as unknown as typeof limit;
    const observed = await readObservedState(client, rows, counting);
    const after = reads();
    const delta: Record<string, number> = {};
    for (const [k, n] of Object.entries(after)) if (n !== (before[k] ?? 0)) delta[k] = n - (before[k] ?? 0);
    // The primary site of ObsA1 and its S1 site: exact names only (the case-only ones are conflicts, not reads).
    expect(Object.values(delta).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Object.entries(delta).find(([k]) => /customer/.test(k))?.[1]).toBe(1);
    expect(Object.entries(delta).find(([k]) => /sitelocation/.test(k))?.[1]).toBe(2);
    expect(scheduled).toBe(2);
    expect(observed.services.map((s) => s.shortName).sort()).toEqual(['ObsA1', 'ObsB1']);
    expect([...observed.sites.values()].map((s) => s.siteName).sort()).toEqual(['ObsA1', 'ObsA1-S1']);
  });

  it('takes a concurrency number as well as a limiter', async () => {
    const observed = await readObservedState(
      client,
      { customers: [customerRow({ shortName: 'ObsB1' })], sites: [] },
      1,
    );
    expect([...observed.sites.values()].map((s) => s.siteName)).toEqual(['ObsB1']);
  });
});
