/**
 * One Live Platform call with its policy: rate limit, bearer token (one renewal on 401),
 * retries with back-off for what is safe to repeat, and the verdict for a write — done,
 * definitely not done, or unknown. Every log line and error text passes through the redactor.
 */
import type { Log } from '../model/log.js';
import { isSecretKey, type Redactor } from '../model/redact.js';
import { tokenRefused, type Auth } from './auth.js';
import { ApiError, PROXY_AUTH_HINT, type ApiErrorCode, type ApiErrorDetails } from './errors.js';
import { answerOf, type ConcurrencyLimiter } from './concurrency.js';
import type { RateLimiter } from './rate.js';
import { badResponse, httpError } from './answer-errors.js';
import { noteRequest } from './request-scope.js';
import { confirmWrite } from './write-guard.js';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, sleep, type RetrySettings } from './retry.js';
import type { Transport, TransportOutcome } from './transport.js';

export interface RequestContext {
  baseUrl: string;
  transport: Transport;
  auth: Auth;
  authSource: string;
  rate: RateLimiter;
  /** The request budget: a place before sending, the answer after (src/api/concurrency.ts). */
  concurrency: ConcurrencyLimiter;
  retry: RetrySettings;
  logger: Log;
  redactor: Redactor;
  signal?: AbortSignal;
  stats: { requests: number; retries: number; byStatus: Record<string, number> };
  random?: () => number;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Starts with /api/…; appended to the base URL as given. */
  path: string;
  body?: unknown;
  /**
   * A write that is safe to send again (a PATCH of the same values): a lost answer is retried within
   * the retry budget like a read, and is `unknown-outcome` only when the budget runs out.
   */
  repeatable?: boolean;
}

export type CallOutcome =
  | { kind: 'ok'; status: number; json: unknown; text: string; attempts: number }
  /** Definitely not applied: refused by the platform, or never sent. */
  | { kind: 'failed'; error: ApiError; attempts: number }
  /** Sent, then no answer: it may have been applied. Only writes end here. */
  | { kind: 'unknown-outcome'; error: ApiError; attempts: number };

/** One id-like token (`wst_80b5…`, a GUID) answered without JSON quotes. */
const BARE_ID = /^[A-Za-z0-9][\w.:-]{0,127}$/;

type Verdict =
  | { next: 'done'; outcome: CallOutcome }
  | { next: 'retry'; error: ApiError; waitMs?: number; mayHaveApplied?: boolean }
  | { next: 'renew-token' };

/** Sends `request`, retrying what is safe, and says what became of it. Throws only RunError. */
export async function callApi(ctx: RequestContext, request: ApiRequest): Promise<CallOutcome> {
  const { method, path } = request;
  const shownPath = ctx.redactor.text(path);
  const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
  // Values of secret fields are masked even where the platform echoes them in free text.
  if (request.body !== undefined) ctx.redactor.addSecrets(secretValues(request.body));
  let attempt = 0;
  let counted = 0;
  let renewed = false;
  let mayHaveApplied = false;
  for (;;) {
    attempt += 1;
    counted += 1;
    const { outcome, token } = await attemptOnce(ctx, request, shownPath, bodyText, attempt);
    const verdict = judge(ctx, request, shownPath, outcome, attempt);
    if (verdict.next === 'done') return verdict.outcome;
    if (verdict.next === 'retry' && verdict.mayHaveApplied) mayHaveApplied = true;
    if (verdict.next === 'renew-token') {
      // A 401 gets one new token and one more try; a second 401 means the credentials are refused.
      if (renewed) ctx.auth.refuse(tokenRefused(ctx.authSource, 401));
      renewed = true;
      counted -= 1;
      await ctx.auth.renew(token);
      continue;
    }
    if ((verdict.waitMs ?? 0) > MAX_RETRY_AFTER_MS) {
      const why = `the platform asked to wait ${Math.round((verdict.waitMs ?? 0) / 1000)} s (Retry-After)`;
      return { kind: 'failed', error: gaveUp(verdict.error, attempt, why), attempts: attempt };
    }
    if (counted >= ctx.retry.maxAttempts) {
      const why = `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
      // A repeatable write that was sent and lost its answer may have been applied: not a failure for certain.
      const kind = mayHaveApplied ? 'unknown-outcome' : 'failed';
      return { kind, error: gaveUp(verdict.error, attempt, why), attempts: attempt };
    }
    const waitMs = verdict.waitMs ?? backoffDelay(counted, ctx.retry, ctx.random);
    ctx.stats.retries += 1;
    ctx.logger.debug(ctx.redactor.text(`${verdict.error.message}; retrying in ${waitMs} ms`), {
      method,
      path: shownPath,
      attempt,
      waitMs,
    });
    await sleep(waitMs, ctx.signal);
  }
}

/** One attempt: a place in the budget, the rate, a token, the exchange; its answer counted and logged. */
async function attemptOnce(
  ctx: RequestContext,
  request: ApiRequest,
  shownPath: string,
  bodyText: string | undefined,
  attempt: number,
): Promise<{ outcome: TransportOutcome; token: string }> {
  const { method, path } = request;
  // Every request, retries and polls included, waits for a place in the budget and reports its answer.
  const ticket = await ctx.concurrency.enter(ctx.signal);
  let token: string;
  let outcome: TransportOutcome;
  let started: number;
  try {
    await ctx.rate.take(ctx.signal);
    token = await ctx.auth.token();
    // After every wait, nothing between this and the request leaving: a run that lost its lock stops here.
    if (method !== 'GET') confirmWrite();
    ctx.stats.requests += 1;
    started = Date.now();
    ticket.sent();
    outcome = await ctx.transport.send({
      method,
      url: ctx.baseUrl + path,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(bodyText === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(bodyText === undefined ? {} : { body: bodyText }),
    });
    ticket.end(answerOf(outcome));
  } finally {
    ticket.end();
  }
  const durationMs = Date.now() - started;
  // The audit trail's request entry (run, action, status, attempt, body SHA-256), when a run records one.
  noteRequest(
    ctx.redactor,
    { method, path, ...(bodyText === undefined ? {} : { body: bodyText }) },
    outcome,
    attempt,
    started,
    durationMs,
  );
  const status = outcome.kind === 'response' ? outcome.status : outcome.reason;
  ctx.stats.byStatus[status] = (ctx.stats.byStatus[status] ?? 0) + 1;
  if (ctx.logger.isDebugEnabled?.() !== false)
    ctx.logger.debug(`${method} ${shownPath} → ${status} in ${durationMs} ms (attempt ${attempt})`, {
      method,
      path: shownPath,
      status,
      durationMs,
      attempt,
    });
  return { outcome, token };
}

/** What judging one attempt's answer needs to know of the call. */
interface Attempt {
  ctx: RequestContext;
  request: ApiRequest;
  shownPath: string;
  attempt: number;
  /** A write that must not be sent twice: it stops at a lost answer. */
  write: boolean;
  /** A write that is safe to send again: retried, but a lost answer may have been applied. */
  repeatable: boolean;
}

type NoAnswer = Extract<TransportOutcome, { kind: 'error' }>;
type Answered = Extract<TransportOutcome, { kind: 'response' }>;

function judge(
  ctx: RequestContext,
  request: ApiRequest,
  shownPath: string,
  outcome: TransportOutcome,
  attempt: number,
): Verdict {
  const writing = request.method !== 'GET';
  // Only a write that must not be repeated stops at a lost answer; a repeatable one is retried.
  const at: Attempt = {
    ctx,
    request,
    shownPath,
    attempt,
    write: writing && request.repeatable !== true,
    repeatable: writing && request.repeatable === true,
  };
  if (outcome.kind === 'error') return judgeNoAnswer(at, outcome);
  if (outcome.status >= 200 && outcome.status < 300) return judgeSuccess(at, outcome);
  if (outcome.status === 401) return { next: 'renew-token' };
  return judgeRefusal(at, outcome);
}

/** The attempt's error, its message redacted, naming the request. */
function attemptError(
  at: Attempt,
  message: string,
  details: Pick<ApiErrorDetails, 'code' | 'hint' | 'status' | 'settings'>,
  cause?: unknown,
): ApiError {
  const { method } = at.request;
  return new ApiError(
    at.ctx.redactor.text(message),
    { ...details, method, path: at.shownPath, attempts: at.attempt },
    { cause },
  );
}

const done = (outcome: CallOutcome): Verdict => ({ next: 'done', outcome });
const READ_BACK_HINT = 'Read the customer or site back before sending this change again.';

/** No answer came: a TLS or proxy refusal is final, a sent write's outcome unknown, the rest retried. */
function judgeNoAnswer(at: Attempt, outcome: NoAnswer): Verdict {
  const { attempt } = at;
  const said = `${at.request.method} ${at.shownPath}`;
  if (outcome.tls) {
    const hint =
      'Pass --ca-file with the private CA that signed the server certificate (or --insecure, knowingly).';
    const message = `${said}: TLS failure (${outcome.code ?? 'handshake'}): ${outcome.message}`;
    const settings = ['caFile', 'insecure'] as const;
    const error = attemptError(at, message, { code: 'network', hint, settings }, outcome.cause);
    return done({ kind: 'failed', error, attempts: attempt });
  }
  if (outcome.tooLarge) return done(answerTooLarge(at, outcome, outcome.tooLarge));
  if (outcome.proxyStatus === 407) {
    const message = `${said}: ${outcome.message}`;
    const details = { code: 'network', hint: PROXY_AUTH_HINT, settings: ['proxy'] } as const;
    const error = attemptError(at, message, details, outcome.cause);
    return done({ kind: 'failed', error, attempts: attempt });
  }
  if (at.write && outcome.sent) {
    const what = outcome.reason === 'timeout' ? outcome.message : `the connection broke (${outcome.message})`;
    const message = `${said} was sent but ${what}: it may or may not have been applied; it was not sent again.`;
    const details = { code: 'unknown-outcome', hint: READ_BACK_HINT } as const;
    const error = attemptError(at, message, details, outcome.cause);
    return done({ kind: 'unknown-outcome', error, attempts: attempt });
  }
  const when = outcome.sent ? '' : ' before the request was sent';
  const code: ApiErrorCode = outcome.reason === 'timeout' ? 'timeout' : 'network';
  const hint = 'Check --base-url and that the Live Platform is reachable; raise --timeout for slow links.';
  const settings = ['baseUrl', 'timeout'] as const;
  const error = attemptError(
    at,
    `${said}: ${outcome.message}${when}`,
    { code, hint, settings },
    outcome.cause,
  );
  return at.repeatable && outcome.sent
    ? { next: 'retry', error, mayHaveApplied: true }
    : { next: 'retry', error };
}

/**
 * An answer larger than the cap: not retried (it would be as large again). A write answered so may have been
 * applied: read back, never re-sent.
 */
function answerTooLarge(
  at: Attempt,
  outcome: NoAnswer,
  tooLarge: { limitBytes: number; status: number },
): CallOutcome {
  const hint =
    'If the Live Platform really answers this much, raise --max-response-mb (or "maxResponseMb" in the --config file); otherwise check --base-url.';
  const message = `${at.request.method} ${at.shownPath}: ${outcome.message}.`;
  const settings = ['maxResponse', 'baseUrl'] as const;
  const details = { code: 'bad-response', status: tooLarge.status, hint, settings } as const;
  const error = attemptError(at, message, details, outcome.cause);
  const kind = at.write || at.repeatable ? 'unknown-outcome' : 'failed';
  return { kind, error, attempts: at.attempt };
}

/** A 2xx: its JSON (empty is null; a bare id stands for itself), or a bad response if it is not JSON. */
function judgeSuccess(at: Attempt, outcome: Answered): Verdict {
  const { status, text } = outcome;
  const attempts = at.attempt;
  if (text.trim() === '') return done({ kind: 'ok', status, json: null, text: '', attempts });
  try {
    const json: unknown = JSON.parse(text);
    return done({ kind: 'ok', status, json, text, attempts });
  } catch {
    // A task id answered as plain text rather than a JSON string: the id is what matters.
    const bare = text.trim();
    if (BARE_ID.test(bare)) return done({ kind: 'ok', status, json: bare, text, attempts });
    const error = badResponse(at.ctx, at.request, at.shownPath, text, 'the answer is not JSON', attempts);
    // A write that answered 2xx has probably been applied: the caller must read back, not re-send.
    return done({ kind: at.write || at.repeatable ? 'unknown-outcome' : 'failed', error, attempts });
  }
}

/** An HTTP error status (not 401): throttling and transient failures are retried, the rest final. */
function judgeRefusal(at: Attempt, outcome: Answered): Verdict {
  const { status } = outcome;
  const { method } = at.request;
  const error = httpError(at.ctx, method, at.shownPath, outcome, at.attempt);
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(outcome.header('retry-after'));
    return retryAfter === null ? { next: 'retry', error } : { next: 'retry', error, waitMs: retryAfter };
  }
  if (status === 502 || status === 504) {
    // A gateway may have passed the write on before giving up: its outcome is unknown.
    if (at.write) {
      const message = `${error.message}; a gateway error after a ${method} means it may or may not have been applied; it was not sent again.`;
      const unknown = attemptError(at, message, { code: 'unknown-outcome', status, hint: READ_BACK_HINT });
      return done({ kind: 'unknown-outcome', error: unknown, attempts: at.attempt });
    }
    return at.repeatable ? { next: 'retry', error, mayHaveApplied: true } : { next: 'retry', error };
  }
  // A read changes nothing, so a transient server error is worth another try; a write's 500 is final.
  if (status === 500 && !at.write) return { next: 'retry', error };
  return done({ kind: 'failed', error, attempts: at.attempt });
}

/** The last error, saying how many attempts were made and why no more. */
function gaveUp(error: ApiError, attempts: number, why: string): ApiError {
  return error.rephrased(`${error.message} (${why})`, { attempts });
}

/** The values of every secret-named field in a request body, at any depth. */
export function secretValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) secretValues(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && isSecretKey(key)) out.push(v);
      else secretValues(v, out);
    }
  }
  return out;
}
