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
import { serveSecurity, type ServeSecurity, type ServeSecurityArgs } from '../serve-options.js';
import { lpsyncVersion } from '../version.js';
import { runInvocation } from '../who.js';

export interface ServeArgs extends ServeSecurityArgs {
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
        host: {
          type: 'string',
          default: '127.0.0.1',
          describe: 'Address to listen on (beyond loopback: with --users and TLS here or at a proxy)',
        },
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
        ...teamOptions,
        ...connectionOptions,
      })
      .example('$0 serve --demo', 'click through upload, plan and apply against a simulated Live Platform')
      .example('$0 serve', 'the console for the Live Platform in LPSYNC_BASE_URL / --config')
      .example(
        '$0 serve --users .lpsync/users.json --require-approval --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem',
        'a team: accounts and roles, a second person approves each plan, HTTPS',
      )
      .epilog(
        `Without --users, open the URL it prints (it carries a token, as Jupyter's does); it listens on 127.0.0.1 only. With --users people sign in with their accounts (lpsync users add), and --host beyond this machine needs TLS (--tls-cert/--tls-key, or --behind-tls-proxy ADDRESS with --public-url).\n\n${CONNECTION_HELP}`,
      ) as never,
  handler: (argv) => handleServe(argv),
};

/** The team's options: accounts, approval, sessions, and how the console is reached (TLS, a proxy). */
const teamOptions = {
  users: {
    type: 'string',
    describe: 'Sign in with the accounts of this users file (lpsync users add); without it, the token mode',
  },
  'require-approval': {
    type: 'boolean',
    describe: 'Apply a plan only once a user other than its author approved it (needs --users)',
  },
  'session-idle': {
    type: 'string',
    describe: 'A session idle this long ends (default 8h; e.g. 30m)',
  },
  'login-lock': {
    type: 'string',
    describe: 'How long 5 wrong passwords lock an account (default 15m)',
  },
  'tls-cert': { type: 'string', describe: 'Serve HTTPS with this certificate (PEM), with --tls-key' },
  'tls-key': { type: 'string', describe: 'The private key (PEM) of --tls-cert' },
  'behind-tls-proxy': {
    type: 'string',
    describe: "The TLS reverse proxy's address: its X-Forwarded-* are believed from it only; cookies Secure",
  },
  'public-url': {
    type: 'string',
    describe: 'The address people open (https://lpsync.example.com): accepted as Host and Origin',
  },
} as const;

/** Where the console applies: the Live Platform of the settings, or a simulator of its own with --demo. */
interface Target {
  connection: ConnectionSettings | SettingsProblem;
  statePath: string;
  stop: () => Promise<void>;
}

async function targetOf(argv: ServeArgs, redactor: Redactor): Promise<Target> {
  // Loaded here, not at the top: `--help` must not load zod or the config reader.
  const { connectionOrProblem, resolveConnection } = await import('../connection.js');
  if (!argv.demo) {
    const statePath = argv.state ?? run.DEFAULT_STATE_PATH;
    return { connection: connectionOrProblem(argv, process.env), statePath, stop: () => Promise.resolve() };
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

/** The security options, or the refusal printed (exit 2): nothing listens then. */
async function securityOf(argv: ServeArgs): Promise<ServeSecurity | null> {
  try {
    // `--users` alone: the users file `lpsync users` writes by default.
    const security = serveSecurity({
      ...argv,
      users: argv.users === '' ? run.DEFAULT_USERS_PATH : argv.users,
    });
    // A users file others can read, or one with no account, is refused before anything listens.
    if (security.usersFile && (await run.listUsers({ usersFile: security.usersFile })).users.length === 0)
      throw new RunError('invalid-options', `There is no account in ${security.usersFile}.`, {
        hint: 'Add one first: lpsync users add NAME --role operator|approver|auditor --users FILE',
      });
    return security;
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    console.error(`lpsync serve: ${error.message}${error.hint ? `\n${error.hint}` : ''}`);
    process.exitCode = EXIT.invalid;
    return null;
  }
}

export async function handleServe(argv: ServeArgs): Promise<void> {
  const security = await securityOf(argv);
  if (!security) return;
  const web = await import('../../web/index.js');
  const redactor = createRedactor();
  const { createRunLogger } = await import('../logging.js');
  const logger = createRunLogger({ verbose: argv.verbose, human: Boolean(process.stderr.isTTY), redactor });
  // With accounts the log says who signed in, out, and was refused: those lines are info.
  if (!argv.verbose && !security.usersFile) logger.level = 'warn';
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
      ...consoleSecurity(security),
    });
    announce(argv, target, console_.url, security);
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

function consoleSecurity(s: ServeSecurity) {
  return {
    ...(s.usersFile
      ? { accounts: { usersFile: s.usersFile, ...(s.lockMs ? { limits: { lockMs: s.lockMs } } : {}) } }
      : {}),
    ...(s.requireApproval ? { requireApproval: true } : {}),
    ...(s.tls ? { tls: s.tls } : {}),
    ...(s.behindTlsProxy ? { behindTlsProxy: s.behindTlsProxy } : {}),
    ...(s.publicUrl ? { publicUrl: s.publicUrl } : {}),
    ...(s.idleMs ? { idleMs: s.idleMs } : {}),
  };
}

function announce(argv: ServeArgs, target: Target, url: string, security: ServeSecurity): void {
  if (argv.demo)
    console.log(
      'lpsync console on a simulated Live Platform (no account needed, nothing leaves this machine)',
    );
  if ('problem' in target.connection)
    console.log(
      `Connection settings: ${target.connection.problem.message}\n  Check works; Plan and Apply will say so.`,
    );
  if (security.usersFile)
    console.log(
      `People sign in with the accounts of ${security.usersFile}${security.requireApproval ? '; a plan is applied only once a user other than its author approved it' : ''}.`,
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
