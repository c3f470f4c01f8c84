import type { ConcurrencyReport } from '../api/concurrency.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** "concurrency: auto, 3→11, 2 throttled of 4,120 requests, 46.2 requests/s": the Summary sheet, the log, the console. */
export function describeConcurrency(r: ConcurrencyReport): string {
  const limit =
    r.mode === 'fixed'
      ? String(r.final)
      : `auto, ${r.lowest === r.highest ? r.final : `${r.lowest}→${r.highest}`}`;
  const paused = r.pausedMs > 0 ? `, paused ${(r.pausedMs / 1000).toFixed(1)} s for Retry-After` : '';
  return `concurrency: ${limit}, ${count(r.throttled)} throttled of ${count(r.requests)} requests, ${r.perSecond.toFixed(1)} requests/s${paused}`;
}

/** The progress line's part: "c 11 · 2 throttled". */
export function concurrencyProgress(r: Pick<ConcurrencyReport, 'final' | 'throttled'>): string {
  return `c ${r.final}${r.throttled > 0 ? ` · ${count(r.throttled)} throttled` : ''}`;
}
