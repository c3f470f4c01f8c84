import type { ActionRecord } from '../model/action-record.js';
import type { SentRequest } from '../model/sent-request.js';
import type { AppliedDigest, AppliedState } from '../plan/types.js';
import type { RunRecord } from './types.js';
import { createAuditChain, type ChainHead } from './audit.js';
import type { PruneOptions, PruneResult } from './audit-prune.js';
import { appliedStore } from './applied-store.js';
import { approvalStore, type ApprovalStore } from './approvals.js';
import { auditStore } from './audit-store.js';
import { beforeImageStore, type StoredBeforeImage } from './before-images.js';
import { journalStore } from './journal-store.js';
import { createLockTable, type LockAttempt, type LockClaim, type LockHolder } from './lock.js';
import type { KeptRun, RunBegun, RunTrail } from './run-context.js';
import { runStore } from './run-store.js';
import { openDatabase } from './schema.js';
import { transaction } from './transaction.js';

import { DEFAULT_STATE_PATH } from './paths.js';

export { DEFAULT_STATE_PATH };
export { SCHEMA_VERSION } from './schema.js';

/** What lpsync remembers between runs: runs, the action journal, and what it last applied. */
export interface StateStore extends ApprovalStore {
  readonly path: string;
  close(): void;
  loadApplied(): AppliedState;
  recordApplied(
    runId: string,
    records: Array<AppliedDigest & { customerGuid?: string | null; siteGuid?: string | null }>,
  ): void;
  /**
   * The run's row, its `run-start` entry (who, how, options, input files, what it carries on from a killed
   * run) and a `change` entry per write planned, in one transaction. The run's context is kept for the
   * entries that follow (`finishRun`, `settleJournal`, `trailOf`).
   */
  createRun(
    run: Omit<RunRecord, 'endedAt' | 'status' | 'plan'> & Partial<Pick<RunRecord, 'plan'>>,
    begun?: RunBegun,
  ): RunRecord;
  /** A resume of the run: its `resume` entry (who, how, the writes read back) and planned changes, in one transaction; the context kept. */
  resumeRun(runId: string, inputDigest: string, begun: RunBegun): void;
  /**
   * `details` (exit code, counts…) go into the audit chain's `run-end` entry; with `final` (the run's records
   * as they ended), so does what became of each write the run read back when it began.
   */
  finishRun(
    runId: string,
    status: RunRecord['status'],
    details?: Record<string, unknown>,
    final?: readonly ActionRecord[],
  ): void;
  getRun(runId: string): RunRecord | null;
  /** The run that applied a saved plan (by the plan file's SHA-256), if one did. */
  runOfPlan(planSha256: string): RunRecord | null;
  latestRun(options?: { unfinishedOnly?: boolean }): RunRecord | null;
  /** Upserts by (runId, actionId), a list in one transaction; synchronous, durable when it returns. */
  putJournal(records: ActionRecord | readonly ActionRecord[]): void;
  /** The run's action records, in the order they were first written. */
  journal(runId: string): ActionRecord[];
  /**
   * The records as the report shows them (messages and errors through the run's redactor, as it stands at
   * the end) written to the journal where they differ from it, so the store rebuilds the same report.
   */
  settleJournal(runId: string, records: readonly ActionRecord[]): ActionRecord[];
  /** Runs `writes` (putJournal, recordApplied…) in one transaction: one disk sync for a group. */
  batch(writes: () => void): void;
  /**
   * The writer lock (apply, reconcile, resume, adopt): taken when free or when its holder is provably
   * gone; refused, naming the holder, while any other process holds it — the same run id included.
   */
  acquireLock(claim: LockClaim): LockAttempt;
  /** Who holds the lock now, to name them when a run is refused; null when nobody does. */
  lockHolder(): LockHolder | null;
  /** Who holds the lock and may still write (alive, lease current): what a face shows before offering Apply. */
  liveLockHolder(): LockHolder | null;
  /** A request the run sent (its event stream hands them over): appended with the next entry or in a batch (see `AuditChain.note`). */
  requestSent(runId: string, request: SentRequest): void;
  /** Who ran the run and how (as begun here), each session of it, and the chain's head now: the Summary's account. */
  trailOf(runId: string): RunTrail;
  /** The audit chain's last entry (requests noted so far included); null while it is empty. */
  auditHead(): ChainHead | null;
  /** Keeps a report's snapshot (gzip of its canonical JSON) and vouches for it with a `report` entry. */
  saveReportSnapshot(
    runId: string,
    snapshot: { gzip: Buffer; sha256: string },
    data: Record<string, unknown>,
  ): ChainHead;
  /**
   * Keeps a before-image of the run (gzip of its JSON: the targets of its modifies as read back before
   * the change, no secret) and vouches for it with a `before-image` entry. One per session of the run.
   */
  saveBeforeImage(
    runId: string,
    image: { gzip: Buffer; sha256: string },
    data: Record<string, unknown>,
  ): ChainHead;
  /** The run's before-images, oldest first (its start's, then each resume's). */
  beforeImages(runId: string): StoredBeforeImage[];
  /** `history prune`: old runs and their entries removed, a checkpoint carries the chain on. Hold the lock. */
  prune(options: PruneOptions): PruneResult;
  /**
   * Caps the file at its size now plus `extraPages` pages (SQLite's max_page_count, this connection only):
   * past it, SQLite answers every write that needs room SQLITE_FULL, as on a full disk. For tests of that
   * fault; lpsync itself never calls it.
   */
  capPages(extraPages: number): void;
}

/**
 * Opens (creating folder and file when needed) and migrates the state store. Open it once per
 * run and close it at the end. `':memory:'` gives a private in-memory store (tests).
 */
export function openStateStore(path: string = DEFAULT_STATE_PATH): StateStore {
  const db = openDatabase(path);
  const chain = createAuditChain(db);
  const lock = createLockTable(db);
  // The runs begun through this connection, with what their entries need that the tables do not hold.
  const kept = new Map<string, KeptRun>();
  return {
    path,
    close: () => {
      try {
        chain.flush();
      } finally {
        db.close();
      }
    },
    ...appliedStore(db, chain),
    ...runStore(db, chain, kept),
    ...journalStore(db, chain, kept),
    // The writes' own transactions run as part of this one (group commit).
    batch: transaction(db, chain, (writes: () => void) => writes()),
    acquireLock: (claim) => lock.acquire(claim),
    capPages: (extraPages) => {
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages + Math.max(0, Math.floor(extraPages))}`);
    },
    lockHolder: () => lock.holder(),
    liveLockHolder: () => lock.liveHolder(),
    ...auditStore(db, chain, kept),
    ...approvalStore(db, chain),
    ...beforeImageStore(db, chain),
  };
}
