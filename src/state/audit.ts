/**
 * The audit trail: an append-only chain of entries in the state store. Each entry holds the SHA-256 of
 * its own canonical content and the hash of the entry before it (as Git's object chain and CloudTrail's
 * log file validation do), so an entry edited, deleted, inserted or moved breaks the chain where it
 * happened. What the other tables hold (runs, journal, applied state, report snapshots) is written to
 * the chain in the same transaction, so `audit verify` can hold each of them against it too.
 */
import { sha256Hex, sortedKeys } from '../model/hashing.js';
import type Database from 'better-sqlite3';

/** The `prev` of the first entry of a chain that was never pruned. */
export const GENESIS = '0'.repeat(64);

/**
 * `run-start`, `resume`, `run-end`: a run and each resume of it. `change`: what a write action was planned
 * to change. `action`: each state of an action record (the journal row). `applied`: what lpsync last
 * applied (the digests). `request`: one request sent. `report`: the snapshot its report is rebuilt from.
 * `checkpoint`: `history prune` removed the entries before it and carries the chain on. `plan`: who made a
 * saved plan (by its SHA-256); `approval`: who approved one. `before-image`: what a session's modifies'
 * targets held before the change (the backout workbook's rows).
 */
export const AUDIT_KINDS = [
  'run-start',
  'resume',
  'run-end',
  'change',
  'action',
  'applied',
  'request',
  'report',
  'checkpoint',
  'plan',
  'approval',
  'before-image',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Schema migration: the chain and the report snapshots it vouches for. */
export const AUDIT_MIGRATION = `
  CREATE TABLE audit (
    seq            INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    run_id         TEXT,
    action_id      TEXT,
    at             TEXT NOT NULL,
    content        TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    prev           TEXT NOT NULL,
    hash           TEXT NOT NULL
  );
  CREATE INDEX audit_by_kind ON audit (kind, run_id);
  CREATE TABLE run_reports (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
`;

/** What an entry says; `seq`, `prev` and the hashes are the chain's business. */
export interface NewAuditEntry {
  kind: AuditKind;
  runId: string | null;
  actionId?: string | null;
  /** ISO time; now when absent. */
  at?: string;
  data: Record<string, unknown>;
}

/** An entry's content, as hashed: `canonicalJson` of this. */
export interface AuditContent {
  seq: number;
  kind: AuditKind;
  at: string;
  runId: string | null;
  actionId: string | null;
  data: Record<string, unknown>;
}

/** One row of the `audit` table. */
export interface AuditRow {
  seq: number;
  kind: string;
  run_id: string | null;
  action_id: string | null;
  at: string;
  content: string;
  content_sha256: string;
  prev: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * JSON with object keys sorted and no spaces, undefined members left out: one text for one value, so
 * the same content always hashes the same. (Written into one string as it goes: every entry of a run
 * passes here, and the arrays a map-and-join makes per object showed in apply's CPU profile.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of sortedKeys(object)) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/** An entry's hash: SHA-256 of the previous entry's hash followed by its content's SHA-256 (64 + 64 hex characters). */
export function linkHash(prev: string, contentSha256: string): string {
  return sha256Hex(prev + contentSha256);
}

/** Requests are written in batches of at most this many (or with the next journal entry, whichever comes first). */
const REQUEST_BATCH = 256;

export interface AuditChain {
  /** Appends one entry inside the caller's transaction; requests noted before it go first. */
  append(entry: NewAuditEntry): AuditContent & { hash: string };
  /**
   * Keeps a request entry to append with the next entry (its outcome's journal entry, usually), or in a
   * batch: one disk sync per request would slow a 100 000-site listing down to the disk's pace.
   */
  note(entry: NewAuditEntry): void;
  /** Appends what was noted, in its own transaction. */
  flush(): void;
  head(): ChainHead | null;
  /**
   * Runs `transaction` (one SQLite transaction, whole) with the chain's head kept in memory between its
   * appends rather than read back before each: nothing else writes the chain while it holds the write
   * lock, and a throw (its rollback) forgets what was kept.
   */
  within<T>(transaction: () => T): T;
}

export function createAuditChain(db: Database.Database): AuditChain {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  // Positional parameters: binding nine by name from a spread object cost 9 µs an entry, by place 3 µs.
  const insert = db.prepare(`
    INSERT INTO audit (seq, kind, run_id, action_id, at, content, content_sha256, prev, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let pending: NewAuditEntry[] = [];
  // The head as last appended, while inside `within` (undefined: read it from the table).
  let kept: ChainHead | undefined;
  let keeping = 0;
  const currentHead = (): ChainHead | undefined => kept ?? (last.get() as ChainHead | undefined);

  const appendOne = (entry: NewAuditEntry): AuditContent & { hash: string } => {
    const head = currentHead();
    const content: AuditContent = {
      seq: head ? head.seq + 1 : 1,
      kind: entry.kind,
      at: entry.at ?? new Date().toISOString(),
      runId: entry.runId,
      actionId: entry.actionId ?? null,
      data: entry.data,
    };
    const text = canonicalJson(content);
    const contentSha256 = sha256Hex(text);
    const prev = head ? head.hash : GENESIS;
    const hash = linkHash(prev, contentSha256);
    insert.run(
      content.seq,
      content.kind,
      content.runId,
      content.actionId,
      content.at,
      text,
      contentSha256,
      prev,
      hash,
    );
    if (keeping > 0) kept = { seq: content.seq, hash };
    return { ...content, hash };
  };
  const within = <T>(transaction: () => T): T => {
    keeping += 1;
    try {
      return transaction();
    } catch (error) {
      // Rolled back, to its start or a savepoint: the head is read from the table again.
      kept = undefined;
      throw error;
    } finally {
      keeping -= 1;
      if (keeping === 0) kept = undefined;
    }
  };
  const appendPending = (): void => {
    const noted = pending;
    pending = [];
    for (const entry of noted) appendOne(entry);
  };
  const flushTransaction = db.transaction(appendPending);
  const flush = (): void => within(flushTransaction);

  return {
    append: (entry) => {
      appendPending();
      return appendOne(entry);
    },
    note: (entry) => {
      pending.push(entry);
      if (pending.length >= REQUEST_BATCH) flush();
    },
    flush: () => {
      if (pending.length > 0) flush();
    },
    head: () => currentHead() ?? null,
    within,
  };
}
