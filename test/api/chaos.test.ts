import { describe, expect, it } from 'vitest';
import { customerBody } from './helpers.js';
import { useSimulator } from './simulator-fixture.js';

describe('a flaky platform, every fault at once', () => {
  const fixture = useSimulator({
    seed: 2024,
    errorRate: 0.05,
    unavailableRate: 0.1,
    gatewayErrorRate: 0.1,
    dropAfterCommitRate: 0.05,
    throttle: { burstRate: 0.05, burstLength: 2, retryAfterSeconds: 0 },
  });

  it('no create reaches the platform twice; ok means created, failed means not, unknown is either', async () => {
    const { sim } = fixture;
    const { client } = fixture.client({
      concurrency: 8,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 10 },
    });
    const names = Array.from({ length: 120 }, (_, i) => `Chaos${i}`);
    const results = await Promise.all(names.map((name) => client.createCustomer(customerBody(name))));
    const { counters } = sim.snapshot();
    const kinds = { ok: 0, failed: 0, 'unknown-outcome': 0 };
    results.forEach((result, i) => {
      const name = names[i] as string;
      kinds[result.kind] += 1;
      expect(counters.createAttempts[name] ?? 0).toBeLessThanOrEqual(1);
      if (result.kind === 'ok') expect(counters.creates[name]).toBe(1);
      if (result.kind === 'failed') expect(counters.creates[name] ?? 0).toBe(0);
    });
    // Every kind of outcome happened, and the faults did too (the seed fixes the first decisions).
    expect(kinds.ok).toBeGreaterThan(60);
    expect(kinds.failed).toBeGreaterThan(0);
    expect(kinds['unknown-outcome']).toBeGreaterThan(0);
    for (const fault of ['500', '502', '503', '504', '429', 'drop'] as const) {
      expect(
        counters.faults[fault],
        `${fault} in ${JSON.stringify(counters.faults)} over ${counters.requests['POST /api/v2/customer']}`,
      ).toBeGreaterThan(0);
    }
    // The list then shows exactly what was created.
    const listed = (await client.listServices()).map((s) => s.shortName).sort();
    expect(listed).toEqual(Object.keys(counters.creates).sort());
  });
});
