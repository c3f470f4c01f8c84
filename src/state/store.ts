import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from '../model/errors.js';
import type { ActionRecord } from '../model/action-record.js';
import { appliedSiteKey, type AppliedDigest, type AppliedRecord, type AppliedState } from '../plan/types.js';
import type { RunRecord } from './types.js';
import {
  AUDIT_MIGRATION,
  createAuditChain,
  type AuditContent,
  type AuditKind,
  type ChainHead,
  type NewAuditEntry,
} from './audit.js';
import { adoptExisting } from './audit-adopt.js';
import { pruneAudit, type PruneOptions, type PruneResult } from './audit-prune.js';
import {
  journalRow,
  storedRecord,
  toApplied,
  toRecord,
  toRun,
  type AppliedRow,
  type JournalRow,
  type RunRow,
} from './rows.js';
import {
  createLockTable,
  LOCK_MIGRATION,
  type LockAttempt,
  type LockClaim,
  type LockHolder,
} from './lock.js';

import { DEFAULT_STATE_PATH } from './paths.js';

export { DEFAULT_STATE_PATH };

/** What lpsync remembers between runs: runs, the action journal, and what it last applied. */
export interface StateStore {
  readonly path: string;
  close(): void;
  loadApplied(): AppliedState;
  recordApplied(
    runId: string,
    records: Array<AppliedDigest & { customerGuid?: string | null; siteGuid?: string | null }>,
  ): void;
  /** `details` (who, options, input files…) go into the audit chain's `run-start` entry with the run. */
  createRun(
    run: Omit<RunRecord, 'endedAt' | 'status' | 'plan'> & Partial<Pick<RunRecord, 'plan'>>,
    details?: Record<string, unknown>,
  ): RunRecord;
  /** `details` (exit code, counts…) go into the audit chain's `run-end` entry. */
  finishRun(runId: string, status: RunRecord['status'], details?: Record<string, unknown>): void;
  getRun(runId: string): RunRecord | null;
  /** The run that applied a saved plan (by the plan file's SHA-256), if one did. */
  runOfPlan(planSha256: string): RunRecord | null;
  latestRun(options?: { unfinishedOnly?: boolean }): RunRecord | null;
  /** Upserts by (runId, actionId), a list in one transaction; synchronous, durable when it returns. */
  putJournal(records: ActionRecord | readonly ActionRecord[]): void;
  /** The run's action records, in the order they were first written. */
  journal(runId: string): ActionRecord[];
  /** Runs `writes` (putJournal, recordApplied…) in one transaction: one disk sync for a group. */
  batch(writes: () => void): void;
  /**
   * The writer lock (apply, reconcile, resume, adopt): taken when free or when its holder is provably
   * gone; refused, naming the holder, while any other process holds it — the same run id included.
   */
  acquireLock(claim: LockClaim): LockAttempt;
  /** Who holds the lock now, to name them when a run is refused; null when nobody does. */
  lockHolder(): LockHolder | null;
  /** Appends entries to the audit chain (a resume, planned changes) in one transaction; the new head. */
  appendAudit(entries: NewAuditEntry | readonly NewAuditEntry[]): ChainHead;
  /** A run's entries of these kinds, oldest first. */
  auditEntries(runId: string, kinds: readonly AuditKind[]): AuditContent[];
  /** A request sent: appended with the next entry or in a batch (see `AuditChain.note`). */
  noteRequest(entry: NewAuditEntry): void;
  /** The audit chain's last entry (requests noted so far included); null while it is empty. */
  auditHead(): ChainHead | null;
  /** Keeps a report's snapshot (gzip of its canonical JSON) and vouches for it with a `report` entry. */
  saveReportSnapshot(
    runId: string,
    snapshot: { gzip: Buffer; sha256: string },
    data: Record<string, unknown>,
  ): ChainHead;
  /** `history prune`: old runs and their entries removed, a checkpoint carries the chain on. Hold the lock. */
  prune(options: PruneOptions): PruneResult;
}

/** Ordered migrations: entry N brings the schema from version N to N+1. Never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,
    command      TEXT NOT NULL,
    input_file   TEXT NOT NULL,
    input_digest TEXT NOT NULL,
    base_url     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    status       TEXT NOT NULL
  );
  CREATE TABLE journal (
    run_id              TEXT NOT NULL,
    action_id           TEXT NOT NULL,
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    customer_short_name TEXT NOT NULL,
    site_name           TEXT,
    customer_guid       TEXT,
    site_guid           TEXT,
    task_id             TEXT,
    attempts            INTEGER NOT NULL,
    messages            TEXT NOT NULL,
    error               TEXT,
    deployment_state    TEXT,
    started_at          TEXT,
    ended_at            TEXT,
    duration_ms         INTEGER,
    PRIMARY KEY (run_id, action_id)
  );
  CREATE TABLE applied_customers (
    short_name    TEXT PRIMARY KEY,
    customer_guid TEXT,
    digest        TEXT NOT NULL,
    fields        TEXT,
    run_id        TEXT NOT NULL,
    applied_at    TEXT NOT NULL
  );
  CREATE TABLE applied_sites (
    short_name    TEXT NOT NULL,
    site_name     TEXT NOT NULL,
    customer_guid TEXT,
    site_guid     TEXT,
    digest        TEXT NOT NULL,
    fields        TEXT,
    run_id        TEXT NOT NULL,
    applied_at    TEXT NOT NULL,
    PRIMARY KEY (short_name, site_name)
  );
  CREATE TABLE lock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    pid         INTEGER NOT NULL,
    run_id      TEXT NOT NULL,
    host        TEXT NOT NULL,
    acquired_at TEXT NOT NULL
  );
  `,
  LOCK_MIGRATION,
  // The journal row is the action record: whether a create was sent twice, and the sheet rows it came from.
  `
  ALTER TABLE journal ADD COLUMN sent_twice INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE journal ADD COLUMN rows TEXT;
  `,
  // A run that applied a saved plan: the plan file's SHA-256 and name (a plan is applied once).
  `
  ALTER TABLE runs ADD COLUMN plan_sha256 TEXT;
  ALTER TABLE runs ADD COLUMN plan_file TEXT;
  CREATE INDEX runs_by_plan ON runs (plan_sha256);
  `,
  // The audit trail: a hash chain of every run, resume, action state, request and report (src/state/audit.ts).
  AUDIT_MIGRATION,
];

/** The schema version from which the audit chain exists: a store migrated past it has its rows adopted. */
const AUDIT_SCHEMA = MIGRATIONS.indexOf(AUDIT_MIGRATION) + 1;

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** IMMEDIATE: two runs opening a new store at once must not both create its tables. */
function migrate(db: Database.Database): void {
  db.transaction(() => migrateLocked(db)).immediate();
}

function migrateLocked(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  if (version > MIGRATIONS.length) {
    throw new RunError(
      'state-store',
      `the state store was written by a newer lpsync (schema ${version}, this one knows ${MIGRATIONS.length})`,
    );
  }
  const setVersion = db.prepare('UPDATE schema_version SET version = ?');
  const from = version;
  for (; version < MIGRATIONS.length; version += 1) {
    db.exec(MIGRATIONS[version] as string);
    setVersion.run(version + 1);
  }
  // Runs written before the audit trail existed start the chain, marked as adopted.
  if (from > 0 && from < AUDIT_SCHEMA) adoptExisting(db, createAuditChain(db));
}

/** Runs `step`, trying again for up to 5 s while the database is locked by another process. */
function whileBusy<T>(step: () => T): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || attempt >= 100) throw error;
      Atomics.wait(pause, 0, 0, 50); // a synchronous pause: opening the store happens once per run
    }
  }
}

function now(): string {
  return new Date().toISOString();
}

function isRecordList(value: ActionRecord | readonly ActionRecord[]): value is readonly ActionRecord[] {
  return Array.isArray(value);
}

function isList<T extends object>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

/**
 * Opens (creating folder and file when needed) and migrates the state store. Open it once per
 * run and close it at the end. `':memory:'` gives a private in-memory store (tests).
 */
export function openStateStore(path: string = DEFAULT_STATE_PATH): StateStore {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: 5000 });
    const opened = db;
    // Switching a new file to WAL can answer SQLITE_BUSY at once, without the busy timeout, while
    // another run is doing the same: try again for a few seconds.
    whileBusy(() => opened.pragma('journal_mode = WAL'));
    // FULL: a journal entry is on disk when putJournal returns, even across a power cut.
    db.pragma('synchronous = FULL');
    whileBusy(() => migrate(opened));
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw new RunError('state-store', `cannot open the state store ${path}: ${(error as Error).message}`, {
      hint: 'check the --state path and that the folder is writable',
      cause: error,
    });
  }

  const q = {
    upsertCustomer: db.prepare(`
      INSERT INTO applied_customers (short_name, customer_guid, digest, fields, run_id, applied_at)
      VALUES (@shortName, @customerGuid, @digest, @fields, @runId, @appliedAt)
      ON CONFLICT (short_name) DO UPDATE SET
        customer_guid = COALESCE(excluded.customer_guid, applied_customers.customer_guid),
        digest = excluded.digest, fields = excluded.fields, run_id = excluded.run_id, applied_at = excluded.applied_at`),
    upsertSite: db.prepare(`
      INSERT INTO applied_sites (short_name, site_name, customer_guid, site_guid, digest, fields, run_id, applied_at)
      VALUES (@shortName, @siteName, @customerGuid, @siteGuid, @digest, @fields, @runId, @appliedAt)
      ON CONFLICT (short_name, site_name) DO UPDATE SET
        customer_guid = COALESCE(excluded.customer_guid, applied_sites.customer_guid),
        site_guid = COALESCE(excluded.site_guid, applied_sites.site_guid),
        digest = excluded.digest, fields = excluded.fields, run_id = excluded.run_id, applied_at = excluded.applied_at`),
    customers: db.prepare('SELECT * FROM applied_customers'),
    sites: db.prepare('SELECT * FROM applied_sites'),
    insertRun: db.prepare(`
      INSERT INTO runs (run_id, command, input_file, input_digest, base_url, started_at, ended_at, status,
        plan_sha256, plan_file)
      VALUES (@runId, @command, @inputFile, @inputDigest, @baseUrl, @startedAt, NULL, 'running', @planSha256, @planFile)`),
    runOfPlan: db.prepare('SELECT * FROM runs WHERE plan_sha256 = ? ORDER BY started_at LIMIT 1'),
    finishRun: db.prepare('UPDATE runs SET status = ?, ended_at = ? WHERE run_id = ?'),
    getRun: db.prepare('SELECT * FROM runs WHERE run_id = ?'),
    latestRun: db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1'),
    latestUnfinished: db.prepare(
      "SELECT * FROM runs WHERE status <> 'finished' ORDER BY started_at DESC, rowid DESC LIMIT 1",
    ),
    putJournal: db.prepare(`
      INSERT INTO journal (run_id, action_id, kind, status, customer_short_name, site_name, customer_guid, site_guid,
        task_id, attempts, messages, error, deployment_state, started_at, ended_at, duration_ms, sent_twice, rows)
      VALUES (@runId, @actionId, @kind, @status, @customerShortName, @siteName, @customerGuid, @siteGuid,
        @taskId, @attempts, @messages, @error, @deploymentState, @startedAt, @endedAt, @durationMs, @sentTwice, @rows)
      ON CONFLICT (run_id, action_id) DO UPDATE SET
        kind = excluded.kind, status = excluded.status, customer_short_name = excluded.customer_short_name,
        site_name = excluded.site_name, customer_guid = excluded.customer_guid, site_guid = excluded.site_guid,
        task_id = excluded.task_id, attempts = excluded.attempts, messages = excluded.messages, error = excluded.error,
        deployment_state = excluded.deployment_state, started_at = excluded.started_at, ended_at = excluded.ended_at,
        duration_ms = excluded.duration_ms, sent_twice = excluded.sent_twice, rows = excluded.rows`),
    journal: db.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY rowid'),
    customer: db.prepare('SELECT * FROM applied_customers WHERE short_name = ?'),
    site: db.prepare('SELECT * FROM applied_sites WHERE short_name = ? AND site_name = ?'),
    saveReport: db.prepare('INSERT INTO run_reports (run_id, seq, sha256, data) VALUES (?, ?, ?, ?)'),
    auditOfRun: db.prepare(
      "SELECT kind, content FROM audit WHERE run_id = ? AND kind IN ('run-start', 'resume', 'run-end', 'report') ORDER BY seq",
    ),
  };
  const chain = createAuditChain(db);

  const recordApplied: StateStore['recordApplied'] = db.transaction(
    (runId: string, records: Parameters<StateStore['recordApplied']>[1]) => {
      const appliedAt = now();
      for (const r of records) {
        const params = {
          shortName: r.shortName,
          customerGuid: r.customerGuid ?? null,
          digest: r.digest,
          fields: r.fields ? JSON.stringify(r.fields) : null,
          runId,
          appliedAt,
        };
        if (r.siteName === undefined) q.upsertCustomer.run(params);
        else q.upsertSite.run({ ...params, siteName: r.siteName, siteGuid: r.siteGuid ?? null });
        // The row as it now stands (GUIDs kept from before when not given) is what the chain vouches for.
        const row = (
          r.siteName === undefined ? q.customer.get(r.shortName) : q.site.get(r.shortName, r.siteName)
        ) as AppliedRow;
        const table = r.siteName === undefined ? 'customers' : 'sites';
        chain.append({ kind: 'applied', runId, at: appliedAt, data: { table, ...toApplied(row) } });
      }
    },
  );

  const lock = createLockTable(db);

  return {
    path,
    close: () => {
      chain.flush();
      db.close();
    },
    loadApplied: () => {
      const customers = new Map<string, AppliedRecord>();
      const sites = new Map<string, AppliedRecord>();
      for (const row of q.customers.iterate() as Iterable<AppliedRow>)
        customers.set(row.short_name, toApplied(row));
      for (const row of q.sites.iterate() as Iterable<AppliedRow>) {
        sites.set(appliedSiteKey(row.short_name, row.site_name as string), toApplied(row));
      }
      return { customers, sites };
    },
    recordApplied: (runId, records) => recordApplied(runId, records),
    createRun: db.transaction(
      (run: Parameters<StateStore['createRun']>[0], details: Record<string, unknown> = {}): RunRecord => {
        const plan = run.plan ?? null;
        q.insertRun.run({ ...run, planSha256: plan?.sha256 ?? null, planFile: plan?.file ?? null });
        const created: RunRecord = {
          runId: run.runId,
          command: run.command,
          inputFile: run.inputFile,
          inputDigest: run.inputDigest,
          baseUrl: run.baseUrl,
          startedAt: run.startedAt,
          plan,
          endedAt: null,
          status: 'running',
        };
        chain.append({
          kind: 'run-start',
          runId: run.runId,
          at: run.startedAt,
          data: { ...details, ...created },
        });
        return created;
      },
    ),
    runOfPlan: (sha256) => toRun(q.runOfPlan.get(sha256) as RunRow | undefined),
    finishRun: db.transaction(
      (runId: string, status: RunRecord['status'], details: Record<string, unknown> = {}) => {
        const endedAt = status === 'running' ? null : now();
        q.finishRun.run(status, endedAt, runId);
        chain.append({
          kind: 'run-end',
          runId,
          ...(endedAt ? { at: endedAt } : {}),
          data: { ...details, runId, status, endedAt },
        });
      },
    ),
    getRun: (runId) => toRun(q.getRun.get(runId) as RunRow | undefined),
    latestRun: (options = {}) =>
      toRun((options.unfinishedOnly ? q.latestUnfinished : q.latestRun).get() as RunRow | undefined),
    // One transaction (one disk sync) for many entries: the pending entries of a whole plan at once.
    putJournal: db.transaction((records: ActionRecord | readonly ActionRecord[]) => {
      const list: readonly ActionRecord[] = isRecordList(records) ? records : [records];
      for (const record of list) {
        q.putJournal.run(journalRow(record));
        chain.append({
          kind: 'action',
          runId: record.runId,
          actionId: record.actionId,
          data: storedRecord(record) as unknown as Record<string, unknown>,
        });
      }
    }),
    journal: (runId) => (q.journal.all(runId) as JournalRow[]).map(toRecord),
    // The writes' own transactions become savepoints of this one (issue 11: group commit).
    batch: (writes) => db.transaction(writes)(),
    acquireLock: (claim) => lock.acquire(claim),
    lockHolder: () => lock.holder(),
    appendAudit: db.transaction((entries: NewAuditEntry | readonly NewAuditEntry[]): ChainHead => {
      let head: ChainHead | null = null;
      const list: readonly NewAuditEntry[] = isList(entries) ? entries : [entries];
      for (const entry of list) {
        const { seq, hash } = chain.append(entry);
        head = { seq, hash };
      }
      return head ?? (chain.head() as ChainHead);
    }),
    auditEntries: (runId, kinds) =>
      (q.auditOfRun.all(runId) as Array<{ content: string; kind: AuditKind }>)
        .filter((row) => kinds.includes(row.kind))
        .map((row) => JSON.parse(row.content) as AuditContent),
    noteRequest: (entry) => chain.note(entry),
    auditHead: () => {
      chain.flush();
      return chain.head();
    },
    saveReportSnapshot: db.transaction(
      (
        runId: string,
        snapshot: { gzip: Buffer; sha256: string },
        data: Record<string, unknown>,
      ): ChainHead => {
        const { seq, hash } = chain.append({
          kind: 'report',
          runId,
          data: { ...data, runId, sha256: snapshot.sha256 },
        });
        q.saveReport.run(runId, seq, snapshot.sha256, snapshot.gzip);
        return { seq, hash };
      },
    ),
    prune: (options) => {
      chain.flush();
      return pruneAudit(db, chain, options);
    },
  };
}
