import { describe, expect, it } from 'vitest';
import { AUTO_TUNING, type Ticket } from '../../src/api/concurrency.js';
import { concurrencyCeiling, normaliseConcurrency } from '../../src/api/concurrency-setting.js';
import { RunError } from '../../src/model/errors.js';
import { flight, moves, ok, pastFastStart, rig, settle, throttled, window } from './concurrency-rig.js';

describe('the concurrency limiter (auto)', () => {
  it('starts at its start and, until a first sign of a limit, grows by two after each window of healthy answers that used the whole limit', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    expect(r.limiter.limit).toBe(4);
    await flight(r, 100);
    // Four answers are not yet a window (at least AUTO_TUNING.minWindow).
    expect(r.limiter.limit).toBe(4);
    await flight(r, 100);
    expect(r.limiter.limit).toBe(4 + AUTO_TUNING.fastStartStep);
    for (let i = 0; i < 3; i++) await window(r, 100);
    expect(r.changes.map((c) => c.reason)).toEqual(Array(4).fill('grew'));
    expect(r.changes.map((c) => c.to)).toEqual([6, 8, 10, 12]);
  });

  it('grows by one once a window is a little slower than the fastest (a queue starting to form)', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    await window(r, 100);
    expect(r.limiter.limit).toBe(6);
    // Above the fast start's bound, within the tolerance: still grows, by one from now on.
    await window(r, 100 * (AUTO_TUNING.fastStartExit + 0.05));
    expect(r.limiter.limit).toBe(7);
    for (let i = 0; i < 3; i++) await window(r, 100);
    expect(r.changes.map((c) => c.to)).toEqual([6, 7, 8, 9, 10]);
  });

  it('does not grow while fewer requests than the limit are wanted', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    for (let i = 0; i < 20; i++) await flight(r, 100, ok, 2);
    expect(r.limiter.limit).toBe(4);
    expect(moves(r)).toEqual([]);
  });

  it('a 429 cuts once for the whole flight that was out when it came, and never by more than half', async () => {
    const r = rig({ mode: 'auto', start: 12, max: 32 });
    // The first answer is the 429 of the first to leave, with one in flight: still only halved.
    await flight(r, 100, throttled());
    expect(r.limiter.limit).toBe(6);
    expect(moves(r)).toEqual([{ from: 12, to: 6, reason: 'throttled', pauseMs: 0, throttledAt: 1 }]);
    expect(r.limiter.report().throttled).toBe(12);
  });

  it('halves on a 503 and on a timeout alike; a broken connection changes nothing', async () => {
    const r = rig({ mode: 'auto', start: 16, max: 32 });
    await flight(r, 100, { status: 503, retryAfterMs: null }, 1);
    expect(r.limiter.limit).toBe(8);
    await flight(r, 100, { status: 'timeout', retryAfterMs: null }, 1);
    expect(r.limiter.limit).toBe(4);
    for (let i = 0; i < 10; i++) await flight(r, 100, { status: 'network', retryAfterMs: null });
    expect(r.limiter.limit).toBe(4);
    // A timeout is a sign of overload, not a throttled answer.
    expect(r.limiter.report().throttled).toBe(1);
  });

  it('answers to requests sent before a cut do not cut again, nor count towards the next window', async () => {
    const r = rig({ mode: 'auto', start: 10, max: 32 });
    const before: Ticket[] = [];
    for (let i = 0; i < 10; i++) before.push(await r.limiter.enter());
    for (const t of before) t.sent();
    await r.clock.advance(50);
    before[0]!.end({ status: 429, retryAfterMs: null });
    expect(r.limiter.limit).toBe(5);
    // The flight's other answers: late 429s and slow successes from the old load.
    for (const t of before.slice(1, 5)) t.end({ status: 429, retryAfterMs: null });
    await r.clock.advance(1_000);
    for (const t of before.slice(5)) t.end(ok);
    expect(r.limiter.limit).toBe(5);
    expect(r.changes).toHaveLength(1);
  });

  it('cuts in proportion when two windows in a row are well above the lowest latency seen; one only holds', async () => {
    const r = rig({ mode: 'auto', start: 10, max: 32 });
    await pastFastStart(r);
    const start = r.limiter.limit;
    // Twice the baseline once: a pause of the machine or the network, perhaps; the limit holds.
    await window(r, 200);
    expect(r.limiter.limit).toBe(start);
    await window(r, 100);
    await window(r, 200);
    expect(r.limiter.limit).toBe(start + 1);
    // Twice in a row: a queue is forming; cut by tolerance/ratio.
    await window(r, 200);
    const factor = Math.max(AUTO_TUNING.latencyFactorMin, AUTO_TUNING.tolerance / 2);
    const expected = Math.floor((start + 1) * factor);
    expect(r.changes.at(-1)).toMatchObject({ from: start + 1, to: expected, reason: 'latency', pauseMs: 0 });
    // The baseline has drifted a little toward the slow windows (its half-life): about twice.
    expect(r.changes.at(-1)?.latencyRatio).toBeCloseTo(2, 1);
    // Barely above tolerance still takes at least one off.
    const now = r.limiter.limit;
    await window(r, 100 * (AUTO_TUNING.tolerance + 0.02));
    await window(r, 100 * (AUTO_TUNING.tolerance + 0.02));
    expect(r.limiter.limit).toBe(now - 1);
  });

  it('keeps growing while latency stays within the tolerance of the lowest seen', async () => {
    const r = rig({ mode: 'auto', start: 6, max: 32 });
    await window(r, 100);
    await window(r, 100 * (AUTO_TUNING.tolerance - 0.05));
    await window(r, 100 * (AUTO_TUNING.tolerance - 0.05));
    expect(r.changes.map((c) => c.reason)).toEqual(['grew', 'grew', 'grew']);
  });

  it('learns a lasting change in the platform’s own latency: the baseline drifts up with a half-life', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    await window(r, 100);
    // The platform becomes slower for reasons of its own: cut at first, then the new level is the normal.
    for (let i = 0; i < 20; i++) {
      await window(r, 300);
      await r.clock.advance(AUTO_TUNING.baselineHalfLifeMs / 4);
    }
    const last = r.changes.slice(-3).map((c) => c.reason);
    expect(r.changes.some((c) => c.reason === 'latency')).toBe(true);
    expect(last).toEqual(['grew', 'grew', 'grew']);
  });

  it('never goes below 1', async () => {
    const r = rig({ mode: 'auto', start: 3, max: 32 });
    for (let i = 0; i < 5; i++) await flight(r, 10, { status: 429, retryAfterMs: null });
    expect(r.limiter.limit).toBe(1);
    expect(r.limiter.report().lowest).toBe(1);
    // Still sends, one at a time.
    const t = await r.limiter.enter();
    t.sent();
    t.end(ok);
  });

  it('never goes above --max-concurrency', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 6 });
    for (let i = 0; i < 10; i++) await window(r, 100);
    expect(r.limiter.limit).toBe(6);
    expect(r.limiter.report()).toMatchObject({
      mode: 'auto',
      start: 4,
      lowest: 4,
      highest: 6,
      final: 6,
      max: 6,
    });
  });
});

describe('the gate', () => {
  it('lets no more than the limit through at once (p-limit), the next one when a place frees', async () => {
    const r = rig({ mode: 'fixed', limit: 2 });
    const a = await r.limiter.enter();
    await r.limiter.enter();
    let third = false;
    const pending = r.limiter.enter().then((t) => ((third = true), t));
    await settle();
    expect(third).toBe(false);
    a.sent();
    a.end(ok);
    await settle();
    expect(third).toBe(true);
    (await pending).end();
  });

  it('with a pinned limit a Retry-After pauses dispatch for every request, not only the one that got it', async () => {
    const r = rig({ mode: 'fixed', limit: 4 });
    const throttled = await r.limiter.enter();
    const other = await r.limiter.enter();
    throttled.sent();
    other.sent();
    await r.clock.advance(20);
    throttled.end({ status: 429, retryAfterMs: 2_000 });
    // Places are free, yet nobody is let through before the platform's hour.
    const entered: number[] = [];
    const waiting = [1, 2, 3].map((i) => r.limiter.enter().then((t) => (entered.push(i), t)));
    await r.clock.advance(1_000);
    expect(entered).toEqual([]);
    other.end(ok);
    await r.clock.advance(999);
    expect(entered).toEqual([]);
    await r.clock.advance(1);
    expect(entered.sort()).toEqual([1, 2, 3]);
    for (const t of await Promise.all(waiting)) t.end();
    expect(r.limiter.report()).toMatchObject({ throttled: 1, pausedMs: 2_000, final: 4 });
  });

  it('after a pause (auto halved on a 503 with Retry-After), as many go as the cut limit allows', async () => {
    const r = rig({ mode: 'auto', start: 8, max: 32 });
    const out: Ticket[] = [];
    for (let i = 0; i < 8; i++) out.push(await r.limiter.enter());
    for (const t of out) t.sent();
    await r.clock.advance(50);
    out[0]!.end({ status: 503, retryAfterMs: 1_000 });
    expect(moves(r)).toEqual([{ from: 8, to: 4, reason: 'throttled', pauseMs: 1_000 }]);
    for (const t of out.slice(1)) t.end(ok);
    let entered = 0;
    const waiting = Array.from({ length: 8 }, () => r.limiter.enter().then((t) => (entered++, t)));
    await r.clock.advance(999);
    expect(entered).toBe(0);
    await r.clock.advance(1);
    expect(entered).toBe(4);
    const first = await Promise.all(waiting.slice(0, 4));
    for (const t of first) t.end();
    await settle();
    expect(entered).toBe(8);
    for (const t of await Promise.all(waiting.slice(4))) t.end();
  });

  it('a pinned limit never moves, whatever the answers; 429s still count and pause', async () => {
    const r = rig({ mode: 'fixed', limit: 5 });
    await flight(r, 100, { status: 429, retryAfterMs: 1_000 });
    await r.clock.advance(1_000);
    for (let i = 0; i < 10; i++) await flight(r, 100 * (i + 1));
    expect(r.limiter.limit).toBe(5);
    expect(moves(r)).toEqual([]);
    expect(r.limiter.report()).toMatchObject({ mode: 'fixed', throttled: 5, lowest: 5, highest: 5 });
  });

  it('a Retry-After longer than the client waits for pauses nobody (that request fails instead)', async () => {
    const r = rig({ mode: 'fixed', limit: 2 });
    await flight(r, 10, { status: 429, retryAfterMs: 10 * 60_000 }, 1);
    let entered = false;
    const t = r.limiter.enter().then((x) => ((entered = true), x));
    await settle();
    expect(entered).toBe(true);
    (await t).end();
  });

  it('gives up waiting on abort, and the place it would have had is not lost', async () => {
    const r = rig({ mode: 'fixed', limit: 1 });
    const holder = await r.limiter.enter();
    const abort = new AbortController();
    const waiting = r.limiter.enter(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(RunError);
    holder.end();
    const next = await r.limiter.enter();
    next.end();
  });

  it('reports requests, throttled answers and the achieved rate', async () => {
    const r = rig({ mode: 'auto', start: 4, max: 32 });
    let sent = 0;
    for (let i = 0; i < 10; i++) {
      sent += r.limiter.limit;
      await flight(r, 100);
    }
    await flight(r, 100, { status: 429, retryAfterMs: null }, 1);
    const report = r.limiter.report();
    expect(report.requests).toBe(sent + 1);
    expect(report.throttled).toBe(1);
    // Eleven flights of 100 ms: requests per 1.1 s.
    expect(report.perSecond).toBeCloseTo((sent + 1) / 1.1, 0);
  });

  it('gives no rate for requests that took under a second (a rate over 8 ms says nothing)', async () => {
    const r = rig({ mode: 'fixed', limit: 4 });
    for (let i = 0; i < 9; i++) await flight(r, 100);
    expect(r.limiter.report()).toMatchObject({ requests: 36, perSecond: null });
    await flight(r, 100);
    expect(r.limiter.report().perSecond).toBeCloseTo(40, 0);
  });
});

describe('--concurrency and --max-concurrency', () => {
  it('auto starts at 4 (or the maximum when lower), a number pins the limit', () => {
    expect(normaliseConcurrency({ concurrency: 'auto' })).toEqual({ mode: 'auto', start: 4, max: 32 });
    expect(normaliseConcurrency({ concurrency: 'Auto', maxConcurrency: 2 })).toEqual({
      mode: 'auto',
      start: 2,
      max: 2,
    });
    expect(normaliseConcurrency({ concurrency: '8' })).toEqual({ mode: 'fixed', limit: 8 });
    expect(normaliseConcurrency({ concurrency: 40 })).toEqual({ mode: 'fixed', limit: 40 });
    expect(concurrencyCeiling(normaliseConcurrency({ concurrency: 'auto', maxConcurrency: '12' }))).toBe(12);
  });

  it('refuses what makes no sense, naming the option and what it got', () => {
    expect(() => normaliseConcurrency({ concurrency: 0 })).toThrow(
      'Invalid option --concurrency: expected "auto" or a whole number of 1 or more, got 0',
    );
    expect(() => normaliseConcurrency({ concurrency: 'fast' })).toThrow(/--concurrency.*got "fast"/);
    expect(() => normaliseConcurrency({ concurrency: 2.5 })).toThrow(/--concurrency/);
    expect(() => normaliseConcurrency({ concurrency: 'auto', maxConcurrency: 0 })).toThrow(
      'Invalid option --max-concurrency: expected a whole number of 1 or more, got 0',
    );
  });
});
