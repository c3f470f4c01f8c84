/**
 * `demo` (what `npm start` runs): the sample workbook applied once or twice to a simulated Live Platform
 * on a free loopback port, each run with its own client so that each run's summary counts its own
 * requests. Nothing leaves the machine; a temporary state store is removed afterwards.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLivePlatformClient } from '../api/client.js';
import { inputSourceFrom } from '../input/index.js';
import { EXIT } from '../model/errors.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import type { Paper } from '../report/layout.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { defaultReportPath } from './apply-command.js';
import { runApply, type RunApplyOutcome } from './apply.js';
import type { RunInvocation } from './audit-trail.js';
import { eventLog, type RunEvent } from './events.js';

/** The token the demo's simulator accepts: masked like any other. */
const DEMO_TOKEN = 'demo-token';

export interface DemoOptions {
  /** The workbook to apply; default the sample shipped with lpsync. */
  file?: string;
  /** The state store; default one in a temporary folder, removed afterwards. */
  statePath?: string;
  reportsDir: string;
  /** Apply only once (default twice: the second run shows nothing left to do). */
  once: boolean;
  /** The simulator to apply to; default one started here (and stopped afterwards). */
  simulator?: RunningSimulator;
  log: Log;
  redactor: Redactor;
  pid: number;
  host: string;
  invocation: RunInvocation;
  lpsyncVersion: string;
  program: string;
  paper: Paper;
  now: () => Date;
  onEvent?: (event: RunEvent) => void;
}

export interface DemoResult {
  /** Each run's outcome, in order; the demo stops after an invalid workbook. */
  runs: RunApplyOutcome[];
  exitCode: number;
  events: RunEvent[];
}

/** Runs the demo; a fault that ends a run (RunError) is thrown. */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const log = eventLog(options.onEvent);
  options.redactor.addSecrets([DEMO_TOKEN]);
  const temp = options.statePath ? undefined : mkdtempSync(join(tmpdir(), 'lpsync-demo-'));
  const statePath = options.statePath ?? join(temp as string, 'state.db');
  const simulator =
    options.simulator ??
    (await startSimulator({ port: 0, seed: 42, taskDurationMs: 300, tenantuiOnly: true }));
  const file = options.file ?? sampleWorkbook();
  const baseUrl = `${simulator.url}/tenantui`;
  const runs: RunApplyOutcome[] = [];
  try {
    log.emit({ type: 'demo-start', baseUrl, statePath });
    for (let run = 1; run <= (options.once ? 1 : 2); run++) {
      log.emit({ type: 'demo-run', run, file });
      const outcome = await demoRun(options, { file, baseUrl, statePath, emit: log.emit });
      runs.push(outcome);
      log.emit({ type: 'demo-run-end', run, outcome });
      if (outcome.kind !== 'applied') break;
    }
    const last = runs.at(-1);
    const exitCode =
      last?.kind === 'invalid' ? EXIT.invalid : last?.kind === 'applied' ? last.exitCode : EXIT.ok;
    return { runs, exitCode, events: log.events };
  } finally {
    if (!options.simulator) await simulator.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** One apply of the demo, with a client of its own: its request count and rate are this run's alone. */
async function demoRun(
  options: DemoOptions,
  run: { file: string; baseUrl: string; statePath: string; emit: (event: RunEvent) => void },
): Promise<RunApplyOutcome> {
  const client = createLivePlatformClient({
    baseUrl: run.baseUrl,
    auth: { kind: 'token', token: DEMO_TOKEN },
    logger: options.log,
    redactor: options.redactor,
    concurrency: 4,
    task: { pollIntervalMs: 100, maxPollIntervalMs: 500 },
  });
  const source = inputSourceFrom({ file: run.file });
  try {
    return await runApply({
      command: 'apply',
      source,
      client,
      baseUrl: run.baseUrl,
      statePath: run.statePath,
      reportPath: defaultReportPath(options.reportsDir, source, options.now()),
      redactor: options.redactor,
      lpsyncVersion: options.lpsyncVersion,
      lockOwner: { pid: options.pid, host: options.host },
      program: options.program,
      paper: options.paper,
      invocation: options.invocation,
      now: options.now,
      onEvent: run.emit,
    });
  } finally {
    client.close();
  }
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
