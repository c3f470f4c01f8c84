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

  it('--throttle immediate: beyond N in flight, exactly the extra requests get 429 with Retry-After, at once (no queue)', async () => {
    const sim = await start({
      capacity: 4,
      capacityThrottle: 'immediate',
      latencyMs: 300,
      throttle: { burstRate: 0, burstLength: 1, retryAfterSeconds: 1 },
    });
    const c = client(sim);
    // Completion order rather than time: a refused request is answered before any served one.
    const order: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: 4 + 2 }, async () => {
        const res = await c.get('/api/v3/customer');
        order.push(res.status);
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      }),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    expect(refused.every((a) => a.retryAfter === '1')).toBe(true);
    expect(order.slice(0, 2)).toEqual([429, 429]);
    expect(sim.snapshot().counters.faults.capacity).toBe(2);
    // N + 1: exactly one refused; once they are answered there is room for N again.
    const next = await burst(sim, 4 + 1);
    expect(next.filter((a) => a.status === 429)).toHaveLength(1);
    expect((await burst(sim, 4)).every((a) => a.status === 200)).toBe(true);
  });

  it('--throttle queue is the default, and the knob refuses anything but queue or immediate', () => {
    expect(normaliseOptions({}).knobs.capacityThrottle).toBe('queue');
    expect(() => normaliseOptions({ capacityThrottle: 'later' as unknown as 'queue' })).toThrow(
      /Invalid option capacityThrottle/,
    );
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
    const immediate = normaliseOptions({
      capacity: 10,
      capacityThrottle: 'immediate',
      capacitySchedule: parseCapacitySchedule('4@30s'),
    });
    expect(describeFaults(immediate.knobs)).toBe(
      'capacity 10, then 4 at 30 s (429 at once beyond it, no queue, Retry-After 1 s)',
    );
  });
});
