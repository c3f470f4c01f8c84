/**
 * `apply` and `reconcile` as one call: open the client, run the pipeline (src/run/apply.ts), give the run
 * its exit code, announce its end (notifications, metrics file) whatever it was, close the client. A run
 * that cannot start (settings the face could not read, auth refused, lock held) is a result too, `failed`,
 * because cron must hear of it: this command does not throw.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { concurrencyCeiling } from '../api/concurrency-setting.js';
import type { LivePlatformClient } from '../api/client.js';
import type { InputSource } from '../input/index.js';
import { EXIT, exitCodeFor, interruptedExitCode, interruptionOf, LpsyncError } from '../model/errors.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import type { PlanShape } from '../plan/shape.js';
import type { Paper } from '../report/layout.js';
import { runApply, type RunApplyOptions, type RunApplyOutcome } from './apply.js';
import type { RunInvocation } from './audit-trail.js';
import { createClientFromSettings, type ConnectionSettings, type SettingsProblem } from './client.js';
import { eventLog, type RunEvent } from './events.js';
import { reportRunEnd, type RunEndSettings } from './run-end.js';
import { readPlanFile } from './approve.js';

/** What to apply and how, as the face read it from the person. */
export interface ApplyRequest {
  connection: ConnectionSettings;
  /** Absent only with `resume`: the resumed run's input file is read again. */
  source?: InputSource;
  /** `true`: the latest unfinished run; a string: that run id. */
  resume?: string | true;
  statePath: string;
  /** The results workbook; by default `<reportsDir>/<input>-<time>.results.xlsx`, never over an earlier one. */
  reportPath?: string;
  reportsDir: string;
  dryRun: boolean;
  adopt: boolean;
  skipInvalid: boolean;
  ignoreUnreadSheets: boolean;
  maxErrors?: number;
  /** The mode and wave; with `approved`, the plan's own. */
  shape: PlanShape;
  /** `apply --plan`: the approved plan file (absolute); exactly its actions are sent. */
  planFile?: string;
  /** `--require-approval`: refused unless a user other than the plan's author approved it (needs `planFile`). */
  requireApproval?: boolean;
  /** The writer lock's lease, when not the default. */
  lockLeaseMs?: number;
}

export interface ApplyCommandOptions {
  command: 'apply' | 'reconcile';
  /** The request, or the problem reading it: a run that cannot start is announced all the same. */
  request: ApplyRequest | SettingsProblem;
  runEnd: RunEndSettings;
  log: Log;
  redactor: Redactor;
  /** Stop dispatching (Ctrl-C, SIGTERM); its reason, the signal's name, makes the exit code 130 or 143. */
  signal?: AbortSignal;
  /** Stop waiting for the requests in flight (a second Ctrl-C). */
  stopWaiting?: AbortSignal;
  /** This process, for the writer lock and the notifications. */
  pid: number;
  host: string;
  /** Who runs it and the command line, for the audit trail. */
  invocation: RunInvocation;
  lpsyncVersion: string;
  /** How the person runs lpsync (`npx lpsync`), for the commands printed in hints and the summary. */
  program: string;
  paper: Paper;
  now: () => Date;
  onEvent?: (event: RunEvent) => void;
}

export type ApplyCommandResult = (RunApplyOutcome | { kind: 'failed'; error: unknown }) & {
  exitCode: number;
  events: RunEvent[];
};

/** Runs apply or reconcile to its end; the result says how it ended and with which exit code. */
export async function applyCommand(options: ApplyCommandOptions): Promise<ApplyCommandResult> {
  const log = eventLog(options.onEvent);
  const startedAt = options.now();
  let client: LivePlatformClient | undefined;
  let ended: RunApplyOutcome | { kind: 'failed'; error: unknown };
  try {
    const { request } = options;
    if ('problem' in request) throw request.problem;
    client = createClientFromSettings(request.connection, options.log, options.redactor, {
      ...(options.stopWaiting ? { signal: options.stopWaiting } : {}),
      lpsyncVersion: options.lpsyncVersion,
    });
    log.emit({ type: 'client', concurrency: client.concurrency });
    const approved =
      request.planFile === undefined ? undefined : readPlanFile(request.planFile, options.program);
    ended = await runApply({
      ...pipelineOptions(options, request, client, startedAt, log.emit),
      ...(approved ? { approved } : {}),
    });
  } catch (error) {
    ended = { kind: 'failed', error };
  }
  const exitCode = exitCodeOf(ended, options.signal);
  await reportRunEnd(
    options.runEnd,
    {
      command: options.command,
      startedAt,
      exitCode,
      summary: ended.kind === 'applied' ? ended.summary : null,
      error: ended.kind === 'failed' ? errorText(ended.error) : null,
      stats: client?.stats() ?? null,
    },
    { ...options, emit: log.emit },
  );
  client?.close();
  return { ...ended, exitCode, events: log.events };
}

function pipelineOptions(
  options: ApplyCommandOptions,
  request: ApplyRequest,
  client: LivePlatformClient,
  startedAt: Date,
  emit: (event: RunEvent) => void,
): RunApplyOptions {
  const { redactor } = options;
  const base = {
    command: options.command,
    client,
    // Kept in the state store and the reports: a password in the URL's user info is masked.
    baseUrl: redactor.text(request.connection.baseUrl),
    statePath: request.statePath,
    reportPath:
      request.reportPath ?? ((input: InputSource) => defaultReportPath(request.reportsDir, input, startedAt)),
    dryRun: request.dryRun,
    adopt: request.adopt,
    skipInvalid: request.skipInvalid,
    ignoreUnreadSheets: request.ignoreUnreadSheets,
    apply: { concurrency: concurrencyCeiling(request.connection.concurrency), maxErrors: request.maxErrors },
    shape: request.shape,
    ...(options.signal ? { signal: options.signal } : {}),
    redactor,
    lpsyncVersion: options.lpsyncVersion,
    lockOwner: {
      pid: options.pid,
      host: options.host,
      ...(request.lockLeaseMs === undefined ? {} : { leaseMs: request.lockLeaseMs }),
    },
    program: options.program,
    paper: options.paper,
    invocation: options.invocation,
    now: options.now,
    onEvent: emit,
  };
  return {
    ...base,
    ...(request.source ? { source: request.source } : {}),
    ...(request.resume === undefined ? {} : { resume: request.resume }),
    ...(request.requireApproval ? { requireApproval: true } : {}),
  };
}

/** The run's exit code; a run stopped by a signal exits 130 after SIGINT, 143 after SIGTERM. */
function exitCodeOf(
  ended: RunApplyOutcome | { kind: 'failed'; error: unknown },
  signal?: AbortSignal,
): number {
  const code =
    ended.kind === 'failed'
      ? ended.error instanceof LpsyncError
        ? exitCodeFor(ended.error.code)
        : EXIT.fatal
      : ended.kind === 'invalid'
        ? EXIT.invalid
        : ended.kind === 'dry-run'
          ? EXIT.ok
          : ended.exitCode;
  return code === EXIT.interrupted ? interruptedExitCode(interruptionOf(signal)) : code;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `reports/customers-20261126-234501.results.xlsx`; never overwrites an earlier report. */
export function defaultReportPath(dir: string, source: InputSource | undefined, at: Date): string {
  const file = !source
    ? 'resumed'
    : source.kind === 'xlsx'
      ? source.path
      : (source.combined ?? source.customers ?? source.sites ?? 'input');
  const name = basename(file, extname(file));
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  let path = join(dir, `${name}-${stamp}.results.xlsx`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${name}-${stamp}-${i}.results.xlsx`);
  return path;
}
