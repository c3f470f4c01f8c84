/** `lpsync demo` (what `npm start` runs): the sample workbook applied twice to an in-process simulator. */
import { hostname } from 'node:os';
import type { RunLogger } from '../logging.js';
import type { CommandModule } from 'yargs';
import { EXIT, exitCodeFor, LpsyncError } from '../../model/errors.js';
import type { InputIssue } from '../../model/issues.js';
import { createRedactor, type Redactor } from '../../model/redact.js';
import * as run from '../../run/index.js';
import type { RunEvent, RunningSimulator, RunSummary } from '../../run/index.js';
import { programName } from '../invocation.js';
import { paperFromLocale } from '../paper.js';
import type { Progress } from '../progress.js';
import { lpsyncVersion } from '../version.js';
import { runInvocation } from '../who.js';

export interface DemoArgs {
  file?: string | undefined;
  state?: string | undefined;
  'reports-dir': string;
  once: boolean;
  verbose: boolean;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Apply the sample workbook to a simulated Live Platform, twice (the second run is all unchanged)',
  builder: (yargs) =>
    yargs
      .options({
        file: { type: 'string', describe: 'Workbook to apply (default: samples/customers.xlsx)' },
        state: {
          type: 'string',
          describe: 'State store to use (default: a temporary folder, removed afterwards)',
        },
        'reports-dir': { type: 'string', default: 'reports', describe: 'Where the results workbooks go' },
        once: { type: 'boolean', default: false, describe: 'Apply only once' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging' },
      })
      .example(
        '$0 demo',
        'apply samples/customers.xlsx twice to a simulated Live Platform (what npm start runs)',
      )
      .example('$0 demo --once', 'apply it once')
      .example('$0 demo --file samples/invalid.xlsx', 'see what lpsync says about a workbook with mistakes')
      .example(
        '$0 demo --state /tmp/lpsync-demo.db --reports-dir /tmp/lpsync-reports',
        'keep the state store and reports elsewhere',
      )
      .epilog(
        'Nothing leaves this machine: the simulator listens on a free 127.0.0.1 port and stops with the demo. Exit codes as for apply.',
      ),
  handler: (argv) => handleDemo(argv),
};

/** What the demo needs besides its flags: where its lines go, and (in tests) the simulator to apply to. */
export interface DemoIo {
  /** Default: one started for the demo on a free loopback port. */
  simulator?: RunningSimulator;
  print(line: string): void;
  printError(line: string): void;
  logger: RunLogger;
  /** The progress bar of a run, on a terminal. */
  progress?: (run: number) => Progress | undefined;
  /** Called after each run ends (tests read the simulator's counters between runs). */
  afterRun?: (run: number) => void;
  /** The redactor the logger masks with: the demo's token and the workbook's secrets are added to it. */
  redactor?: Redactor;
}

/** Runs the demo and shows each run as it ends. Returns the exit code. */
export async function runDemo(argv: DemoArgs, io: DemoIo): Promise<number> {
  const { eventLogger, formatIssues } = await import('../apply-view.js');
  const redactor = io.redactor ?? createRedactor();
  let bar: Progress | undefined;
  const show = demoView(
    io,
    (issues) => formatIssues(issues, redactor),
    () => bar,
  );
  try {
    const result = await run.demo({
      ...(argv.file ? { file: argv.file } : {}),
      ...(argv.state ? { statePath: argv.state } : {}),
      reportsDir: argv['reports-dir'],
      once: argv.once,
      ...(io.simulator ? { simulator: io.simulator } : {}),
      log: io.logger,
      redactor,
      pid: process.pid,
      host: hostname(),
      invocation: runInvocation(process.argv.slice(2), process.env),
      lpsyncVersion: lpsyncVersion(),
      program: programName(process.env),
      paper: paperFromLocale(process.env),
      now: () => new Date(),
      onEvent: (event) => {
        if (event.type === 'demo-run') bar = io.progress?.(event.run);
        if (!show(event)) eventLogger(io.logger, bar)(event);
        if (event.type === 'demo-run-end') bar = undefined;
      },
    });
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof LpsyncError)) throw error;
    io.printError(`${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    return exitCodeFor(error.code);
  }
}

/** The demo's own lines: where the simulator is, each run's start, and each run's end; false for other events. */
function demoView(io: DemoIo, issueTable: (issues: InputIssue[]) => string, bar: () => Progress | undefined) {
  return (event: RunEvent): boolean => {
    switch (event.type) {
      case 'demo-start':
        io.print(`lpsync demo: a simulated Live Platform at ${event.baseUrl} (no account needed)`);
        io.print(`State store: ${event.statePath}`);
        return true;
      case 'demo-run':
        io.print(
          event.run === 1
            ? `\nRun 1: applying ${event.file}`
            : '\nRun 2: the same workbook against the same platform and state store',
        );
        return true;
      case 'demo-run-end':
        bar()?.stop();
        io.afterRun?.(event.run);
        showRun(io, issueTable, event);
        return true;
      default:
        return false;
    }
  };
}

function showRun(
  io: DemoIo,
  issueTable: (issues: InputIssue[]) => string,
  event: Extract<RunEvent, { type: 'demo-run-end' }>,
): void {
  const { outcome } = event;
  if (outcome.kind === 'invalid') io.printError(issueTable(outcome.loaded.issues));
  if (outcome.kind !== 'applied') return;
  io.print(run.summaryText(outcome.summary));
  if (event.run === 2) io.print(secondRunVerdict(outcome.summary));
}

function secondRunVerdict(summary: RunSummary): string {
  const all = summary.rows;
  const unchanged = summary.byStatus['unchanged'] ?? 0;
  return unchanged === all
    ? `\nThe second run found nothing to do: all ${all} rows unchanged.`
    : `\nThe second run still had work: ${all - unchanged} of ${all} rows not unchanged.`;
}

/** `lpsync demo`: on a terminal with a progress bar per run; log lines only with --verbose or a warning. */
async function handleDemo(argv: DemoArgs): Promise<void> {
  const { createRunLogger } = await import('../logging.js');
  const { createProgressBar } = await import('../progress.js');
  const human = Boolean(process.stderr.isTTY);
  // The progress bar of the run under way steps aside for log lines.
  let bar: Progress | undefined;
  const redactor = createRedactor();
  const logger = createRunLogger({
    verbose: argv.verbose,
    human,
    redactor,
    consoleHooks: { before: () => bar?.clear(), after: () => bar?.redraw() },
  });
  if (!argv.verbose) logger.level = 'warn';
  try {
    process.exitCode = await runDemo(argv, {
      logger,
      redactor,
      print: (line) => console.log(line),
      printError: (line) => console.error(line),
      progress: (n) =>
        (bar = human ? createProgressBar({ stream: process.stderr, label: `run ${n}` }) : undefined),
    });
  } catch (error) {
    console.error(error);
    process.exitCode = EXIT.fatal;
  }
}
