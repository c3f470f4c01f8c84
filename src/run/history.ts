/**
 * `lpsync history`: the runs the audit trail holds, newest first (who, how, on which input, under which
 * plan, how each ended, each resume), and every change made to one customer and its SIP connections.
 * Read from the chain and the runs table; nothing is written.
 */
import type { AuditContent } from '../state/audit.js';
import type { AuditReader } from '../state/audit-read.js';
import type { RecordStatus } from '../model/action-record.js';
import type { FieldChange } from './audit-trail.js';

export interface Session {
  at: string;
  by: string;
  commandLine: string;
}

export interface RunHistoryItem {
  runId: string;
  command: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  ranBy: string;
  commandLine: string;
  lpsyncVersion: string | null;
  baseUrl: string;
  inputFiles: Array<{ file: string; sha256: string }>;
  plan: { file: string; sha256: string } | null;
  options: Record<string, unknown> | null;
  exitCode: number | null;
  rows: number | null;
  byStatus: Record<string, number>;
  byActionStatus: Record<string, Record<string, number>>;
  resumes: Session[];
  /** A run written before the audit trail existed: who and how are not known. */
  adopted: boolean;
}

export interface HistoryRange {
  /** ISO times: runs that started at or after `since`, before or at `until`. */
  since?: string;
  until?: string;
}

const who = (d: Record<string, unknown>): string =>
  `${typeof d.user === 'string' ? d.user : 'unknown'}@${typeof d.host === 'string' ? d.host : 'unknown'}${typeof d.role === 'string' ? ` (${d.role})` : ''}`;

/** The runs, newest first, within the range. */
export function listRuns(reader: AuditReader, range: HistoryRange = {}): RunHistoryItem[] {
  const byRun = new Map<string, AuditContent[]>();
  for (const entry of reader.entries(['run-start', 'resume', 'run-end']))
    if (entry.runId !== null) byRun.set(entry.runId, [...(byRun.get(entry.runId) ?? []), entry]);
  return reader
    .runs()
    .filter(
      (r) =>
        (range.since === undefined || r.startedAt >= range.since) &&
        (range.until === undefined || r.startedAt <= range.until),
    )
    .map((run) => {
      const entries = byRun.get(run.runId) ?? [];
      const start = entries.find((e) => e.kind === 'run-start')?.data ?? {};
      const end = [...entries].reverse().find((e) => e.kind === 'run-end')?.data ?? {};
      return {
        runId: run.runId,
        command: run.command,
        status: run.status,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        ranBy: who(start),
        commandLine: typeof start.commandLine === 'string' ? start.commandLine : 'unknown',
        lpsyncVersion: typeof start.lpsyncVersion === 'string' ? start.lpsyncVersion : null,
        baseUrl: run.baseUrl,
        inputFiles: Array.isArray(start.inputFiles)
          ? (start.inputFiles as Array<{ file: string; sha256: string }>)
          : [{ file: run.inputFile, sha256: run.inputDigest }],
        plan: run.plan,
        options: (start.options as Record<string, unknown> | undefined) ?? null,
        exitCode: typeof end.exitCode === 'number' ? end.exitCode : null,
        rows: typeof end.rows === 'number' ? end.rows : null,
        byStatus: (end.byStatus as Record<string, number> | undefined) ?? {},
        byActionStatus: (end.byActionStatus as Record<string, Record<string, number>> | undefined) ?? {},
        resumes: entries
          .filter((e) => e.kind === 'resume')
          .map((e) => ({
            at: e.at,
            by: who(e.data),
            commandLine: typeof e.data.commandLine === 'string' ? e.data.commandLine : 'unknown',
          })),
        adopted: start.adopted === true,
      };
    });
}

export interface CustomerChange {
  /** When the action ended (or started, or was planned). */
  at: string;
  runId: string;
  command: string | null;
  /** Who ran the run (or the resume) in which the action ended. */
  ranBy: string;
  actionId: string;
  kind: string;
  customerShortName: string;
  siteName: string | null;
  status: RecordStatus | 'unknown';
  method: string;
  path: string;
  changes: FieldChange[];
}

/** Every write planned for one customer and its SIP connections, oldest first, with what became of it. */
export function customerHistory(reader: AuditReader, customerShortName: string): CustomerChange[] {
  const sessions = new Map<string, Array<{ at: string; by: string; command: string | null }>>();
  for (const e of reader.entries(['run-start', 'resume']))
    if (e.runId !== null)
      sessions.set(e.runId, [
        ...(sessions.get(e.runId) ?? []),
        { at: e.at, by: who(e.data), command: typeof e.data.command === 'string' ? e.data.command : null },
      ]);
  const records = new Map<string, Map<string, { status: RecordStatus; at: string | null }>>();
  const recordOf = (runId: string, actionId: string) => {
    if (!records.has(runId)) {
      const latest = new Map<string, { status: RecordStatus; at: string | null }>();
      for (const [id, r] of reader.recordsOf(runId, Number.MAX_SAFE_INTEGER))
        latest.set(id, { status: r.status, at: r.endedAt ?? r.startedAt });
      records.set(runId, latest);
    }
    return records.get(runId)!.get(actionId);
  };
  // A resume plans its run again: the latest change entry of an action is the one it was sent with.
  const latest = new Map<string, AuditContent>();
  for (const entry of reader.changesOf(customerShortName)) {
    const key = `${entry.runId ?? ''}\u0000${entry.actionId ?? ''}`;
    latest.delete(key);
    latest.set(key, entry);
  }
  return [...latest.values()].map((entry) => {
    const d = entry.data as {
      kind: string;
      customerShortName: string;
      siteName: string | null;
      method: string;
      path: string;
      changes: FieldChange[];
    };
    const runId = entry.runId ?? '';
    const record = recordOf(runId, entry.actionId ?? '');
    const at = record?.at ?? entry.at;
    const runSessions = sessions.get(runId) ?? [];
    const session = [...runSessions].reverse().find((s) => s.at <= at) ?? runSessions[0];
    return {
      at,
      runId,
      command: runSessions[0]?.command ?? null,
      ranBy: session?.by ?? 'unknown',
      actionId: entry.actionId ?? '',
      kind: d.kind,
      customerShortName: d.customerShortName,
      siteName: d.siteName,
      status: record?.status ?? 'unknown',
      method: d.method,
      path: d.path,
      changes: d.changes,
    };
  });
}
