/** How apply, reconcile and the demo show a run on a terminal: its events as log lines and a progress bar, its end. */
import type { RunLogger } from './logging.js';
import { LpsyncError, RunError } from '../model/errors.js';
import { formatIssueTable } from '../model/issue-table.js';
import type { InputIssue } from '../model/issues.js';
import type { Redactor } from '../model/redact.js';
import * as run from '../run/index.js';
import type {
  ApplyCommandResult,
  ConcurrencyBudget,
  ConcurrencyReport,
  LimitChange,
  RunEvent,
} from '../run/index.js';
import type { SettingName } from '../model/settings.js';
import { SHOWN_BY_PROGRESS } from './logging.js';
import { settingOrigins } from './setting-origins.js';
import type { Progress } from './progress.js';

/** The issue table printed when the input is invalid. */
export function formatIssues(issues: InputIssue[], redactor: Redactor): string {
  return redactor.text(
    `${formatIssueTable(issues)}\nNothing was sent. Fix the rows, or apply the valid ones with --skip-invalid.`,
  );
}

/** Pipeline events → log lines (JSON off a TTY) and the progress bar (on a TTY, showing the request budget). */
export function eventLogger(
  logger: RunLogger,
  progress?: Progress,
  showBudget?: (budget: ConcurrencyBudget | undefined) => void,
) {
  return (event: RunEvent): void => {
    switch (event.type) {
      case 'stage':
        logger.debug(event.message, { stage: event.stage });
        return;
      case 'warning':
        logger.warn(event.message);
        return;
      case 'client':
        showBudget?.(event.concurrency);
        return;
      case 'start':
        logger.info(`${event.total} actions, ${event.toSend} to send`, {
          total: event.total,
          toSend: event.toSend,
        });
        progress?.start(event.total);
        return;
      case 'action-start':
        // One an action: not even built when debug lines are off.
        if (logger.isDebugEnabled())
          logger.debug(`sending ${event.action.id} (${event.action.kind})`, { actionId: event.action.id });
        return;
      case 'action-end':
        actionEnd(logger, event.record, progress);
        return;
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
      // Each request is kept by the state store and the HTTP trace; the log has the actions.
      case 'request':
      case 'demo-start':
      case 'demo-run':
      case 'demo-run-end':
      case 'export-listed':
      case 'export-site':
        // The demo's own lines are its view's (commands/demo.ts); an apply emits no export events.
        return;
    }
  };
}

type ActionRecord = Extract<RunEvent, { type: 'action-end' }>['record'];

function actionEnd(logger: RunLogger, r: ActionRecord, progress: Progress | undefined): void {
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

export interface ResultView {
  command: 'apply' | 'reconcile';
  redactor: Redactor;
  logger: RunLogger;
  verbose: boolean;
  /** A progress bar was shown: the budget's log line is then kept off the human console. */
  progressShown: boolean;
  /** Where each connection setting came from, for a fault that names settings. */
  sources?: Partial<Record<SettingName, string>> | undefined;
}

/** The run's end on stdout/stderr: the issue table, the plan of a dry run, the summary, or the fault. */
export function showResult(result: ApplyCommandResult, view: ResultView): void {
  const { command, redactor, logger } = view;
  // Held JSON lines first: with stdout and stderr in one file (cron's `>> log 2>&1`) they read in order.
  logger.flush();
  switch (result.kind) {
    case 'failed':
      showFailure(result.error, view);
      return;
    case 'invalid':
      console.error(formatIssues(result.loaded.issues, redactor));
      return;
    case 'dry-run':
      console.log(redactor.text(run.renderPlan(result.plan, { hiddenRows: result.loaded.hiddenRows })));
      console.log('Dry run: nothing was sent.');
      return;
    case 'applied':
      logConcurrency(logger, result.summary.concurrency, view.progressShown);
      if (result.result.fatal) logger.error(faultLines(result.result.fatal, view.sources));
      logger.flush();
      console.log(
        redactor.text(run.summaryText(result.summary, command === 'apply' ? 'Apply' : 'Reconcile')),
      );
      return;
  }
}

/** A run that stopped with an error: the message and hint (a stack with --verbose when lpsync did not expect it). */
export function showFailure(
  error: unknown,
  view: Pick<ResultView, 'command' | 'logger' | 'verbose' | 'sources'>,
): void {
  if (error instanceof RunError) {
    view.logger.error(faultLines(error, view.sources));
    return;
  }
  const detail =
    error instanceof Error ? (view.verbose ? (error.stack ?? error.message) : error.message) : String(error);
  const more = error instanceof LpsyncError ? [error.hint, settingOrigins(error, view.sources)] : [];
  view.logger.error([`lpsync ${view.command} stopped: ${detail}`, ...more].filter(Boolean).join('\n  '));
}

/** The fault's message, its hint, and where the settings it names were set, each on its own line. */
function faultLines(error: LpsyncError, sources: ResultView['sources']): string {
  const origins = settingOrigins(error, sources);
  return [error.message, error.hint, origins].filter(Boolean).join('\n  ');
}

/** The run's request budget in one JSON log line (the console summary prints the same words). */
function logConcurrency(
  logger: RunLogger,
  report: ConcurrencyReport | null | undefined,
  shownBelow: boolean,
): void {
  if (!report) return;
  logger.info(run.describeConcurrency(report), {
    concurrency: report,
    ...(shownBelow ? { [SHOWN_BY_PROGRESS]: true } : {}),
  });
}
