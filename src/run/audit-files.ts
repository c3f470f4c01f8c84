/**
 * The audit commands that write a file or change the store: `report --run` (the results workbook again,
 * from the store alone), `audit export` (the chain as JSON lines) and `history prune` (retention, under
 * the writer lock).
 */
import { writeAtomicallyWith } from '../report/atomic-file.js';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { RunError } from '../model/errors.js';
import { decodeReportSnapshot, workbookFromSnapshot } from '../report/report-snapshot.js';
import { writeResultsWorkbook } from '../report/workbook.js';
import type { Paper } from '../report/layout.js';
import type { ChainHead } from '../state/audit.js';
import { openAuditReader } from '../state/audit-read.js';
import type { AuditVerdict } from '../state/audit-verify.js';
import { openStateStore } from '../state/index.js';
import type { PruneResult } from '../state/audit-prune.js';
import { takeLock } from './lock.js';

export interface RebuiltReport {
  path: string;
  runId: string;
  /** The entry of the snapshot the workbook was rebuilt from. */
  snapshotEntry: number;
  rows: number;
}

/**
 * Writes run `runId`'s results workbook again from the store: its latest report snapshot and the action
 * records the chain holds up to it. Refused when the store fails `audit verify`: a report rebuilt from
 * altered records would vouch for them.
 */
export async function rebuildReport(options: {
  statePath: string;
  runId: string;
  out: (runId: string) => string;
  /** The paper it prints on (the CLI reads the locale); default A4. */
  paper?: Paper;
  /** How the person runs lpsync (`npx lpsync`), for the commands in the hints; default `lpsync`. */
  program?: string;
}): Promise<RebuiltReport> {
  const program = options.program ?? 'lpsync';
  const reader = openAuditReader(options.statePath);
  try {
    const verdict = reader.verify();
    if (!verdict.ok)
      throw new RunError(
        'state-store',
        `The state store ${options.statePath} fails its audit check, so no report is rebuilt from it: ${verdict.problems[0]?.message ?? `see ${program} audit verify`}`,
        { hint: `Run \`${program} audit verify --state ${options.statePath}\` for every problem found.` },
      );
    // `latest`: the newest run (history's first line), so the README's example works as pasted.
    const runId = options.runId === 'latest' ? (reader.runs()[0]?.runId ?? 'latest') : options.runId;
    const stored = reader.reportSnapshot(runId);
    if (!stored) {
      const known = reader.runs().some((r) => r.runId === runId);
      throw new RunError(
        'invalid-options',
        known
          ? `Run ${runId} has no report snapshot: it ended before its report was written, or was recorded by an older lpsync.`
          : `There is no run ${runId} in ${options.statePath}.`,
        { hint: `\`${program} history\` lists the runs the store holds.` },
      );
    }
    const snapshot = decodeReportSnapshot(stored.gzip);
    const records = reader.recordsOf(runId, stored.seq);
    const shown = snapshot.actionIds.flatMap((id) => {
      const record = records.get(id);
      return record ? [record] : [];
    });
    const path = options.out(runId);
    await writeResultsWorkbook(path, workbookFromSnapshot(snapshot, shown), {
      ...(options.paper ? { paper: options.paper } : {}),
    });
    return {
      path,
      runId: runId,
      snapshotEntry: stored.seq,
      rows: snapshot.sheets.reduce((n, s) => n + s.rows.length, 0),
    };
  } finally {
    reader.close();
  }
}

/** One line of an export: the entry's content exactly as hashed, and its links. */
export interface ExportLine {
  seq: number;
  prev: string;
  contentSha256: string;
  hash: string;
  /** Canonical JSON (keys sorted, no spaces): `printf '%s' "$content" | sha256sum` gives `contentSha256`. */
  content: string;
}

/** Writes the chain to `out` as JSON lines (atomically); the head to keep elsewhere, and the store's own check. */
export function exportAudit(options: { statePath: string; out: string }): {
  entries: number;
  head: ChainHead | null;
  first: number | null;
  verdict: AuditVerdict;
} {
  const reader = openAuditReader(options.statePath);
  try {
    let entries = 0;
    let first: number | null = null;
    let head: ChainHead | null = null;
    writeAtomicallyWith(options.out, (tmp) => {
      const fd = openSync(tmp, 'w');
      try {
        let buffer = '';
        for (const row of reader.rows()) {
          const line: ExportLine = {
            seq: row.seq,
            prev: row.prev,
            contentSha256: row.content_sha256,
            hash: row.hash,
            content: row.content,
          };
          buffer += `${JSON.stringify(line)}\n`;
          if (buffer.length > 1 << 20) {
            writeSync(fd, buffer);
            buffer = '';
          }
          entries += 1;
          first ??= row.seq;
          head = { seq: row.seq, hash: row.hash };
        }
        writeSync(fd, buffer);
      } finally {
        closeSync(fd);
      }
    });
    return { entries, head, first, verdict: reader.verify() };
  } finally {
    reader.close();
  }
}

/** `history prune --keep-days N`, under the writer lock (no run may write meanwhile). */
export function pruneHistory(options: {
  statePath: string;
  keepDays: number;
  /** ISO; runs that started before it and have ended go. */
  cutoff: string;
  lockOwner: { pid: number; host: string };
  by: Record<string, unknown>;
}): PruneResult {
  if (!existsSync(options.statePath))
    throw new RunError('invalid-options', `There is no state store at ${options.statePath}.`, {
      hint: 'Name it with --state (the same path apply and reconcile use).',
    });
  const store = openStateStore(options.statePath);
  try {
    const lock = takeLock(store, { runId: `prune-${randomBytes(4).toString('hex')}`, ...options.lockOwner });
    try {
      return store.prune({ cutoff: options.cutoff, keepDays: options.keepDays, by: options.by });
    } finally {
      lock.release();
    }
  } finally {
    store.close();
  }
}
