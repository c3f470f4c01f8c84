/**
 * The limiter under test with time that moves only when the test says so: scripted answers, an injected
 * clock, and a scripted platform with a concurrency limit that answers 429 at once beyond it (a gateway).
 */
import {
  AUTO_TUNING,
  createConcurrencyLimiter,
  type Answer,
  type Clock,
  type ConcurrencyLimiter,
  type LimitChange,
  type Ticket,
} from '../../src/api/concurrency.js';

export interface FakeClock extends Clock {
  /** Moves time on by `ms`, waking the sleepers whose hour has come. */
  advance(ms: number): Promise<void>;
  /** Moves time on to the next sleeper's hour and wakes it; false when nobody sleeps. */
  next(): Promise<boolean>;
}

/** Time that moves only when the test says so; sleepers wake when it passes their hour. */
export function fakeClock(): FakeClock {
  let t = 1_000;
  let sleepers: Array<{ at: number; wake: () => void }> = [];
  const wakeDue = async (): Promise<void> => {
    const due = sleepers.filter((s) => s.at <= t);
    sleepers = sleepers.filter((s) => s.at > t);
    for (const s of due) s.wake();
    await settle();
  };
  return {
    now: () => t,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({ at: t + ms, wake })),
    async advance(ms) {
      t += ms;
      await wakeDue();
    },
    async next() {
      // What was just set going may be about to sleep.
      await settle();
      if (sleepers.length === 0) return false;
      t = Math.max(t, Math.min(...sleepers.map((s) => s.at)));
      await wakeDue();
      return true;
    },
  };
}

/** Lets promises and p-limit's microtasks run (no timers involved). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Rig {
  limiter: ConcurrencyLimiter;
  clock: FakeClock;
  /** Every change of the limit, with the (fake) time it came. */
  changes: Array<LimitChange & { at: number }>;
}

export function rig(setting: Parameters<typeof createConcurrencyLimiter>[0]): Rig {
  const clock = fakeClock();
  const limiter = createConcurrencyLimiter(setting, clock);
  const changes: Rig['changes'] = [];
  limiter.onChange((c) => changes.push({ ...c, at: clock.now() }));
  return { limiter, clock, changes };
}

/** The changes as the listeners got them, without the time the rig adds. */
export const moves = (r: Rig): LimitChange[] => r.changes.map(({ at: _at, ...c }) => c);

export const ok: Answer = { status: 200, retryAfterMs: null };
export const throttled = (retryAfterMs: number | null = null): Answer => ({ status: 429, retryAfterMs });

/** One flight: `n` requests (default: the whole limit) sent together, answered `answer` after `latencyMs`. */
export async function flight(
  r: Rig,
  latencyMs: number,
  answer: Answer = ok,
  n = r.limiter.limit,
): Promise<void> {
  const tickets: Ticket[] = [];
  for (let i = 0; i < n; i++) tickets.push(await r.limiter.enter());
  for (const t of tickets) t.sent();
  await r.clock.advance(latencyMs);
  for (const t of tickets) t.end(answer);
}

/** Enough flights for one window of answers at the current limit (or until the limit moves). */
export async function window(r: Rig, latencyMs: number): Promise<void> {
  const needed = Math.max(r.limiter.limit, AUTO_TUNING.minWindow);
  const start = r.changes.length;
  for (let answered = 0; answered < needed && r.changes.length === start; answered += r.limiter.limit)
    await flight(r, latencyMs);
}

/** Healthy windows, then one a little slower than the fastest: the fast start is over, and growth is by one. */
export async function pastFastStart(r: Rig, latencyMs = 100): Promise<void> {
  await window(r, latencyMs);
  const exit = (AUTO_TUNING.fastStartExit + AUTO_TUNING.tolerance) / 2;
  await window(r, latencyMs * exit);
}

export interface Gateway {
  /** Requests the platform serves at once, at the fake clock's time. */
  capacity: (now: number) => number;
  latencyMs: number;
  retryAfterMs: number;
}

export interface GatewayRun {
  served: number;
  /** 429s answered, each to a request that then waited its Retry-After before its retry. */
  refused: number;
  /** The limit after each served request, with the time. */
  limits: Array<{ at: number; limit: number }>;
}

/**
 * `workers` requests always wanting to go (more than any limit), against a platform that serves
 * `capacity` at once and answers 429 with Retry-After at once beyond it, until `served` have been served.
 * A refused request waits out its Retry-After, then goes again (as request.ts retries it).
 */
export async function runGateway(
  r: Rig,
  gateway: Gateway,
  served: number,
  workers = 40,
): Promise<GatewayRun> {
  const run: GatewayRun = { served: 0, refused: 0, limits: [] };
  let serving = 0;
  const worker = async (): Promise<void> => {
    while (run.served < served) {
      const ticket = await r.limiter.enter();
      ticket.sent();
      if (serving >= gateway.capacity(r.clock.now())) {
        await r.clock.sleep(1);
        run.refused += 1;
        ticket.end(throttled(gateway.retryAfterMs));
        await r.clock.sleep(gateway.retryAfterMs);
        continue;
      }
      serving += 1;
      await r.clock.sleep(gateway.latencyMs);
      serving -= 1;
      run.served += 1;
      ticket.end(ok);
      run.limits.push({ at: r.clock.now(), limit: r.limiter.limit });
    }
  };
  const all = Promise.all(Array.from({ length: workers }, worker));
  while (run.served < served && (await r.clock.next()));
  // The workers still out finish their request; none starts another.
  while (await r.clock.next());
  await all;
  return run;
}
