/**
 * The state store opened read-only for the commands that only look (`history`, `audit verify`, `audit
 * export`, `report --run`): no lock, no migration, nothing written; a run may be writing meanwhile.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import type { AuditContent, AuditKind, AuditRow, ChainHead } from './audit.js';
import { verifyAudit, type AuditVerdict } from './audit-verify.js';
import { storedRecord, toRun, type RunRow } from './rows.js';
import type { RunRecord } from './types.js';
import type { StoredBeforeImage } from './before-images.js';

export interface AuditReader {
  readonly path: string;
  close(): void;
  verify(keptHead?: string): AuditVerdict;
  /** Every row of the chain, oldest first (for export). */
  rows(): IterableIterator<AuditRow>;
  head(): ChainHead | null;
  /** Runs, newest first. */
  runs(): RunRecord[];
  /** Entries of these kinds, oldest first; of one run when `runId` is given. */
  entries(kinds: readonly AuditKind[], runId?: string): AuditContent[];
  /** `change` entries of one customer (its short name, any case) and its SIP connections. */
  changesOf(customerShortName: string): AuditContent[];
  /** Each action's latest record in the chain up to entry `upTo`. */
  recordsOf(runId: string, upTo: number): Map<string, ActionRecord>;
  /** The latest report snapshot of a run. */
  reportSnapshot(runId: string): { seq: number; sha256: string; gzip: Buffer } | null;
  /** A run's before-images, oldest first (none from a store written before they were kept). */
  beforeImages(runId: string): StoredBeforeImage[];
}

/** Opens the store at `path` read-only; a clear RunError when it is not there or has no audit trail yet. */
export function openAuditReader(path: string): AuditReader {
  if (!existsSync(path))
    throw new RunError('invalid-options', `There is no state store at ${path}.`, {
      hint: 'Name it with --state (the same path apply and reconcile use).',
    });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new RunError('state-store', `cannot open the state store ${path}: ${(error as Error).message}`);
  }
  const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get();
  if (!hasAudit) {
    db.close();
    throw new RunError(
      'state-store',
      `The state store ${path} has no audit trail yet: it was written by an older lpsync.`,
      { hint: 'The next apply or reconcile upgrades it and starts the trail with what it holds.' },
    );
  }
  const parse = (row: { content: string }): AuditContent => JSON.parse(row.content) as AuditContent;
  return {
    path,
    close: () => db.close(),
    verify: (keptHead) => verifyAudit(db, keptHead),
    rows: () => db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>,
    head: () =>
      (db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined) ??
      null,
    runs: () =>
      (db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC').all() as RunRow[]).map((row) =>
        toRun(row)!,
      ),
    entries: (kinds, runId) => {
      const marks = kinds.map(() => '?').join(', ');
      const rows = (
        runId === undefined
          ? db.prepare(`SELECT content FROM audit WHERE kind IN (${marks}) ORDER BY seq`).all(...kinds)
          : db
              .prepare(`SELECT content FROM audit WHERE run_id = ? AND kind IN (${marks}) ORDER BY seq`)
              .all(runId, ...kinds)
      ) as Array<{ content: string }>;
      return rows.map(parse);
    },
    changesOf: (customerShortName) =>
      (
        db
          .prepare(
            "SELECT content FROM audit WHERE kind = 'change' AND lower(trim(json_extract(content, '$.data.customerShortName'))) = lower(trim(?)) ORDER BY seq",
          )
          .all(customerShortName) as Array<{ content: string }>
      ).map(parse),
    recordsOf: (runId, upTo) => {
      const out = new Map<string, ActionRecord>();
      const rows = db
        .prepare("SELECT content FROM audit WHERE run_id = ? AND kind = 'action' AND seq <= ? ORDER BY seq")
        .iterate(runId, upTo) as IterableIterator<{ content: string }>;
      for (const row of rows) {
        const record = storedRecord(parse(row).data as unknown as ActionRecord);
        out.set(record.actionId, record);
      }
      return out;
    },
    reportSnapshot: (runId) =>
      (db
        .prepare(
          'SELECT seq, sha256, data AS gzip FROM run_reports WHERE run_id = ? ORDER BY seq DESC LIMIT 1',
        )
        .get(runId) as { seq: number; sha256: string; gzip: Buffer } | undefined) ?? null,
    beforeImages: (runId) => {
      const kept = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_before_images'")
        .get();
      if (!kept) return [];
      return db
        .prepare('SELECT seq, sha256, data AS gzip FROM run_before_images WHERE run_id = ? ORDER BY seq')
        .all(runId) as StoredBeforeImage[];
    },
  };
}
