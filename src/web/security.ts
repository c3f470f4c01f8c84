/**
 * The console's doors, checked before any route runs:
 * - the Host header must name this server (a loopback server is otherwise open to DNS rebinding): 421;
 * - a session: in the token mode the printed token once (it becomes an HttpOnly, SameSite=Strict cookie and
 *   leaves the URL), then the cookie; with accounts the cookie a login set. Without one: 401, or a page
 *   asked for with accounts is sent to the login page;
 * - on every state-changing request, an Origin (when sent) that is this server's own, and the session's
 *   CSRF token: else 403;
 * - the route's need, as `permitted` allows it for the session's role: else 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Log } from '../model/log.js';
import { permitted, type Need } from './access.js';
import type { Listening } from './addresses.js';
import { html } from './html.js';
import { problemPage } from './layout.js';
import { sameSecret, type Session, type SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'lpsync_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface Doors {
  sessions: SessionStore;
  /** The token printed with the URL; null with accounts (people sign in instead). */
  token: string | null;
  listening: Listening;
  /** The cookies are Secure: TLS is on here, or at the proxy in front. */
  secure: boolean;
  /** Where a refusal by role is written (who, what, which need). */
  log: Log;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the doors on every route that is not public. */
    session?: Session;
  }
  interface FastifyContextConfig {
    /** What the route asks of its caller: read for GET; a change route must say (the server refuses it else). */
    need?: Need;
    /** Reachable without a session (the CSS and JS files, the login page): the Host check still applies. */
    open?: boolean;
    /** The route reads its CSRF token itself (a multipart upload: the field before the files, or the header). */
    csrfInBody?: boolean;
  }
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isChange(method: string): boolean {
  return CHANGES.has(method.toUpperCase());
}

/** What a route needs: as it says, else read (a change route always says: the server checks at start). */
export function needOf(method: string, config: { need?: Need }): Need {
  return config.need ?? (isChange(method) ? 'upload' : 'read');
}

/** The session cookie's attributes: HttpOnly, SameSite=Strict, and Secure when TLS is on here or at the proxy. */
export function cookieOptions(doors: Pick<Doors, 'secure'>, path = '/') {
  return { httpOnly: true, sameSite: 'strict', path, secure: doors.secure } as const;
}

function refuse(reply: FastifyReply, status: number, title: string, text: string, session?: Session) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(problemPage(title, text, session).text);
}

/** The first door: Host, then the session (token or cookie), then Origin and the route's need. */
export async function checkDoors(doors: Doors, request: FastifyRequest, reply: FastifyReply) {
  const host = request.host.toLowerCase();
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
  if (doors.token !== null && typeof token === 'string') return takeToken(doors, request, reply, token);
  const cookie = request.cookies[SESSION_COOKIE];
  const session = doors.sessions.touch(cookie);
  if (!session) return noSession(doors, request, reply, cookie !== undefined);
  request.session = session;
  if (isChange(request.method) && !fromHere(doors, request))
    return refuse(
      reply,
      403,
      'Refused',
      `A request from ${request.headers.origin ?? 'another site'} may not change anything here.`,
      session,
    );
  const need = needOf(request.method, config);
  if (!permitted(session, need)) {
    doors.log.warn('console request refused: the role may not', {
      user: session.user?.name,
      role: session.user?.role,
      method: request.method,
      path: request.url.split('?')[0],
      need,
      address: request.ip,
    });
    return refuse(
      reply,
      403,
      'Not allowed',
      `${session.user?.name ?? 'This session'} (${session.user?.role ?? 'no role'}) may not ${need} here: ask someone whose role may.`,
      session,
    );
  }
}

/** No live session: the login page (a page asked for, with accounts), else a 401 that says what to open. */
function noSession(doors: Doors, request: FastifyRequest, reply: FastifyReply, hadCookie: boolean) {
  if (doors.token === null) {
    const path = request.url;
    if (request.method === 'GET' && !path.startsWith('/login')) {
      const next = new URLSearchParams({ next: path, ...(hadCookie ? { ended: '1' } : {}) });
      return reply.redirect(`/login?${next.toString()}`, 303);
    }
    return refuse(
      reply,
      401,
      'Sign in first',
      hadCookie
        ? 'Your session has ended (it was idle too long, or the console restarted). Sign in again at /login; what you sent was not done.'
        : 'This console needs you to sign in: open /login.',
    );
  }
  return refuse(
    reply,
    401,
    'Open the link lpsync printed',
    'This console needs the link that lpsync serve printed when it started (it ends with ?token=…). Open that link; this browser then stays signed in until the session ends.',
  );
}

/**
 * Whether a state-changing request comes from this console's own pages. The Origin, when sent, must be
 * ours. Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` even for its own forms: then
 * the browser's Sec-Fetch-Site must say same-origin (a sandboxed frame elsewhere says cross-site).
 */
export function fromHere(doors: Pick<Doors, 'listening'>, request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  return doors.listening.origins.has(origin.toLowerCase());
}

/** The printed token: right, a new session in a cookie and the same page without the token; wrong, 401. */
function takeToken(doors: Doors, request: FastifyRequest, reply: FastifyReply, token: string) {
  if (request.method !== 'GET' || !sameSecret(token, doors.token ?? ''))
    return refuse(
      reply,
      401,
      'Open the link lpsync printed',
      'The token in this link is not the one lpsync serve printed. Copy the whole link from the terminal.',
    );
  const session = doors.sessions.create();
  reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(doors));
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
export function securityHeaders(reply: FastifyReply, secure = false): void {
  reply.header(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  if (secure) reply.header('Strict-Transport-Security', 'max-age=31536000');
  if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
}

/** The hidden field every form that changes something carries. */
export function csrfField(session: Session) {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}" />`;
}
