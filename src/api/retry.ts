/**
 * Retry arithmetic: exponential back-off with full jitter, `Retry-After`, and waits that a
 * Ctrl-C can cut short. Which outcomes are retried is decided in request.ts.
 */
import { RunError } from '../model/errors.js';
import { onAbort } from './abort-listeners.js';

/** A `Retry-After` longer than this is not waited for: the call fails instead. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Full jitter: a uniform wait in [0, min(cap, base · 2^(attempt−1))]. `attempt` counts from 1. */
export function backoffDelay(
  attempt: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` as milliseconds to wait: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Waits `ms`, or throws RunError('interrupted') as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(interrupted());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stopWaiting = onAbort(signal, () => {
      clearTimeout(timer);
      reject(interrupted());
    });
    const timer = setTimeout(() => {
      stopWaiting();
      resolve();
    }, ms);
  });
}

function interrupted(): RunError {
  return new RunError('interrupted', 'Interrupted while waiting to retry a Live Platform request.');
}
