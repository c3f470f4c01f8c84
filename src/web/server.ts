/**
 * The console's HTTP server: fastify with its cookie and multipart plugins, the doors of security.ts in
 * front of every route, the security headers on every answer, and a page (never a stack trace) for every
 * error. The flow's routes come from routes/; what they call is src/run.
 */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { tmpdir } from 'node:os';
import type { Log } from '../model/log.js';
import type { Need } from './access.js';
import { listeningAt, originToOpen } from './addresses.js';
import { loadAssets } from './assets.js';
import { html } from './html.js';
import { problemPage } from './layout.js';
import {
  checkCsrf,
  checkDoors,
  cookieOptions,
  isChange,
  needOf,
  SESSION_COOKIE,
  securityHeaders,
  type Doors,
} from './security.js';
import { createSessionStore, randomToken, type SessionStore } from './sessions.js';

/** How the server itself is set up (what it applies to is the routes' business). */
export interface ServerOptions {
  /** The address to bind: loopback (the caller refuses others without accounts). */
  host: string;
  /** 0: the OS chooses. */
  port: number;
  /** The most one upload may hold, in bytes. */
  maxUploadBytes: number;
  /** A session idle this long ends, its uploads deleted (default 8 hours). */
  idleMs?: number;
  /** Where session folders are made (default the OS temp folder). */
  tempDir?: string;
  /** Masks whatever text of an error reaches a page. */
  mask: (text: string) => string;
  /** Where refusals are written. */
  log: Log;
  /** People sign in with accounts (no printed token). */
  accounts: boolean;
  /** The certificate and key to speak HTTPS with (`--tls-cert`, `--tls-key`). */
  tls?: { cert: Buffer; key: Buffer };
  /** `--behind-tls-proxy ADDRESS`: X-Forwarded-* are believed from that address only; cookies are Secure. */
  trustedProxy?: string;
  /** `--public-url`: the address people open, accepted in Host and Origin. */
  publicUrl?: string;
  /** The clock sessions idle on (ms since the epoch). */
  now?: () => number;
}

/** A route of the server as its table has it: what the role guard asks of its caller. */
export interface RouteEntry {
  method: string;
  url: string;
  need: Need;
  open: boolean;
}

export interface ConsoleServer {
  app: FastifyInstance;
  sessions: SessionStore;
  doors: Doors;
  /** Every route as registered (the fastify route table), with its need. */
  routes: RouteEntry[];
  /** Starts listening; the URL with the token, to print. */
  listen(): Promise<{ url: string; origin: string }>;
  /** Ends every session (their folders deleted) and stops listening. */
  close(): Promise<void>;
}

export function sendPage(reply: FastifyReply, status: number, body: { text: string }) {
  return reply.code(status).type('text/html; charset=utf-8').send(body.text);
}

/** The server with its doors; `routes` adds the flow's pages. */
export async function createServer(
  options: ServerOptions,
  routes: (app: FastifyInstance, server: { sessions: SessionStore; doors: Doors }) => void | Promise<void>,
): Promise<ConsoleServer> {
  const sessions = createSessionStore({
    tempDir: options.tempDir ?? tmpdir(),
    idleMs: options.idleMs ?? 8 * 60 * 60_000,
    ...(options.now ? { now: options.now } : {}),
  });
  const secure = options.tls !== undefined || options.trustedProxy !== undefined;
  const doors: Doors = {
    sessions,
    token: options.accounts ? null : randomToken(),
    listening: { hosts: new Set(), origins: new Set() },
    secure,
    log: options.log,
  };
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    // The proxy's X-Forwarded-For/-Host/-Proto are believed from its address only; from anyone else, never.
    trustProxy: options.trustedProxy ?? false,
    return503OnClosing: true,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  });
  const table = routeTable(app);
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadBytes, files: 3, fields: 8, parts: 12, fieldSize: 4096 },
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.addHook('onRequest', (request, reply) => checkDoors(doors, request, reply));
  app.addHook('preHandler', checkCsrf);
  app.addHook('onSend', async (_request, reply, payload) => {
    securityHeaders(reply, secure);
    return payload;
  });
  answerErrors(app, options);
  serveAssets(app);
  if (!options.accounts) endSessionRoute(app, doors);
  await routes(app, { sessions, doors });
  const sweeper = setInterval(() => sessions.sweep(), 60_000);
  sweeper.unref();
  return {
    app,
    sessions,
    doors,
    routes: table,
    listen: async () => {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const where = {
        host: options.host,
        port,
        tls: options.tls !== undefined,
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      };
      const listening = listeningAt(where);
      doors.listening.hosts = listening.hosts;
      doors.listening.origins = listening.origins;
      const origin = originToOpen(where);
      return { origin, url: doors.token === null ? `${origin}/login` : `${origin}/?token=${doors.token}` };
    },
    close: async () => {
      clearInterval(sweeper);
      sessions.endAll();
      await app.close();
    },
  };
}

/**
 * The route table as fastify builds it, each route with its need. A route that changes something and does
 * not say what it needs stops the server from starting: no route can be added and forgotten by the guard.
 */
function routeTable(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { need?: Need; open?: boolean };
    for (const method of [route.method].flat()) {
      if (isChange(method) && config.need === undefined)
        throw new Error(
          `The console's route ${method} ${route.url} does not say what it needs (config.need).`,
        );
      table.push({ method, url: route.url, need: needOf(method, config), open: config.open === true });
    }
  });
  return table;
}

/** The token mode's "End session": the session and its uploads go. (With accounts: Sign out, /logout.) */
function endSessionRoute(app: FastifyInstance, doors: Doors): void {
  app.post('/session/end', { config: { need: 'session' } }, async (request, reply) => {
    if (request.session) doors.sessions.end(request.session.id);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(doors));
    return sendPage(
      reply,
      200,
      problemPage(
        'Session ended',
        html`Your uploads and plans were deleted from this computer. Open the link lpsync serve printed to
        start again.`,
      ),
    );
  });
}

/** Every error and unknown address as a page that says what happened; never a stack trace. */
function answerErrors(app: FastifyInstance, options: ServerOptions): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const text =
      status === 413
        ? `The upload is larger than this console takes (${Math.round(options.maxUploadBytes / (1 << 20))} MB). Split the workbook, or start lpsync serve with a larger --max-upload-mb.`
        : status >= 500
          ? `Something went wrong on the server: ${options.mask(error.message)}`
          : options.mask(error.message);
    return sendPage(
      reply,
      status,
      problemPage(status === 413 ? 'Upload too large' : 'Something went wrong', text, request.session),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendPage(reply, 404, problemPage('Not found', 'There is no page at this address.', request.session)),
  );
}

function serveAssets(app: FastifyInstance): void {
  const assets = loadAssets();
  // Browsers ask for it on every site: no icon, and no 404 in the console's log.
  app.get('/favicon.ico', { config: { open: true } }, async (_request, reply) => reply.code(204).send());
  app.get('/assets/:name', { config: { open: true } }, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) return reply.code(404).type('text/plain').send('not found');
    reply.header('Cache-Control', 'no-cache').header('ETag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });
}
