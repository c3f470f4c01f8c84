/**
 * The simulator's seeded faults as statistics: over hundreds of real requests each fault comes at about its
 * configured rate (bounds of about three standard deviations), and a throttle burst lasts its length.
 * The single-request fault behaviour is in faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { statuses } from './helpers.js';

const count = (list: Array<{ status: number }>, status: number) =>
  list.filter((s) => s.status === status).length;

describe('seeded faults', () => {
  it('500 and 503 occur at roughly their configured rates over 400 requests', async () => {
    const { out, counters } = await statuses({ seed: 1234, errorRate: 0.1, unavailableRate: 0.05 }, 400);
    // Expected 40 and 20; the bounds are about three standard deviations.
    expect(count(out, 500)).toBeGreaterThanOrEqual(22);
    expect(count(out, 500)).toBeLessThanOrEqual(58);
    expect(count(out, 503)).toBeGreaterThanOrEqual(7);
    expect(count(out, 503)).toBeLessThanOrEqual(33);
    expect(count(out, 200) + count(out, 500) + count(out, 503)).toBe(400);
    expect(counters.faults).toMatchObject({ '500': count(out, 500), '503': count(out, 503), '429': 0 });
    expect(counters.requests['GET /api/v3/customer']).toBe(400);
  });

  it('429 bursts last burstLength requests and carry Retry-After', async () => {
    const burstLength = 3;
    const { out, counters } = await statuses(
      { seed: 99, throttle: { burstRate: 0.05, burstLength, retryAfterSeconds: 2 } },
      400,
    );
    const throttled = out.filter((s) => s.status === 429);
    // Bursts start with probability 0.05 per request outside a burst: about 3·0.05/(1+2·0.05) ≈ 14 % of requests.
    expect(throttled.length).toBeGreaterThanOrEqual(25);
    expect(throttled.length).toBeLessThanOrEqual(90);
    for (const t of throttled) expect(t.retryAfter).toBe('2');
    // Every run of 429s is one or more whole bursts (a run cut by the end of the test excepted).
    const runs: number[] = [];
    let run = 0;
    for (const s of out) {
      if (s.status === 429) run += 1;
      else if (run > 0) {
        runs.push(run);
        run = 0;
      }
    }
    for (const r of runs) expect(r % burstLength).toBe(0);
    expect(counters.faults['429']).toBe(throttled.length);
  });

  it('gateway errors: 502 and 504 at about half the rate each; the same seed, the same sequence', async () => {
    const { out, counters } = await statuses({ seed: 5150, gatewayErrorRate: 0.2 }, 400);
    // Expected 40 each; the bounds are about three standard deviations.
    for (const status of [502, 504]) {
      expect(count(out, status)).toBeGreaterThanOrEqual(22);
      expect(count(out, status)).toBeLessThanOrEqual(58);
    }
    expect(count(out, 200) + count(out, 502) + count(out, 504)).toBe(400);
    expect(counters.faults).toMatchObject({ '502': count(out, 502), '504': count(out, 504), '500': 0 });
    const again = await statuses({ seed: 5150, gatewayErrorRate: 0.2 }, 400);
    expect(again.out.map((s) => s.status)).toEqual(out.map((s) => s.status));
  });
});
