/**
 * How `auto` moves the limit, as pure functions over plain state: +1 after a window of healthy answers
 * that used the whole limit, halved on a slow-down (once per flight), and cut gently when two windows in a
 * row have a mean latency well above the lowest seen. src/api/concurrency.ts applies the moves to its gate.
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
  /** The cut on 429, 503 or a timeout. */
  throttledFactor: 0.5,
  /** A latency cut is tolerance/ratio, within these bounds (at least one less). */
  latencyFactorMin: 0.5,
  latencyFactorMax: 0.9,
  /** The baseline (the lowest window mean) drifts up toward what it sees with this half-life: a lasting change in the platform's own latency is learned. */
  baselineHalfLifeMs: 60_000,
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
}

/** What one answer says of the platform's pace. */
export type Pace =
  /** 429, 503 or a timeout: the platform asks to slow down. */
  | { kind: 'slow-down' }
  /** A broken connection: nothing. */
  | { kind: 'silent' }
  | { kind: 'latency'; ms: number };

/** A move of the limit, for the listeners (the limit may not change when it is already at a bound). */
export type Move = Pick<LimitChange, 'reason' | 'latencyRatio'>;

export interface Step {
  tuning: Tuning;
  move?: Move;
}

const EMPTY_WINDOW: Window = { count: 0, sum: 0, saturated: false };

export function startTuning(limit: number, max: number): Tuning {
  return { limit, max, epoch: 0, window: EMPTY_WINDOW, baseline: null, baselineAt: 0, slowWindows: 0 };
}

/** The tuning once a request has left with the whole limit in use (or others waiting). */
export function saturated(tuning: Tuning): Tuning {
  return { ...tuning, window: { ...tuning.window, saturated: true } };
}

/** What an answer to a request sent in `sentEpoch` does to the limit, at `now` (milliseconds). */
export function tune(tuning: Tuning, pace: Pace, sentEpoch: number, now: number): Step {
  // One cut per flight: the other answers of requests already out when it was cut are its echo.
  if (pace.kind === 'slow-down') {
    if (sentEpoch !== tuning.epoch) return { tuning };
    const to = Math.floor(tuning.limit * AUTO_TUNING.throttledFactor);
    return { tuning: moved(tuning, to), move: { reason: 'throttled' } };
  }
  if (pace.kind === 'silent' || sentEpoch !== tuning.epoch) return { tuning };
  const window = { ...tuning.window, count: tuning.window.count + 1, sum: tuning.window.sum + pace.ms };
  if (window.count < Math.max(tuning.limit, AUTO_TUNING.minWindow)) return { tuning: { ...tuning, window } };
  return closeWindow({ ...tuning, window }, now);
}

/** A full window: the baseline learns its mean, and the limit is cut, grown or held. */
function closeWindow(tuning: Tuning, now: number): Step {
  const { window, limit } = tuning;
  const mean = window.sum / window.count;
  const baseline = learnBaseline(tuning.baseline, tuning.baselineAt, mean, now);
  const ratio = baseline > 0 ? mean / baseline : 1;
  const slowWindows = ratio > AUTO_TUNING.tolerance ? tuning.slowWindows + 1 : 0;
  const next = { ...tuning, baseline, baselineAt: now, slowWindows };
  if (slowWindows >= AUTO_TUNING.slowWindows) {
    const factor = Math.min(
      AUTO_TUNING.latencyFactorMax,
      Math.max(AUTO_TUNING.latencyFactorMin, AUTO_TUNING.tolerance / ratio),
    );
    const to = Math.min(limit - 1, Math.floor(limit * factor));
    const move: Move = { reason: 'latency', latencyRatio: Math.round(ratio * 100) / 100 };
    return { tuning: moved({ ...next, slowWindows: 0 }, to), move };
  }
  if (slowWindows === 0 && window.saturated && limit < tuning.max)
    return { tuning: moved(next, limit + 1), move: { reason: 'grew' } };
  // A slow window alone only holds the limit: one pause of the machine or the network is not a queue.
  return { tuning: { ...next, window: EMPTY_WINDOW } };
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
