/**
 * Many requests waiting on one signal (a place in the budget, a back-off) share one `abort` listener:
 * one each made Node warn "MaxListenersExceededWarning: 11 abort listeners" on every apply with little to do.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../src/api/abort-listeners.js';
import { createConcurrencyLimiter } from '../../src/api/concurrency.js';
import { sleep } from '../../src/api/retry.js';
import { pause } from '../../src/apply/read-back.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('waiting on a signal', () => {
  it('forty requests waiting for a place in a budget of two hold one abort listener, and none once served', async () => {
    const limiter = createConcurrencyLimiter({ mode: 'fixed', limit: 2 });
    const stop = new AbortController();
    const tickets = Array.from({ length: 40 }, () => limiter.enter(stop.signal));
    const first = await Promise.all(tickets.slice(0, 2));
    expect(listeners(stop.signal)).toBe(1);
    // Each ticket ended lets the next waiter in; the listener goes with the last waiter.
    for (const ticket of first) ticket.end();
    for (const next of tickets.slice(2)) (await next).end();
    expect(listeners(stop.signal)).toBe(0);
  });

  it('an abort still wakes every waiter: the budget, a back-off and a read-back pause', async () => {
    const limiter = createConcurrencyLimiter({ mode: 'fixed', limit: 1 });
    const stop = new AbortController();
    const held = await limiter.enter(stop.signal);
    const places = Array.from({ length: 15 }, () => limiter.enter(stop.signal));
    const sleeps = Array.from({ length: 15 }, () => sleep(60_000, stop.signal));
    const pauses = Array.from({ length: 15 }, () => pause(60_000, stop.signal));
    expect(listeners(stop.signal)).toBe(1);
    stop.abort();
    const outcomes = await Promise.allSettled([...places, ...sleeps]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(30).fill('rejected'));
    for (const o of outcomes)
      if (o.status === 'rejected') expect((o.reason as { code: string }).code).toBe('interrupted');
    await Promise.all(pauses); // a pause resolves when stopped
    held.end();
    expect(listeners(stop.signal)).toBe(0);
  });

  it('a wait that ends on its own removes its callback; the shared listener stays while others wait', () => {
    const stop = new AbortController();
    const calls: string[] = [];
    const endA = onAbort(stop.signal, () => calls.push('a'));
    const endB = onAbort(stop.signal, () => calls.push('b'));
    endA();
    endA(); // twice is harmless
    expect(listeners(stop.signal)).toBe(1);
    stop.abort();
    expect(calls).toEqual(['b']);
    endB();
    expect(listeners(stop.signal)).toBe(0);
  });
});
