/**
 * `lpsync audit verify`: the chain checked link by link (each entry's content against its SHA-256, its
 * `prev` against the entry before, its hash), then every table the chain vouches for held against it —
 * runs, journal, applied state, report snapshots — so an edited, deleted, inserted or swapped row is
 * named wherever it was made. Reads only.
 */
import { gunzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../model/action-record.js';
import type { AppliedRecord } from '../plan/types.js';
import {
  canonicalJson,
  GENESIS,
  linkHash,
  sha256Hex,
  type AuditContent,
  type AuditRow,
  type ChainHead,
} from './audit.js';
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

export interface AuditProblem {
  /** The chain entry concerned, when there is one. */
  entry: number | null;
  message: string;
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries in the chain now. */
  entries: number;
  /** The first entry kept (1 unless `history prune` removed older ones). */
  first: number | null;
  head: ChainHead | null;
  /** Runs the chain covers. */
  runs: number;
  /** In the order found: the first is the first broken place. */
  problems: AuditProblem[];
  /**
   * `--head`: whether the hash kept elsewhere is an entry of this chain, or the last entry history prune
   * removed (`carried`: the checkpoint carries its hash on).
   */
  keptHead?: { hash: string; seq: number | null; carried?: boolean };
  /** The latest prune: entries before `firstKept` were removed; its checkpoint entry carries the hash on. */
  pruned?: { firstKept: number; checkpoint: number };
}

/** The latest state each table should hold, as the chain tells it. */
interface Expected {
  runs: Map<string, { seq: number; run: RunRecord }>;
  actions: Map<string, { seq: number; record: ActionRecord }>;
  applied: Map<string, { seq: number; applied: AppliedRecord; table: string }>;
  reports: Map<number, { runId: string; sha256: string }>;
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

/** Checks the whole store; `keptHead` is a head hash kept elsewhere (an export's, a report's). */
export function verifyAudit(db: Database.Database, keptHead?: string): AuditVerdict {
  const problems: AuditProblem[] = [];
  const expected: Expected = { runs: new Map(), actions: new Map(), applied: new Map(), reports: new Map() };
  const rows = db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  let before: AuditRow | null = null;
  let count = 0;
  let first: number | null = null;
  let checkpoint: { seq: number; firstKept: number; carriedPrev: string } | null = null;
  let startRow: AuditRow | null = null;
  let keptSeq: number | null = null;
  for (const row of rows) {
    count += 1;
    first ??= row.seq;
    startRow ??= row;
    if (keptHead !== undefined && row.hash === keptHead) keptSeq = row.seq;
    const content = checkEntry(row, before, problems);
    if (content) {
      collect(content, expected, problems);
      if (content.kind === 'checkpoint') {
        const d = content.data as { firstKept?: unknown; carriedPrev?: unknown };
        if (typeof d.firstKept === 'number' && typeof d.carriedPrev === 'string')
          checkpoint = { seq: content.seq, firstKept: d.firstKept, carriedPrev: d.carriedPrev };
      }
    }
    before = row;
  }
  if (startRow) checkStart(startRow, checkpoint, problems);
  // The chain's own problems in chain order (the start is only judged once the checkpoint is known).
  problems.sort((a, b) => (a.entry ?? 0) - (b.entry ?? 0));
  checkRuns(db, expected, problems);
  checkJournal(db, expected, problems);
  checkApplied(db, expected, problems);
  checkReports(db, expected, problems);
  // A head kept just before a prune is the last entry it removed: the checkpoint vouches for its hash.
  const carried = keptSeq === null && checkpoint !== null && keptHead === checkpoint.carriedPrev;
  if (carried && checkpoint) keptSeq = checkpoint.firstKept - 1;
  return {
    ok: problems.length === 0 && (keptHead === undefined || keptSeq !== null),
    entries: count,
    first,
    head: before ? { seq: before.seq, hash: before.hash } : null,
    runs: expected.runs.size,
    problems,
    ...(keptHead === undefined
      ? {}
      : { keptHead: { hash: keptHead, seq: keptSeq, ...(carried ? { carried } : {}) } }),
    ...(checkpoint ? { pruned: { firstKept: checkpoint.firstKept, checkpoint: checkpoint.seq } } : {}),
  };
}

/** One link: content, position, columns, `prev`, hash. Returns the content when it can be read. */
function checkEntry(row: AuditRow, before: AuditRow | null, problems: AuditProblem[]): AuditContent | null {
  const at = row.seq;
  let content: AuditContent | null = null;
  try {
    content = JSON.parse(row.content) as AuditContent;
  } catch {
    problems.push({ entry: at, message: `entry ${at} was edited: its content is no longer JSON` });
  }
  if (sha256Hex(row.content) !== row.content_sha256) {
    problems.push({
      entry: at,
      message: `entry ${at} was edited: its content no longer matches its SHA-256${describe(content)}`,
    });
  } else if (content && content.seq !== row.seq) {
    problems.push({
      entry: at,
      message: `entry ${at} holds the content of entry ${content.seq}: entries were swapped or moved`,
    });
  } else if (
    content &&
    (content.kind !== row.kind ||
      content.runId !== row.run_id ||
      content.actionId !== row.action_id ||
      content.at !== row.at)
  ) {
    problems.push({
      entry: at,
      message: `entry ${at} was edited: its kind, run, action or time column differs from its content${describe(content)}`,
    });
  }
  if (before && row.seq !== before.seq + 1) {
    const gap = row.seq - before.seq - 1;
    problems.push({
      entry: at,
      message:
        gap > 0
          ? `${gap === 1 ? `entry ${before.seq + 1} is` : `entries ${before.seq + 1}–${row.seq - 1} are`} missing: deleted from the chain`
          : `entry ${at} is out of order after entry ${before.seq}`,
    });
  } else if (before && row.prev !== before.hash) {
    problems.push({
      entry: at,
      message: `entry ${at} does not follow entry ${before.seq}: its prev is not entry ${before.seq}'s hash (entry ${before.seq} was rewritten, or an entry was inserted or removed between them)`,
    });
  }
  if (linkHash(row.prev, row.content_sha256) !== row.hash)
    problems.push({
      entry: at,
      message: `entry ${at}'s hash was altered: it is not SHA-256(prev + content SHA-256)`,
    });
  return content;
}

/** The first entry: the genesis, or the one the latest checkpoint says the chain carries on from. */
function checkStart(
  row: AuditRow,
  checkpoint: { seq: number; firstKept: number; carriedPrev: string } | null,
  problems: AuditProblem[],
): void {
  if (checkpoint) {
    if (row.seq !== checkpoint.firstKept || row.prev !== checkpoint.carriedPrev)
      problems.push({
        entry: row.seq,
        message: `the chain starts at entry ${row.seq}, but the checkpoint (entry ${checkpoint.seq}) says it carries on from entry ${checkpoint.firstKept}: entries were deleted or inserted at its start`,
      });
  } else if (row.seq !== 1 || row.prev !== GENESIS) {
    problems.push({
      entry: row.seq,
      message:
        row.seq > 1
          ? `${row.seq === 2 ? 'entry 1 is' : `entries 1–${row.seq - 1} are`} missing: deleted from the start of the chain (no prune checkpoint explains it)`
          : `entry ${row.seq} is not the start of the chain (its prev is not the genesis): inserted before entry 1`,
    });
  }
}

function describe(content: AuditContent | null): string {
  if (!content) return '';
  const parts = [content.kind, content.runId, content.actionId].filter((p) => typeof p === 'string');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function collect(content: AuditContent, expected: Expected, problems: AuditProblem[]): void {
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
    case 'checkpoint': {
      // Runs removed by the prune are no longer expected in the tables.
      const removed = Array.isArray(data.removedRuns) ? (data.removedRuns as string[]) : [];
      for (const runId of removed) expected.runs.delete(runId);
      return;
    }
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

function checkReports(db: Database.Database, expected: Expected, problems: AuditProblem[]): void {
  const seen = new Set<number>();
  const rows = db
    .prepare('SELECT run_id, seq, sha256, data FROM run_reports ORDER BY seq')
    .iterate() as IterableIterator<{
    run_id: string;
    seq: number;
    sha256: string;
    data: Buffer;
  }>;
  for (const row of rows) {
    seen.add(row.seq);
    const name = `report snapshot of run ${row.run_id} (entry ${row.seq})`;
    const known = expected.reports.get(row.seq);
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
  for (const [seq, known] of expected.reports)
    if (!seen.has(seq) && expected.runs.has(known.runId))
      problems.push({
        entry: seq,
        message: `report snapshot of run ${known.runId} (entry ${seq}) was deleted`,
      });
}
