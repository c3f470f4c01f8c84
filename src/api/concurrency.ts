/**
 * The request budget of one client: how many requests may be in flight at once, and whether dispatch is
 * paused. Every request (writes, their retries, read-backs, listings, task polls) passes the gate
 * (`enter`) and reports what became of it (`end`). A `Retry-After` pauses dispatch for every request.
 * With `auto` the limit follows the answers, as TCP and Netflix's concurrency-limits do: +1 after a window
 * of healthy answers that used the whole limit, halved on 429/503 or a timeout (once per flight), and cut
 * gently when two windows in a row have a mean latency well above the lowest seen (a Gradient2-like ratio). The gate
 * is p-limit, its `concurrency` set as the limit moves.
 */
import pLimit from 'p-limit';
import { RunError } from '../model/errors.js';
import type { ConcurrencySetting } from './concurrency-setting.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, sleep } from './retry.js';
import type { TransportOutcome } from './transport.js';

/** Time as the limiter sees it; injected in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Waits `ms`; rejects (RunError 'interrupted') when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => performance.now(), sleep };

/** What became of one request, as the limiter needs it. */
export interface Answer {
  /** The HTTP status, or `timeout` / `network` when no answer came. */
  status: number | 'timeout' | 'network';
  /** The answer's `Retry-After`, in milliseconds, when it had one. */
  retryAfterMs: number | null;
}

/** A change of the limit, for the log and the progress line. */
export interface LimitChange {
  from: number;
  to: number;
  reason: 'grew' | 'throttled' | 'latency';
  /** How long dispatch is paused from now (a `Retry-After`), when it is. */
  pauseMs: number;
  /** The window's mean latency over the baseline, for a latency cut. */
  latencyRatio?: number;
}

/** How the run went, for the summary: "concurrency: auto, 3→11, 2 throttled of 4,120 requests". */
export interface ConcurrencyReport {
  mode: 'auto' | 'fixed';
  start: number;
  lowest: number;
  highest: number;
  final: number;
  /** `--max-concurrency` (auto), or the pinned limit. */
  max: number;
  /** Requests sent, retries included. */
  requests: number;
  /** Answers 429 or 503: the platform asking lpsync to slow down. */
  throttled: number;
  /** Requests answered per second between the first request sent and the last answer. */
  perSecond: number;
  /** Time dispatch stood still for a `Retry-After`, in all. */
  pausedMs: number;
}

/** The budget as others may watch it (apply's write slots follow it; the CLI shows it). */
export interface ConcurrencyBudget {
  readonly limit: number;
  /** Calls `listener` at every change of the limit; returns the unsubscribe. */
  onChange(listener: (change: LimitChange) => void): () => void;
  report(): ConcurrencyReport;
}

/** One request's place in the budget. */
export interface Ticket {
  /** The request leaves now: its latency counts from here. */
  sent(): void;
  /** Frees the place; with what became of the request, the limit learns from it. Only the first call counts. */
  end(answer?: Answer): void;
}

export interface ConcurrencyLimiter extends ConcurrencyBudget {
  /** Resolves when a place is free and dispatch is not paused; rejects (RunError 'interrupted') on abort. */
  enter(signal?: AbortSignal): Promise<Ticket>;
}

/** How `auto` moves; exported so that tests script answer sequences against the same numbers. */
export const AUTO_TUNING = {
  /** A window is at least this many answers, and at least `limit` (about one round trip). */
  minWindow: 8,
  /** A window mean above baseline × tolerance means a queue is forming at the platform… */
  tolerance: 1.2,
  /** …when this many windows in a row say so. */
  slowWindows: 2,
  /** The cut on 429, 503 or a timeout. */
  throttledFactor: 0.5,
  /** A latency cut is tolerance/ratio, within these bounds (at least one less). */
  latencyFactorMin: 0.5,
  latencyFactorMax: 0.9,
  /** The baseline (the lowest window mean) drifts up toward what it sees with this half-life: a lasting change in the platform's own latency is learned. */
  baselineHalfLifeMs: 60_000,
} as const;

const THROTTLED = new Set([429, 503]);

/** The limiter's answer for a transport outcome: status, and `Retry-After` when it asks to slow down. */
export function answerOf(outcome: TransportOutcome): Answer {
  if (outcome.kind === 'error') return { status: outcome.reason, retryAfterMs: null };
  const retryAfterMs = THROTTLED.has(outcome.status) ? parseRetryAfter(outcome.header('retry-after')) : null;
  return { status: outcome.status, retryAfterMs };
}

export function createConcurrencyLimiter(
  setting: ConcurrencySetting,
  clock: Clock = SYSTEM_CLOCK,
): ConcurrencyLimiter {
  const auto = setting.mode === 'auto';
  const max = auto ? setting.max : setting.limit;
  let limit = auto ? setting.start : setting.limit;
  const gate = pLimit(limit);
  const listeners = new Set<(change: LimitChange) => void>();
  const seen = { start: limit, lowest: limit, highest: limit };
  let inFlight = 0;
  let requests = 0;
  let throttled = 0;
  let firstSentAt: number | null = null;
  let lastAnswerAt: number | null = null;
  let pausedUntil = -Infinity;
  let pausedMs = 0;
  // Bumped by every cut: answers to requests sent before a cut say nothing about the new limit.
  let epoch = 0;
  let window = { count: 0, sum: 0, saturated: false };
  let baseline: number | null = null;
  let slowWindows = 0;
  let baselineAt = 0;

  const change = (to: number, reason: LimitChange['reason'], extra: Partial<LimitChange> = {}): void => {
    const from = limit;
    limit = Math.min(max, Math.max(1, to));
    epoch += 1;
    window = { count: 0, sum: 0, saturated: false };
    if (limit === from) return;
    gate.concurrency = limit;
    seen.lowest = Math.min(seen.lowest, limit);
    seen.highest = Math.max(seen.highest, limit);
    const pauseMs = Math.max(0, pausedUntil - clock.now());
    for (const listener of listeners) listener({ from, to: limit, reason, pauseMs, ...extra });
  };

  const pause = (ms: number, now: number): void => {
    // Longer than the client waits for: that request fails instead, and the others are not held up.
    if (ms <= 0 || ms > MAX_RETRY_AFTER_MS) return;
    const until = now + ms;
    if (until <= pausedUntil) return;
    pausedMs += until - Math.max(pausedUntil, now);
    pausedUntil = until;
  };

  const learn = (latencyMs: number): void => {
    window.count += 1;
    window.sum += latencyMs;
    if (window.count < Math.max(limit, AUTO_TUNING.minWindow)) return;
    const mean = window.sum / window.count;
    const now = clock.now();
    if (baseline === null || mean < baseline) baseline = mean;
    else baseline += (mean - baseline) * (1 - 2 ** (-(now - baselineAt) / AUTO_TUNING.baselineHalfLifeMs));
    baselineAt = now;
    const ratio = baseline > 0 ? mean / baseline : 1;
    slowWindows = ratio > AUTO_TUNING.tolerance ? slowWindows + 1 : 0;
    if (slowWindows >= AUTO_TUNING.slowWindows) {
      slowWindows = 0;
      const factor = Math.min(
        AUTO_TUNING.latencyFactorMax,
        Math.max(AUTO_TUNING.latencyFactorMin, AUTO_TUNING.tolerance / ratio),
      );
      change(Math.min(limit - 1, Math.floor(limit * factor)), 'latency', {
        latencyRatio: Math.round(ratio * 100) / 100,
      });
    } else if (slowWindows === 0 && window.saturated && limit < max) change(limit + 1, 'grew');
    // A slow window alone only holds the limit: one pause of the machine or the network is not a queue.
    else window = { count: 0, sum: 0, saturated: false };
  };

  const answered = (ticketEpoch: number, sentAt: number, answer: Answer): void => {
    const now = clock.now();
    lastAnswerAt = now;
    const slowDown =
      answer.status === 'timeout' || (typeof answer.status === 'number' && THROTTLED.has(answer.status));
    if (typeof answer.status === 'number' && THROTTLED.has(answer.status)) {
      throttled += 1;
      if (answer.retryAfterMs !== null) pause(answer.retryAfterMs, now);
    }
    if (!auto) return;
    // One cut per flight: the other answers of requests already out when it was cut are its echo.
    if (slowDown) {
      if (ticketEpoch === epoch) change(Math.floor(limit * AUTO_TUNING.throttledFactor), 'throttled');
      return;
    }
    // A broken connection says nothing about the platform's pace.
    if (answer.status === 'network' || ticketEpoch !== epoch) return;
    learn(now - sentAt);
  };

  /** A place at the gate: resolves with its release; rejects on abort (a place that comes later is given back). */
  const place = (signal?: AbortSignal): Promise<() => void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(interrupted());
      let gaveUp = false;
      const onAbort = (): void => {
        gaveUp = true;
        reject(interrupted());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void gate(
        () =>
          new Promise<void>((release) => {
            signal?.removeEventListener('abort', onAbort);
            if (gaveUp) release();
            else resolve(release);
          }),
      );
    });

  const enter = async (signal?: AbortSignal): Promise<Ticket> => {
    let release: () => void;
    for (;;) {
      const wait = pausedUntil - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      release = await place(signal);
      // Paused while queued: give the place back and wait, so that the pause ends with the cut limit.
      if (pausedUntil <= clock.now()) break;
      release();
    }
    inFlight += 1;
    if (inFlight >= limit || gate.pendingCount > 0) window.saturated = true;
    const ticketEpoch = epoch;
    let sentAt: number | null = null;
    let ended = false;
    return {
      sent() {
        sentAt = clock.now();
        firstSentAt ??= sentAt;
        requests += 1;
      },
      end(answer) {
        if (ended) return;
        ended = true;
        inFlight -= 1;
        release();
        if (answer && sentAt !== null) answered(ticketEpoch, sentAt, answer);
      },
    };
  };

  return {
    get limit() {
      return limit;
    },
    enter,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report() {
      const span = firstSentAt === null || lastAnswerAt === null ? 0 : lastAnswerAt - firstSentAt;
      return {
        mode: setting.mode,
        ...seen,
        final: limit,
        max,
        requests,
        throttled,
        perSecond: span > 0 ? Math.round((requests / span) * 10_000) / 10 : 0,
        pausedMs: Math.round(pausedMs),
      };
    },
  };
}

function interrupted(): RunError {
  return new RunError('interrupted', 'Interrupted while waiting to send a Live Platform request.');
}
