/**
 * Retention (`lpsync history prune --keep-days N`): runs that ended before the cut-off go, with their
 * journal, report snapshots, before-images and chain entries. A chain can only lose a prefix, so the entries removed
 * are those before the first entry of the oldest run kept. A `checkpoint` entry, appended to the chain
 * like any other, says where the chain now starts and carries the hash of the last entry removed, so
 * `audit verify` stays green; the applied state, plans and approvals whose entries went are written again
 * after it.
 */
import type Database from 'better-sqlite3';
import type { AuditChain, AuditRow, ChainHead } from './audit.js';
import { carryApprovals } from './audit-approvals.js';
import { toApplied, type AppliedRow, type RunRow } from './rows.js';

export interface PruneOptions {
  /** Runs that started before this ISO time and have ended are removed. */
  cutoff: string;
  keepDays: number;
  /** Who pruned, from where (as a run records it). */
  by: Record<string, unknown>;
}

export interface PruneResult {
  removedRuns: string[];
  removedEntries: number;
  /** The first and last entry removed (0 when nothing was). */
  removedFrom: number;
  prunedThrough: number;
  /** The chain's head once the prune is done (after the checkpoint and the applied state carried after it). */
  head: ChainHead | null;
  /** The checkpoint appended; null when there was nothing to remove. */
  checkpoint: ChainHead | null;
  /** Runs left that began before the cut-off but could not go yet (unfinished, or interleaved with a kept run). */
  keptOld: string[];
}

export function pruneAudit(db: Database.Database, chain: AuditChain, options: PruneOptions): PruneResult {
  const result = db.transaction((): PruneResult => prune(db, chain, options)).immediate();
  if (result.checkpoint) {
    // What was removed leaves the file too, not only the tables.
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return result;
}

function prune(db: Database.Database, chain: AuditChain, options: PruneOptions): PruneResult {
  const head = chain.head();
  const nothing = { removedRuns: [], removedEntries: 0, removedFrom: 0, prunedThrough: 0, checkpoint: null };
  if (!head) return { ...nothing, head: null, keptOld: [] };
  const { cut, removed, keptOld } = whereToCut(db, head, options.cutoff);
  if (cut < 1 || !db.prepare('SELECT 1 FROM audit WHERE seq <= ? LIMIT 1').get(cut))
    return { ...nothing, head, keptOld };

  const last = db
    .prepare('SELECT * FROM audit WHERE seq <= ? ORDER BY seq DESC LIMIT 1')
    .get(cut) as AuditRow;
  const { count } = db.prepare('SELECT COUNT(*) AS count FROM audit WHERE seq <= ?').get(cut) as {
    count: number;
  };
  const oldest = db.prepare('SELECT MIN(seq) AS seq FROM audit').get() as { seq: number };
  const stillVouched = appliedVouchedAfter(db, cut);
  const carryPlans = carryApprovals(db, chain, cut);
  const at = new Date().toISOString();
  const checkpoint = chain.append({
    kind: 'checkpoint',
    runId: null,
    at,
    data: {
      ...options.by,
      keepDays: options.keepDays,
      cutoff: options.cutoff,
      removedFrom: oldest.seq,
      prunedThrough: cut,
      firstKept: cut + 1,
      carriedPrev: last.hash,
      removedEntries: count,
      removedRuns: removed,
    },
  });
  db.prepare('DELETE FROM audit WHERE seq <= ?').run(cut);
  removeRuns(db, removed);
  carryApplied(db, chain, stillVouched, at);
  carryPlans(at);
  return {
    removedRuns: removed,
    removedEntries: count,
    removedFrom: oldest.seq,
    prunedThrough: cut,
    checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash },
    head: chain.head(),
    keptOld,
  };
}

/** The last entry removed (`cut`), the runs that go with the entries up to it, and the old runs that stay. */
function whereToCut(
  db: Database.Database,
  head: ChainHead,
  cutoff: string,
): { cut: number; removed: string[]; keptOld: string[] } {
  const runs = db.prepare('SELECT * FROM runs').all() as RunRow[];
  const spans = new Map(
    (
      db
        .prepare(
          'SELECT run_id, MIN(seq) AS first, MAX(seq) AS last FROM audit WHERE run_id IS NOT NULL GROUP BY run_id',
        )
        .all() as Array<{ run_id: string; first: number; last: number }>
    ).map((s) => [s.run_id, s]),
  );
  const old = (r: RunRow): boolean => r.started_at < cutoff && r.status !== 'running';
  // The chain is cut before the first entry of the oldest run kept…
  let cut = head.seq;
  for (const r of runs) if (!old(r)) cut = Math.min(cut, (spans.get(r.run_id)?.first ?? head.seq + 1) - 1);
  // …and before any run whose entries straddle the cut (a run closed by the next one, say).
  for (let moved = true; moved;) {
    moved = false;
    for (const s of spans.values())
      if (s.first <= cut && s.last > cut) {
        cut = s.first - 1;
        moved = true;
      }
  }
  const removed = runs.filter((r) => old(r) && (spans.get(r.run_id)?.last ?? 0) <= cut).map((r) => r.run_id);
  const keptOld = runs
    .filter((r) => r.started_at < cutoff && !removed.includes(r.run_id))
    .map((r) => r.run_id);
  return { cut, removed, keptOld };
}

/** Applied state with an entry after the cut (table, short name, site name): still vouched for by the chain. */
function appliedVouchedAfter(db: Database.Database, cut: number): Set<string> {
  return new Set(
    (
      db.prepare("SELECT content FROM audit WHERE kind = 'applied' AND seq > ?").all(cut) as Array<{
        content: string;
      }>
    ).map((r) => {
      const d = (
        JSON.parse(r.content) as { data: { table: string; shortName: string; siteName: string | null } }
      ).data;
      return `${d.table}\u0000${d.shortName}\u0000${d.siteName ?? ''}`;
    }),
  );
}

/** The removed runs, their journal and their report snapshots. */
function removeRuns(db: Database.Database, removed: readonly string[]): void {
  const drop = db.prepare('DELETE FROM runs WHERE run_id = ?');
  const dropJournal = db.prepare('DELETE FROM journal WHERE run_id = ?');
  const dropReports = db.prepare('DELETE FROM run_reports WHERE run_id = ?');
  const dropBeforeImages = db.prepare('DELETE FROM run_before_images WHERE run_id = ?');
  for (const runId of removed) {
    drop.run(runId);
    dropJournal.run(runId);
    dropReports.run(runId);
    dropBeforeImages.run(runId);
  }
}

/** Applied state whose latest entry was removed: written again after the checkpoint, so it stays vouched for. */
function carryApplied(db: Database.Database, chain: AuditChain, stillVouched: Set<string>, at: string): void {
  for (const table of ['customers', 'sites'] as const)
    for (const row of db.prepare(`SELECT * FROM applied_${table} ORDER BY rowid`).all() as AppliedRow[]) {
      const applied = toApplied(row);
      if (stillVouched.has(`${table}\u0000${applied.shortName}\u0000${applied.siteName ?? ''}`)) continue;
      chain.append({ kind: 'applied', runId: null, at, data: { table, ...applied, carried: true } });
    }
}
