/** A run's outcome as notifications and metrics receive it, built from plain values. */
import type { RunOutcome } from '../../src/report/run-outcome.js';
import type { RunSummary } from '../../src/report/types.js';

export function summaryOf(partial: Partial<RunSummary> = {}): RunSummary {
  return {
    exitCode: 1,
    runId: 'run-20261130T021500-0a1b2c3d',
    command: 'reconcile',
    dryRun: false,
    startedAt: '2026-11-30T02:15:00.000Z',
    endedAt: '2026-11-30T02:15:42.500Z',
    lpsyncVersion: '0.1.0',
    baseUrl: 'https://lp.example.com/tenantui',
    inputFiles: [{ file: '/srv/lpsync/customers.xlsx', sha256: 'ab' }],
    rows: 20,
    scope: { mode: 'upsert', only: [], limit: null },
    plan: null,
    byStatus: { succeeded: 3, unchanged: 15, failed: 2 },
    byAction: { 'create-customer': 2, 'add-site': 1, 'modify-site': 2, unchanged: 15 },
    byActionStatus: {
      'create-customer': { succeeded: 2 },
      'add-site': { succeeded: 1 },
      'modify-site': { failed: 2 },
      unchanged: { unchanged: 15 },
    },
    drift: 4,
    stoppedBy: null,
    fatalError: null,
    resumeCommand: null,
    reportPath: 'reports/customers-20261130-021500.results.xlsx',
    ...partial,
  };
}

export function outcomeOf(partial: Partial<RunOutcome> = {}): RunOutcome {
  return {
    command: 'reconcile',
    exitCode: 1,
    startedAt: '2026-11-30T02:15:00.000Z',
    endedAt: '2026-11-30T02:15:42.500Z',
    lpsyncVersion: '0.1.0',
    host: 'cron-1',
    summary: summaryOf(),
    error: null,
    ...partial,
  };
}
