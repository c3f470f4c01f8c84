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
import { writeRunBeforeImage } from './before-image.js';
import { takeLock } from './lock.js';

export interface RebuiltReport {
  /** The results workbook; null for a run that ended before its report was written (its before-image only). */
  path: string | null;
  runId: string;
  /** The entry of the snapshot the workbook was rebuilt from. */
  snapshotEntry: number | null;
  rows: number;
  /** The before-image beside it (`<report>.before.xlsx`), when the run modified something. */
  beforeImage: string | null;
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
    const images = reader.beforeImages(runId);
    if (!stored && !images.length) throw noSnapshot(reader, runId, options.statePath, program);
    const path = options.out(runId);
    const snapshot = stored ? decodeReportSnapshot(stored.gzip) : null;
    if (stored && snapshot) {
      const records = reader.recordsOf(runId, stored.seq);
      const shown = snapshot.actionIds.flatMap((id) => {
        const record = records.get(id);
        return record ? [record] : [];
      });
      await writeResultsWorkbook(path, workbookFromSnapshot(snapshot, shown), {
        ...(options.paper ? { paper: options.paper } : {}),
      });
    }
    // Dated as the run: the same store gives the same workbook.
    const at = new Date(
      snapshot?.summary.endedAt ?? reader.runs().find((r) => r.runId === runId)?.startedAt ?? 0,
    );
    const beforeImage = await writeRunBeforeImage(images, runId, path, at);
    return {
      path: snapshot ? path : null,
      runId: runId,
      snapshotEntry: stored?.seq ?? null,
      rows: snapshot ? snapshot.sheets.reduce((n, s) => n + s.rows.length, 0) : 0,
      beforeImage,
    };
  } finally {
    reader.close();
  }
}

/** A run the store has no report of: never run here, or ended before its report was written. */
function noSnapshot(
  reader: ReturnType<typeof openAuditReader>,
  runId: string,
  statePath: string,
  program: string,
): RunError {
  const known = reader.runs().some((r) => r.runId === runId);
  return new RunError(
    'invalid-options',
    known
      ? `Run ${runId} has no report snapshot: it ended before its report was written, or was recorded by an older lpsync.`
      : `There is no run ${runId} in ${statePath}.`,
    { hint: `\`${program} history\` lists the runs the store holds.` },
  );
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
