/**
 * Accounts mode: the login page, the login itself and logout. There is no session before a login, so the
 * form's CSRF token is bound to a cookie of its own (an HMAC of the cookie's random value under a key of
 * this server). The login is checked by run.verifyLogin under the server's login limiter (per account and
 * per address); every login, logout and refusal is logged, never a password. A login makes a new session
 * (a session id from before is never kept: no fixation).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LpsyncError } from '../../model/errors.js';
import { may } from '../../model/roles.js';
import * as run from '../../run/index.js';
import type { LoginLimiter, LoginResult } from '../../run/index.js';
import type { Console } from '../console.js';
import { loginPage } from '../pages/login.js';
import { cookieOptions, CSRF_FIELD, fromHere, SESSION_COOKIE, type Doors } from '../security.js';
import { sendPage } from '../server.js';
import { randomToken, sameSecret } from '../sessions.js';

const LOGIN_COOKIE = 'lpsync_login';

/** What the login needs: the users file, the server's limiter, the key of the form's token. */
export interface LoginDoor {
  usersFile: string;
  limiter: LoginLimiter;
  key: Buffer;
  /** Logins checked at once (scrypt takes 128 MiB and a fraction of a second each); more wait. */
  checking: { now: number; waiting: Array<() => void> };
}

export function createLoginDoor(usersFile: string, limiter: LoginLimiter): LoginDoor {
  return { usersFile, limiter, key: randomBytes(32), checking: { now: 0, waiting: [] } };
}

const MAX_AT_ONCE = 2;
const MAX_WAITING = 32;

function formToken(door: LoginDoor, nonce: string): string {
  return createHmac('sha256', door.key).update(nonce).digest('base64url');
}

/** A path of this console to go to after the login; anything else (another site, the login page) is home. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/';
}

function limitsText(limiter: LoginLimiter): string {
  const minutes = limiter.limits.lockMs / 60_000;
  const span =
    minutes >= 1
      ? `${Math.round(minutes)} minute(s)`
      : `${Math.round(limiter.limits.lockMs / 1000)} second(s)`;
  return `${limiter.limits.maxFailures} wrong passwords lock an account for ${span}.`;
}

export function loginRoutes(app: FastifyInstance, ctx: Console, doors: Doors, door: LoginDoor): void {
  const show = (
    reply: FastifyReply,
    status: number,
    o: { next: string; name?: string; problem?: string; info?: string },
  ) => {
    const nonce = randomToken();
    reply.setCookie(LOGIN_COOKIE, nonce, { ...cookieOptions(doors, '/login'), maxAge: 3600 });
    return sendPage(
      reply,
      status,
      loginPage({ token: formToken(door, nonce), name: '', limits: limitsText(door.limiter), ...o }),
    );
  };

  app.get('/login', { config: { open: true } }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const next = safeNext(q.next);
    if (doors.sessions.touch(request.cookies[SESSION_COOKIE])) return reply.redirect(next, 303);
    const info =
      q.out === '1'
        ? 'You signed out.'
        : q.ended === '1'
          ? 'Your session ended (it was idle too long, or the console restarted). Sign in again.'
          : undefined;
    return show(reply, 200, { next, ...(info ? { info } : {}) });
  });

  app.post('/login', { config: { open: true, need: 'session' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const next = safeNext(body.next);
    const nonce = request.cookies[LOGIN_COOKIE];
    if (!fromHere(doors, request) || !nonce || !sameSecret(body[CSRF_FIELD], formToken(door, nonce))) {
      ctx.options.log.warn('console login refused: the form is not this console’s', {
        address: request.ip,
      });
      return show(reply, 403, {
        next,
        problem: 'This sign-in form is out of date or did not come from this console. Sign in with this one.',
      });
    }
    const name = body.name ?? '';
    const result = await checkLogin(ctx, door, request, name, body.password ?? '');
    if ('fault' in result) return show(reply, 503, { next, name, problem: result.fault });
    if (!result.ok) {
      ctx.options.log.warn('console login refused', {
        user: name,
        address: request.ip,
        code: result.refusal.code,
        ...(result.refusal.until ? { until: result.refusal.until } : {}),
      });
      const status = result.refusal.code === 'wrong-credentials' ? 401 : 429;
      return show(reply, status, { next, name, problem: result.refusal.message });
    }
    const old = request.cookies[SESSION_COOKIE];
    if (old) doors.sessions.end(old);
    const session = doors.sessions.create(result.user);
    ctx.options.log.info('console login', {
      user: result.user.name,
      role: result.user.role,
      address: request.ip,
    });
    reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(doors));
    const home = may(result.user.role, 'upload') ? '/' : '/history';
    return reply.redirect(next === '/' ? home : next, 303);
  });

  app.post('/logout', { config: { need: 'session' } }, async (request, reply) => {
    const session = request.session!;
    doors.sessions.end(session.id);
    ctx.options.log.info('console logout', { user: session.user?.name, address: request.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?out=1', 303);
  });
}

/** run.verifyLogin, a few at a time; a users file that cannot be read is the server's fault, said as such. */
async function checkLogin(
  ctx: Console,
  door: LoginDoor,
  request: FastifyRequest,
  name: string,
  password: string,
): Promise<LoginResult | { fault: string }> {
  const { checking } = door;
  if (checking.now >= MAX_AT_ONCE) {
    if (checking.waiting.length >= MAX_WAITING)
      return { fault: 'Too many people are signing in at once: try again in a moment.' };
    // The slot is handed over by the login that ends.
    await new Promise<void>((resolve) => checking.waiting.push(resolve));
  } else checking.now += 1;
  try {
    return await run.verifyLogin({
      usersFile: door.usersFile,
      name,
      password,
      limiter: door.limiter,
      address: request.ip,
    });
  } catch (error) {
    if (!(error instanceof LpsyncError)) throw error;
    ctx.options.log.error('console login: the users file cannot be read', { message: error.message });
    return { fault: `The console cannot check accounts now: ${ctx.options.redactor.text(error.message)}` };
  } finally {
    const waiting = checking.waiting.shift();
    if (waiting) waiting();
    else checking.now -= 1;
  }
}
