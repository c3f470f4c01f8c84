/**
 * `lpsync serve`: the console, a web page that does what validate, plan and apply do, in a browser. The
 * same connection settings, state store and config file as apply; `--demo` runs it on the bundled simulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT, LpsyncError, RunError } from '../../model/errors.js';
import { createRedactor, type Redactor } from '../../model/redact.js';
import * as run from '../../run/index.js';
import type { ConnectionSettings, SettingsProblem } from '../../run/index.js';
import { CONNECTION_HELP, connectionOptions } from '../connection-options.js';
import { programName } from '../invocation.js';
import { paperFromLocale } from '../paper.js';
import { lpsyncVersion } from '../version.js';
import { runInvocation } from '../who.js';

export interface ServeArgs {
  host: string;
  port: number;
  'max-upload-mb': number;
  demo: boolean;
  state?: string;
  'reports-dir': string;
  verbose: boolean;
  [key: string]: unknown;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Start the console: upload, check, plan and apply a workbook in a browser',
  builder: (yargs) =>
    yargs
      .options({
        host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (loopback only)' },
        port: { type: 'number', default: 8750, describe: 'Port to listen on (0 = any free port)' },
        'max-upload-mb': { type: 'number', default: 50, describe: 'The largest upload taken, in MB' },
        demo: {
          type: 'boolean',
          default: false,
          describe: 'Apply to the bundled simulator (a temporary state store): nothing leaves this machine',
        },
        state: {
          type: 'string',
          describe: `State store (SQLite), as for apply (default: ${run.DEFAULT_STATE_PATH}; with --demo a temporary one)`,
        },
        'reports-dir': { type: 'string', default: 'reports', describe: 'Where the results workbooks go' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging' },
        ...connectionOptions,
      })
      .example('$0 serve --demo', 'click through upload, plan and apply against a simulated Live Platform')
      .example('$0 serve', 'the console for the Live Platform in LPSYNC_BASE_URL / --config')
      .epilog(
        `Open the URL it prints (it carries a token, as Jupyter's does). It listens on 127.0.0.1 only.\n\n${CONNECTION_HELP}`,
      ) as never,
  handler: (argv) => handleServe(argv),
};

/** Where the console applies: the Live Platform of the settings, or a simulator of its own with --demo. */
interface Target {
  connection: ConnectionSettings | SettingsProblem;
  statePath: string;
  stop: () => Promise<void>;
}

async function targetOf(argv: ServeArgs, redactor: Redactor): Promise<Target> {
  // Loaded here, not at the top: `--help` must not load zod or the config reader.
  const { resolveConnection } = await import('../connection.js');
  if (!argv.demo) {
    const statePath = argv.state ?? run.DEFAULT_STATE_PATH;
    try {
      return { connection: resolveConnection(argv, process.env), statePath, stop: () => Promise.resolve() };
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      return { connection: { problem: error }, statePath, stop: () => Promise.resolve() };
    }
  }
  const { simulator } = await run.startSimulation({
    port: 0,
    host: '127.0.0.1',
    seed: 42,
    taskDuration: 300,
  });
  const temp = mkdtempSync(join(tmpdir(), 'lpsync-serve-demo-'));
  const baseUrl = `${simulator.url}/tenantui`;
  redactor.addSecrets(['demo-token']);
  const connection = resolveConnection(
    { ...argv, 'base-url': baseUrl, baseUrl },
    { LPSYNC_TOKEN: 'demo-token' },
  );
  return {
    connection,
    statePath: argv.state ?? join(temp, 'state.db'),
    stop: async () => {
      await simulator.close();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

export async function handleServe(argv: ServeArgs): Promise<void> {
  const web = await import('../../web/index.js');
  if (!web.isLoopback(argv.host)) {
    console.error(
      `lpsync serve: --host ${argv.host} is refused: without user accounts the console listens on this machine only (127.0.0.1).\n` +
        'To reach it from another machine, forward the port over SSH: ssh -L 8750:127.0.0.1:8750 this-host',
    );
    process.exitCode = EXIT.invalid;
    return;
  }
  const redactor = createRedactor();
  const { createRunLogger } = await import('../logging.js');
  const logger = createRunLogger({ verbose: argv.verbose, human: Boolean(process.stderr.isTTY), redactor });
  if (!argv.verbose) logger.level = 'warn';
  const target = await targetOf(argv, redactor);
  try {
    const console_ = await web.startConsole({
      host: argv.host,
      port: argv.port,
      maxUploadBytes: Math.round(argv['max-upload-mb'] * (1 << 20)),
      connection: target.connection,
      platform: 'problem' in target.connection ? '(not set)' : redactor.text(target.connection.baseUrl),
      statePath: target.statePath,
      reportsDir: argv['reports-dir'],
      redactor,
      log: logger,
      lpsyncVersion: lpsyncVersion(),
      program: programName(process.env),
      paper: paperFromLocale(process.env),
      pid: process.pid,
      hostName: hostname(),
      invocation: runInvocation(process.argv.slice(2), process.env),
    });
    announce(argv, target, console_.url);
    await untilStopped();
    await console_.close();
  } catch (error) {
    if (!(error instanceof LpsyncError) && (error as NodeJS.ErrnoException).code !== 'EADDRINUSE')
      throw error;
    console.error(`lpsync serve: ${(error as Error).message}`);
    process.exitCode = EXIT.fatal;
  } finally {
    await target.stop();
  }
}

function announce(argv: ServeArgs, target: Target, url: string): void {
  if (argv.demo)
    console.log(
      'lpsync console on a simulated Live Platform (no account needed, nothing leaves this machine)',
    );
  if ('problem' in target.connection)
    console.log(
      `Connection settings: ${target.connection.problem.message}\n  Check works; Plan and Apply will say so.`,
    );
  console.log(`Open ${url}`);
  console.log('Press Ctrl-C to stop (uploads are deleted then).');
}

/** Resolves at Ctrl-C or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
