/**
 * The request budget of one client: how many requests may be in flight at once, and whether dispatch is
 * paused. Every request (writes, their retries, read-backs, listings, task polls) passes the gate
 * (`enter`) and reports what became of it (`end`). With `auto` the limit follows the answers, as TCP and
 * Netflix's concurrency-limits do: +1 after a window of healthy answers that used the whole limit (+2
 * until the first sign of a limit), cut gently when two windows in a row have a mean latency well above
 * the lowest seen (a Gradient2-like ratio), cut to just under the level a 429 came at (remembered, and
 * probed again only rarely), and halved on a 429 below that level, a 503 or a timeout (once per flight).
 * A `Retry-After` always delays the throttled request's own retry (request.ts); it pauses dispatch for
 * every request with a pinned limit, and with `auto` when the limit was halved — not when a probe above
 * the remembered level was refused while the requests under it were served. The gate is p-limit, its
 * `concurrency` set as the limit moves (the moves themselves: concurrency-tuning.ts).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { RunError } from '../model/errors.js';
import { onAbort } from './abort-listeners.js';
import type { ConcurrencySetting } from './concurrency-setting.js';
import { saturated, startTuning, tune, type Pace, type Tuning } from './concurrency-tuning.js';
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
  /** Requests in flight when the request answered 429 left (itself included), for a cut on a 429. */
  throttledAt?: number;
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
  /** Requests answered per second between the first request sent and the last answer; null when that took under a second (a rate over a few ms says nothing). */
  perSecond: number | null;
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

// Tests script answer sequences against these numbers, imported from here as before.
export { AUTO_TUNING } from './concurrency-tuning.js';

const THROTTLED = new Set([429, 503]);

/** A rate is shown only over at least this long: 58 requests in 8 ms is not "7,000 requests/s". */
const MIN_RATE_SPAN_MS = 1_000;

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
  let tuning = startTuning(auto ? setting.start : setting.limit, auto ? setting.max : setting.limit);
  const gate = pLimit(tuning.limit);
  const listeners = new Set<(change: LimitChange) => void>();
  const tally = startTally(tuning.limit);
  let inFlight = 0;

  const answered = (sent: { epoch: number; level: number; at: number }, answer: Answer): void => {
    const now = clock.now();
    const throttled = noteAnswer(tally, answer, now);
    // A pinned limit cannot make room: a Retry-After pauses every request.
    if (!auto) {
      if (throttled && answer.retryAfterMs !== null) pause(tally, answer.retryAfterMs, now);
      return;
    }
    const from = tuning.limit;
    const step = tune(tuning, paceOf(answer, now - sent.at, sent.level), sent.epoch, now);
    tuning = step.tuning;
    if (step.pauseAll && answer.retryAfterMs !== null) pause(tally, answer.retryAfterMs, now);
    if (step.move === undefined || tuning.limit === from) return;
    gate.concurrency = tuning.limit;
    tally.lowest = Math.min(tally.lowest, tuning.limit);
    tally.highest = Math.max(tally.highest, tuning.limit);
    const pauseMs = Math.max(0, tally.pausedUntil - clock.now());
    const change: LimitChange = { from, to: tuning.limit, reason: step.move.reason, pauseMs };
    if (step.move.latencyRatio !== undefined) change.latencyRatio = step.move.latencyRatio;
    if (step.move.throttledAt !== undefined) change.throttledAt = step.move.throttledAt;
    for (const listener of listeners) listener(change);
  };

  const enter = async (signal?: AbortSignal): Promise<Ticket> => {
    let release: () => void;
    for (;;) {
      const wait = tally.pausedUntil - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      release = await place(gate, signal);
      // Paused while queued: give the place back and wait, so that the pause ends with the cut limit.
      if (tally.pausedUntil <= clock.now()) break;
      release();
    }
    inFlight += 1;
    if (inFlight >= tuning.limit || gate.pendingCount > 0) tuning = saturated(tuning);
    const sentEpoch = tuning.epoch;
    // The requests in flight as this one leaves, itself included: a 429 says the platform refuses that many.
    const level = inFlight;
    const free = (): void => {
      inFlight -= 1;
      release();
    };
    return ticket(clock, tally, free, (at, answer) => answered({ epoch: sentEpoch, level, at }, answer));
  };

  return {
    get limit() {
      return tuning.limit;
    },
    enter,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report: () => reportOf(setting.mode, tally, tuning),
  };
}

/** What the limiter counts for its report, and the pause in force. */
interface Tally {
  start: number;
  lowest: number;
  highest: number;
  requests: number;
  throttled: number;
  firstSentAt: number | null;
  lastAnswerAt: number | null;
  /** Dispatch waits until then (a `Retry-After`). */
  pausedUntil: number;
  pausedMs: number;
}

function startTally(limit: number): Tally {
  return {
    start: limit,
    lowest: limit,
    highest: limit,
    requests: 0,
    throttled: 0,
    firstSentAt: null,
    lastAnswerAt: null,
    pausedUntil: -Infinity,
    pausedMs: 0,
  };
}

/** Counts an answer; true when it was throttled (429 or 503). */
function noteAnswer(tally: Tally, answer: Answer, now: number): boolean {
  tally.lastAnswerAt = now;
  if (typeof answer.status !== 'number' || !THROTTLED.has(answer.status)) return false;
  tally.throttled += 1;
  return true;
}

function pause(tally: Tally, ms: number, now: number): void {
  // Longer than the client waits for: that request fails instead, and the others are not held up.
  if (ms <= 0 || ms > MAX_RETRY_AFTER_MS) return;
  const until = now + ms;
  if (until <= tally.pausedUntil) return;
  tally.pausedMs += until - Math.max(tally.pausedUntil, now);
  tally.pausedUntil = until;
}

/** What an answer says of the platform's pace, for `auto`; `level` is the requests in flight as it left. */
function paceOf(answer: Answer, latencyMs: number, level: number): Pace {
  const { status } = answer;
  if (status === 429) return { kind: 'throttled', level, retryAfterMs: answer.retryAfterMs };
  if (status === 'timeout' || status === 503) return { kind: 'slow-down' };
  return status === 'network' ? { kind: 'silent' } : { kind: 'latency', ms: latencyMs };
}

function reportOf(mode: ConcurrencySetting['mode'], tally: Tally, tuning: Tuning): ConcurrencyReport {
  const { firstSentAt, lastAnswerAt, requests } = tally;
  const span = firstSentAt === null || lastAnswerAt === null ? 0 : lastAnswerAt - firstSentAt;
  return {
    mode,
    start: tally.start,
    lowest: tally.lowest,
    highest: tally.highest,
    final: tuning.limit,
    max: tuning.max,
    requests,
    throttled: tally.throttled,
    perSecond: span >= MIN_RATE_SPAN_MS ? Math.round((requests / span) * 10_000) / 10 : null,
    pausedMs: Math.round(tally.pausedMs),
  };
}

/** A request's place in the budget; `free` gives the place back, then `answered` learns from the answer. */
function ticket(
  clock: Clock,
  tally: Tally,
  free: () => void,
  answered: (sentAt: number, answer: Answer) => void,
): Ticket {
  let sentAt: number | null = null;
  let ended = false;
  return {
    sent() {
      sentAt = clock.now();
      tally.firstSentAt ??= sentAt;
      tally.requests += 1;
    },
    end(answer) {
      if (ended) return;
      ended = true;
      free();
      if (answer && sentAt !== null) answered(sentAt, answer);
    },
  };
}

/** A place at the gate: resolves with its release; rejects on abort (a place that comes later is given back). */
function place(gate: LimitFunction, signal?: AbortSignal): Promise<() => void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    let gaveUp = false;
    const stopWaiting = onAbort(signal, () => {
      gaveUp = true;
      reject(interrupted());
    });
    void gate(
      () =>
        new Promise<void>((release) => {
          stopWaiting();
          if (gaveUp) release();
          else resolve(release);
        }),
    );
  });
}

function interrupted(): RunError {
  return new RunError('interrupted', 'Interrupted while waiting to send a Live Platform request.');
}
