import { writeFileAtomically } from './atomic-file.js';
import type { ApplyResult } from '../apply/types.js';
import { isUnfinished } from '../model/action-record.js';
import { EXIT, exitCodeFor, interruptedExitCode, type Interruption, type RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { signatureText } from './audit-rows.js';
import { describeConcurrency } from './concurrency.js';
import type { RowResult, RunSummary } from './types.js';

export interface SummaryInput {
  runId: string;
  command: string;
  dryRun?: boolean;
  startedAt: string;
  endedAt: string;
  lpsyncVersion: string;
  baseUrl: string;
  inputFiles: Array<{ file: string; sha256: string }>;
  rows: Map<string, RowResult>;
  apply: Pick<ApplyResult, 'records' | 'stoppedBy' | 'interruptedBy'> & { fatal?: ApplyResult['fatal'] };
  /** How the input is named on the command line (`book.xlsx`, `--customers a.csv --sites b.csv`), for the resume command. */
  inputArgs?: string;
  /** Options the resume command needs after the run id (`--state /srv/lpsync/state.db`). */
  resumeOptions?: string;
  /** How the person runs lpsync (`lpsync`, or `npx lpsync` in the checkout), so the resume command works as printed. */
  program?: string;
  drift: number;
  reportPath: string | null;
  /** Absent: the whole sheet, upsert. */
  scope?: RunSummary['scope'];
  plan?: RunSummary['plan'];
  concurrency?: RunSummary['concurrency'];
  audit?: RunSummary['audit'];
  beforeImage?: string;
}

/** Counts per action, per status and per both; what the Summary sheet, the JSON and the console show. */
export function buildSummary(input: SummaryInput): RunSummary & { exitCode: number } {
  const byStatus: Record<string, number> = {};
  for (const row of input.rows.values()) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  const byAction: Record<string, number> = {};
  const byActionStatus: Record<string, Record<string, number>> = {};
  for (const r of input.apply.records) {
    byAction[r.kind] = (byAction[r.kind] ?? 0) + 1;
    const inner = (byActionStatus[r.kind] ??= {});
    inner[r.status] = (inner[r.status] ?? 0) + 1;
  }
  const unfinished = input.apply.records.some((r) => isUnfinished(r.status));
  const fatal = input.apply.fatal ?? null;
  return {
    exitCode: runExitCode(byStatus, byAction, input.apply.stoppedBy, fatal, input.apply.interruptedBy),
    runId: input.runId,
    command: input.command,
    dryRun: input.dryRun ?? false,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    lpsyncVersion: input.lpsyncVersion,
    baseUrl: input.baseUrl,
    inputFiles: input.inputFiles,
    rows: input.rows.size,
    byStatus,
    byAction,
    byActionStatus,
    drift: input.drift,
    scope: input.scope ?? { mode: 'upsert', only: [], limit: null },
    plan: input.plan ?? null,
    stoppedBy: input.apply.stoppedBy,
    fatalError: input.apply.fatal?.message ?? null,
    concurrency: input.concurrency ?? null,
    resumeCommand: unfinished
      ? `${input.program ?? 'lpsync'} apply ${input.inputArgs ? `${input.inputArgs} ` : ''}--resume ${input.runId}${input.resumeOptions ? ` ${input.resumeOptions}` : ''}`
      : null,
    reportPath: input.reportPath,
    ...(input.beforeImage ? { beforeImage: input.beforeImage } : {}),
    ...(input.audit ? { audit: input.audit } : {}),
  };
}

/** 0 every row ok; 1 a row failed, is unknown, was not run, is invalid or conflicts; 3 fatal; 130 Ctrl-C; 143 SIGTERM. */
export function runExitCode(
  byStatus: Record<string, number>,
  byAction: Record<string, number>,
  stoppedBy: ApplyResult['stoppedBy'],
  fatal: RunError | null,
  interruptedBy?: Interruption | null,
): number {
  if (fatal) return exitCodeFor(fatal.code);
  if (stoppedBy === 'interrupted') return interruptedExitCode(interruptedBy);
  const bad = ['failed', 'unknown', 'not-run', 'invalid'].some((s) => (byStatus[s] ?? 0) > 0);
  return bad || (byAction['conflict'] ?? 0) > 0 ? EXIT.rowsFailed : EXIT.ok;
}

const count = (s: RunSummary, kind: string, status = 'succeeded'): number =>
  s.byActionStatus[kind]?.[status] ?? 0;

/** The one-line outcome, e.g. "Apply: 7 created, 8 added, 1 modified, 0 failed, 4 unchanged". */
export function summaryLine(s: RunSummary, verb = 'Apply'): string {
  const parts = [
    `${count(s, 'create-customer') + count(s, 'create-oc-service')} created`,
    `${count(s, 'add-site')} added`,
    `${count(s, 'modify-site')} modified`,
    `${s.byStatus['failed'] ?? 0} failed`,
  ];
  const more: Array<[number, string]> = [
    [s.byStatus['unknown'] ?? 0, 'unknown'],
    [s.byStatus['unchanged'] ?? 0, 'unchanged'],
    [s.byAction['busy'] ?? 0, 'busy'],
    [s.byAction['conflict'] ?? 0, 'conflict'],
    [s.byAction['excluded'] ?? 0, 'excluded by --mode'],
    // Busy, conflict and excluded rows are skipped too: counted once, under their action.
    [
      (s.byStatus['skipped'] ?? 0) -
        count(s, 'busy', 'skipped') -
        count(s, 'conflict', 'skipped') -
        count(s, 'excluded', 'skipped'),
      'skipped',
    ],
    [s.byStatus['not-selected'] ?? 0, 'not selected'],
    [s.byStatus['not-run'] ?? 0, 'not run'],
    [s.byStatus['invalid'] ?? 0, 'invalid'],
  ];
  parts.push(`${more[1]![0]} unchanged`);
  for (const [n, label] of more) if (n > 0 && label !== 'unchanged') parts.push(`${n} ${label}`);
  return `${verb}: ${parts.join(', ')} (${s.rows} rows)`;
}

/** A screenful for people and cron mail: the line, why it stopped, where the report is, how to resume. */
export function summaryText(s: RunSummary, verb = 'Apply'): string {
  const lines = [summaryLine(s, verb)];
  if (s.stoppedBy === 'max-errors') lines.push('Stopped sending after too many errors (--max-errors).');
  if (s.stoppedBy === 'interrupted') lines.push('Interrupted: requests already sent were allowed to finish.');
  if (s.stoppedBy === 'fatal') lines.push(`Stopped: ${s.fatalError ?? 'a run-ending fault'}`);
  if (s.drift > 0)
    lines.push(
      `Drift: ${s.drift} service(s)/site(s) on the Live Platform are not in the sheet (see the Drift sheet).`,
    );
  const attention = ['failed', 'unknown', 'invalid'].reduce((n, k) => n + (s.byStatus[k] ?? 0), 0);
  const conflicts = s.byAction['conflict'] ?? 0;
  if (attention + conflicts > 0)
    lines.push(
      `${attention + conflicts} row(s) need a look (failed, unknown, invalid or conflict): ` +
        (s.reportPath
          ? 'the Status, Messages and Error columns of the report say why.'
          : 'the lines above say why.'),
    );
  if (s.plan) lines.push(`Plan applied: ${s.plan.file} (SHA-256 ${s.plan.sha256})`);
  if (s.plan?.planned !== undefined) lines.push(changeSigners(s.plan));
  if (s.concurrency) lines.push(`Requests: ${describeConcurrency(s.concurrency)}`);
  lines.push(`Run: ${s.runId}  ${s.startedAt} → ${s.endedAt}`);
  if (s.reportPath) lines.push(`Report: ${s.reportPath}`);
  if (s.beforeImage) lines.push(`Before-image (apply it to back out): ${s.beforeImage}`);
  if (s.resumeCommand) lines.push(`To finish this run: ${s.resumeCommand}`);
  return lines.join('\n');
}

/** `Planned by alice@h at …; approved by bob@h (approver) at …`. */
function changeSigners(plan: NonNullable<RunSummary['plan']>): string {
  const planned = plan.planned ? signatureText(plan.planned) : 'unknown';
  const approved = plan.approvals?.length ? plan.approvals.map(signatureText).join(', ') : 'nobody';
  return `Planned by ${planned}; approved by ${approved}.`;
}

/** `reports/x.results.xlsx` → `reports/x.results.summary.json`. */
export function summaryJsonPath(reportPath: string): string {
  return reportPath.replace(/\.xlsx$/i, '') + '.summary.json';
}

/** The machine-readable summary beside the workbook, written atomically. */
export function writeSummaryJson(path: string, summary: RunSummary, redactor: Redactor): void {
  writeFileAtomically(path, JSON.stringify(redactor.value(summary), null, 2) + '\n');
}
