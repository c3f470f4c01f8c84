/**
 * What the audit chain says each table should hold (the latest entry for each run, journal row,
 * applied state and report snapshot), and the tables held against it: a row edited, deleted or
 * inserted outside lpsync is named with the entry that vouches for it. Part of `audit verify`.
 */
import { gunzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../model/action-record.js';
import type { AppliedRecord } from '../plan/types.js';
import { canonicalJson, type AuditContent } from './audit.js';
import { sha256Hex } from '../model/hashing.js';
import type { AuditProblem } from './audit-verify.js';
import { checkApprovals, collectApproval, type ExpectedApprovals } from './audit-approvals.js';
import {
  storedRecord,
  toApplied,
  toRecord,
  toRun,
  type AppliedRow,
  type JournalRow,
  type RunRow,
} from './rows.js';
import type { RunRecord } from './types.js';

/** The latest state each table should hold, as the chain tells it. */
export interface Expected extends ExpectedApprovals {
  runs: Map<string, { seq: number; run: RunRecord }>;
  actions: Map<string, { seq: number; record: ActionRecord }>;
  applied: Map<string, { seq: number; applied: AppliedRecord; table: string }>;
  reports: Map<number, { runId: string; sha256: string }>;
  beforeImages: Map<number, { runId: string; sha256: string }>;
}

const RUN_FIELDS = [
  'runId',
  'command',
  'inputFile',
  'inputDigest',
  'baseUrl',
  'startedAt',
  'endedAt',
  'status',
  'plan',
] as const;

/** What one entry tells of the tables: the latest entry per row wins. */
export function collect(content: AuditContent, expected: Expected, problems: AuditProblem[]): void {
  const { seq, data } = content;
  switch (content.kind) {
    case 'run-start': {
      const run = pickRun(data);
      expected.runs.set(run.runId, { seq, run: { ...run, status: 'running', endedAt: null } });
      return;
    }
    case 'run-end': {
      const known = expected.runs.get(String(data.runId));
      if (!known) return;
      known.run = {
        ...known.run,
        status: data.status as RunRecord['status'],
        endedAt: (data.endedAt as string | null) ?? null,
      };
      known.seq = seq;
      return;
    }
    case 'action': {
      const record = storedRecord(data as unknown as ActionRecord);
      expected.actions.set(actionKey(record.runId, record.actionId), { seq, record });
      return;
    }
    case 'applied': {
      const table = String(data.table);
      const applied = pickApplied(data);
      expected.applied.set(appliedKey(table, applied.shortName, applied.siteName), { seq, applied, table });
      return;
    }
    case 'report':
      expected.reports.set(seq, { runId: String(data.runId), sha256: String(data.sha256) });
      return;
    case 'before-image':
      expected.beforeImages.set(seq, { runId: String(data.runId), sha256: String(data.sha256) });
      return;
    case 'checkpoint': {
      // Runs removed by the prune are no longer expected in the tables.
      const removed = Array.isArray(data.removedRuns) ? (data.removedRuns as string[]) : [];
      for (const runId of removed) expected.runs.delete(runId);
      return;
    }
    case 'plan':
    case 'approval':
      collectApproval(content, expected);
      return;
    case 'resume':
    case 'change':
    case 'request':
      return;
    default:
      problems.push({ entry: seq, message: `entry ${seq} has an unknown kind "${String(content.kind)}"` });
  }
}

function pickRun(data: Record<string, unknown>): RunRecord {
  const out: Record<string, unknown> = {};
  for (const field of RUN_FIELDS) out[field] = data[field] ?? null;
  return out as unknown as RunRecord;
}

function pickApplied(data: Record<string, unknown>): AppliedRecord {
  return {
    shortName: String(data.shortName),
    siteName: (data.siteName as string | null) ?? null,
    customerGuid: (data.customerGuid as string | null) ?? null,
    siteGuid: (data.siteGuid as string | null) ?? null,
    digest: String(data.digest),
    fields: (data.fields as Record<string, string> | null) ?? null,
    // Entries written before the store kept a record digest have none.
    recordDigest: (data.recordDigest as string | null | undefined) ?? null,
    runId: String(data.runId),
    appliedAt: String(data.appliedAt),
  };
}

const actionKey = (runId: string, actionId: string): string => `${runId}\u0000${actionId}`;
const appliedKey = (table: string, shortName: string, siteName: string | null): string =>
  `${table}\u0000${shortName}\u0000${siteName ?? ''}`;

/** `status: finished → failed` for each field that differs (the chain's value first). */
function differences(chain: object, table: object): string {
  const a = chain as Record<string, unknown>;
  const b = table as Record<string, unknown>;
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = canonicalJson(a[key]);
    const y = canonicalJson(b[key]);
    if (x !== y) out.push(`${key}: ${short(x)} in the chain, ${short(y)} in the table`);
  }
  return out.join('; ');
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Every table the chain vouches for, in this order: runs, journal, applied state, report snapshots, plans and approvals, before-images. */
export function checkTables(db: Database.Database, expected: Expected, problems: AuditProblem[]): void {
  checkRuns(db, expected, problems);
  checkJournal(db, expected, problems);
  checkApplied(db, expected, problems);
  checkBlobs(db, { table: 'run_reports', what: 'report snapshot' }, expected.reports, expected, problems);
  checkApprovals(db, expected, problems);
  // A store written before before-images were kept has no such table, and the chain no such entry.
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_before_images'").get())
    checkBlobs(
      db,
      { table: 'run_before_images', what: 'before-image' },
      expected.beforeImages,
      expected,
      problems,
    );
}

function checkRuns(db: Database.Database, expected: Expected, problems: AuditProblem[]): void {
  const seen = new Set<string>();
  for (const row of db.prepare('SELECT * FROM runs ORDER BY rowid').iterate() as IterableIterator<RunRow>) {
    const run = toRun(row)!;
    seen.add(run.runId);
    const known = expected.runs.get(run.runId);
    if (!known) {
      problems.push({
        entry: null,
        message: `runs row ${run.runId} is not in the audit chain: inserted, or its entries were deleted`,
      });
      continue;
    }
    const diff = differences(pickRun(known.run as unknown as Record<string, unknown>), run);
    if (diff)
      problems.push({
        entry: known.seq,
        message: `runs row ${run.runId} was edited: it differs from the audit chain (entry ${known.seq}): ${diff}`,
      });
  }
  for (const [runId, known] of expected.runs)
    if (!seen.has(runId))
      problems.push({
        entry: known.seq,
        message: `runs row ${runId} was deleted: the audit chain has it (entry ${known.seq})`,
      });
}

function checkJournal(db: Database.Database, expected: Expected, problems: AuditProblem[]): void {
  const seen = new Set<string>();
  const rows = db.prepare('SELECT * FROM journal ORDER BY rowid').iterate() as IterableIterator<JournalRow>;
  for (const row of rows) {
    const record = toRecord(row);
    const key = actionKey(record.runId, record.actionId);
    seen.add(key);
    const known = expected.actions.get(key);
    const name = `journal row (run ${record.runId}, action ${record.actionId})`;
    if (!known) {
      problems.push({ entry: null, message: `${name} is not in the audit chain: inserted` });
      continue;
    }
    const diff = differences(known.record, record);
    if (diff)
      problems.push({
        entry: known.seq,
        message: `${name} was edited: it differs from the audit chain (entry ${known.seq}): ${diff}`,
      });
  }
  for (const [key, known] of expected.actions) {
    // Journal rows of a pruned run are removed with it.
    if (seen.has(key) || !expected.runs.has(known.record.runId)) continue;
    problems.push({
      entry: known.seq,
      message: `journal row (run ${known.record.runId}, action ${known.record.actionId}) was deleted: the audit chain has it (entry ${known.seq})`,
    });
  }
}

function checkApplied(db: Database.Database, expected: Expected, problems: AuditProblem[]): void {
  const seen = new Set<string>();
  for (const table of ['customers', 'sites'] as const) {
    const rows = db
      .prepare(`SELECT * FROM applied_${table} ORDER BY rowid`)
      .iterate() as IterableIterator<AppliedRow>;
    for (const row of rows) {
      const applied = toApplied(row);
      const key = appliedKey(table, applied.shortName, applied.siteName);
      seen.add(key);
      const known = expected.applied.get(key);
      const name = `applied_${table} row ${applied.shortName}${applied.siteName === null ? '' : ` / ${applied.siteName}`}`;
      if (!known) {
        problems.push({ entry: null, message: `${name} is not in the audit chain: inserted` });
        continue;
      }
      const diff = differences(known.applied, applied);
      if (diff)
        problems.push({
          entry: known.seq,
          message: `${name} was edited: it differs from the audit chain (entry ${known.seq}): ${diff}`,
        });
    }
  }
  for (const [key, known] of expected.applied)
    if (!seen.has(key))
      problems.push({
        entry: known.seq,
        message: `applied_${known.table} row ${known.applied.shortName}${known.applied.siteName === null ? '' : ` / ${known.applied.siteName}`} was deleted: the audit chain has it (entry ${known.seq})`,
      });
}

/** A table of gzip blobs the chain vouches for by SHA-256 (report snapshots, before-images). */
function checkBlobs(
  db: Database.Database,
  kind: { table: 'run_reports' | 'run_before_images'; what: string },
  vouched: Expected['reports'],
  expected: Expected,
  problems: AuditProblem[],
): void {
  const seen = new Set<number>();
  const rows = db
    .prepare(`SELECT run_id, seq, sha256, data FROM ${kind.table} ORDER BY seq`)
    .iterate() as IterableIterator<{
    run_id: string;
    seq: number;
    sha256: string;
    data: Buffer;
  }>;
  for (const row of rows) {
    seen.add(row.seq);
    const name = `${kind.what} of run ${row.run_id} (entry ${row.seq})`;
    const known = vouched.get(row.seq);
    if (!known || known.runId !== row.run_id) {
      problems.push({ entry: row.seq, message: `${name} is not in the audit chain: inserted or moved` });
      continue;
    }
    let actual: string;
    try {
      actual = sha256Hex(gunzipSync(row.data));
    } catch {
      actual = 'unreadable';
    }
    if (row.sha256 !== known.sha256 || actual !== known.sha256)
      problems.push({
        entry: row.seq,
        message: `${name} was edited: its SHA-256 is not the one the audit chain holds`,
      });
  }
  for (const [seq, known] of vouched)
    if (!seen.has(seq) && expected.runs.has(known.runId))
      problems.push({
        entry: seq,
        message: `${kind.what} of run ${known.runId} (entry ${seq}) was deleted`,
      });
}
