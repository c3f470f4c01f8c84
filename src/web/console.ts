/**
 * `lpsync serve`: the console started with what the CLI resolved (the connection settings, the state
 * store, the reports folder, as `apply` takes them). It listens, and says where with its token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import * as run from '../run/index.js';
import type { ConnectionSettings, Paper, RunInvocation, SettingsProblem } from '../run/index.js';
import { createFlow, forgetSession, type Flow } from './flow.js';
import { applyRoutes } from './routes/apply.js';
import { checkRoutes } from './routes/check.js';
import { planRoutes } from './routes/plan.js';
import { runRoutes } from './routes/runs.js';
import { uploadRoutes } from './routes/upload.js';
import { createServer } from './server.js';
import type { SessionStore } from './sessions.js';

export interface ConsoleOptions {
  /** Loopback: the CLI refuses any other address until accounts exist. */
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
  invocation: RunInvocation;
  now?: () => Date;
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
}

export interface RunningConsole {
  /** The URL to open, with the token. */
  url: string;
  origin: string;
  app: FastifyInstance;
  /** Stops the runs under way, ends every session (their uploads deleted) and stops listening. */
  close(): Promise<void>;
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const templates = mkdtempSync(join(options.tempDir ?? tmpdir(), 'lpsync-templates-'));
  await run.template({ out: templates });
  const flow = createFlow();
  const mask = (text: string) => options.redactor.text(text);
  const server = await createServer(
    {
      host: options.host,
      port: options.port,
      maxUploadBytes: options.maxUploadBytes,
      mask,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
    },
    (app, { sessions }) => {
      sessions.onEnd((session) => forgetSession(flow, session.id));
      const ctx: Console = { options: { now: () => new Date(), ...options }, sessions, flow, templates };
      uploadRoutes(app, ctx);
      checkRoutes(app, ctx);
      planRoutes(app, ctx);
      applyRoutes(app, ctx);
      runRoutes(app, ctx);
    },
  );
  const { url, origin } = await server.listen();
  return {
    url,
    origin,
    app: server.app,
    close: async () => {
      for (const live of flow.runs.values()) live.controller.abort('SIGTERM');
      await Promise.all([...flow.runs.values()].map((live) => live.settled));
      await server.close();
      rmSync(templates, { recursive: true, force: true });
    },
  };
}
