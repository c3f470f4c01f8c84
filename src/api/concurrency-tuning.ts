/**
 * How `auto` moves the limit, as pure functions over plain state: +1 after a window of healthy answers
 * that used the whole limit (+2 until the first sign of a limit: a fast start), cut gently when
 * two windows in a row have a mean latency well above the lowest seen, and on a 429 cut to just under the
 * level throttled, remembering that level (the ceiling, as TCP CUBIC keeps W_max) and growing to it again
 * only rarely. A 429 below the ceiling (the platform shrank), a 503 or a timeout halves, once per flight.
 * src/api/concurrency.ts applies the moves to its gate.
 */
import type { LimitChange } from './concurrency.js';

/** How `auto` moves; exported so that tests script answer sequences against the same numbers. */
export const AUTO_TUNING = {
  /** A window is at least this many answers, and at least `limit` (about one round trip). */
  minWindow: 8,
  /** A window mean above baseline × tolerance means a queue is forming at the platform… */
  tolerance: 1.2,
  /** …when this many windows in a row say so. */
  slowWindows: 2,
  /** The cut on 503, a timeout, or a 429 below the ceiling; never more than this on a 429 above it. */
  throttledFactor: 0.5,
  /** A latency cut is tolerance/ratio, within these bounds (at least one less). */
  latencyFactorMin: 0.5,
  latencyFactorMax: 0.9,
  /**
   * At the start, until the first sign of a limit (a 429, 503 or timeout, or a window mean above
   * baseline × fastStartExit), each step adds this many: past the first level refused by one at most.
   */
  fastStartStep: 2,
  /** Lower than `tolerance`: a queue only starting to form ends the fast start (as HyStart's delay increase does). */
  fastStartExit: 1.1,
  /** The baseline (the lowest window mean) drifts up toward what it sees with this half-life: a lasting change in the platform's own latency is learned. */
  baselineHalfLifeMs: 60_000,
  /**
   * Growing to the ceiling (a probe) waits this long after the last 429, or its Retry-After when longer;
   * twice as long after each probe refused at the same level, up to the most: each costs its request a
   * Retry-After. Longer than 2 s: a platform that grew shows 2 s without a 429 before the next probe.
   */
  probeIntervalMs: 3_000,
  probeIntervalMaxMs: 4_000,
} as const;

/** The answers since the limit last moved or a window closed. */
export interface Window {
  count: number;
  /** Their latencies added up, in milliseconds. */
  sum: number;
  /** Whether a request left with the whole limit in use: only then can the window say the limit is too low. */
  saturated: boolean;
}

/** Everything the limit's moves depend on. */
export interface Tuning {
  limit: number;
  max: number;
  /** Bumped by every move: answers to requests sent before it say nothing about the new limit. */
  epoch: number;
  window: Window;
  /** The lowest window mean seen, drifting up toward later means; null before the first window. */
  baseline: number | null;
  baselineAt: number;
  /** Windows in a row whose mean was above baseline × tolerance. */
  slowWindows: number;
  /** Requests in flight at which 429s began (the limit stays under it but for a rare probe); null when none or forgotten. */
  ceiling: number | null;
  /** No probe (growth to the ceiling) before then. */
  probeAt: number;
  /** The wait after the next refused probe at the same level. */
  probeIntervalMs: number;
  /** No sign of a limit yet (or since a ceiling was forgotten): the limit grows by fastStartStep at each step rather than by one. */
  fastStart: boolean;
}

/** What one answer says of the platform's pace. */
export type Pace =
  /** 429: the platform refused this request, which left with `level` in flight (itself included). */
  | { kind: 'throttled'; level: number; retryAfterMs: number | null }
  /** 503 or a timeout: the platform asks to slow down. */
  | { kind: 'slow-down' }
  /** A broken connection: nothing. */
  | { kind: 'silent' }
  | { kind: 'latency'; ms: number };

/** A move of the limit, for the listeners (the limit may not change when it is already at a bound). */
export type Move = Pick<LimitChange, 'reason' | 'latencyRatio' | 'throttledAt'>;

export interface Step {
  tuning: Tuning;
  move?: Move;
  /** The answer's Retry-After pauses every request, not only its own retry. */
  pauseAll?: boolean;
}

const EMPTY_WINDOW: Window = { count: 0, sum: 0, saturated: false };

export function startTuning(limit: number, max: number): Tuning {
  return {
    limit,
    max,
    epoch: 0,
    window: EMPTY_WINDOW,
    baseline: null,
    baselineAt: 0,
    slowWindows: 0,
    ceiling: null,
    probeAt: -Infinity,
    probeIntervalMs: AUTO_TUNING.probeIntervalMs,
    fastStart: true,
  };
}

/** The tuning once a request has left with the whole limit in use (or others waiting). */
export function saturated(tuning: Tuning): Tuning {
  return { ...tuning, window: { ...tuning.window, saturated: true } };
}

/** What an answer to a request sent in `sentEpoch` does to the limit, at `now` (milliseconds). */
export function tune(tuning: Tuning, pace: Pace, sentEpoch: number, now: number): Step {
  if (pace.kind === 'throttled' || pace.kind === 'slow-down') {
    // One cut per flight: the other answers of requests already out when it was cut are its echo.
    if (sentEpoch !== tuning.epoch) return { tuning };
    if (pace.kind === 'throttled') return throttledAt(tuning, pace.level, pace.retryAfterMs, now);
    const to = Math.floor(tuning.limit * AUTO_TUNING.throttledFactor);
    return {
      tuning: moved({ ...tuning, fastStart: false }, to),
      move: { reason: 'throttled' },
      pauseAll: true,
    };
  }
  if (pace.kind === 'silent' || sentEpoch !== tuning.epoch) return { tuning };
  const window = { ...tuning.window, count: tuning.window.count + 1, sum: tuning.window.sum + pace.ms };
  if (window.count < Math.max(tuning.limit, AUTO_TUNING.minWindow)) return { tuning: { ...tuning, window } };
  return closeWindow({ ...tuning, window }, now);
}

/**
 * A 429 to a request that left with `level` in flight. At or above the ceiling (or before any), a probe
 * found where the platform refuses: just under that level is served, so the cut is to level − 1 (never
 * more than halving), the others in flight go on, and only the throttled request waits out its Retry-After.
 * Below the ceiling the platform has shrunk, or its limit is not one of concurrency: halve, and pause all.
 */
function throttledAt(tuning: Tuning, level: number, retryAfterMs: number | null, now: number): Step {
  const half = Math.floor(tuning.limit * AUTO_TUNING.throttledFactor);
  const probe = tuning.ceiling === null || level >= tuning.ceiling;
  const to = probe ? Math.min(tuning.limit - 1, Math.max(level - 1, half)) : half;
  const next = moved({ ...tuning, fastStart: false }, to);
  const ceiling = Math.max(level, next.limit + 1);
  // Refused again where it was refused before: the platform is steady, so probe it less often.
  const wait = ceiling === tuning.ceiling ? tuning.probeIntervalMs : AUTO_TUNING.probeIntervalMs;
  const probeAt = now + Math.max(wait, retryAfterMs ?? 0);
  const probeIntervalMs = Math.min(AUTO_TUNING.probeIntervalMaxMs, wait * 2);
  return {
    tuning: { ...next, ceiling, probeAt, probeIntervalMs },
    move: { reason: 'throttled', throttledAt: level },
    pauseAll: !probe,
  };
}

/** A full window: the baseline learns its mean, and the limit is cut, grown or held. */
function closeWindow(tuning: Tuning, now: number): Step {
  const { window, limit } = tuning;
  const mean = window.sum / window.count;
  const baseline = learnBaseline(tuning.baseline, tuning.baselineAt, mean, now);
  const ratio = baseline > 0 ? mean / baseline : 1;
  const slowWindows = ratio > AUTO_TUNING.tolerance ? tuning.slowWindows + 1 : 0;
  const fastStart = tuning.fastStart && ratio <= AUTO_TUNING.fastStartExit;
  const next = { ...tuning, baseline, baselineAt: now, slowWindows, fastStart };
  if (slowWindows >= AUTO_TUNING.slowWindows) {
    const factor = Math.min(
      AUTO_TUNING.latencyFactorMax,
      Math.max(AUTO_TUNING.latencyFactorMin, AUTO_TUNING.tolerance / ratio),
    );
    const to = Math.min(limit - 1, Math.floor(limit * factor));
    const move: Move = { reason: 'latency', latencyRatio: Math.round(ratio * 100) / 100 };
    return { tuning: moved({ ...next, slowWindows: 0 }, to), move };
  }
  if (slowWindows === 0 && window.saturated && limit < tuning.max) return grown(next, now);
  // A slow window alone only holds the limit: one pause of the machine or the network is not a queue.
  return { tuning: { ...next, window: EMPTY_WINDOW } };
}

/**
 * +1 after a healthy window that used the whole limit (+half in the fast start); to the ceiling only when a
 * probe is due. Under a ceiling left by a halving it is +1 too: the platform shrank, by how much is unknown.
 */
function grown(tuning: Tuning, now: number): Step {
  const { ceiling, limit } = tuning;
  const grew: Move = { reason: 'grew' };
  if (ceiling === null) {
    const step = tuning.fastStart ? AUTO_TUNING.fastStartStep : 1;
    return { tuning: moved(tuning, limit + step), move: grew };
  }
  // A whole healthy window at the ceiling: the platform has grown since the 429, so it is forgotten, and
  // its new level is sought as at the start.
  if (limit >= ceiling) {
    const forgotten = { ceiling: null, probeIntervalMs: AUTO_TUNING.probeIntervalMs, fastStart: true };
    return { tuning: moved({ ...tuning, ...forgotten }, limit + AUTO_TUNING.fastStartStep), move: grew };
  }
  if (limit + 1 >= ceiling && now < tuning.probeAt) return { tuning: { ...tuning, window: EMPTY_WINDOW } };
  return { tuning: moved(tuning, limit + 1), move: grew };
}

/** The lowest mean seen, drifting up toward a higher `mean` with the half-life. */
function learnBaseline(baseline: number | null, baselineAt: number, mean: number, now: number): number {
  if (baseline === null || mean < baseline) return mean;
  return baseline + (mean - baseline) * (1 - 2 ** (-(now - baselineAt) / AUTO_TUNING.baselineHalfLifeMs));
}

/** The tuning with the limit set to `to`, kept within 1…max: a new epoch, an empty window. */
function moved(tuning: Tuning, to: number): Tuning {
  const limit = Math.min(tuning.max, Math.max(1, to));
  return { ...tuning, limit, epoch: tuning.epoch + 1, window: EMPTY_WINDOW };
}
