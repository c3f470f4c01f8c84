import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConcurrencyReport } from '../../src/api/concurrency.js';
import { eventLogger, limitChangeText } from '../../src/cli/apply-view.js';
import { createRunLogger } from '../../src/cli/logging.js';
import { createProgressBar } from '../../src/cli/progress.js';
import { createRedactor } from '../../src/model/redact.js';
import { concurrencyProgress, describeConcurrency } from '../../src/report/concurrency.js';
import { buildSummary, summaryText } from '../../src/report/summary.js';

const auto: ConcurrencyReport = {
  mode: 'auto',
  start: 4,
  lowest: 3,
  highest: 11,
  final: 9,
  max: 32,
  requests: 4_120,
  throttled: 2,
  perSecond: 46.2,
  pausedMs: 0,
};

describe('the request budget as people read it', () => {
  it('one line: mode, where the limit started and ended, throttled of requests, rate, pauses', () => {
    expect(describeConcurrency(auto)).toBe(
      'concurrency: auto: started at 4, ended at 9 (lowest 3, highest 11), 2 throttled of 4,120 requests, 46.2 requests/s',
    );
    expect(
      describeConcurrency({ ...auto, mode: 'fixed', lowest: 8, highest: 8, final: 8, pausedMs: 2_500 }),
    ).toBe('concurrency: 8, 2 throttled of 4,120 requests, 46.2 requests/s, paused 2.5 s for Retry-After');
    expect(describeConcurrency({ ...auto, lowest: 4, highest: 4, final: 4 })).toMatch(
      /^concurrency: auto, stayed at 4, /,
    );
  });

  it('a limit that fell reads as a fall, not as a climb', () => {
    expect(describeConcurrency({ ...auto, start: 4, lowest: 1, highest: 4, final: 1 })).toMatch(
      /^concurrency: auto: started at 4, ended at 1 \(lowest 1, highest 4\), /,
    );
  });

  it('no rate over less than a second: 58 requests in 8 ms are not 7,000 requests/s', () => {
    expect(describeConcurrency({ ...auto, requests: 58, perSecond: null })).toBe(
      'concurrency: auto: started at 4, ended at 9 (lowest 3, highest 11), 2 throttled of 58 requests',
    );
  });

  it('the progress line ends with the limit and the throttled answers', () => {
    let out = '';
    const stream = {
      columns: 160,
      write: (s: string) => ((out += s), true),
    } as unknown as NodeJS.WriteStream;
    let report = { final: 4, throttled: 0 };
    const bar = createProgressBar({
      stream,
      label: 'apply',
      now: () => 0,
      detail: () => concurrencyProgress(report),
    });
    bar.start(2);
    expect(out.replace('\u001b[K', '')).toMatch(/0\/2 0% 0\.0\/s\s+c 4$/);
    report = { final: 11, throttled: 2 };
    bar.tick('succeeded');
    bar.stop();
    expect(out).toContain('succeeded 1 · c 11 · 2 throttled');
  });

  it('the console summary and the JSON summary carry it; a summary without it says nothing', () => {
    const base = {
      runId: 'run-1',
      command: 'apply',
      startedAt: 'a',
      endedAt: 'b',
      lpsyncVersion: '0.1.0',
      baseUrl: 'http://x',
      inputFiles: [],
      rows: new Map(),
      apply: { records: [], stoppedBy: null },
      drift: 0,
      reportPath: null,
    };
    const withIt = buildSummary({ ...base, concurrency: auto });
    expect(withIt.concurrency).toEqual(auto);
    expect(summaryText(withIt)).toContain(`Requests: ${describeConcurrency(auto)}`);
    const without = buildSummary(base);
    expect(without.concurrency).toBeNull();
    expect(summaryText(without)).not.toContain('Requests:');
  });

  it('a cut by throttling is an info line of the JSON log, with the change; growth only with --verbose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpsync-conc-log-'));
    try {
      const file = join(dir, 'log.jsonl');
      const logger = createRunLogger({
        verbose: false,
        human: false,
        quiet: true,
        redactor: createRedactor(),
        logFile: file,
      });
      const log = eventLogger(logger);
      log({ type: 'concurrency', change: { from: 12, to: 13, reason: 'grew', pauseMs: 0 } });
      log({ type: 'concurrency', change: { from: 13, to: 6, reason: 'throttled', pauseMs: 1_000 } });
      await new Promise<void>((resolve) => {
        logger.on('finish', resolve);
        logger.end();
      });
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        message:
          'concurrency 13 → 6: the platform answered 429/503 or did not answer in time (dispatch paused 1.0 s for its Retry-After)',
        concurrency: { from: 13, to: 6, reason: 'throttled', pauseMs: 1_000 },
      });
      expect(limitChangeText({ from: 11, to: 10, reason: 'throttled', pauseMs: 0, throttledAt: 11 })).toBe(
        'concurrency 11 → 10: the platform answered 429 with 11 in flight',
      );
      expect(limitChangeText({ from: 9, to: 7, reason: 'latency', pauseMs: 0, latencyRatio: 1.4 })).toBe(
        'concurrency 9 → 7: latency rose to 1.4× the lowest seen',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
