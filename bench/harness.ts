/**
 * Measuring: wall time with `process.hrtime.bigint()`, heap after a full gc (node runs with
 * --expose-gc, see run.ts), and the result lines every benchmark hands to the table.
 */

export interface Measured<T> {
  value: T;
  ms: number;
  /** CPU time of the process (all its threads, the collector's too) meanwhile: less moved than wall time by other processes. */
  cpuMs: number;
}

/** One line of the final table: a subject and the baseline it is compared with, in the same run on the same data. */
export interface BenchLine {
  bench: string;
  case: string;
  /** Items processed (rows, actions, requests). */
  n: number;
  ms: number;
  baselineMs: number;
  /** Anything else worth a column: heap per row, requests per second… */
  note?: string;
  /** The target this line is held to, checked in the table. */
  target?: Target;
}

/** At most `ratio` times the baseline; when given, under `ms` milliseconds and at most `perItemMs` more per item. */
export interface Target {
  ratio: number;
  ms?: number;
  perItemMs?: number;
  /** Targets that are not times (a share throttled, a change followed), each checked by the bench itself. */
  checks?: Array<{ what: string; met: boolean }>;
}

/** The target and whether this run met it, e.g. "≤ 2.00×, < 2 000 ms: met". */
export function targetText(line: BenchLine): string {
  const { target } = line;
  if (!target) return '';
  const limits = Number.isFinite(target.ratio) ? [`≤ ${target.ratio.toFixed(2)}×`] : [];
  if (target.ms !== undefined) limits.push(`< ${target.ms.toLocaleString('en-US')} ms`);
  if (target.perItemMs !== undefined) limits.push(`≤ +${target.perItemMs} ms each`);
  for (const check of target.checks ?? []) limits.push(check.what);
  const missed = (target.checks ?? []).filter((check) => !check.met).map((check) => check.what);
  const verdict = meets(line) ? 'met' : `NOT met${missed.length ? ` (${missed.join(', ')})` : ''}`;
  return `${limits.join(', ')}: ${verdict}`;
}

export function meets(line: BenchLine): boolean {
  const { target } = line;
  if (!target) return true;
  return (
    line.ms / line.baselineMs <= target.ratio &&
    (target.ms === undefined || line.ms < target.ms) &&
    (target.perItemMs === undefined || (line.ms - line.baselineMs) / line.n <= target.perItemMs) &&
    (target.checks ?? []).every((check) => check.met)
  );
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<Measured<T>> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

/** The faster of `runs` timings (`runs` bounded by the caller): the least disturbed by the other processes on the machine. */
export async function best<T>(runs: number, fn: () => Promise<T> | T): Promise<Measured<T>> {
  let fastest: Measured<T> | undefined;
  for (let i = 0; i < Math.max(1, runs); i++) {
    const m = await timed(fn);
    if (!fastest || m.ms < fastest.ms) fastest = m;
  }
  return fastest!;
}

const gcFn = (globalThis as { gc?: () => void }).gc;

export function hasGc(): boolean {
  return typeof gcFn === 'function';
}

/**
 * Heap in use after full collections. Streams release their buffers on later ticks (a gc right
 * after `await` still sees the last file's zip buffers), so it yields to the event loop between passes.
 */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gcFn?.();
  }
  return process.memoryUsage().heapUsed;
}

/** Highest heapUsed seen while `fn` runs (sampled every 10 ms; streaming code yields often enough). */
export async function withPeakHeap<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage().heapUsed;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 10);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, peak };
  } finally {
    clearInterval(sample);
  }
}

export const perSecond = (n: number, ms: number): string =>
  `${Math.round((n * 1000) / ms).toLocaleString('en-US')}/s`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * A heap growth as measured. Below zero (the collector freed more than the work kept: other
 * garbage, not a gain) it is not a figure worth printing, and says so.
 */
export const heapGrowth = (bytes: number): string =>
  bytes > 0 ? `+${mb(bytes)}` : 'none measurable (gc noise)';

/** A signed difference in µs per item, as measured: "+12 µs/action", or "8 µs/action less". */
export const perItemDifference = (ms: number, baselineMs: number, n: number, item: string): string => {
  const us = ((ms - baselineMs) / n) * 1000;
  return us >= 0
    ? `+${us.toFixed(0)} µs/${item}`
    : `${(-us).toFixed(0)} µs/${item} less (noise: faster than the baseline)`;
};

/** A duration for a person: ms, s or min. */
export const duration = (ms: number): string =>
  ms < 1_000
    ? `${ms.toFixed(0)} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${(ms / 60_000).toFixed(1)} min`;
export const ratio = (ms: number, baselineMs: number): string => `${(ms / baselineMs).toFixed(2)}×`;

/**
 * The table printed at the end: fixed-width columns, one line per comparison. The notes, last, are
 * neither padded nor underlined to the longest note: each line is as long as its own text.
 */
export function renderTable(lines: readonly BenchLine[]): string {
  const head = ['bench', 'case', 'n', 'time', 'baseline', 'ratio', 'target', 'notes'];
  const body = lines.map((l) => [
    l.bench,
    l.case,
    l.n.toLocaleString('en-US'),
    `${l.ms.toFixed(0)} ms`,
    `${l.baselineMs.toFixed(0)} ms`,
    ratio(l.ms, l.baselineMs),
    targetText(l),
    l.note ?? '',
  ]);
  const notes = head.length - 1;
  const widths = head.map((h, i) =>
    i === notes ? h.length : Math.max(h.length, ...body.map((r) => r[i]!.length)),
  );
  const right = new Set([2, 3, 4, 5]);
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === notes ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}
