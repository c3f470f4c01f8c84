/**
 * A one-line progress bar for a TTY: done/total, percentage, rate, ETA, per-status counts and a detail.
 * Redraws at most every 100 ms; `stop()` leaves the last state on its own line.
 */
export interface Progress {
  start(total: number): void;
  tick(status: string): void;
  stop(): void;
  /** Wipes the bar's line (before a log line is printed)… */
  clear(): void;
  /** …and draws it again below that line. */
  redraw(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  label?: string;
  width?: number;
  now?: () => number;
  /** More to show at the end of the line, read at each redraw (the request budget: "c 11 · 2 throttled"). */
  detail?: () => string;
}

export function createProgressBar(options: ProgressOptions): Progress {
  const { stream } = options;
  const now = options.now ?? (() => Date.now());
  const width = options.width ?? 24;
  let total = 0;
  let done = 0;
  let startedAt = 0;
  let lastDraw = 0;
  let active = false;
  const counts = new Map<string, number>();

  const line = (): string => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(ratio * width);
    const elapsed = Math.max(1, now() - startedAt) / 1000;
    const rate = done / elapsed;
    const eta = rate > 0 && done < total ? `ETA ${formatSeconds((total - done) / rate)}` : '';
    const tally = [...counts].map(([s, n]) => `${s} ${n}`).join(' · ');
    const tail = [tally, options.detail?.() ?? ''].filter(Boolean).join(' · ');
    return `${options.label ?? 'apply'} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${Math.round(ratio * 100)}% ${rate.toFixed(1)}/s ${eta} ${tail}`.trimEnd();
  };
  const draw = (force = false): void => {
    if (!active) return;
    const t = now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    const text = line();
    const columns = stream.columns || 100;
    stream.write(`\r${text.slice(0, columns - 1).padEnd(Math.min(columns - 1, text.length))}\x1b[K`);
  };

  return {
    start(n) {
      total = n;
      done = 0;
      counts.clear();
      startedAt = now();
      active = true;
      draw(true);
    },
    tick(status) {
      done += 1;
      counts.set(status, (counts.get(status) ?? 0) + 1);
      draw(done === total);
    },
    stop() {
      if (!active) return;
      draw(true);
      stream.write('\n');
      active = false;
    },
    clear() {
      if (active) stream.write('\r\x1b[K');
    },
    redraw() {
      draw(true);
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}
