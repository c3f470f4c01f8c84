/**
 * Bearer tokens: a static one, or OAuth 2.0 client credentials with the token cached until
 * shortly before it expires. Concurrent callers share one in-flight fetch; once the platform or
 * the token endpoint refuses, every later call fails fast with the same RunError (no retry storm).
 */
import type { Log } from '../model/log.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { PROXY_AUTH_HINT } from './errors.js';
import { backoffDelay, parseRetryAfter, sleep, type RetrySettings } from './retry.js';
import type { Transport } from './transport.js';

export type AuthSettings =
  | { kind: 'token'; token: string }
  | { kind: 'client-credentials'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export interface Auth {
  /** A token for the next request. */
  token(): Promise<string>;
  /** After the platform answered 401 to `used`: a newer token (one shared refresh), or RunError. */
  renew(used: string): Promise<string>;
  /** The platform refused a token that was just issued: end the run, and every later call fast. */
  refuse(error: RunError): never;
  /** How many tokens were fetched after the first. */
  refreshes(): number;
}

export interface AuthContext {
  transport: Transport;
  logger: Log;
  redactor: Redactor;
  retry: RetrySettings;
  signal?: AbortSignal;
  /** When a cached token is due for renewal is read from this clock (tests move it instead of sleeping). */
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** When to stop using it: a little before the server says it expires. */
  renewAt: number;
}

/** The run-ending error for a bearer token the platform will not accept. */
export function tokenRefused(source: string, status: number): RunError {
  return new RunError(
    'auth-refused',
    `The Live Platform refused the access token from ${source} (HTTP ${status}).`,
    {
      hint:
        source === 'LPSYNC_TOKEN'
          ? 'Get a fresh token and set LPSYNC_TOKEN again, or use client credentials (LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET).'
          : 'Check that the app registration (LPSYNC_CLIENT_ID, LPSYNC_SCOPE) is granted access to this Live Platform tenant.',
      settings: ['credentials'],
    },
  );
}

/**
 * What in a token an HTTP header cannot carry (Node refuses it before sending), said without showing the
 * token: "a line break at character 41". Null when every character can be sent.
 */
export function tokenHeaderProblem(token: string): string | null {
  const at = token.search(/[^\t\x20-\x7e\x80-\xff]/u);
  if (at < 0) return null;
  const code = token.codePointAt(at) ?? 0;
  const what =
    code === 0x0a || code === 0x0d
      ? 'a line break'
      : code < 0x20 || code === 0x7f
        ? 'a control character'
        : 'a character outside Latin-1 (such as a typographic quote or a non-Latin letter)';
  return `${what} at character ${at + 1}`;
}

/** The run-ending error for a static token that cannot be sent: configuration, fixed before a retry could help. */
function malformedStaticToken(problem: string): RunError {
  return new RunError(
    'invalid-options',
    `The access token from LPSYNC_TOKEN cannot be sent in an HTTP header: it holds ${problem}. Nothing was sent.`,
    {
      hint: 'Set LPSYNC_TOKEN (or "token" in the --config file) again to the token alone, copied without line breaks or quotes.',
      settings: ['credentials'],
    },
  );
}

export function createAuth(settings: AuthSettings, context: AuthContext): Auth {
  const now = context.now ?? Date.now;
  let refused: RunError | undefined;
  const refuse = (error: RunError): never => {
    refused ??= error;
    throw refused;
  };

  if (settings.kind === 'token') {
    context.redactor.addSecrets([settings.token]);
    const problem = tokenHeaderProblem(settings.token);
    // Refused at the first request, at once: retrying a request that cannot be built only hides the cause.
    if (problem !== null) refused = malformedStaticToken(problem);
    return {
      token: () => (refused ? Promise.reject(refused) : Promise.resolve(settings.token)),
      renew: () => Promise.reject(refused ?? (refused = tokenRefused('LPSYNC_TOKEN', 401))),
      refuse,
      refreshes: () => 0,
    };
  }

  context.redactor.addSecrets([settings.clientSecret]);
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;
  let fetched = 0;

  const fetchShared = (): Promise<string> => {
    inFlight ??= fetchToken(settings, context)
      .then((t) => {
        fetched += 1;
        cached = t;
        return t.token;
      })
      .catch((error: unknown) => {
        if (error instanceof RunError && error.code === 'auth-refused') refused ??= error;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const token = async (): Promise<string> => {
    if (refused) throw refused;
    if (cached && now() < cached.renewAt) return cached.token;
    return fetchShared();
  };

  const renew = async (used: string): Promise<string> => {
    if (refused) throw refused;
    // Someone else already replaced the token this request was sent with.
    if (cached && cached.token !== used && now() < cached.renewAt) return cached.token;
    if (inFlight) return inFlight;
    cached = undefined;
    return fetchShared();
  };

  return { token, renew, refuse, refreshes: () => Math.max(0, fetched - 1) };
}

/** One client-credentials grant, retrying only what is transient (5xx, 429, network). */
async function fetchToken(
  settings: Extract<AuthSettings, { kind: 'client-credentials' }>,
  context: AuthContext,
): Promise<CachedToken> {
  const { transport, logger, redactor, retry } = context;
  const now = context.now ?? Date.now;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
  });
  if (settings.scope) form.set('scope', settings.scope);
  const where = redactor.text(new URL(settings.tokenUrl).pathname);
  let lastProblem = '';
  let proxyRefused = false;
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
    const started = Date.now();
    const outcome = await transport.send({
      method: 'POST',
      url: settings.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    const status = outcome.kind === 'response' ? outcome.status : outcome.reason;
    logger.debug(`POST ${where} → ${status} in ${Date.now() - started} ms (attempt ${attempt})`, {
      method: 'POST',
      path: where,
      status,
      durationMs: Date.now() - started,
      attempt,
    });
    let waitMs = backoffDelay(attempt, retry);
    if (outcome.kind === 'response') {
      if (outcome.status >= 200 && outcome.status < 300)
        return grantedToken(outcome.text, where, redactor, now);
      if (outcome.status === 407) {
        lastProblem = 'the proxy answered 407 Proxy Authentication Required';
        proxyRefused = true;
        break;
      }
      if (outcome.status !== 429 && outcome.status < 500) {
        throw new RunError(
          'auth-refused',
          redactor.text(
            `The token endpoint ${where} refused client id "${settings.clientId}" (HTTP ${outcome.status}): ${describeOAuthError(outcome.text)}`,
          ),
          {
            hint: 'Check LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET, LPSYNC_SCOPE and LPSYNC_TOKEN_URL.',
            settings: ['credentials'],
          },
        );
      }
      lastProblem = `HTTP ${outcome.status}`;
      waitMs = parseRetryAfter(outcome.header('retry-after')) ?? waitMs;
    } else {
      lastProblem = outcome.message;
      proxyRefused = outcome.proxyStatus === 407;
      // Neither a certificate, refused proxy credentials nor an endless answer get better by asking again.
      if (outcome.tls || outcome.proxyStatus === 407 || outcome.tooLarge) break;
    }
    if (attempt < retry.maxAttempts) await sleep(waitMs, context.signal);
  }
  throw new RunError(
    'unreachable',
    redactor.text(`Could not get a token from ${settings.tokenUrl}: ${lastProblem}.`),
    {
      hint: proxyRefused
        ? PROXY_AUTH_HINT
        : 'Check LPSYNC_TOKEN_URL and the network (and the proxy settings); --ca-file if the endpoint uses a private CA.',
      settings: proxyRefused ? ['proxy'] : ['credentials', 'proxy', 'caFile'],
    },
  );
}

/** The token a 2xx answer grants, masked from now on, and when to renew it; an answer without a usable one is refused. */
function grantedToken(text: string, where: string, redactor: Redactor, now: () => number): CachedToken {
  const token = readToken(text);
  if (!token) {
    throw new RunError('auth-refused', `The token endpoint ${where} answered without an access_token.`, {
      hint: 'Check LPSYNC_TOKEN_URL: it must be the OAuth 2.0 token endpoint (…/oauth2/v2.0/token).',
      settings: ['credentials'],
    });
  }
  redactor.addSecrets([token.token]);
  const problem = tokenHeaderProblem(token.token);
  if (problem !== null)
    throw new RunError(
      'auth-refused',
      `The token endpoint ${where} answered an access_token that cannot be sent in an HTTP header: it holds ${problem}.`,
      {
        hint: 'The token endpoint (LPSYNC_TOKEN_URL) answers something other than an OAuth 2.0 access token: check that it is the …/oauth2/v2.0/token endpoint, or tell its operator.',
        settings: ['credentials'],
      },
    );
  const lifetimeMs = token.expiresIn * 1000;
  // Renew a little early: a minute, or a tenth of a short lifetime.
  return { token: token.token, renewAt: now() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
}

function readToken(text: string): { token: string; expiresIn: number } | null {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const token = json.access_token;
    if (typeof token !== 'string' || token === '') return null;
    const expiresIn = Number(json.expires_in ?? 3600);
    return { token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
  } catch {
    return null;
  }
}

function describeOAuthError(text: string): string {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const parts = [json.error, json.error_description].filter((p) => typeof p === 'string');
    if (parts.length) return parts.join(' — ');
  } catch {
    // not JSON: show the start of what came back
  }
  return text.slice(0, 200) || '(empty answer)';
}
