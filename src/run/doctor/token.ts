/** The token check: a static token's claims as read, or how the token endpoint answered. */
import type { AuthSettings } from '../../api/index.js';
import type { Exchange } from '../../api/transport.js';
import { RunError } from '../../model/errors.js';
import type { Check } from './check.js';

export const TOKEN = { id: 'token', title: 'Token' } as const;

interface JwtClaims {
  exp?: number;
  aud?: string | string[];
  scp?: string;
  roles?: string[];
}

/** The claims of a JWT, read without verifying it (only to show expiry and scope); null when it is not one. */
function jwtClaims(token: string): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

function describeClaims(
  claims: JwtClaims | null,
  expiresIn: number | null,
  scope: string | null,
  now: () => number,
): { text: string; expired: boolean } {
  const parts: string[] = [];
  let expired = false;
  const expMs =
    claims?.exp !== undefined ? claims.exp * 1000 : expiresIn !== null ? now() + expiresIn * 1000 : null;
  if (expMs !== null) {
    const minutes = Math.round((expMs - now()) / 60_000);
    expired = expMs <= now();
    parts.push(expired ? `expired ${-minutes} min ago` : `expires in ${minutes} min`);
  } else parts.push('expiry not stated');
  const granted = scope ?? claims?.scp ?? claims?.roles?.join(' ') ?? null;
  if (granted) parts.push(`scope ${granted}`);
  if (claims?.aud) parts.push(`audience ${Array.isArray(claims.aud) ? claims.aud.join(' ') : claims.aud}`);
  return { text: parts.join(', '), expired };
}

/** The token check; `exchange` is the token request (client credentials), `listingError` why the listing failed. */
export function tokenCheck(
  auth: AuthSettings,
  exchange: Exchange | undefined,
  listingError: unknown,
  now: () => number,
): Check {
  if (auth.kind === 'token') return staticTokenCheck(auth.token, now);
  const where = new URL(auth.tokenUrl).host;
  if (exchange?.response && exchange.response.status >= 200 && exchange.response.status < 300) {
    const { text } = describeTokenAnswer(exchange.response.text, auth.scope, now);
    return {
      ...TOKEN,
      status: 'ok',
      detail: `obtained from ${where} in ${exchange.durationMs} ms for client ${auth.clientId}: ${text}`,
    };
  }
  if (listingError instanceof RunError && exchange)
    return {
      ...TOKEN,
      status: 'fail',
      detail: listingError.message,
      ...(listingError.hint ? { hint: listingError.hint } : {}),
    };
  return {
    ...TOKEN,
    status: 'fail',
    detail: `no token from ${where}${listingError instanceof Error ? `: ${listingError.message}` : ''}`,
    hint: 'Check LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET and LPSYNC_SCOPE.',
  };
}

/** A token given as is: its expiry and scope when it is a JWT; whether it is accepted shows in the listing. */
function staticTokenCheck(token: string, now: () => number): Check {
  const claims = jwtClaims(token);
  if (!claims)
    return {
      ...TOKEN,
      status: 'ok',
      detail:
        'static token (not a JWT: its expiry and scope cannot be read; the listing shows whether it is accepted)',
    };
  const { text, expired } = describeClaims(claims, null, null, now);
  return expired
    ? {
        ...TOKEN,
        status: 'fail',
        detail: `static token: ${text}`,
        hint: 'Get a fresh token and set LPSYNC_TOKEN again, or use client credentials.',
      }
    : { ...TOKEN, status: 'ok', detail: `static token: ${text}` };
}

/** The token endpoint's answer, described by its expiry and scope. */
function describeTokenAnswer(
  text: string,
  askedScope: string | undefined,
  now: () => number,
): { text: string; expired: boolean } {
  let body: { access_token?: string; expires_in?: number | string; scope?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // shown as 'expiry not stated'
  }
  const claims = typeof body.access_token === 'string' ? jwtClaims(body.access_token) : null;
  const expiresIn = body.expires_in === undefined ? null : Number(body.expires_in);
  return describeClaims(
    claims,
    Number.isFinite(expiresIn) ? expiresIn : null,
    body.scope ?? askedScope ?? null,
    now,
  );
}
