import type { ConcurrencyReport } from '../api/concurrency.js';

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * How the limit went, in words that cannot be read as a climb when it fell: "8" (pinned), "auto, stayed
 * at 4", "auto: started at 4, ended at 1 (lowest 1, highest 4)".
 */
function limitText(r: ConcurrencyReport): string {
  if (r.mode === 'fixed') return String(r.final);
  if (r.lowest === r.highest) return `auto, stayed at ${r.final}`;
  return `auto: started at ${r.start}, ended at ${r.final} (lowest ${r.lowest}, highest ${r.highest})`;
}

/**
 * "concurrency: auto: started at 4, ended at 11 (lowest 3, highest 11), 2 throttled of 4,120 requests,
 * 46.2 requests/s": the Summary sheet, the log, the console. The rate only when the requests took a
 * second or more; throttled counts the answers 429 and 503, as the metrics file does.
 */
export function describeConcurrency(r: ConcurrencyReport): string {
  const rate = r.perSecond === null ? '' : `, ${r.perSecond.toFixed(1)} requests/s`;
  const paused = r.pausedMs > 0 ? `, paused ${(r.pausedMs / 1000).toFixed(1)} s for Retry-After` : '';
  return `concurrency: ${limitText(r)}, ${count(r.throttled)} throttled of ${count(r.requests)} requests${rate}${paused}`;
}

/** The progress line's part: "c 11 · 2 throttled". */
export function concurrencyProgress(r: Pick<ConcurrencyReport, 'final' | 'throttled'>): string {
  return `c ${r.final}${r.throttled > 0 ? ` · ${count(r.throttled)} throttled` : ''}`;
}
