/**
 * "Throttled" is one number: the answers 429 and 503, as the request budget counts them for the console
 * summary and as the client's stats hand them to the metrics file.
 */
import { describe, expect, it } from 'vitest';
import { useSimulator } from './simulator-fixture.js';

const fixture = useSimulator({
  seed: 3,
  unavailableRate: 0.2,
  throttle: { burstRate: 0.2, burstLength: 1, retryAfterSeconds: 0 },
});

describe('the throttled count', () => {
  it('counts 429 and 503 alike in the stats (metrics) and in the request budget (console)', async () => {
    const { client } = fixture.client({ retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 } });
    for (let i = 0; i < 30; i++) await client.listServices({ allDetails: true });
    const stats = client.stats();
    const byStatus = (s: string) => stats.byStatus[s] ?? 0;
    expect(byStatus('429')).toBeGreaterThan(0);
    expect(byStatus('503')).toBeGreaterThan(0);
    expect(stats.throttled).toBe(byStatus('429') + byStatus('503'));
    expect(stats.throttled).toBe(client.concurrency.report().throttled);
  });
});
