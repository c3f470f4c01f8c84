/** The store's schema: ordered migrations, and opening a file with them applied. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from '../model/errors.js';
import { AUDIT_MIGRATION, createAuditChain } from './audit.js';
import { adoptExisting } from './audit-adopt.js';
import { APPROVALS_MIGRATION } from './approvals.js';
import { BEFORE_IMAGE_MIGRATION } from './before-images.js';
import { LOCK_LEASE_MIGRATION, LOCK_MIGRATION } from './lock.js';

/**
 * Record digests (issue 26): one digest of each applied record's values, compared before its per-field
 * hashes. The last migration (9), after the approvals (7) and before-images (8).
 * Rows written before it keep NULL and are compared field by field, as before: their values are not
 * in the store (only their salted hashes), so no digest of them can be computed here.
 */
const RECORD_DIGEST_MIGRATION = `
  ALTER TABLE applied_customers ADD COLUMN record_digest TEXT;
  ALTER TABLE applied_sites ADD COLUMN record_digest TEXT;
`;

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
  LOCK_LEASE_MIGRATION,
  // Issue 24: who made each saved plan and who approved it (src/state/approvals.ts).
  APPROVALS_MIGRATION,
  // The before-image of each run that modifies something (src/state/before-images.ts).
  BEFORE_IMAGE_MIGRATION,
  // One digest of each applied record's values (issue 26).
  RECORD_DIGEST_MIGRATION,
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

/** The store's file opened (folder and file created when needed), switched to WAL and migrated. */
export function openDatabase(path: string): Database.Database {
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
  return db;
}
