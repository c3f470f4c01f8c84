/**
 * One recorded run as the audit trail tells it (the console's run page for an auditor): who ran it and how,
 * each action's latest record, each request sent with its status and duration, and the drift its report
 * listed; and the drift of the latest run that kept a report. Read from the store without the lock.
 */
import type { ActionRecord } from '../model/action-record.js';
import { RunError } from '../model/errors.js';
import type { SentRequest } from '../model/sent-request.js';
import type { DriftItem } from '../plan/types.js';
import { decodeReportSnapshot } from '../report/report-snapshot.js';
import { openAuditReader, type AuditReader } from '../state/audit-read.js';
import { listRuns, type RunHistoryItem } from './history.js';

export interface RunDetail {
  run: RunHistoryItem;
  /** Each action's latest record, in the order the run recorded them. */
  records: ActionRecord[];
  /** Every request the run sent, oldest first (paths masked as logged; never a body). */
  requests: SentRequest[];
  /** The drift its report listed; null when the run kept no report. */
  drift: DriftItem[] | null;
}

export interface LastDrift {
  runId: string;
  command: string;
  startedAt: string;
  /** Who ran it (`user@host`), as the history says. */
  ranBy: string;
  drift: DriftItem[];
}

/** The drift a run's report listed, from its latest report snapshot; null without one. */
function driftOf(reader: AuditReader, runId: string): DriftItem[] | null {
  const stored = reader.reportSnapshot(runId);
  return stored ? decodeReportSnapshot(stored.gzip).drift : null;
}

/** Run `runId` as recorded (`latest`: the newest run); a clear error for a run the store does not hold. */
export function runDetail(options: { statePath: string; runId: string; program?: string }): RunDetail {
  const reader = openAuditReader(options.statePath);
  try {
    const runs = listRuns(reader);
    const run = options.runId === 'latest' ? runs[0] : runs.find((r) => r.runId === options.runId);
    if (!run)
      throw new RunError('invalid-options', `There is no run ${options.runId} in ${options.statePath}.`, {
        hint: `\`${options.program ?? 'lpsync'} history\` lists the runs the store holds.`,
      });
    const records = [...reader.recordsOf(run.runId, Number.MAX_SAFE_INTEGER).values()];
    const requests = reader.entries(['request'], run.runId).map((e): SentRequest => ({
      ...(e.data as Omit<SentRequest, 'actionId' | 'at'>),
      actionId: e.actionId,
      at: e.at,
    }));
    return { run, records, requests, drift: driftOf(reader, run.runId) };
  } finally {
    reader.close();
  }
}

/** The drift of the newest run that kept a report (services and SIP connections its sheet did not name). */
export function lastDrift(options: { statePath: string }): LastDrift | null {
  const reader = openAuditReader(options.statePath);
  try {
    for (const run of reader.runs()) {
      const drift = driftOf(reader, run.runId);
      if (!drift) continue;
      const start = reader.entries(['run-start'], run.runId)[0]?.data ?? {};
      const ranBy = `${typeof start.user === 'string' ? start.user : 'unknown'}@${typeof start.host === 'string' ? start.host : 'unknown'}`;
      return { runId: run.runId, command: run.command, startedAt: run.startedAt, ranBy, drift };
    }
    return null;
  } finally {
    reader.close();
  }
}
