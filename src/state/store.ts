import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from '../model/errors.js';
import type { ActionKind, ActionRecord, RecordStatus } from '../model/action-record.js';
import type { Origin } from '../model/types.js';
import { appliedSiteKey, type AppliedDigest, type AppliedRecord, type AppliedState } from '../plan/types.js';
import type { RunRecord } from './types.js';
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
  createRun(
    run: Omit<RunRecord, 'endedAt' | 'status' | 'plan'> & Partial<Pick<RunRecord, 'plan'>>,
  ): RunRecord;
  finishRun(runId: string, status: RunRecord['status']): void;
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
];

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
  for (; version < MIGRATIONS.length; version += 1) {
    db.exec(MIGRATIONS[version] as string);
    setVersion.run(version + 1);
  }
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

interface JournalRow {
  run_id: string;
  action_id: string;
  kind: string;
  status: string;
  customer_short_name: string;
  site_name: string | null;
  customer_guid: string | null;
  site_guid: string | null;
  task_id: string | null;
  attempts: number;
  messages: string;
  error: string | null;
  deployment_state: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  sent_twice: number;
  rows: string | null;
}

interface RunRow {
  run_id: string;
  command: string;
  input_file: string;
  input_digest: string;
  base_url: string;
  started_at: string;
  ended_at: string | null;
  status: string;
  plan_sha256: string | null;
  plan_file: string | null;
}

interface AppliedRow {
  short_name: string;
  site_name?: string;
  customer_guid: string | null;
  site_guid?: string | null;
  digest: string;
  fields: string | null;
  run_id: string;
  applied_at: string;
}

function toRun(row: RunRow | undefined): RunRecord | null {
  if (!row) return null;
  return {
    runId: row.run_id,
    command: row.command,
    inputFile: row.input_file,
    inputDigest: row.input_digest,
    baseUrl: row.base_url,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status as RunRecord['status'],
    plan: row.plan_sha256 === null ? null : { sha256: row.plan_sha256, file: row.plan_file ?? '' },
  };
}

function isRecordList(value: ActionRecord | readonly ActionRecord[]): value is readonly ActionRecord[] {
  return Array.isArray(value);
}

function journalRow(record: ActionRecord) {
  return {
    ...record,
    messages: JSON.stringify(record.messages),
    sentTwice: record.sentTwice ? 1 : 0,
    rows: JSON.stringify(record.rows),
  };
}

function toRecord(row: JournalRow): ActionRecord {
  return {
    runId: row.run_id,
    actionId: row.action_id,
    kind: row.kind as ActionKind,
    rows: row.rows === null ? [] : (JSON.parse(row.rows) as Origin[]),
    customerShortName: row.customer_short_name,
    siteName: row.site_name,
    status: row.status as RecordStatus,
    customerGuid: row.customer_guid,
    siteGuid: row.site_guid,
    deploymentState: row.deployment_state,
    taskId: row.task_id,
    sentTwice: row.sent_twice === 1,
    attempts: row.attempts,
    messages: JSON.parse(row.messages) as string[],
    error: row.error,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms ?? 0,
  };
}

function toApplied(row: AppliedRow): AppliedRecord {
  return {
    shortName: row.short_name,
    siteName: row.site_name ?? null,
    customerGuid: row.customer_guid,
    siteGuid: row.site_guid ?? null,
    digest: row.digest,
    fields: row.fields === null ? null : (JSON.parse(row.fields) as Record<string, string>),
    runId: row.run_id,
    appliedAt: row.applied_at,
  };
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
  };

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
      }
    },
  );

  const lock = createLockTable(db);

  return {
    path,
    close: () => db.close(),
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
    createRun: (run) => {
      const plan = run.plan ?? null;
      q.insertRun.run({ ...run, planSha256: plan?.sha256 ?? null, planFile: plan?.file ?? null });
      return { ...run, plan, endedAt: null, status: 'running' };
    },
    runOfPlan: (sha256) => toRun(q.runOfPlan.get(sha256) as RunRow | undefined),
    finishRun: (runId, status) => {
      q.finishRun.run(status, status === 'running' ? null : now(), runId);
    },
    getRun: (runId) => toRun(q.getRun.get(runId) as RunRow | undefined),
    latestRun: (options = {}) =>
      toRun((options.unfinishedOnly ? q.latestUnfinished : q.latestRun).get() as RunRow | undefined),
    // One transaction (one disk sync) for many entries: the pending entries of a whole plan at once.
    putJournal: db.transaction((records: ActionRecord | readonly ActionRecord[]) => {
      const list: readonly ActionRecord[] = isRecordList(records) ? records : [records];
      for (const record of list) q.putJournal.run(journalRow(record));
    }),
    journal: (runId) => (q.journal.all(runId) as JournalRow[]).map(toRecord),
    // The writes' own transactions become savepoints of this one (issue 11: group commit).
    batch: (writes) => db.transaction(writes)(),
    acquireLock: (claim) => lock.acquire(claim),
    lockHolder: () => lock.holder(),
  };
}
