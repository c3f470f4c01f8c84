/**
 * A store written before the audit trail existed: its runs, journal and applied state start the chain,
 * each entry marked `adopted` (what they held before is vouched for from the upgrade on, not before).
 */
import type Database from 'better-sqlite3';
import type { AuditChain } from './audit.js';
import {
  storedRecord,
  toApplied,
  toRecord,
  toRun,
  type AppliedRow,
  type JournalRow,
  type RunRow,
} from './rows.js';

export function adoptExisting(db: Database.Database, chain: AuditChain): void {
  const runs = db.prepare('SELECT * FROM runs ORDER BY started_at, rowid').all() as RunRow[];
  const journal = db.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY rowid');
  for (const row of runs) {
    const run = toRun(row)!;
    chain.append({
      kind: 'run-start',
      runId: run.runId,
      at: run.startedAt,
      data: { ...run, status: 'running', endedAt: null, adopted: true },
    });
    for (const j of journal.all(run.runId) as JournalRow[]) {
      const record = storedRecord(toRecord(j));
      chain.append({
        kind: 'action',
        runId: run.runId,
        actionId: record.actionId,
        data: { ...record, adopted: true },
      });
    }
    if (run.status !== 'running')
      chain.append({
        kind: 'run-end',
        runId: run.runId,
        ...(run.endedAt ? { at: run.endedAt } : {}),
        data: { runId: run.runId, status: run.status, endedAt: run.endedAt, adopted: true },
      });
  }
  for (const table of ['customers', 'sites'] as const) {
    const rows = db.prepare(`SELECT * FROM applied_${table} ORDER BY rowid`).all() as AppliedRow[];
    for (const row of rows) {
      const applied = toApplied(row);
      chain.append({
        kind: 'applied',
        runId: applied.runId,
        at: applied.appliedAt,
        data: { table, ...applied, adopted: true },
      });
    }
  }
}
