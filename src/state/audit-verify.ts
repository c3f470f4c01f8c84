/**
 * `lpsync audit verify`: the chain checked link by link (each entry's content against its SHA-256, its
 * `prev` against the entry before, its hash), then every table the chain vouches for held against it —
 * runs, journal, applied state, report snapshots, saved plans' authors and approvals — so an edited, deleted, inserted or swapped row is
 * named wherever it was made. Reads only.
 */
import type Database from 'better-sqlite3';
import { GENESIS, linkHash, type AuditContent, type AuditRow, type ChainHead } from './audit.js';
import { sha256Hex } from '../model/hashing.js';
import { checkTables, collect, type Expected } from './audit-tables.js';

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

/** Checks the whole store; `keptHead` is a head hash kept elsewhere (an export's, a report's). */
export function verifyAudit(db: Database.Database, keptHead?: string): AuditVerdict {
  const problems: AuditProblem[] = [];
  const expected: Expected = {
    runs: new Map(),
    actions: new Map(),
    applied: new Map(),
    reports: new Map(),
    plans: new Map(),
    approvals: new Map(),
    beforeImages: new Map(),
  };
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
  checkTables(db, expected, problems);
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
