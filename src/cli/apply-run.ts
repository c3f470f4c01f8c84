/**
 * `apply` and `reconcile` on a terminal: the options read from flags, environment and config file (one
 * normaliser), a logger and a progress bar, Ctrl-C and SIGTERM; then one call into src/run and the result
 * shown. Loaded only when one of the two commands runs.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { RunLogger } from './logging.js';
import {
  EXIT,
  exitCodeFor,
  interruptedExitCode,
  interruptionOf,
  RunError,
  type Interruption,
} from '../model/errors.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import { textOf } from '../model/text.js';
import * as run from '../run/index.js';
import type {
  ApplyRequest,
  ConcurrencyBudget,
  InputSource,
  NotifyFormat,
  NotifyOn,
  RunEndSettings,
  SettingsProblem,
} from '../run/index.js';
import { eventLogger, showFailure, showResult, type ResultView } from './apply-view.js';
import type { ApplyArgs } from './commands/apply.js';
import { resolveConnection } from './connection.js';
import { inputFrom } from './input-options.js';
import { programName } from './invocation.js';
import { lockLeaseMs } from './lock-lease.js';
import { createRunLogger } from './logging.js';
import { paperFromLocale } from './paper.js';
import { createProgressBar, type Progress } from './progress.js';
import { resumeOption } from './resume-option.js';
import { scopeFrom } from './scope-options.js';
import { lpsyncVersion } from './version.js';
import { actingUser } from './identity.js';

type Command = 'apply' | 'reconcile';

/** Wires a run for the terminal, runs it, shows how it ended and sets the exit code. */
export async function runApplyCommand(argv: ApplyArgs, command: Command): Promise<void> {
  const redactor = createRedactor();
  const { logger, progress, showBudget } = runTerminal(argv, command, redactor);
  const interrupt = listenForInterrupt(logger);
  let sources: ResultView['sources'];
  try {
    // Checked first: a webhook that cannot be told of the run's end is refused before anything is read.
    const runEnd = runEndFrom(argv, redactor, process.env);
    const request = requestFrom(argv, command, process.env);
    // Who applies: the OS user, or the account of --as (its password asked before anything is read).
    const invocation = await actingUser(argv, process.env, 'apply');
    sources = 'connection' in request ? request.connection.sources : undefined;
    const result = await run.apply({
      command,
      runEnd,
      request,
      log: logger,
      redactor,
      signal: interrupt.soft,
      stopWaiting: interrupt.hard,
      pid: process.pid,
      host: hostname(),
      invocation,
      lpsyncVersion: lpsyncVersion(),
      program: programName(process.env),
      paper: paperFromLocale(process.env),
      now: () => new Date(),
      onEvent: eventLogger(logger, progress, showBudget),
    });
    progress?.stop();
    showResult(result, {
      command,
      redactor,
      logger,
      verbose: argv.verbose,
      progressShown: Boolean(progress),
    });
    process.exitCode = result.exitCode;
  } catch (error) {
    progress?.stop();
    showFailure(error, { command, logger, verbose: argv.verbose, sources });
    process.exitCode = interrupt.exitCode(error instanceof RunError ? exitCodeFor(error.code) : EXIT.fatal);
  } finally {
    interrupt.stop();
    await closeLogger(logger);
  }
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

/**
 * The run's options from flags, environment and config file, checked in one place; what is wrong is handed
 * to the run as a problem, so that cron still hears of a run that could not start.
 */
export function requestFrom(
  argv: ApplyArgs,
  command: Command,
  env: NodeJS.ProcessEnv,
): ApplyRequest | SettingsProblem {
  try {
    const resume = resumeOption(argv.resume, programName(env));
    const leaseMs = lockLeaseMs(env);
    const source = chooseSource(argv, command);
    const maxErrors = maxErrorsOption(argv.maxErrors);
    const planFile = argv.plan === undefined ? undefined : planFileOption(argv);
    if (argv.requireApproval && planFile === undefined)
      throw new RunError(
        'invalid-options',
        'Invalid option --require-approval: it needs --plan (only a saved plan is approved).',
        {
          hint: `${programName(env)} apply --plan change.plan.json <workbook> --require-approval`,
        },
      );
    const shape = scopeFrom(argv);
    return {
      connection: resolveConnection(argv, env),
      ...(source ? { source } : {}),
      ...(resume === undefined ? {} : { resume }),
      statePath: argv.state,
      ...(argv.report === undefined ? {} : { reportPath: argv.report }),
      reportsDir: argv.reportsDir,
      dryRun: argv.dryRun,
      adopt: argv.adopt,
      skipInvalid: argv.skipInvalid,
      ignoreUnreadSheets: argv.ignoreUnreadSheets,
      ...(maxErrors === undefined ? {} : { maxErrors }),
      shape,
      ...(planFile === undefined ? {} : { planFile }),
      ...(argv.requireApproval ? { requireApproval: true } : {}),
      ...(leaseMs === undefined ? {} : { lockLeaseMs: leaseMs }),
    };
  } catch (error) {
    if (error instanceof RunError) return { problem: error };
    throw error;
  }
}

/** `apply --plan FILE`: the plan carries its own mode and wave. */
function planFileOption(argv: ApplyArgs): string {
  if (argv.mode !== undefined || argv.only !== undefined || argv.limit !== undefined)
    throw new RunError(
      'invalid-options',
      'Invalid options: --plan carries its own --mode, --only and --limit.',
      {
        hint: 'Drop them, or make a new plan with the scope you want.',
      },
    );
  return resolve(String(argv.plan));
}

/** The files named on the command line; none for `apply --resume` alone, which reads the interrupted run's again. */
function chooseSource(argv: ApplyArgs, command: Command): InputSource | undefined {
  const resuming = argv.resume !== undefined && argv.resume !== false;
  const named = Boolean(argv.file || argv.customers || argv.sites);
  if (resuming && !named) return undefined;
  return inputFrom(argv, command);
}

/** `--notify`, `--notify-format`, `--notify-on`, `--metrics-file`: a webhook URL that is not http(s) is refused. */
export function runEndFrom(
  argv: Record<string, unknown>,
  redactor: Redactor,
  env: NodeJS.ProcessEnv,
): RunEndSettings {
  const given = argv.notify;
  const notify = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
  // A webhook URL is a credential (its path is the secret): masked wherever it could be shown.
  redactor.addSecrets(notify);
  for (const url of notify) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new RunError(
        'invalid-options',
        `--notify: expected an http(s) webhook URL, got "${redactor.text(url)}"`,
      );
  }
  const metrics = argv.metricsFile ?? argv['metrics-file'];
  // Webhooks go through the same proxy as the platform (flag, then environment).
  const flagProxy = typeof argv.proxy === 'string' && argv.proxy !== '' ? argv.proxy : undefined;
  return {
    notify,
    notifyFormat: (argv.notifyFormat ?? argv['notify-format'] ?? 'json') as NotifyFormat,
    notifyOn: (argv.notifyOn ?? argv['notify-on'] ?? 'failure') as NotifyOn,
    ...(typeof metrics === 'string' && metrics !== '' ? { metricsFile: resolve(metrics) } : {}),
    proxy: run.resolveProxyRules({
      ...(flagProxy ? { explicit: { value: flagProxy, source: '--proxy' } } : {}),
      env,
    }),
  };
}

/** The run's logger and, on a TTY, its progress bar, which shows the request budget once there is a client. */
function runTerminal(argv: ApplyArgs, command: Command, redactor: Redactor) {
  const human = Boolean(process.stderr.isTTY);
  let budget: ConcurrencyBudget | undefined;
  const progress: Progress | undefined = human
    ? createProgressBar({
        stream: process.stderr,
        label: command,
        detail: () => (budget ? run.concurrencyProgress(budget.report()) : ''),
      })
    : undefined;
  const logger = createRunLogger({
    verbose: argv.verbose,
    human,
    redactor,
    // A line a row: held and written once a turn of the event loop (the view flushes before it prints).
    holdLines: true,
    ...(argv.logFile ? { logFile: argv.logFile } : {}),
    ...(progress ? { consoleHooks: { before: () => progress.clear(), after: () => progress.redraw() } } : {}),
  });
  const showBudget = (shown: ConcurrencyBudget | undefined): void => {
    budget = shown;
  };
  return { logger, progress, showBudget };
}

/**
 * First Ctrl-C (or SIGTERM) aborts `soft`: stop dispatching, let requests in flight finish. Second: `hard`.
 * The signal's name is the abort reason: the run exits 130 after SIGINT, 143 after SIGTERM.
 */
function listenForInterrupt(logger: RunLogger) {
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
  const exitCode = (code: number): number =>
    code === EXIT.interrupted ? interruptedExitCode(interruptionOf(soft.signal)) : code;
  return { soft: soft.signal, hard: hard.signal, stop, exitCode };
}

/** Waits for the log file to be written out, but not for more than half a second. */
async function closeLogger(logger: RunLogger): Promise<void> {
  await new Promise<void>((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 500).unref();
  });
}
