import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLivePlatformClient } from '../api/index.js';
import { inputSourceFrom } from '../input/index.js';
import { EXIT, RunError, exitCodeFor } from '../model/errors.js';
import { createRedactor } from '../model/redact.js';
import { startSimulator } from '../simulator/index.js';
import { summaryText } from '../report/summary.js';
import { defaultReportPath, eventLogger, formatIssues } from './apply-command.js';
import { createRunLogger } from './logging.js';
import { createProgressBar, type Progress } from './progress.js';
import { runApply } from '../run/apply.js';
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
  const temp = argv.state ? undefined : mkdtempSync(join(tmpdir(), 'lpsync-demo-'));
  const statePath = argv.state ?? join(temp as string, 'state.db');
  const file = argv.file ?? sampleWorkbook();
  const simulator = await startSimulator({ port: 0, seed: 42, taskDurationMs: 300 });
  const client = createLivePlatformClient({
    baseUrl: simulator.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger,
    redactor,
    concurrency: 4,
    task: { pollIntervalMs: 100, maxPollIntervalMs: 500 },
  });
  try {
    console.log(`lpsync demo: a simulated Live Platform at ${simulator.url} (no account needed)`);
    console.log(`State store: ${statePath}`);
    const runs = argv.once ? 1 : 2;
    for (let run = 1; run <= runs; run++) {
      console.log(
        run === 1
          ? `\nRun 1: applying ${file}`
          : '\nRun 2: the same workbook against the same platform and state store',
      );
      const source = inputSourceFrom({ file });
      const progress = human ? createProgressBar({ stream: process.stderr, label: `run ${run}` }) : undefined;
      bar = progress;
      const outcome = await runApply({
        command: 'apply',
        source,
        client,
        baseUrl: simulator.url,
        statePath,
        reportPath: defaultReportPath(argv['reports-dir'], source, new Date()),
        redactor,
        lpsyncVersion: lpsyncVersion(),
        lockOwner: { pid: process.pid, host: hostname() },
        invocation: runInvocation(process.argv.slice(2), process.env),
        onEvent: eventLogger(logger, progress),
      });
      progress?.stop();
      if (outcome.kind === 'invalid') {
        console.error(formatIssues(outcome.loaded.issues, redactor));
        process.exitCode = EXIT.invalid;
        return;
      }
      if (outcome.kind !== 'applied') return;
      console.log(summaryText(outcome.summary));
      process.exitCode = outcome.exitCode;
      if (run === 2) {
        const all = outcome.summary.rows;
        const unchanged = outcome.summary.byStatus['unchanged'] ?? 0;
        console.log(
          unchanged === all
            ? `\nThe second run found nothing to do: all ${all} rows unchanged.`
            : `\nThe second run still had work: ${all - unchanged} of ${all} rows not unchanged.`,
        );
      }
    }
  } catch (error) {
    if (error instanceof RunError) {
      console.error(`${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
      process.exitCode = exitCodeFor(error.code);
    } else {
      console.error(error);
      process.exitCode = EXIT.fatal;
    }
  } finally {
    client.close();
    await simulator.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}
