import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { paperFromLocale } from './paper.js';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLivePlatformClient } from '../api/index.js';
import { inputSourceFrom } from '../input/index.js';
import { EXIT, RunError, exitCodeFor } from '../model/errors.js';
import { createRedactor, type Redactor } from '../model/redact.js';
import type { RunSummary } from '../report/types.js';
import type winston from 'winston';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { summaryText } from '../report/summary.js';
import { defaultReportPath, eventLogger, formatIssues } from './apply-command.js';
import { createRunLogger } from './logging.js';
import { createProgressBar, type Progress } from './progress.js';
import { runApply, type RunApplyOutcome } from '../run/apply.js';
import { programName } from './invocation.js';
import { lpsyncVersion } from './version.js';
import { runInvocation } from './who.js';

export interface DemoArgs {
  file?: string | undefined;
  state?: string | undefined;
  'reports-dir': string;
  once: boolean;
  verbose: boolean;
}

/** The sample workbook shipped with lpsync, found from this file whether run from src/ or dist/. */
function sampleWorkbook(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'samples', 'customers.xlsx');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return resolve('samples/customers.xlsx');
}

/** What the demo needs besides its flags: the simulator to apply to, and where its lines go. */
export interface DemoIo {
  simulator: RunningSimulator;
  print(line: string): void;
  printError(line: string): void;
  logger: winston.Logger;
  /** The progress bar of a run, on a terminal. */
  progress?: (run: number) => Progress | undefined;
  /** Called after each run ends (tests read the simulator's counters between runs). */
  afterRun?: (run: number) => void;
}

/**
 * The sample workbook applied once or twice to `io.simulator`, each run with its own client, so that each
 * run's summary counts its own requests. Returns the exit code.
 */
export async function runDemo(argv: DemoArgs, io: DemoIo): Promise<number> {
  const redactor = createRedactor(['demo-token']);
  const temp = argv.state ? undefined : mkdtempSync(join(tmpdir(), 'lpsync-demo-'));
  const statePath = argv.state ?? join(temp as string, 'state.db');
  const file = argv.file ?? sampleWorkbook();
  const baseUrl = `${io.simulator.url}/tenantui`;
  try {
    io.print(`lpsync demo: a simulated Live Platform at ${baseUrl} (no account needed)`);
    io.print(`State store: ${statePath}`);
    const runs = argv.once ? 1 : 2;
    let exitCode: number = EXIT.ok;
    for (let run = 1; run <= runs; run++) {
      io.print(
        run === 1
          ? `\nRun 1: applying ${file}`
          : '\nRun 2: the same workbook against the same platform and state store',
      );
      const outcome = await demoRun({ run, file, baseUrl, statePath, redactor, argv, io });
      io.afterRun?.(run);
      if (outcome.kind === 'invalid') {
        io.printError(formatIssues(outcome.loaded.issues, redactor));
        return EXIT.invalid;
      }
      if (outcome.kind !== 'applied') return exitCode;
      io.print(summaryText(outcome.summary));
      exitCode = outcome.exitCode;
      if (run === 2) io.print(secondRunVerdict(outcome.summary));
    }
    return exitCode;
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    io.printError(`${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    return exitCodeFor(error.code);
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** One apply of the demo, with a client of its own: its request count and rate are this run's alone. */
async function demoRun(p: {
  run: number;
  file: string;
  baseUrl: string;
  statePath: string;
  redactor: Redactor;
  argv: DemoArgs;
  io: DemoIo;
}): Promise<RunApplyOutcome> {
  const client = createLivePlatformClient({
    baseUrl: p.baseUrl,
    auth: { kind: 'token', token: 'demo-token' },
    logger: p.io.logger,
    redactor: p.redactor,
    concurrency: 4,
    task: { pollIntervalMs: 100, maxPollIntervalMs: 500 },
  });
  const source = inputSourceFrom({ file: p.file });
  const progress = p.io.progress?.(p.run);
  try {
    return await runApply({
      command: 'apply',
      source,
      client,
      baseUrl: p.baseUrl,
      statePath: p.statePath,
      reportPath: defaultReportPath(p.argv['reports-dir'], source, new Date()),
      redactor: p.redactor,
      lpsyncVersion: lpsyncVersion(),
      lockOwner: { pid: process.pid, host: hostname() },
      program: programName(process.env),
      paper: paperFromLocale(process.env),
      invocation: runInvocation(process.argv.slice(2), process.env),
      onEvent: eventLogger(p.io.logger, progress),
    });
  } finally {
    progress?.stop();
    client.close();
  }
}

function secondRunVerdict(summary: RunSummary): string {
  const all = summary.rows;
  const unchanged = summary.byStatus['unchanged'] ?? 0;
  return unchanged === all
    ? `\nThe second run found nothing to do: all ${all} rows unchanged.`
    : `\nThe second run still had work: ${all - unchanged} of ${all} rows not unchanged.`;
}

/** `lpsync demo`, loaded only when the command runs. */
export async function handleDemo(argv: DemoArgs): Promise<void> {
  const redactor = createRedactor(['demo-token']);
  const human = Boolean(process.stderr.isTTY);
  // The progress bar of the run under way steps aside for log lines.
  let bar: Progress | undefined;
  const logger = createRunLogger({
    verbose: argv.verbose,
    human,
    redactor,
    consoleHooks: { before: () => bar?.clear(), after: () => bar?.redraw() },
  });
  if (!argv.verbose) logger.level = 'warn';
  const simulator = await startSimulator({ port: 0, seed: 42, taskDurationMs: 300, tenantuiOnly: true });
  try {
    process.exitCode = await runDemo(argv, {
      simulator,
      logger,
      print: (line) => console.log(line),
      printError: (line) => console.error(line),
      progress: (run) =>
        (bar = human ? createProgressBar({ stream: process.stderr, label: `run ${run}` }) : undefined),
    });
  } catch (error) {
    console.error(error);
    process.exitCode = EXIT.fatal;
  } finally {
    await simulator.close();
  }
}
