import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ActionRecord } from '../../src/model/action-record.js';
import { eventLogger } from '../../src/cli/apply-view.js';
import { createRunLogger } from '../../src/cli/logging.js';
import { createProgressBar } from '../../src/cli/progress.js';
import { createRedactor } from '../../src/model/redact.js';
import type { PlannedAction } from '../../src/plan/types.js';
import { buildSummary, summaryLine, summaryText } from '../../src/report/summary.js';
import type { RowResult } from '../../src/report/types.js';
import { recordOf } from '../support/records.js';

describe('console output of a run', () => {
  it('the progress bar shows counts, percentage, rate, ETA and statuses', () => {
    let out = '';
    const stream = {
      columns: 120,
      write: (s: string) => ((out += s), true),
    } as unknown as NodeJS.WriteStream;
    let t = 0;
    const bar = createProgressBar({ stream, label: 'apply', now: () => t });
    bar.start(4);
    t = 1000;
    bar.tick('succeeded');
    t = 2000;
    bar.tick('succeeded');
    expect(out).toContain('2/4 50% 1.0/s ETA 2s succeeded 2');
    t = 3000;
    bar.tick('failed');
    t = 4000;
    bar.tick('succeeded');
    bar.stop();
    expect(out).toContain('4/4 100%');
    expect(out).toContain('succeeded 3 · failed 1');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('an interrupted run says so and prints the command that finishes it', () => {
    const row = (status: RowResult['status']): RowResult => ({
      action: 'create-customer',
      status,
      customerGuid: null,
      siteGuid: null,
      deploymentState: null,
      messages: [],
      error: null,
      attempts: 0,
      durationMs: 0,
    });
    const rows = new Map([
      ['a', row('succeeded')],
      ['b', row('not-run')],
    ]);
    const result = (id: string, status: 'succeeded' | 'not-run') =>
      recordOf({ actionId: id, runId: 'run-x', status, customerShortName: id });
    const summary = buildSummary({
      runId: 'run-x',
      command: 'apply',
      startedAt: 's',
      endedAt: 'e',
      lpsyncVersion: '1',
      baseUrl: 'http://127.0.0.1',
      inputFiles: [],
      rows,
      apply: { records: [result('a', 'succeeded'), result('b', 'not-run')], stoppedBy: 'interrupted' },
      drift: 0,
      reportPath: 'reports/x.results.xlsx',
      inputArgs: 'book.xlsx',
    });
    const text = summaryText(summary);
    expect(text).toContain(
      'Apply: 1 created, 0 added, 0 modified, 0 failed, 0 unchanged, 1 not run (2 rows)',
    );
    expect(text).toContain('Interrupted: requests already sent were allowed to finish.');
    expect(text).toContain('Report: reports/x.results.xlsx');
    expect(text).toContain('To finish this run: lpsync apply book.xlsx --resume run-x');
  });
});

describe('the summary line', () => {
  it('counts a busy or conflicting row once, under its action, not again as skipped', () => {
    const rows = new Map<string, RowResult>();
    const results: ActionRecord[] = [];
    const add = (id: string, kind: ActionRecord['kind'], status: ActionRecord['status']): void => {
      rows.set(id, {
        action: kind,
        status,
        customerGuid: null,
        siteGuid: null,
        deploymentState: null,
        messages: [],
        error: null,
        attempts: 0,
        durationMs: 0,
      });
      results.push(recordOf({ runId: 'run-x', actionId: id, kind, customerShortName: id, status }));
    };
    add('a', 'unchanged', 'unchanged');
    add('b', 'busy', 'skipped');
    add('c', 'conflict', 'skipped');
    add('d', 'add-site', 'skipped');
    const summary = buildSummary({
      runId: 'run-x',
      command: 'apply',
      startedAt: 'a',
      endedAt: 'b',
      lpsyncVersion: '0',
      baseUrl: 'http://127.0.0.1',
      inputFiles: [],
      rows,
      apply: { records: results, stoppedBy: null },
      drift: 0,
      reportPath: null,
    });
    expect(summaryLine(summary)).toBe(
      'Apply: 0 created, 0 added, 0 modified, 0 failed, 1 unchanged, 1 busy, 1 conflict, 1 skipped (4 rows)',
    );
  });
});

describe('logging beside a progress bar', () => {
  it('on a terminal each finished action is in the log file, not on the console; a failure is printed above the bar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpsync-log-'));
    const logFile = join(dir, 'run.jsonl');
    let bar = '';
    const stream = {
      columns: 120,
      write: (s: string) => ((bar += s), true),
    } as unknown as NodeJS.WriteStream;
    const progress = createProgressBar({ stream, label: 'apply' });
    // The console lines, seen from the hooks the console transport calls around each one.
    const consoleLines: string[] = [];
    const logger = createRunLogger({
      verbose: false,
      human: true,
      redactor: createRedactor(['S3cret!pw']),
      logFile,
      consoleHooks: {
        before: () => {
          progress.clear();
          consoleLines.push(bar.slice(-4));
        },
        after: () => progress.redraw(),
      },
    });
    const action = { id: 'customer:Acme1' } as PlannedAction;
    const result = (status: ActionRecord['status'], error: string | null): ActionRecord =>
      recordOf({ runId: 'run-x', actionId: action.id, status, error, attempts: 1, durationMs: 5 });
    const onEvent = eventLogger(logger, progress);
    onEvent({ type: 'start', total: 2, toSend: 2 });
    expect(consoleLines).toHaveLength(1);
    onEvent({ type: 'action-end', action, record: result('succeeded', null) });
    expect(consoleLines).toHaveLength(1);
    bar = '';
    onEvent({ type: 'action-end', action, record: result('failed', 'refused: password S3cret!pw') });
    expect(consoleLines).toEqual([expect.any(String), '\r\x1b[K']);
    // The bar stepped aside for the line and came back below it.
    expect(bar.startsWith('\r\x1b[K')).toBe(true);
    expect(bar).toContain('2/2 100%');
    await new Promise<void>((resolve) => {
      logger.on('finish', () => resolve());
      logger.end();
    });
    // winston's file transport may still be writing after 'finish': wait until the three lines are there.
    const lines = await vi.waitFor(() => {
      const written = readFileSync(logFile, 'utf8').trim().split('\n');
      expect(written).toHaveLength(3);
      return written;
    });
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual([
      '2 actions, 2 to send',
      'customer:Acme1: create-customer succeeded',
      'customer:Acme1: create-customer failed — refused: password ***',
    ]);
    expect(lines.join('\n')).not.toContain('S3cret!pw');
    rmSync(dir, { recursive: true, force: true });
  });
});
