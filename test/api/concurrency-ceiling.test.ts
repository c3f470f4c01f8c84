/**
 * `auto` against a platform that answers 429 with Retry-After the moment more than its capacity is in
 * flight, with no queue and no latency rise before it (an API gateway's concurrency limit): scripted
 * answers and an injected clock, no real sleeps and no timing assertions.
 */
import { describe, expect, it } from 'vitest';
import { AUTO_TUNING, type Ticket } from '../../src/api/concurrency.js';
import { moves, ok, rig, runGateway, settle, throttled, window, type Rig } from './concurrency-rig.js';

const LATENCY_MS = 200;
const RETRY_AFTER_MS = 1_000;
const steady = (capacity: number) => ({
  capacity: () => capacity,
  latencyMs: LATENCY_MS,
  retryAfterMs: RETRY_AFTER_MS,
});

/** `n` requests sent together; the one that left with `refusedAt` in flight is answered 429, the others 200. */
async function flightRefusedAt(r: Rig, refusedAt: number, retryAfterMs: number | null, n = r.limiter.limit) {
  const tickets: Ticket[] = [];
  for (let i = 0; i < n; i++) tickets.push(await r.limiter.enter());
  for (const t of tickets) t.sent();
  await r.clock.advance(1);
  tickets[refusedAt - 1]!.end(throttled(retryAfterMs));
  await r.clock.advance(LATENCY_MS);
  for (const t of tickets) t.end(ok);
}

describe('auto against a platform that throttles at once beyond its capacity', () => {
  it('settles just under the capacity, and few requests are throttled', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    const run = await runGateway(r, steady(10), 2_000);
    const settled = run.limits.filter((l) => l.at >= 5_000).map((l) => l.limit);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(8);
    // 11 only while a probe is out.
    expect(Math.max(...settled)).toBeLessThanOrEqual(11);
    expect(settled.filter((l) => l > 10).length / settled.length).toBeLessThan(0.02);
    const mostSeen = [8, 9, 10, 11].reduce((a, b) =>
      settled.filter((l) => l === b).length > settled.filter((l) => l === a).length ? b : a,
    );
    expect([8, 9, 10]).toContain(mostSeen);
    // Served per second of the fake clock once settled: near what the capacity allows (10 per 200 ms).
    const after = run.limits.filter((l) => l.at >= 5_000);
    const perSecond = ((after.length - 1) * 1000) / (after.at(-1)!.at - after[0]!.at);
    expect(perSecond).toBeGreaterThanOrEqual(0.9 * ((10 * 1000) / LATENCY_MS));
    const report = r.limiter.report();
    expect(report.throttled).toBe(run.refused);
    expect(report.throttled / report.requests).toBeLessThan(0.02);
    // No Retry-After stopped the requests that were not throttled.
    expect(report.pausedMs).toBe(0);
  });

  it('after a 429 at 12 in flight it cuts to 11, not to half; the others in flight go on', async () => {
    const r = rig({ mode: 'auto', start: 12, max: 32 });
    await flightRefusedAt(r, 12, RETRY_AFTER_MS);
    expect(moves(r)).toEqual([{ from: 12, to: 11, reason: 'throttled', pauseMs: 0, throttledAt: 12 }]);
    // Its Retry-After is not a pause for everyone: a request that wants to go, goes now.
    let entered = false;
    const next = r.limiter.enter().then((t) => ((entered = true), t));
    await settle();
    expect(entered).toBe(true);
    (await next).end();
    expect(r.limiter.report()).toMatchObject({ throttled: 1, pausedMs: 0 });
  });

  it('honours the Retry-After: no growth back to the level throttled before it has passed', async () => {
    const r = rig({ mode: 'auto', start: 12, max: 32 });
    const retryAfterMs = 3 * AUTO_TUNING.probeIntervalMaxMs;
    // flightRefusedAt answers the 429 1 ms after sending.
    const refusedAt = r.clock.now() + 1;
    await flightRefusedAt(r, 12, retryAfterMs);
    expect(r.limiter.limit).toBe(11);
    // Healthy windows that use the whole limit: the limit holds under the level refused…
    while (r.clock.now() < refusedAt + retryAfterMs - 2 * LATENCY_MS) {
      await window(r, LATENCY_MS);
      expect(r.limiter.limit).toBe(11);
    }
    // …and tries it again once the platform's hour has come.
    const cuts = r.changes.length;
    for (let i = 0; i < 4; i++) await window(r, LATENCY_MS);
    const probe = r.changes[cuts];
    expect(probe).toMatchObject({ from: 11, to: 12, reason: 'grew' });
    expect(probe!.at).toBeGreaterThanOrEqual(refusedAt + retryAfterMs);
  });

  it('probes above the level where 429s began rarely, and more rarely while it is refused there', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    await runGateway(r, steady(10), 4_000);
    const probes = r.changes.filter((c) => c.reason === 'grew' && c.to === 11).map((c) => c.at);
    const gaps = probes.slice(1).map((at, i) => at - probes[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(AUTO_TUNING.probeIntervalMs);
    // The waits double up to the most, then stay there (a window of answers on top at most).
    expect(gaps[1]!).toBeGreaterThanOrEqual(
      Math.min(2 * AUTO_TUNING.probeIntervalMs, AUTO_TUNING.probeIntervalMaxMs),
    );
    // The first probe came sooner after the first 429.
    const firstCut = r.changes.find((c) => c.reason === 'throttled')!.at;
    expect(probes[0]! - firstCut).toBeGreaterThanOrEqual(AUTO_TUNING.probeIntervalMs);
    expect(probes[0]! - firstCut).toBeLessThan(AUTO_TUNING.probeIntervalMaxMs);
    for (const gap of gaps.slice(-3)) {
      expect(gap).toBeGreaterThanOrEqual(AUTO_TUNING.probeIntervalMaxMs);
      expect(gap).toBeLessThanOrEqual(AUTO_TUNING.probeIntervalMaxMs + 2 * LATENCY_MS);
    }
    // Each refused probe cut to just under it, never to half.
    const cuts = r.changes.filter((c) => c.reason === 'throttled');
    expect(cuts.every((c) => c.to === 10 && c.throttledAt === 11)).toBe(true);
  });

  it('a 429 below the level where 429s began (the platform shrank) halves and pauses every request', async () => {
    const r = rig({ mode: 'auto', start: 12, max: 32 });
    await flightRefusedAt(r, 12, RETRY_AFTER_MS);
    expect(r.limiter.limit).toBe(11);
    await flightRefusedAt(r, 6, RETRY_AFTER_MS);
    expect(moves(r).at(-1)).toEqual({
      from: 11,
      to: 5,
      reason: 'throttled',
      pauseMs: RETRY_AFTER_MS,
      throttledAt: 6,
    });
    // The flight's other answers came LATENCY_MS later; nobody goes before the platform's hour.
    let entered = false;
    const next = r.limiter.enter().then((t) => ((entered = true), t));
    await r.clock.advance(RETRY_AFTER_MS - LATENCY_MS - 1);
    expect(entered).toBe(false);
    await r.clock.advance(1);
    expect(entered).toBe(true);
    (await next).end();
  });

  it('follows the capacity down and up again (10 → 4 → 10), each within seconds', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    const capacity = (now: number) => (now < 20_000 ? 10 : now < 40_000 ? 4 : 10);
    const run = await runGateway(r, { ...steady(10), capacity }, 2_600);
    const limitsBetween = (from: number, to: number) =>
      run.limits.filter((l) => l.at >= from && l.at < to).map((l) => l.limit);
    // Within 5 s of each change the limit fits the new capacity and stays there.
    const low = limitsBetween(25_000, 40_000);
    expect(Math.max(...low)).toBeLessThanOrEqual(5);
    expect(Math.min(...low)).toBeGreaterThanOrEqual(3);
    const high = limitsBetween(40_000 + AUTO_TUNING.probeIntervalMaxMs + 4_000, Infinity);
    expect(high.length).toBeGreaterThan(0);
    expect(Math.min(...high)).toBeGreaterThanOrEqual(8);
    expect(run.refused / r.limiter.report().requests).toBeLessThan(0.03);
  });
});
