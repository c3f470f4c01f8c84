import { existsSync, readFileSync } from 'node:fs';
import { paperFromLocale } from './paper.js';
import { hostname } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import type { ConcurrencyBudget, ConcurrencyReport, LimitChange } from '../api/concurrency.js';
import { concurrencyCeiling } from '../api/concurrency-setting.js';
import { concurrencyProgress, describeConcurrency } from '../report/concurrency.js';
import { inputSourceFrom, type InputSource } from '../input/index.js';
import {
  EXIT,
  RunError,
  exitCodeFor,
  interruptedExitCode,
  interruptionOf,
  type Interruption,
} from '../model/errors.js';
import { formatIssueTable } from '../model/issue-table.js';
import type { InputIssue } from '../model/issues.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import { renderPlan } from '../plan/index.js';
import { summaryText } from '../report/summary.js';
import { createClientFromSettings, resolveConnection } from './connection.js';
import { createRunLogger, SHOWN_BY_PROGRESS } from './logging.js';
import { createProgressBar, type Progress } from './progress.js';
import { runApply, type RunApplyOptions, type RunApplyOutcome } from '../run/apply.js';
import { readApprovedPlan, type ApprovedPlan } from '../run/saved-plan.js';
import { scopeFrom } from './scope.js';
import type { RunEvent } from '../run/events.js';
import { lpsyncVersion } from './version.js';
import type winston from 'winston';
import { createRunEnd, type RunEndWatch } from './run-end.js';
import { resumeOption } from './resume-option.js';
import { lockLeaseMs } from './lock-lease.js';
import { invocation, programName } from './invocation.js';
import { runInvocation } from './who.js';
import { textOf } from '../model/text.js';

import type { ApplyArgs } from './apply-options.js';

export { applyOptions, withApplyOptions, type ApplyArgs } from './apply-options.js';

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

/** The issue table printed when the input is invalid. */
export function formatIssues(issues: InputIssue[], redactor: Redactor): string {
  return redactor.text(
    `${formatIssueTable(issues)}\nNothing was sent. Fix the rows, or apply the valid ones with --skip-invalid.`,
  );
}

/** `apply --plan FILE`: the plan file read and its format checked; it carries its own mode and wave. */
function approvedPlan(argv: ApplyArgs): ApprovedPlan {
  const path = resolve(String(argv.plan));
  if (argv.mode !== undefined || argv.only !== undefined || argv.limit !== undefined)
    throw new RunError(
      'invalid-options',
      'Invalid options: --plan carries its own --mode, --only and --limit.',
      {
        hint: 'Drop them, or make a new plan with the scope you want.',
      },
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read --plan ${path}: ${(error as Error).message}`, {
      hint: `Give the file \`${programName(process.env)} plan … --out change.plan.json\` wrote.`,
    });
  }
  return readApprovedPlan(path, text, programName(process.env));
}

/** `--max-errors`: a whole number ≥ 1, checked before anything is read or sent. */
export function maxErrorsOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new RunError(
    'invalid-options',
    `Invalid option --max-errors: expected a whole number of 1 or more, got ${textOf(value)}`,
  );
}

/** Wires a run for the terminal: logger, progress, Ctrl-C, then maps the outcome to output and an exit code. */
export async function runApplyCommand(argv: ApplyArgs, command: 'apply' | 'reconcile'): Promise<void> {
  const redactor = createRedactor();
  const { logger, progress, showBudget } = runTerminal(argv, command, redactor);
  const interrupt = listenForInterrupt(logger);
  let client: { close(): void } | undefined;
  const end = createRunEnd(command);
  try {
    end.start(argv, redactor, process.env);
    const resume = resumeOption(argv.resume, programName(process.env));
    const leaseMs = lockLeaseMs(process.env);
    const source = chooseSource(argv, command);
    const startedAt = new Date();
    const maxErrors = maxErrorsOption(argv.maxErrors);
    const approved = argv.plan === undefined ? undefined : approvedPlan(argv);
    const shape = scopeFrom(argv);
    const settings = resolveConnection(argv, process.env);
    const live = createClientFromSettings(settings, logger, redactor, interrupt.hard);
    client = live;
    showBudget(live.concurrency);
    end.watch(live);
    const outcome = await runApply({
      command,
      client: live,
      // Kept in the state store and the reports: a password in the URL's user info is masked.
      baseUrl: redactor.text(settings.baseUrl),
      statePath: argv.state,
      reportPath: argv.report ?? ((input) => defaultReportPath(argv.reportsDir, input, startedAt)),
      ...(source ? { source } : {}),
      ...(resume === undefined ? {} : { resume }),
      dryRun: argv.dryRun,
      adopt: argv.adopt,
      skipInvalid: argv.skipInvalid,
      ignoreUnreadSheets: argv.ignoreUnreadSheets,
      apply: { concurrency: concurrencyCeiling(settings.concurrency), maxErrors },
      shape,
      ...(approved ? { approved } : {}),
      signal: interrupt.soft,
      redactor,
      lpsyncVersion: lpsyncVersion(),
      lockOwner: { pid: process.pid, host: hostname(), ...(leaseMs === undefined ? {} : { leaseMs }) },
      program: programName(process.env),
      paper: paperFromLocale(process.env),
      invocation: runInvocation(process.argv.slice(2), process.env),
      onEvent: eventLogger(logger, progress),
    } satisfies RunApplyOptions);
    progress?.stop();
    showOutcome(outcome, { command, redactor, logger, end, progress });
  } catch (error) {
    progress?.stop();
    end.failed(error);
    showFailure(error, { command, verbose: argv.verbose, logger });
  } finally {
    interrupt.stop();
    process.exitCode = interrupt.exitCode(Number(process.exitCode ?? 0));
    await end.finish(Number(process.exitCode ?? 0), logger);
    client?.close();
    await closeLogger(logger);
  }
}

/** The run's logger and, on a TTY, its progress bar, which shows the request budget once there is a client. */
function runTerminal(argv: ApplyArgs, command: 'apply' | 'reconcile', redactor: Redactor) {
  const human = Boolean(process.stderr.isTTY);
  let budget: ConcurrencyBudget | undefined;
  const progress = human
    ? createProgressBar({
        stream: process.stderr,
        label: command,
        detail: () => (budget ? concurrencyProgress(budget.report()) : ''),
      })
    : undefined;
  const logger = createRunLogger({
    verbose: argv.verbose,
    human,
    redactor,
    ...(argv.logFile ? { logFile: argv.logFile } : {}),
    ...(progress ? { consoleHooks: { before: () => progress.clear(), after: () => progress.redraw() } } : {}),
  });
  const showBudget = (shown: ConcurrencyBudget): void => {
    budget = shown;
  };
  return { logger, progress, showBudget };
}

/**
 * First Ctrl-C (or SIGTERM) aborts `soft`: stop dispatching, let requests in flight finish. Second: `hard`.
 * The signal's name is the abort reason: the run exits 130 after SIGINT, 143 after SIGTERM.
 */
function listenForInterrupt(logger: winston.Logger) {
  const soft = new AbortController();
  const hard = new AbortController();
  const onSignal = (name: Interruption): void => {
    if (!soft.signal.aborted) {
      soft.abort(name);
      logger.warn(
        'Interrupted: no new requests; finishing those in flight, then the journal and the report (Ctrl-C again to stop waiting).',
      );
    } else hard.abort(name);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const stop = (): void => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  // A run ended by a stop that gave 130 (a wait cut short included) says which signal it was.
  const exitCode = (code: number): number =>
    code === EXIT.interrupted ? interruptedExitCode(interruptionOf(soft.signal)) : code;
  return { soft: soft.signal, hard: hard.signal, stop, exitCode };
}

/** The files named on the command line; none for `apply --resume` alone, which reads the interrupted run's again. */
function chooseSource(argv: ApplyArgs, command: 'apply' | 'reconcile'): InputSource | undefined {
  const resuming = argv.resume !== undefined && argv.resume !== false;
  const named = Boolean(argv.file || argv.customers || argv.sites);
  if (resuming && !named) return undefined;
  return inputSourceFrom(
    { file: argv.file, customers: argv.customers, sites: argv.sites },
    command,
    invocation(process.env, process.cwd()),
  );
}

interface OutcomeView {
  command: 'apply' | 'reconcile';
  redactor: Redactor;
  logger: winston.Logger;
  end: RunEndWatch;
  progress: Progress | undefined;
}

/** The run's outcome on stdout/stderr, and its exit code. */
function showOutcome(outcome: RunApplyOutcome, view: OutcomeView): void {
  const { command, redactor, logger } = view;
  switch (outcome.kind) {
    case 'invalid':
      console.error(formatIssues(outcome.loaded.issues, redactor));
      process.exitCode = EXIT.invalid;
      return;
    case 'dry-run':
      console.log(redactor.text(renderPlan(outcome.plan, { hiddenRows: outcome.loaded.hiddenRows })));
      console.log('Dry run: nothing was sent.');
      process.exitCode = EXIT.ok;
      return;
    case 'applied':
      view.end.summary(outcome.summary);
      logConcurrency(logger, outcome.summary.concurrency, Boolean(view.progress));
      if (outcome.result.fatal) {
        const { message, hint } = outcome.result.fatal;
        logger.error(`${message}${hint ? `\n  ${hint}` : ''}`);
      }
      console.log(redactor.text(summaryText(outcome.summary, command === 'apply' ? 'Apply' : 'Reconcile')));
      process.exitCode = outcome.exitCode;
      return;
  }
}

/** A run that stopped with an error: the message (a stack with --verbose when it is not a RunError) and its exit code. */
function showFailure(
  error: unknown,
  context: { command: 'apply' | 'reconcile'; verbose: boolean; logger: winston.Logger },
): void {
  if (error instanceof RunError) {
    context.logger.error(`${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    process.exitCode = exitCodeFor(error.code);
    return;
  }
  const detail =
    error instanceof Error
      ? context.verbose
        ? (error.stack ?? error.message)
        : error.message
      : String(error);
  context.logger.error(`lpsync ${context.command} stopped: ${detail}`);
  process.exitCode = EXIT.fatal;
}

/** Waits for the log file to be written out, but not for more than half a second. */
async function closeLogger(logger: winston.Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 500).unref();
  });
}

/** Pipeline events → log lines (JSON off a TTY) and the progress bar (on a TTY). */
export function eventLogger(logger: winston.Logger, progress?: Progress) {
  return (event: RunEvent): void => {
    switch (event.type) {
      case 'stage':
        logger.debug(event.message, { stage: event.stage });
        return;
      case 'warning':
        logger.warn(event.message);
        return;
      case 'start':
        logger.info(`${event.total} actions, ${event.toSend} to send`, {
          total: event.total,
          toSend: event.toSend,
        });
        progress?.start(event.total);
        return;
      case 'action-start':
        logger.debug(`sending ${event.action.id} (${event.action.kind})`, { actionId: event.action.id });
        return;
      case 'action-end': {
        const r = event.record;
        const outcome = r.kind === r.status ? r.status : `${r.kind} ${r.status}`;
        const line = `${r.actionId}: ${outcome}${r.error ? ` — ${r.error}` : ''}`;
        const meta = {
          actionId: r.actionId,
          kind: r.kind,
          status: r.status,
          attempts: r.attempts,
          durationMs: r.durationMs,
        };
        if (r.status === 'failed' || r.status === 'unknown') logger.warn(line, meta);
        // Every action is in the log file and JSON lines; on a terminal the bar already counts it.
        else logger.info(line, progress ? { ...meta, [SHOWN_BY_PROGRESS]: true } : meta);
        progress?.tick(r.status);
        return;
      }
      case 'message':
        logger.log(event.level, event.message, event.actionId ? { actionId: event.actionId } : {});
        return;
      case 'concurrency': {
        const { change } = event;
        // Being throttled is news; the limit's steps up and its latency trims are for --verbose.
        logger.log(change.reason === 'throttled' ? 'info' : 'debug', limitChangeText(change), {
          concurrency: change,
        });
        return;
      }
    }
  };
}

/** "concurrency 12 → 6: the platform answered 429/503 (dispatch paused 1.0 s for its Retry-After)". */
export function limitChangeText(c: LimitChange): string {
  const why =
    c.reason === 'grew'
      ? 'answers stayed fast'
      : c.reason === 'latency'
        ? `latency rose to ${c.latencyRatio ?? '?'}× the lowest seen`
        : c.throttledAt !== undefined
          ? `the platform answered 429 with ${c.throttledAt} in flight`
          : 'the platform answered 429/503 or did not answer in time';
  const paused =
    c.pauseMs > 0 ? ` (dispatch paused ${(c.pauseMs / 1000).toFixed(1)} s for its Retry-After)` : '';
  return `concurrency ${c.from} → ${c.to}: ${why}${paused}`;
}

/** The run's request budget in one JSON log line (the console summary prints the same words). */
function logConcurrency(
  logger: winston.Logger,
  report: ConcurrencyReport | null | undefined,
  shownBelow: boolean,
): void {
  if (!report) return;
  logger.info(describeConcurrency(report), {
    concurrency: report,
    ...(shownBelow ? { [SHOWN_BY_PROGRESS]: true } : {}),
  });
}
