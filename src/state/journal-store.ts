/** The action journal: one row per planned action, written before its request leaves. */
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../model/action-record.js';
import { canonicalJson, type AuditChain } from './audit.js';
import { asList } from './one-or-many.js';
import { journalRow, storedRecord, toRecord, type JournalRow } from './rows.js';
import { keptRun, type KeptRun } from './run-context.js';
import type { StateStore } from './store.js';
import { transaction } from './transaction.js';

export function journalStore(
  db: Database.Database,
  chain: AuditChain,
  kept: ReadonlyMap<string, KeptRun>,
): Pick<StateStore, 'putJournal' | 'journal' | 'settleJournal'> {
  const q = {
    putJournal: db.prepare(`
      INSERT INTO journal (run_id, action_id, kind, status, customer_short_name, site_name, customer_guid, site_guid,
        task_id, attempts, messages, error, deployment_state, started_at, ended_at, duration_ms, sent_twice, rows)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, action_id) DO UPDATE SET
        kind = excluded.kind, status = excluded.status, customer_short_name = excluded.customer_short_name,
        site_name = excluded.site_name, customer_guid = excluded.customer_guid, site_guid = excluded.site_guid,
        task_id = excluded.task_id, attempts = excluded.attempts, messages = excluded.messages, error = excluded.error,
        deployment_state = excluded.deployment_state, started_at = excluded.started_at, ended_at = excluded.ended_at,
        duration_ms = excluded.duration_ms, sent_twice = excluded.sent_twice, rows = excluded.rows`),
    journal: db.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY rowid'),
  };

  // One transaction (one disk sync) for many entries: the pending entries of a whole plan at once.
  const putJournal = transaction(db, chain, (records: ActionRecord | readonly ActionRecord[]) => {
    for (const record of asList(records)) {
      q.putJournal.run(...journalRow(record));
      chain.append({
        kind: 'action',
        runId: record.runId,
        actionId: record.actionId,
        data: storedRecord(record) as unknown as Record<string, unknown>,
      });
    }
  });
  const journal = (runId: string): ActionRecord[] => (q.journal.all(runId) as JournalRow[]).map(toRecord);

  return {
    putJournal,
    journal,
    settleJournal: (runId, records) => {
      const { redactor } = keptRun(kept, runId).context;
      const final = records.map((r) => ({
        ...r,
        messages: r.messages.map((m) => redactor.text(m)),
        error: r.error === null ? null : redactor.text(r.error),
      }));
      const journaled = new Map(journal(runId).map((r) => [r.actionId, storedRecord(r)]));
      const changed = final.filter((r) => !sameStored(journaled.get(r.actionId), storedRecord(r)));
      if (changed.length > 0) putJournal(changed);
      return final;
    },
  };
}

/**
 * The same record as stored: field by field when they are strictly equal (most of a run's records, which
 * the journal already holds as they ended), else by their canonical JSON, the chain's own measure.
 */
function sameStored(journaled: ActionRecord | undefined, final: ActionRecord): boolean {
  if (journaled === undefined) return false;
  return sameJson(journaled, final) || canonicalJson(journaled) === canonicalJson(final);
}

/** Strictly equal JSON-like values: the same keys, and members equal by === or alike inside. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys)
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}
