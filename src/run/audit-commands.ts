/**
 * The commands that look back: `history` (the runs, or every change to one customer), `audit verify`,
 * `audit export`, `history prune` and `report --run`. Each opens the state store for its call only; all
 * but prune read it without the lock. The writing ones are in src/run/audit-files.ts.
 */
import type { PruneResult } from '../state/audit-prune.js';
import { openAuditReader } from '../state/audit-read.js';
import type { AuditVerdict } from '../state/audit-verify.js';
import { exportAudit, pruneHistory } from './audit-files.js';
import type { RunInvocation } from './audit-trail.js';
import { customerHistory, listRuns, type CustomerChange, type RunHistoryItem } from './history.js';

export interface HistoryOptions {
  statePath: string;
  /** ISO times: runs (or changes) at or after `since`, at or before `until`. */
  since?: string;
  until?: string;
  /** Every change made to this customer (short name) and its SIP connections, instead of the runs. */
  customer?: string;
}

export type HistoryResult =
  | { kind: 'runs'; runs: RunHistoryItem[] }
  | { kind: 'customer'; customer: string; changes: CustomerChange[] };

/** The runs, newest first, or one customer's every change, oldest first. Reads only. */
export function showHistory(options: HistoryOptions): HistoryResult {
  const { since, until } = options;
  const reader = openAuditReader(options.statePath);
  try {
    if (options.customer !== undefined) {
      const changes = customerHistory(reader, options.customer).filter(
        (c) => (since === undefined || c.at >= since) && (until === undefined || c.at <= until),
      );
      return { kind: 'customer', customer: options.customer, changes };
    }
    const runs = listRuns(reader, { ...(since ? { since } : {}), ...(until ? { until } : {}) });
    return { kind: 'runs', runs };
  } finally {
    reader.close();
  }
}

/** The chain and every table checked against it; with `head`, whether the chain still holds that head. */
export function verifyTrail(options: { statePath: string; head?: string }): AuditVerdict {
  const reader = openAuditReader(options.statePath);
  try {
    return reader.verify(options.head);
  } finally {
    reader.close();
  }
}

/** The chain written to `out` as JSON lines; its head to keep elsewhere, and the store's own check. */
export function exportTrail(options: { statePath: string; out: string }): ReturnType<typeof exportAudit> {
  return exportAudit(options);
}

export interface PruneOptions {
  statePath: string;
  /** Runs that started more than this many days before `now` (and have ended) go. */
  keepDays: number;
  now: () => Date;
  /** Who holds the writer lock meanwhile. */
  lockOwner: { pid: number; host: string };
  /** Who prunes, for the audit entry. */
  invocation: RunInvocation;
}

/** `history prune`: under the writer lock, like a run; a checkpoint keeps `audit verify` green. */
export function pruneRuns(options: PruneOptions): PruneResult {
  const cutoff = new Date(options.now().getTime() - options.keepDays * 86_400_000).toISOString();
  const who = options.invocation;
  return pruneHistory({
    statePath: options.statePath,
    keepDays: options.keepDays,
    cutoff,
    lockOwner: options.lockOwner,
    by: { user: who.user, host: who.host, pid: who.pid, commandLine: who.commandLine.join(' ') },
  });
}
