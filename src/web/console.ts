/**
 * `lpsync serve`: the console started with what the CLI resolved (the connection settings, the state
 * store, the reports folder, as `apply` takes them). It listens, and says where (with its token, or the
 * login page when people sign in with accounts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import * as run from '../run/index.js';
import type { ConnectionSettings, LoginLimits, Paper, RunInvocation, SettingsProblem } from '../run/index.js';
import { createFlow, forgetSession, type Flow } from './flow.js';
import { applyRoutes } from './routes/apply.js';
import { approvalRoutes } from './routes/approval.js';
import { auditRoutes } from './routes/audit.js';
import { checkRoutes } from './routes/check.js';
import { historyRoutes } from './routes/history.js';
import { createLoginDoor, loginRoutes } from './routes/login.js';
import { planRoutes } from './routes/plan.js';
import { runRoutes } from './routes/runs.js';
import { uploadRoutes } from './routes/upload.js';
import { createServer, type RouteEntry } from './server.js';
import type { SessionStore } from './sessions.js';

/** People sign in (`serve --users FILE`): the accounts, and how logins are limited. */
export interface AccountsOptions {
  usersFile: string;
  /** The login limits (default 5 wrong passwords lock an account for 15 minutes; 20 an address). */
  limits?: Partial<LoginLimits>;
  /** The clock of the login limiter (ms since the epoch); the system's by default. */
  clock?: () => number;
}

export interface ConsoleOptions {
  /** Loopback, or (the CLI checks) any address with accounts and TLS here or at a proxy. */
  host: string;
  /** 0: the OS chooses (the printed URL says which). */
  port: number;
  maxUploadBytes: number;
  connection: ConnectionSettings | SettingsProblem;
  /** The Live Platform's URL as the header shows it (masked). */
  platform: string;
  statePath: string;
  reportsDir: string;
  redactor: Redactor;
  log: Log;
  lpsyncVersion: string;
  program: string;
  paper: Paper;
  pid: number;
  hostName: string;
  /** Who runs the server: the OS user (and the command line); a signed-in account acts with its own name. */
  invocation: RunInvocation;
  /** Accounts and roles; without, the single-user token mode. */
  accounts?: AccountsOptions;
  /** Apply only a plan a user other than its author approved (`serve --require-approval`). */
  requireApproval?: boolean;
  /** HTTPS with this certificate and key. */
  tls?: { cert: Buffer; key: Buffer };
  /** The TLS proxy in front: its address (X-Forwarded-* believed from it only). */
  behindTlsProxy?: string;
  /** The address people open (through the proxy, or a DNS name): accepted in Host and Origin. */
  publicUrl?: string;
  now?: () => Date;
  /** A session idle this long ends (default 8 hours). */
  idleMs?: number;
  tempDir?: string;
}

/** What every route is given: the options, the sessions, what was uploaded, planned and run. */
export interface Console {
  options: ConsoleOptions & { now: () => Date };
  sessions: SessionStore;
  flow: Flow;
  /** The templates `lpsync template` writes, in a folder of the server's own. */
  templates: string;
  /** With accounts: where uploads are kept (0700), the team's until the server stops; null in the token mode. */
  teamFolder: string | null;
}

export interface RunningConsole {
  /** The URL to open: with the token, or the login page. */
  url: string;
  origin: string;
  app: FastifyInstance;
  /** The route table, each route with what it needs (the tests go through every one). */
  routes: readonly RouteEntry[];
  /** Stops the runs under way, ends every session (their uploads deleted) and stops listening. */
  close(): Promise<void>;
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const temp = options.tempDir ?? tmpdir();
  const templates = mkdtempSync(join(temp, 'lpsync-templates-'));
  const teamFolder = options.accounts ? mkdtempSync(join(temp, 'lpsync-console-team-')) : null;
  await run.template({ out: templates });
  const flow = createFlow();
  const mask = (text: string) => options.redactor.text(text);
  const now = options.now ?? (() => new Date());
  const server = await createServer(
    {
      host: options.host,
      port: options.port,
      maxUploadBytes: options.maxUploadBytes,
      mask,
      log: options.log,
      accounts: options.accounts !== undefined,
      now: () => now().getTime(),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.behindTlsProxy ? { trustedProxy: options.behindTlsProxy } : {}),
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
    },
    (app, { sessions, doors }) => {
      // The token mode's uploads are the session's; with accounts they wait (for an approval) across sessions.
      if (!options.accounts) sessions.onEnd((session) => forgetSession(flow, session.id));
      const ctx: Console = { options: { ...options, now }, sessions, flow, templates, teamFolder };
      if (options.accounts) {
        const limiter = run.createLoginLimiter({
          ...options.accounts.limits,
          ...(options.accounts.clock ? { now: options.accounts.clock } : {}),
        });
        loginRoutes(app, ctx, doors, createLoginDoor(options.accounts.usersFile, limiter));
      }
      uploadRoutes(app, ctx);
      checkRoutes(app, ctx);
      planRoutes(app, ctx);
      approvalRoutes(app, ctx);
      applyRoutes(app, ctx);
      runRoutes(app, ctx);
      historyRoutes(app, ctx);
      auditRoutes(app, ctx);
    },
  );
  const { url, origin } = await server.listen();
  return {
    url,
    origin,
    app: server.app,
    routes: server.routes,
    close: async () => {
      for (const live of flow.runs.values()) live.controller.abort('SIGTERM');
      await Promise.all([...flow.runs.values()].map((live) => live.settled));
      await server.close();
      rmSync(templates, { recursive: true, force: true });
      if (teamFolder) rmSync(teamFolder, { recursive: true, force: true });
    },
  };
}
