import { describe, expect, it } from 'vitest';
import { capacityAt, parseCapacitySchedule, queueLength } from '../../src/simulator/capacity.js';
import { SimulatorOptionsError } from '../../src/simulator/index.js';
import { describeFaults } from '../../src/cli/commands/simulate.js';
import { normaliseOptions } from '../../src/simulator/options.js';
import { client, start } from './helpers.js';

/** `n` listings sent at once: status, Retry-After and how long each took. */
async function burst(sim: Awaited<ReturnType<typeof start>>, n: number) {
  const c = client(sim);
  return Promise.all(
    Array.from({ length: n }, async () => {
      const started = performance.now();
      const res = await c.get('/api/v3/customer');
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        ms: performance.now() - started,
      };
    }),
  );
}

describe('capacity', () => {
  it('serves N at once, queues up to N/2 more (their latency grows), answers 429 with Retry-After beyond', async () => {
    const sim = await start({
      capacity: 4,
      latencyMs: 150,
      throttle: { burstRate: 0, burstLength: 1, retryAfterSeconds: 2 },
    });
    const answers = await burst(sim, 4 + queueLength(4) + 3);
    const ok = answers.filter((a) => a.status === 200);
    const throttled = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(6);
    expect(throttled).toHaveLength(3);
    expect(throttled.every((a) => a.retryAfter === '2')).toBe(true);
    // The two that waited for a place took a second latency: the queue the client can see.
    const slow = ok.filter((a) => a.ms >= 2 * 150 - 5);
    expect(slow.length).toBeGreaterThanOrEqual(2);
    expect(sim.snapshot().counters.faults.capacity).toBe(3);
    // Once the burst is over there is room again.
    expect((await burst(sim, 4)).every((a) => a.status === 200)).toBe(true);
  });

  it('without a capacity every request is served at once', async () => {
    const sim = await start({ latencyMs: 100 });
    const answers = await burst(sim, 30);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(sim.snapshot().counters.faults.capacity).toBe(0);
  });

  it('follows a schedule from when it is set', async () => {
    const sim = await start({ latencyMs: 100 });
    sim.setFaults({
      capacitySchedule: [
        { capacity: 2, atMs: 0 },
        { capacity: 0, atMs: 60_000 },
      ],
    });
    const answers = await burst(sim, 2 + queueLength(2) + 2);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(2);
  });

  it('reads a schedule as steps in time, and says which step is in force', () => {
    const steps = parseCapacitySchedule('10@0s, 4@30s,10@1m,0@90500ms');
    expect(steps).toEqual([
      { capacity: 10, atMs: 0 },
      { capacity: 4, atMs: 30_000 },
      { capacity: 10, atMs: 60_000 },
      { capacity: 0, atMs: 90_500 },
    ]);
    expect(capacityAt(7, steps.slice(1), 10_000)).toBe(7);
    expect(capacityAt(7, steps, 29_999)).toBe(10);
    expect(capacityAt(7, steps, 30_000)).toBe(4);
    expect(capacityAt(7, steps, 95_000)).toBeNull();
    expect(capacityAt(0, [], 0)).toBeNull();
    expect(() => parseCapacitySchedule('10 at 0s')).toThrow(SimulatorOptionsError);
    expect(() => parseCapacitySchedule('10@0s,4@30')).toThrow(/capacity-schedule.*"4@30"/);
  });

  it('the start-up line names the capacity and the schedule', () => {
    const { knobs } = normaliseOptions({
      capacity: 10,
      capacitySchedule: parseCapacitySchedule('4@30s,10@60s'),
    });
    expect(describeFaults(knobs)).toBe(
      'capacity 10 (queue 5), then 4 (queue 2) at 30 s, 10 (queue 5) at 60 s (429 beyond it, Retry-After 1 s)',
    );
    expect(() => normaliseOptions({ capacity: -1 })).toThrow(/capacity/);
  });
});
