/**
 * The console's doors, checked before any route runs:
 * - the Host header must name this server (a loopback server is otherwise open to DNS rebinding): 421;
 * - a session: the printed token once (it becomes an HttpOnly, SameSite=Strict cookie and leaves the URL),
 *   then the cookie; without either: 401;
 * - on every state-changing request, an Origin (when sent) that is this server's own, and the session's
 *   CSRF token: else 403;
 * - the route's need, as `permitted` allows it: else 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { permitted, type Need } from './access.js';
import { html } from './html.js';
import { problemPage } from './layout.js';
import { sameSecret, type Session, type SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'lpsync_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Where the console listens, known once it does (port 0 lets the OS choose). */
export interface Listening {
  /** `host:port` forms a browser may send in Host: the bound one, and localhost / 127.0.0.1 on the same port. */
  hosts: Set<string>;
  /** The same as origins (`http://host:port`). */
  origins: Set<string>;
}

export interface Doors {
  sessions: SessionStore;
  /** The token printed with the URL. */
  token: string;
  listening: Listening;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the doors on every route that is not public. */
    session?: Session;
  }
  interface FastifyContextConfig {
    /** What the route asks of its caller (default: read for GET, change otherwise). */
    need?: Need;
    /** Reachable without a session (the CSS and JS files): the Host check still applies. */
    open?: boolean;
    /** The route reads its CSRF token itself (a multipart upload: the field before the files, or the header). */
    csrfInBody?: boolean;
  }
}

/** The listening addresses a browser may name for a server bound to `host` on `port`. */
export function listeningAt(host: string, port: number): Listening {
  const names = new Set([host.includes(':') ? `[${host}]` : host, 'localhost', '127.0.0.1']);
  const hosts = new Set([...names].map((n) => `${n}:${port}`.toLowerCase()));
  return { hosts, origins: new Set([...hosts].map((h) => `http://${h}`)) };
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isChange(method: string): boolean {
  return CHANGES.has(method.toUpperCase());
}

function refuse(reply: FastifyReply, status: number, title: string, text: string, session?: Session) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(problemPage(title, text, session).text);
}

/** The first door: Host, then the session (token or cookie), then Origin and the route's need. */
export async function checkDoors(doors: Doors, request: FastifyRequest, reply: FastifyReply) {
  const host = (request.headers.host ?? '').toLowerCase();
  if (!doors.listening.hosts.has(host))
    return refuse(
      reply,
      421,
      'Wrong address',
      `This console answers only at ${[...doors.listening.origins][0]}; the request named the host "${host}".`,
    );
  const config = request.routeOptions.config;
  if (config.open) return;
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof token === 'string') return takeToken(doors, request, reply, token);
  const session = doors.sessions.touch(request.cookies[SESSION_COOKIE]);
  if (!session)
    return refuse(
      reply,
      401,
      'Open the link lpsync printed',
      'This console needs the link that lpsync serve printed when it started (it ends with ?token=…). Open that link; this browser then stays signed in until the session ends.',
    );
  request.session = session;
  if (isChange(request.method) && !fromHere(doors, request))
    return refuse(
      reply,
      403,
      'Refused',
      `A request from ${request.headers.origin ?? 'another site'} may not change anything here.`,
      session,
    );
  const need = config.need ?? (isChange(request.method) ? 'change' : 'read');
  if (!permitted(session, need))
    return refuse(reply, 403, 'Refused', 'This session may not do that.', session);
}

/**
 * Whether a state-changing request comes from this console's own pages. The Origin, when sent, must be
 * ours. Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` even for its own forms: then
 * the browser's Sec-Fetch-Site must say same-origin (a sandboxed frame elsewhere says cross-site).
 */
function fromHere(doors: Doors, request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  return doors.listening.origins.has(origin.toLowerCase());
}

/** The printed token: right, a new session in a cookie and the same page without the token; wrong, 401. */
function takeToken(doors: Doors, request: FastifyRequest, reply: FastifyReply, token: string) {
  if (request.method !== 'GET' || !sameSecret(token, doors.token))
    return refuse(
      reply,
      401,
      'Open the link lpsync printed',
      'The token in this link is not the one lpsync serve printed. Copy the whole link from the terminal.',
    );
  const session = doors.sessions.create();
  reply.setCookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'strict', path: '/' });
  const url = new URL(request.url, 'http://console.invalid');
  url.searchParams.delete('token');
  return reply.redirect(`${url.pathname}${url.search}`, 303);
}

/** The CSRF door, once the body is read: the session's token in the form field or the header. */
export async function checkCsrf(request: FastifyRequest, reply: FastifyReply) {
  const session = request.session;
  if (!session || !isChange(request.method) || request.routeOptions.config.csrfInBody) return;
  const body = request.body as Record<string, unknown> | undefined;
  const given = request.headers[CSRF_HEADER] ?? body?.[CSRF_FIELD];
  if (!sameSecret(typeof given === 'string' ? given : undefined, session.csrfToken))
    return refuse(
      reply,
      403,
      'Refused',
      'This form is out of date or did not come from this console (its CSRF token is missing or wrong). Go back, reload the page and try again.',
      session,
    );
}

/** The headers every answer carries: a CSP with no inline script or style, no sniffing, no referrer. */
export function securityHeaders(reply: FastifyReply): void {
  reply.header(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
}

/** The hidden field every form that changes something carries. */
export function csrfField(session: Session) {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}" />`;
}
