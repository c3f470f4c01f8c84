/**
 * What apply and reconcile write to the audit trail besides the journal: who ran the run and how (and
 * each resume), what each write action was planned to change, the records as the report shows them,
 * how the run ended, and the report's snapshot. Plain data in, entries out; the CLI says who is running.
 */
import type { SentRequest } from '../api/request-scope.js';
import { wasSent, type ActionRecord } from '../model/action-record.js';
import type { Redactor } from '../model/redact.js';
import { isWrite, type Plan, type PlannedAction } from '../plan/types.js';
import { encodeReportSnapshot, takeReportSnapshot, type ReportParts } from '../report/report-snapshot.js';
import type { RunAuditSummary, RunSummary } from '../report/types.js';
import { canonicalJson, type NewAuditEntry } from '../state/audit.js';
import type { StateStore } from '../state/index.js';
import { storedRecord } from '../state/rows.js';
import { shellQuote } from './resume-command.js';

/** Who runs lpsync and how, as the CLI sees it (the orchestrators never read the process). */
export interface RunInvocation {
  /** The OS user name. */
  user: string;
  host: string;
  pid: number;
  /** The command as typed, program first (`lpsync apply book.xlsx --state s.db`). */
  commandLine: readonly string[];
}

/** The options that shaped a run, as recorded. */
export interface RecordedOptions {
  mode: string;
  only: string[];
  limit: number | null;
  skipInvalid: boolean;
  adopt: boolean;
  /** `auto` (the limit follows the platform), or the pinned number. */
  concurrency: number | 'auto';
  maxErrors: number | null;
  /** The saved plan applied (`--plan`), by file; its SHA-256 is the run's own. */
  planFile: string | null;
}

export interface AuditContext {
  invocation: RunInvocation | undefined;
  redactor: Redactor;
  lpsyncVersion: string;
  options: RecordedOptions;
  inputFiles: Array<{ file: string; sha256: string }>;
}

const UNKNOWN = 'unknown';

/** `alice@build-01`. */
export function whoRan(invocation: RunInvocation | undefined): string {
  return invocation ? `${invocation.user}@${invocation.host}` : UNKNOWN;
}

/** The command as it was typed, quoted as a shell reads it back, secrets masked. */
export function commandLineOf(invocation: RunInvocation | undefined, redactor: Redactor): string {
  return invocation ? redactor.text(invocation.commandLine.map(shellQuote).join(' ')) : UNKNOWN;
}

/** What a run's start (and each resume) records beside the run row. */
function sessionDetails(ctx: AuditContext): Record<string, unknown> {
  return {
    lpsyncVersion: ctx.lpsyncVersion,
    user: ctx.invocation?.user ?? UNKNOWN,
    host: ctx.invocation?.host ?? UNKNOWN,
    pid: ctx.invocation?.pid ?? null,
    commandLine: commandLineOf(ctx.invocation, ctx.redactor),
    inputFiles: ctx.inputFiles.map((f) => ({ file: ctx.redactor.text(f.file), sha256: f.sha256 })),
    options: ctx.redactor.value(ctx.options),
  };
}

/** The `run-start` details (`StateStore.createRun`); `carriedOver` names what a killed run left in flight. */
export function runStartDetails(
  ctx: AuditContext,
  carriedOver: { fromRun: string; actions: string[] } | null,
): Record<string, unknown> {
  return { ...sessionDetails(ctx), carriedOver };
}

/** A resume as its own entry: who, when, how, and which of the run's writes were in flight (read back first). */
export function recordResume(
  store: StateStore,
  runId: string,
  ctx: AuditContext,
  inputDigest: string,
  continuing: ReadonlyMap<string, ActionRecord>,
  at: string,
): void {
  const records = [...continuing.values()];
  store.appendAudit({
    kind: 'resume',
    runId,
    at,
    data: {
      ...sessionDetails(ctx),
      runId,
      inputDigest,
      readBack: records
        .filter((r) => wasSent(r.status))
        .map((r) => ({ actionId: r.actionId, status: r.status })),
      unfinished: records.filter((r) => r.status === 'pending' || r.status === 'not-run').length,
    },
  });
}

/**
 * One `change` entry per write action: what it sets, `before → after` as known (a modify's reasons; a
 * create's or add's body, masked, after nothing). What `lpsync history --customer` lists.
 */
export function recordChanges(
  store: StateStore,
  runId: string,
  plan: Plan,
  redactor: Redactor,
  at: string,
): void {
  const entries: NewAuditEntry[] = plan.actions.filter(isWrite).map((action) => ({
    kind: 'change',
    runId,
    actionId: action.id,
    at,
    data: {
      kind: action.kind,
      customerShortName: action.customerShortName,
      siteName: action.siteName ?? null,
      rows: action.rows,
      method: action.request.method,
      path: redactor.text(action.request.path),
      changes: changesOf(action, redactor),
    },
  }));
  if (entries.length > 0) store.appendAudit(entries);
}

export interface FieldChange {
  field: string;
  /** As read back or last applied; null when it did not exist. */
  before: string | null;
  after: string | null;
}

function changesOf(action: PlannedAction, redactor: Redactor): FieldChange[] {
  if (action.kind === 'modify-site')
    return action.reasons
      .filter((r) => r.field !== undefined)
      .map((r) => ({
        field: r.field as string,
        before: r.before === undefined ? null : redactor.text(r.before),
        after: r.after === undefined ? null : redactor.text(r.after),
      }));
  if (!isWrite(action)) return [];
  // Created: every field the create (and its follow-up Modify) sets, from nothing.
  const sent: Record<string, string> = {};
  flatten(redactor.value(action.request.body), '', sent);
  if (action.followUp) flatten(redactor.value(action.followUp.body), '', sent);
  return Object.entries(sent).map(([field, after]) => ({ field, before: null, after }));
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (value === undefined || value === null || prefix === '') return;
  out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The records as the report shows them (deployment states read after the run, messages through the run's
 * final redactor) written to the journal where they differ from it, so the store rebuilds the same report.
 */
export function settleRecords(
  store: StateStore,
  runId: string,
  records: readonly ActionRecord[],
  redactor: Redactor,
): ActionRecord[] {
  const final = records.map((r) => ({
    ...r,
    messages: r.messages.map((m) => redactor.text(m)),
    error: r.error === null ? null : redactor.text(r.error),
  }));
  const journaled = new Map(store.journal(runId).map((r) => [r.actionId, canonicalJson(storedRecord(r))]));
  const changed = final.filter((r) => journaled.get(r.actionId) !== canonicalJson(storedRecord(r)));
  if (changed.length > 0) store.putJournal(changed);
  return final;
}

/** The Summary sheet's audit block: who, how, every session of the run, and the chain's head now. */
export function auditSummary(store: StateStore, runId: string, ctx: AuditContext): RunAuditSummary {
  const sessions = store.auditEntries(runId, ['run-start', 'resume']).map((entry) => {
    const d = entry.data as { user?: string; host?: string; commandLine?: string };
    return {
      kind: entry.kind === 'run-start' ? ('started' as const) : ('resumed' as const),
      at: entry.at,
      by: `${d.user ?? UNKNOWN}@${d.host ?? UNKNOWN}`,
      commandLine: d.commandLine ?? UNKNOWN,
    };
  });
  return {
    ranBy: whoRan(ctx.invocation),
    commandLine: commandLineOf(ctx.invocation, ctx.redactor),
    options: {
      skipInvalid: ctx.options.skipInvalid,
      adopt: ctx.options.adopt,
      concurrency: ctx.options.concurrency,
      maxErrors: ctx.options.maxErrors,
    },
    sessions,
    chainHead: store.auditHead(),
  };
}

/** The `run-end` details: exit code, counts, why it stopped, and what became of writes that had been in flight. */
export function runEndDetails(
  summary: RunSummary,
  continuing: ReadonlyMap<string, ActionRecord>,
  records: readonly ActionRecord[],
): Record<string, unknown> {
  const final = new Map(records.map((r) => [r.actionId, r.status]));
  return {
    exitCode: summary.exitCode ?? null,
    rows: summary.rows,
    byStatus: summary.byStatus,
    byAction: summary.byAction,
    byActionStatus: summary.byActionStatus,
    drift: summary.drift,
    stoppedBy: summary.stoppedBy,
    error: summary.fatalError,
    readBack: [...continuing.values()]
      .filter((r) => wasSent(r.status))
      .map((r) => ({ actionId: r.actionId, before: r.status, after: final.get(r.actionId) ?? null })),
  };
}

/** A request's entry (`recordRequests` hands them to this). */
export function requestEntry(runId: string, request: SentRequest): NewAuditEntry {
  const { actionId, at, ...data } = request;
  return { kind: 'request', runId, actionId, at, data };
}

/** The report's snapshot, kept and vouched for by a `report` entry; what `lpsync report --run` rebuilds from. */
export function keepReportSnapshot(store: StateStore, parts: ReportParts): void {
  const snapshot = takeReportSnapshot(parts);
  store.saveReportSnapshot(parts.summary.runId, encodeReportSnapshot(snapshot), {
    reportPath: parts.summary.reportPath === null ? null : parts.redactor.text(parts.summary.reportPath),
    rows: parts.summary.rows,
    actions: parts.records.length,
  });
}
