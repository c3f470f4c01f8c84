/**
 * `lpsync doctor`: whether lpsync can work from here, one check at a time, each with what to do
 * when it cannot. Read-only: one token request, one listing, one Get SIP Connection; nothing is
 * sent that changes the platform and nothing is written on disk (the state store is read from a
 * copy). Settings in, a list of checks out; the CLI chooses how to show them.
 */
import type winston from 'winston';
import { ApiError } from '../api/errors.js';
import { createLivePlatformClient, type AuthSettings } from '../api/index.js';
import { probeDns, probeTcp, probeTls, type TlsFacts } from '../api/probe.js';
import { proxyFor, showProxy, type ProxyRules } from '../api/proxy.js';
import type { ShapeNotice } from '../api/shape.js';
import type { Exchange } from '../api/transport.js';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import { SCHEMA_VERSION } from '../state/index.js';
import { inspectStateStore } from '../state/inspect.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do, for a warning or a failure. */
  hint?: string;
  data?: Record<string, unknown>;
}

export interface DoctorReport {
  checks: Check[];
  /** 0 all green, 1 warnings, 3 lpsync cannot work. */
  exitCode: 0 | 1 | 3;
}

/** The connection settings doctor needs (what `resolveConnection` answers). */
export interface DoctorSettings {
  baseUrl: string;
  auth: AuthSettings;
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  /** The cap on one answer (`--max-response-mb`), in bytes; the client's default when absent. */
  maxResponseBytes?: number;
  proxy: ProxyRules;
  sources: Record<string, string>;
}

export interface DoctorInput {
  /** The settings, or why they could not be resolved. */
  settings: DoctorSettings | { problem: string; hint?: string };
  statePath: string;
  logger: winston.Logger;
  redactor: Redactor;
  /** The clock (ms since the epoch), for expiry and skew. */
  now: () => number;
}

/** A clock this far from the platform's is worth a warning: tokens carry times. */
const MAX_SKEW_MS = 60_000;
/** A certificate that expires sooner than this is worth a warning. */
const CERT_WARN_DAYS = 30;

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: Check[] = [];
  const add = (check: Check) => checks.push({ ...check, detail: input.redactor.text(check.detail) });
  const { settings } = input;

  if ('problem' in settings) {
    add({
      id: 'settings',
      title: 'Settings',
      status: 'fail',
      detail: settings.problem,
      ...(settings.hint ? { hint: settings.hint } : {}),
    });
    add(stateCheck(input));
    return finish(checks);
  }
  const s = settings;
  add({
    id: 'settings',
    title: 'Settings',
    status: 'ok',
    detail: Object.entries(s.sources)
      .sort(([a], [b]) => settingOrder(a) - settingOrder(b))
      .map(([name, source]) => `${name} ← ${source}`)
      .join('; '),
    data: { sources: s.sources },
  });
  add(urlCheck(s));

  const base = new URL(s.baseUrl);
  const ca = s.caFile ? [...tls.rootCertificates, readFileSync(s.caFile, 'utf8')] : undefined;
  const baseReachable = await pathChecks(base, '', s, ca, add, input.now);
  if (s.auth.kind === 'client-credentials') {
    const tokenUrl = new URL(s.auth.tokenUrl);
    if (tokenUrl.host !== base.host || tokenUrl.protocol !== base.protocol)
      await pathChecks(tokenUrl, ' (token endpoint)', s, ca, add, input.now);
  }

  if (!baseReachable) {
    for (const [id, title] of [
      ['token', 'Token'],
      ['listing', 'Listing'],
      ['read-back', 'Read-back'],
      ['clock', 'Clock'],
    ] as const)
      add({
        id,
        title,
        status: 'skip',
        detail: 'not tried: the Live Platform cannot be reached (see above)',
      });
  } else {
    for (const check of await apiChecks(s, input)) add(check);
  }
  add(stateCheck(input));
  return finish(checks);
}

const SETTING_ORDER = [
  'baseUrl',
  'credentials',
  'proxy',
  'caFile',
  'insecure',
  'timeout',
  'maxResponse',
  'retries',
  'concurrency',
  'maxConcurrency',
  'rate',
];
const settingOrder = (name: string): number => {
  const i = SETTING_ORDER.indexOf(name);
  return i < 0 ? SETTING_ORDER.length : i;
};

function finish(checks: Check[]): DoctorReport {
  const exitCode = checks.some((c) => c.status === 'fail')
    ? 3
    : checks.some((c) => c.status === 'warn')
      ? 1
      : 0;
  return { checks, exitCode };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function urlCheck(s: DoctorSettings): Check {
  const url = new URL(s.baseUrl);
  const problems: string[] = [];
  const hints: string[] = [];
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    problems.push('plain http: the token and the passwords would cross the network unencrypted');
    hints.push('use https://');
  }
  if (!/\/tenantui$/i.test(url.pathname)) {
    problems.push('it does not end in /tenantui, as Live Platform API URLs do');
    hints.push('use the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui');
  }
  if (url.password) {
    problems.push('it carries a password (masked here)');
    hints.push('put credentials in LPSYNC_TOKEN or LPSYNC_CLIENT_SECRET, not in the URL');
  }
  if (url.search || url.hash) {
    problems.push('it has a query or fragment, which lpsync would append paths after');
    hints.push('remove everything after /tenantui');
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (problems.length === 0) {
    const note = url.protocol === 'http:' ? ' (plain http on loopback: a simulator)' : '';
    return { id: 'url', title: 'Base URL', status: 'ok', detail: `${shown}${note}` };
  }
  return {
    id: 'url',
    title: 'Base URL',
    status: 'warn',
    detail: `${shown}: ${problems.join('; ')}`,
    hint: hints.join('; '),
  };
}

/** DNS, TCP and TLS checks for one URL (to the proxy where one is used); true when TCP connected. */
async function pathChecks(
  url: URL,
  label: string,
  s: DoctorSettings,
  ca: string[] | undefined,
  add: (check: Check) => void,
  now: () => number,
): Promise<boolean> {
  const proxy = proxyFor(s.proxy, url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const hop = proxy ? proxy.url : url;
  const hopHost = hop.hostname;
  const hopPort = Number(hop.port || (hop.protocol === 'https:' ? 443 : 80));
  const via = proxy
    ? ` (the proxy ${showProxy(proxy.url)} from ${proxy.source}; it resolves ${url.hostname})`
    : '';
  const id = (name: string) => `${name}${label ? ':token' : ''}`;

  const dns = await probeDns(hopHost);
  if (!dns.ok) {
    add({
      id: id('dns'),
      title: `DNS${label}`,
      status: 'fail',
      detail: `${dns.problem}${via}`,
      hint: proxy
        ? 'Check the proxy host name.'
        : 'Check the host name; from a corporate network, set HTTPS_PROXY if direct lookups are not allowed.',
    });
    add({
      id: id('tcp'),
      title: `TCP${label}`,
      status: 'skip',
      detail: 'not tried: the name does not resolve',
    });
    add({
      id: id('tls'),
      title: `TLS${label}`,
      status: 'skip',
      detail: 'not tried: the name does not resolve',
    });
    return false;
  }
  add({
    id: id('dns'),
    title: `DNS${label}`,
    status: 'ok',
    detail: dns.literal
      ? `${hopHost} is an IP address${via}`
      : `${hopHost} → ${dns.addresses.join(', ')}${via}`,
    data: { host: hopHost, addresses: dns.addresses },
  });

  const tcp = await probeTcp(hopHost, hopPort, s.timeoutMs);
  if (!tcp.ok) {
    add({
      id: id('tcp'),
      title: `TCP${label}`,
      status: 'fail',
      detail: `cannot connect to ${hopHost}:${hopPort}: ${tcp.problem}${proxy ? ' (the proxy)' : ''}`,
      hint: proxy
        ? 'Check the proxy address and port (--proxy, HTTPS_PROXY, HTTP_PROXY).'
        : 'Check the host and port and that a firewall lets this machine through; behind a corporate proxy set HTTPS_PROXY.',
    });
    add({ id: id('tls'), title: `TLS${label}`, status: 'skip', detail: 'not tried: no TCP connection' });
    return false;
  }
  add({
    id: id('tcp'),
    title: `TCP${label}`,
    status: 'ok',
    detail: `connected to ${hopHost}:${hopPort} in ${tcp.ms} ms${proxy ? ' (the proxy)' : ''}`,
  });

  if (url.protocol !== 'https:') {
    const loopback = LOOPBACK.test(url.hostname);
    add({
      id: id('tls'),
      title: `TLS${label}`,
      status: loopback ? 'ok' : 'skip',
      detail: loopback
        ? `not needed: ${url.host} is this machine (plain http)`
        : `not used: ${url.origin} is plain http`,
    });
    return true;
  }
  const probe = await probeTls({
    host: url.hostname,
    port,
    timeoutMs: s.timeoutMs,
    ...(ca ? { ca } : {}),
    ...(proxy ? { proxy: proxy.url } : {}),
  });
  add(tlsCheck(id('tls'), `TLS${label}`, url, probe, s, proxy ? showProxy(proxy.url) : null, now));
  return probe.ok || !proxy;
}

function tlsCheck(
  id: string,
  title: string,
  url: URL,
  probe: Awaited<ReturnType<typeof probeTls>>,
  s: DoctorSettings,
  proxy: string | null,
  now: () => number,
): Check {
  const through = proxy ? `; through ${proxy}` : '';
  if (!probe.ok)
    return {
      id,
      title,
      status: 'fail',
      detail: `no TLS handshake with ${url.host}: ${probe.problem}${through}`,
      hint: proxy
        ? 'Check that the proxy allows CONNECT to this host and port.'
        : 'Check that the port speaks TLS (https).',
    };
  const facts: TlsFacts = probe;
  const leaf = facts.chain[0];
  const chain = facts.chain.map((c) => c.subject).join(' ← ');
  const ca = s.caFile ? `; --ca-file ${s.caFile} trusted` : '';
  const daysLeft = leaf ? Math.floor((Date.parse(leaf.validTo) - now()) / 86_400_000) : null;
  const base = `${facts.protocol ?? 'TLS'}, chain ${chain || '(none)'}${leaf ? `, valid until ${leaf.validTo.slice(0, 10)} (${daysLeft} days)` : ''}${ca}${through}`;
  const data = {
    protocol: facts.protocol,
    chain: facts.chain,
    authorized: facts.authorized,
    caFile: s.caFile ?? null,
    proxy,
  };
  if (!facts.authorized || facts.identityError) {
    const why = facts.identityError ?? facts.authorizationError ?? 'not verified';
    if (s.insecure)
      return {
        id,
        title,
        status: 'warn',
        detail: `not verified (${why}), accepted because of --insecure: ${base}`,
        hint: 'Pass --ca-file with the CA that signed it instead of --insecure.',
        data,
      };
    return {
      id,
      title,
      status: 'fail',
      detail: `the certificate is not trusted (${why}): ${base}`,
      hint: facts.identityError
        ? `Use the host name the certificate is issued for in the URL (${url.hostname} is not on it).`
        : 'Pass --ca-file (or "caFile" in the config) with the PEM of the CA that signed it; a proxy that inspects TLS needs its own CA there.',
      data,
    };
  }
  if (daysLeft !== null && daysLeft < 0)
    return {
      id,
      title,
      status: 'fail',
      detail: `the certificate expired: ${base}`,
      hint: 'The platform operator must renew the certificate.',
      data,
    };
  if (daysLeft !== null && daysLeft < CERT_WARN_DAYS)
    return {
      id,
      title,
      status: 'warn',
      detail: `the certificate expires soon: ${base}`,
      hint: 'Tell the platform operator; lpsync will refuse it once it has expired.',
      data,
    };
  return { id, title, status: 'ok', detail: `verified: ${base}`, data };
}

/** Token, listing, one read-back and the clock, through the real client (one attempt each, nothing written). */
async function apiChecks(s: DoctorSettings, input: DoctorInput): Promise<Check[]> {
  const exchanges: Exchange[] = [];
  const client = createLivePlatformClient({
    baseUrl: s.baseUrl,
    auth: s.auth,
    logger: input.logger,
    redactor: input.redactor,
    concurrency: 1,
    timeoutMs: s.timeoutMs,
    ...(s.maxResponseBytes === undefined ? {} : { maxResponseBytes: s.maxResponseBytes }),
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
    insecure: s.insecure,
    proxy: s.proxy,
    ...(s.caFile ? { caFile: s.caFile } : {}),
    onExchange: (e) => exchanges.push(e),
  });
  const checks: Check[] = [];
  try {
    let services: Awaited<ReturnType<typeof client.listServices>> | undefined;
    let listingError: unknown;
    try {
      services = await client.listServices({ allDetails: true });
    } catch (error) {
      listingError = error;
    }
    const tokenUrl = s.auth.kind === 'client-credentials' ? s.auth.tokenUrl : undefined;
    const tokenExchange = tokenUrl ? exchanges.find((e) => e.request.url === tokenUrl) : undefined;
    const token = tokenCheck(s.auth, tokenExchange, listingError, input.now);
    checks.push(token);
    if (token.status === 'fail' && s.auth.kind === 'client-credentials') {
      for (const [id, title] of [
        ['listing', 'Listing'],
        ['read-back', 'Read-back'],
        ['clock', 'Clock'],
      ] as const)
        checks.push({ id, title, status: 'skip', detail: 'not tried: no token' });
      return checks;
    }
    const listingExchange = exchanges.find((e) => e.request.url.includes('/api/v3/customer?allDetails=true'));
    if (!services) {
      checks.push(listingFailure(listingError));
      checks.push({ id: 'read-back', title: 'Read-back', status: 'skip', detail: 'not tried: no listing' });
    } else {
      const sites = services.reduce((n, svc) => n + svc.sites.length, 0);
      checks.push(
        shapeCheck(
          'listing',
          'Listing',
          `GET /api/v3/customer?allDetails=true: ${services.length} service(s), ${sites} SIP connection(s)`,
          client.notices().filter((n) => n.endpoint === 'GET /api/v3/customer'),
        ),
      );
      const service = services.find((svc) => svc.sites.length > 0);
      const site = service?.sites[0];
      if (!service || !site) {
        checks.push({
          id: 'read-back',
          title: 'Read-back',
          status: 'skip',
          detail: 'nothing to read back: no SIP connection on the platform yet',
        });
      } else {
        try {
          const details = await client.getSite(site.id);
          checks.push(
            details
              ? shapeCheck(
                  'read-back',
                  'Read-back',
                  `GET /api/v2/sitelocation/{id}: SIP connection "${details.siteName}" of ${service.shortName}`,
                  client.notices().filter((n) => n.endpoint === 'GET /api/v2/sitelocation/{siteLocationId}'),
                )
              : {
                  id: 'read-back',
                  title: 'Read-back',
                  status: 'fail',
                  detail: `GET /api/v2/sitelocation/${site.id} answered 404 for a site the listing names`,
                  hint: 'Report it to the platform vendor: the listing and Get SIP Connection disagree.',
                },
          );
        } catch (error) {
          checks.push(readFailure('read-back', 'Read-back', error));
        }
      }
    }
    checks.push(clockCheck(listingExchange ?? exchanges.find((e) => e.response !== null)));
    return checks;
  } finally {
    client.close();
  }
}

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

function tokenCheck(
  auth: AuthSettings,
  exchange: Exchange | undefined,
  listingError: unknown,
  now: () => number,
): Check {
  if (auth.kind === 'token') {
    const claims = jwtClaims(auth.token);
    if (!claims)
      return {
        id: 'token',
        title: 'Token',
        status: 'ok',
        detail:
          'static token (not a JWT: its expiry and scope cannot be read; the listing shows whether it is accepted)',
      };
    const { text, expired } = describeClaims(claims, null, null, now);
    return expired
      ? {
          id: 'token',
          title: 'Token',
          status: 'fail',
          detail: `static token: ${text}`,
          hint: 'Get a fresh token and set LPSYNC_TOKEN again, or use client credentials.',
        }
      : { id: 'token', title: 'Token', status: 'ok', detail: `static token: ${text}` };
  }
  const where = new URL(auth.tokenUrl).host;
  if (exchange?.response && exchange.response.status >= 200 && exchange.response.status < 300) {
    let body: { access_token?: string; expires_in?: number | string; scope?: string } = {};
    try {
      body = JSON.parse(exchange.response.text) as typeof body;
    } catch {
      // shown as 'expiry not stated' below
    }
    const claims = typeof body.access_token === 'string' ? jwtClaims(body.access_token) : null;
    const expiresIn = body.expires_in === undefined ? null : Number(body.expires_in);
    const { text } = describeClaims(
      claims,
      Number.isFinite(expiresIn) ? expiresIn : null,
      body.scope ?? auth.scope ?? null,
      now,
    );
    return {
      id: 'token',
      title: 'Token',
      status: 'ok',
      detail: `obtained from ${where} in ${exchange.durationMs} ms for client ${auth.clientId}: ${text}`,
    };
  }
  if (listingError instanceof RunError && exchange)
    return {
      id: 'token',
      title: 'Token',
      status: 'fail',
      detail: listingError.message,
      ...(listingError.hint ? { hint: listingError.hint } : {}),
    };
  return {
    id: 'token',
    title: 'Token',
    status: 'fail',
    detail: `no token from ${where}${listingError instanceof Error ? `: ${listingError.message}` : ''}`,
    hint: 'Check LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET and LPSYNC_SCOPE.',
  };
}

function listingFailure(error: unknown): Check {
  if (error instanceof RunError && error.code === 'auth-refused') {
    return {
      id: 'listing',
      title: 'Listing',
      status: 'fail',
      detail: `${error.message} A 401 means the token has expired or was issued for another audience.`,
      hint: 'With client credentials, LPSYNC_SCOPE must be the Live Platform app id followed by /.default; otherwise get a fresh LPSYNC_TOKEN.',
    };
  }
  if (error instanceof ApiError && error.status === 403) {
    return {
      id: 'listing',
      title: 'Listing',
      status: 'fail',
      detail: `${error.message} (HTTP 403: the token is valid but not allowed to list services in this tenant)`,
      hint: 'Ask the Live Platform administrator to grant the app registration (LPSYNC_CLIENT_ID) access to this tenant.',
    };
  }
  return readFailure('listing', 'Listing', error);
}

function readFailure(id: string, title: string, error: unknown): Check {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError || error instanceof RunError ? error.hint : undefined;
  return { id, title, status: 'fail', detail: message, ...(hint ? { hint } : {}) };
}

function shapeCheck(id: string, title: string, found: string, notices: ShapeNotice[]): Check {
  if (notices.length === 0) return { id, title, status: 'ok', detail: `${found}; every field as documented` };
  const unknownFields = notices.filter((n) => n.kind === 'unknown-field').map((n) => n.field);
  const unknownValues = notices
    .filter((n) => n.kind === 'unknown-value')
    .map((n) => `${n.field} = ${n.value ?? ''}`);
  const parts = [
    ...(unknownFields.length ? [`fields lpsync does not know: ${unknownFields.join(', ')}`] : []),
    ...(unknownValues.length ? [`values lpsync does not know: ${unknownValues.join(', ')}`] : []),
  ];
  return {
    id,
    title,
    status: 'warn',
    detail: `${found}; ${parts.join('; ')}`,
    hint: 'lpsync reads the documented fields and ignores the rest; report the new ones to the lpsync maintainers (run with --verbose for each warning).',
    data: { notices },
  };
}

function clockCheck(exchange: Exchange | undefined): Check {
  const date = exchange?.response?.headers.find(([name]) => name.toLowerCase() === 'date')?.[1];
  if (!exchange || !date || Number.isNaN(Date.parse(date)))
    return {
      id: 'clock',
      title: 'Clock',
      status: 'warn',
      detail: 'the Live Platform sent no Date header: the clock cannot be compared',
      hint: 'Keep this machine on NTP: tokens carry times.',
    };
  // The Date header has whole seconds: compare with the middle of the exchange.
  const local = exchange.startedAt.getTime() + exchange.durationMs / 2;
  const skewMs = Date.parse(date) - local;
  const seconds = Math.round(skewMs / 1000);
  const apart =
    seconds === 0 ? 'within a second of' : `${Math.abs(seconds)} s ${seconds > 0 ? 'behind' : 'ahead of'}`;
  const detail = `${apart} the Live Platform's (its Date header: ${date})`;
  return Math.abs(skewMs) > MAX_SKEW_MS + 1000
    ? {
        id: 'clock',
        title: 'Clock',
        status: 'warn',
        detail: `this machine's clock is ${detail}`,
        hint: 'Set the clock (NTP): tokens are refused as expired or not yet valid when clocks disagree by minutes.',
        data: { skewSeconds: seconds },
      }
    : {
        id: 'clock',
        title: 'Clock',
        status: 'ok',
        detail: `this machine's clock is ${detail}`,
        data: { skewSeconds: seconds },
      };
}

function stateCheck(input: DoctorInput): Check {
  const found = inspectStateStore(input.statePath);
  const title = 'State store';
  switch (found.kind) {
    case 'absent':
      return found.creatable
        ? {
            id: 'state',
            title,
            status: 'ok',
            detail: `${found.path} does not exist yet: the first apply creates it (${found.folder} is writable)`,
            data: { path: found.path, exists: false },
          }
        : {
            id: 'state',
            title,
            status: 'fail',
            detail: `${found.path} does not exist and ${found.folder} is not writable by this user`,
            hint: 'Choose another --state path, or make the folder writable for the user cron runs as.',
          };
    case 'unreadable':
      return {
        id: 'state',
        title,
        status: 'fail',
        detail: `${found.path} cannot be read as a state store: ${found.problem}`,
        hint: 'Check the --state path: it must be the SQLite file lpsync wrote.',
      };
    case 'present': {
      const parts = [found.path];
      if (found.schemaVersion === null) parts.push('no schema version (not written by lpsync?)');
      else
        parts.push(
          `schema ${found.schemaVersion}${found.schemaVersion < SCHEMA_VERSION ? ` (the next apply upgrades it to ${SCHEMA_VERSION})` : ''}`,
        );
      const run = found.lastRun;
      parts.push(
        run
          ? `last run ${run.runId} (${run.command}, ${run.status}${run.endedAt ? ` ${run.endedAt}` : `, started ${run.startedAt}`})`
          : 'no run yet',
      );
      if (run && run.status !== 'finished')
        parts.push('it did not finish: the next apply or reconcile reads its writes back first');
      if (found.lock)
        parts.push(
          `lock held by run ${found.lock.runId} (process ${found.lock.pid} on ${found.lock.host} since ${found.lock.acquiredAt})`,
        );
      const data = { ...found };
      if (found.schemaVersion !== null && found.schemaVersion > SCHEMA_VERSION)
        return {
          id: 'state',
          title,
          status: 'fail',
          detail: `${parts.join('; ')}: written by a newer lpsync (this one knows schema ${SCHEMA_VERSION})`,
          hint: 'Run the lpsync version that wrote it, or another --state.',
          data,
        };
      if (!found.writable)
        return {
          id: 'state',
          title,
          status: 'fail',
          detail: `${parts.join('; ')}: not writable by this user`,
          hint: 'Make the file and its folder writable for the user cron runs as.',
          data,
        };
      if (found.schemaVersion === null)
        return {
          id: 'state',
          title,
          status: 'fail',
          detail: parts.join('; '),
          hint: 'Point --state at the state store lpsync wrote.',
          data,
        };
      return { id: 'state', title, status: 'ok', detail: parts.join('; '), data };
    }
  }
}
