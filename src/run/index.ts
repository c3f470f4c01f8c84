/**
 * src/run's public face: one function per command, for every face (the CLI now, the web console next).
 * A face imports src/run (this module) and src/model only; what it needs from the layers below — types,
 * the option builders that check what a person typed, the text views of a plan and a summary — comes
 * through here.
 *
 * The contract of a command:
 * - one typed options object in, a result value out; nothing printed, no `process.env`, `process.argv`
 *   or wall clock read (a `now` option where a time is needed);
 * - events: a command that has something to tell along the way (validate, plan, apply, demo) takes an
 *   optional `onEvent` callback, called as each event happens, AND returns the same events, in order, as
 *   `result.events`. The commands that only look something up or start something (doctor, history, audit,
 *   report, template, simulate) have no events;
 * - a fault that ends the command is thrown as an `LpsyncError` (code, message, hint), except by
 *   `apply`: a run that cannot start is still announced to cron, so it returns `kind: 'failed'`.
 *
 * The commands load their module when first called, so a face that imports this module starts fast
 * (`lpsync --help` loads neither exceljs nor the state store).
 */
import type { ApplyCommandOptions, ApplyCommandResult } from './apply-command.js';
import type { HistoryOptions, HistoryResult, PruneOptions } from './audit-commands.js';
import type { DemoOptions, DemoResult } from './demo.js';
import type { DoctorInput, DoctorReport } from './doctor.js';
import type { ExportOptions, ExportResult } from './export.js';
import type { PlanOptions, PlanResult } from './plan-command.js';
import type { RebuiltReport } from './audit-files.js';
import type { Paper } from '../report/layout.js';
import type { Simulation, SimulateOptions } from './simulate.js';
import type { TemplateOptions } from './template.js';
import type { ValidateOptions, ValidateResult } from './validate.js';
import type { ApproveOptions, ApproveResult, PlanApprovals } from './approve.js';
import type { LoginOptions, LoginResult, PasswordChange, UserSummary } from './users.js';
import type { Role } from '../model/roles.js';
import type { AuditVerdict } from '../state/audit-verify.js';
import type { PruneResult } from '../state/audit-prune.js';
import type { LockHolder } from '../state/index.js';
import type { LastDrift, RunDetail } from './run-detail.js';

// ── The commands ──────────────────────────────────────────────────────────────────────────────────

/** `validate`: the input read and checked, every issue by row. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  return (await import('./validate.js')).validate(options);
}

/** `plan`: what apply would do, row by row; the plan file and review workbook asked for. Sends nothing. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  return (await import('./plan-command.js')).plan(options);
}

/** `export`: the tenant as a workbook (or the template's CSV files) that plans as 0 changes. Reads only. */
export async function exportTenant(options: ExportOptions): Promise<ExportResult> {
  return (await import('./export.js')).exportTenant(options);
}

/** `apply` and `reconcile`: the run to its end, its exit code, its end announced. Never throws. */
export async function apply(options: ApplyCommandOptions): Promise<ApplyCommandResult> {
  return (await import('./apply-command.js')).applyCommand(options);
}

/** `doctor`: whether lpsync can work from here, one check at a time. Read-only. */
export async function doctor(options: DoctorInput): Promise<DoctorReport> {
  return (await import('./doctor.js')).runDoctor(options);
}

/** `history`: the runs, newest first, or every change to one customer. Reads only. */
export async function history(options: HistoryOptions): Promise<HistoryResult> {
  return (await import('./audit-commands.js')).showHistory(options);
}

/** `history prune`: runs older than the days kept go, under the writer lock. */
export async function prune(options: PruneOptions): Promise<PruneResult> {
  return (await import('./audit-commands.js')).pruneRuns(options);
}

/** `audit verify`: the chain and every table checked against it. Reads only. */
export async function auditVerify(options: { statePath: string; head?: string }): Promise<AuditVerdict> {
  return (await import('./audit-commands.js')).verifyTrail(options);
}

/** `audit export`: the chain as JSON lines, and the head hash to keep elsewhere. */
export async function auditExport(options: { statePath: string; out: string }) {
  return (await import('./audit-commands.js')).exportTrail(options);
}

/** `report --run`: a run's results workbook again, from the state store alone. */
export async function report(options: {
  statePath: string;
  runId: string;
  out: (runId: string) => string;
  paper?: Paper;
  program?: string;
}): Promise<RebuiltReport> {
  return (await import('./audit-files.js')).rebuildReport(options);
}

/** `demo`: the sample workbook applied to a simulated Live Platform, twice. */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  return (await import('./demo.js')).demo(options);
}

/** `template`: the blank workbook and CSV templates. */
export async function template(options: TemplateOptions): Promise<{ written: string[] }> {
  return (await import('./template.js')).writeTemplate(options);
}

/** `simulate`: the bundled simulator started; the face closes it. */
export async function startSimulation(options: SimulateOptions): Promise<Simulation> {
  return (await import('./simulate.js')).startSimulation(options);
}

// ── Accounts and approvals: the CLI's `users` and `approve`, the console's login and Approve ─────────

/** `users add NAME --role R`: a new account, its password hashed with scrypt (a name taken is refused). */
export async function addUser(options: PasswordChange & { role: Role }): Promise<{ user: UserSummary }> {
  return (await import('./users.js')).addUser(options);
}

/** `users list`: the accounts, without their hashes. */
export async function listUsers(options: { usersFile: string }): Promise<{ users: UserSummary[] }> {
  return (await import('./users.js')).listUsers(options);
}

/** `users remove NAME`. */
export async function removeUser(options: {
  usersFile: string;
  name: string;
}): Promise<{ removed: UserSummary }> {
  return (await import('./users.js')).removeUser(options);
}

/** `users passwd NAME`: a new password, at today's scrypt cost. */
export async function changePassword(options: PasswordChange): Promise<{ user: UserSummary }> {
  return (await import('./users.js')).changePassword(options);
}

/**
 * A name and password checked against the users file, under the face's limiter (per account and per
 * address): the account's name and role, or a refusal with its code. A missing or unsafe users file throws.
 */
export async function verifyLogin(options: LoginOptions): Promise<LoginResult> {
  return (await import('./users.js')).verifyLogin(options);
}

/** `approve --plan FILE`: an approval by `by`, refused when `by` made the plan. */
export async function approve(options: ApproveOptions): Promise<ApproveResult> {
  return (await import('./approve.js')).approve(options);
}

/** A plan's author, its approvals and the run that applied it (by the plan file's SHA-256). Reads only. */
export async function planApprovals(options: { statePath: string; sha256: string }): Promise<PlanApprovals> {
  return (await import('./approve.js')).planApprovals(options);
}

export type {
  ApproveOptions,
  ApproveResult,
  LoginOptions,
  LoginResult,
  PasswordChange,
  PlanApprovals,
  UserSummary,
};
export type { LoginAttempt, LoginLimiter, LoginLimits, LoginRefusal } from './login-limiter.js';
export type { ApprovalRecord, PlanRecord } from '../state/index.js';
export type { Signature } from '../report/types.js';
export { createLoginLimiter, DEFAULT_LOGIN_LIMITS } from './login-limiter.js';
export { DEFAULT_USERS_PATH } from '../state/paths.js';

export type {
  ApplyCommandOptions,
  ApplyCommandResult,
  DemoOptions,
  DemoResult,
  DoctorInput,
  DoctorReport,
  ExportOptions,
  ExportResult,
  HistoryOptions,
  HistoryResult,
  PlanOptions,
  PlanResult,
  PruneOptions,
  RebuiltReport,
  Simulation,
  SimulateOptions,
  TemplateOptions,
  ValidateOptions,
  ValidateResult,
};

// ── The types a face needs to build the options and read the results ───────────────────────────────

export type { ApplyRequest } from './apply-command.js';
export type { RunApplyOutcome } from './apply.js';
export type { RunInvocation } from './audit-trail.js';
export type { ConnectionSettings, SettingsProblem } from './client.js';
export type { Check, CheckStatus, DoctorSettings } from './doctor.js';
export type { RunEvent, PipelineEvent, DemoEvent, ExportEvent } from './events.js';
export type { CustomerChange, RunHistoryItem } from './history.js';
export type { PlanOutput } from './plan-command.js';
export type { PlannedChange } from './plan.js';
export type { RunEndSettings } from './run-end.js';
export type { AuthSettings } from '../api/auth.js';
export type { ConcurrencyBudget, ConcurrencyReport, LimitChange } from '../api/concurrency.js';
export type { ConcurrencySetting } from '../api/concurrency-setting.js';
export type { ProxyRules } from '../api/proxy.js';
export type { ApplyResult } from '../apply/types.js';
export type { InputSource, LoadedWorkbook } from '../input/index.js';
export type { PlanShape } from '../plan/shape.js';
export type { BlankKept } from '../plan/blank-kept.js';
export type { Plan } from '../plan/types.js';
export type { Paper } from '../report/layout.js';
export type { NotifyFormat, NotifyOn } from '../report/notify.js';
export type { RunSummary } from '../report/types.js';
export type { RunningSimulator } from '../simulator/index.js';
export type { Knobs, NormalisedOptions as SimulatorSettings } from '../simulator/options.js';
export type { PruneResult } from '../state/audit-prune.js';
export type { AuditVerdict } from '../state/audit-verify.js';

// ── Light helpers from the layers below: constants for help texts, the checks of what a person typed,
//    and the text views of a plan, a summary and a request budget (each module loads no package) ──────

export { DEFAULT_STATE_PATH } from '../state/paths.js';
export { PLAN_MODES } from '../plan/modes.js';
export { planShape } from '../plan/shape.js';
export { countsLine, renderPlan } from '../plan/plan-view.js';
export { blankKeptText } from '../plan/blank-kept.js';
export { NOTIFY_FORMATS, NOTIFY_ON } from '../report/notify-options.js';
export { summaryLine, summaryText } from '../report/summary.js';
export { concurrencyProgress, describeConcurrency } from '../report/concurrency.js';
export { inputSourceFrom } from '../input/input-source.js';
export { resolveProxyRules } from '../api/proxy.js';
export { queueLength } from '../simulator/queue.js';
export { shellQuote } from './resume-command.js';

// ── For the console (src/web) ─────────────────────────────────────────────────────────────────────

/** Who holds the state store's writer lock and may still write (pid, host, since), or null when it is free. */
export async function writerLock(options: { statePath: string }): Promise<LockHolder | null> {
  return (await import('./lock-holder.js')).writerLock(options);
}
export type { LockHolder } from '../state/index.js';

/** One recorded run for the auditor's page: who and how, each action's record, each request, its drift. */
export async function runDetail(options: {
  statePath: string;
  runId: string;
  program?: string;
}): Promise<RunDetail> {
  return (await import('./run-detail.js')).runDetail(options);
}

/** The drift of the newest run that kept a report. Reads only. */
export async function lastDrift(options: { statePath: string }): Promise<LastDrift | null> {
  return (await import('./run-detail.js')).lastDrift(options);
}
export type { LastDrift, RunDetail } from './run-detail.js';
export type { ActionRecord } from '../model/action-record.js';
export type { SentRequest } from '../model/sent-request.js';
export type { DriftItem } from '../plan/types.js';
export type { Role } from '../model/roles.js';
