/**
 * One HTTP exchange, no policy: node's http over a keep-alive agent, a per-request timeout,
 * and — the point of this module — whether the request could have reached the server when it
 * failed, so that the retry policy never re-sends a write whose outcome is unknown.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_RESPONSE_MB } from '../model/defaults.js';
import { RunError } from '../model/errors.js';
import { createAgents } from './agents.js';
import { exchange, TimedOut, TooLarge } from './http-exchange.js';
import { NO_PROXY_RULES, showProxy, type ProxyRules } from './proxy.js';

export interface TransportOptions {
  /** Sockets per host; at least the apply concurrency so that no request queues for a socket. */
  maxSockets: number;
  timeoutMs: number;
  /** The most of a response body read (default DEFAULT_MAX_RESPONSE_MB): reading stops there. */
  maxResponseBytes?: number;
  /** PEM file of a private CA, trusted in addition to the public roots. */
  caFile?: string;
  /** Skip TLS verification (explicit opt-in; the caller warns). */
  insecure?: boolean;
  /** Which requests go through which proxy (default: none). */
  proxy?: ProxyRules;
  /** Sees every exchange as it ends (the HTTP trace); must not throw. */
  onExchange?: (exchange: Exchange) => void;
}

/** One request and what became of it, for an HTTP trace. */
export interface Exchange {
  /** As lpsync built it (without the request-id header the transport adds). */
  request: TransportRequest;
  startedAt: Date;
  durationMs: number;
  /** The proxy it went through, shown with its password masked. */
  proxy: string | null;
  response: { status: number; statusText: string; headers: Array<[string, string]>; text: string } | null;
  error: string | null;
}

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type TransportOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      header(name: string): string | null;
      text: string;
    }
  | {
      kind: 'error';
      reason: 'timeout' | 'network';
      /** True once a byte of the request could have reached the server. */
      sent: boolean;
      /** A certificate or handshake failure: retrying cannot help. */
      tls: boolean;
      /** The proxy's status when it refused to open the tunnel (407: its credentials were refused). */
      proxyStatus?: number;
      /** The answer's body was larger than the cap: reading stopped there (its status came first). */
      tooLarge?: { limitBytes: number; status: number };
      code?: string;
      message: string;
      cause: unknown;
    };

export interface Transport {
  send(request: TransportRequest): Promise<TransportOutcome>;
  close(): void;
}

/** A request's id, sent as a header: handy to correlate with the platform's logs. */
export const REQUEST_ID_HEADER = 'x-lpsync-request-id';

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME|EPROTO/i;

/** Creates the transport; `close()` destroys its sockets. */
export function createTransport(options: TransportOptions): Transport {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_MB * MIB;
  // A private CA is added to the public roots: the token endpoint is usually public.
  const ca = options.caFile ? [...tls.rootCertificates, readCa(options.caFile)] : undefined;
  const agents = createAgents({
    maxSockets: options.maxSockets,
    rejectUnauthorized: !options.insecure,
    proxy: options.proxy ?? NO_PROXY_RULES,
    ...(ca ? { ca } : {}),
  });

  const send = async (request: TransportRequest): Promise<TransportOutcome> => {
    // Fail safe: a request the agent never saw is assumed sent, so a write is never repeated blindly.
    const sending: Sending = { tracked: false, sent: false };
    const url = new URL(request.url);
    const { agent, proxy } = await agents.forUrl(url);
    const shownProxy = proxy ? showProxy(proxy.url) : null;
    const report = exchangeReporter(options.onExchange, request, shownProxy);
    try {
      const response = await exchange({
        url,
        method: request.method,
        headers: { ...request.headers, [REQUEST_ID_HEADER]: randomUUID() },
        ...(request.body === undefined ? {} : { body: request.body }),
        agent,
        maxBytes: maxResponseBytes,
        timeoutMs: options.timeoutMs,
        onRequest: (req) => watchSending(req, sending),
      });
      if (sending.proxyStatus !== undefined) {
        const message = `the proxy ${shownProxy ?? ''} refused to open a tunnel to ${url.host} (HTTP ${sending.proxyStatus}${response.statusText ? ` ${response.statusText}` : ''})`;
        report(null, message);
        return proxyRefused(sending.proxyStatus, message);
      }
      const { headers } = response;
      if (options.onExchange)
        report(
          {
            status: response.status,
            statusText: response.statusText,
            headers: headerList(headers),
            text: response.text,
          },
          null,
        );
      return {
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        header: (name) => headerValue(headers[name.toLowerCase()]),
        text: response.text,
      };
    } catch (error) {
      if (error instanceof TooLarge) {
        const outcome = tooLarge(error.status, maxResponseBytes);
        report(null, outcome.message);
        return outcome;
      }
      const outcome = failure(error, error instanceof TimedOut, options.timeoutMs, shownProxy, sending);
      report(null, outcome.message);
      return outcome;
    }
  };

  return { send, close: () => agents.destroy() };
}

/** What the agent saw of one request: whether a byte of it could have left, and a proxy's refusal. */
interface Sending {
  tracked: boolean;
  sent: boolean;
  proxyStatus?: number;
}

/** A header's value as one text (repeated headers joined, as the Fetch standard joins them). */
function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The answer's headers for the HTTP trace: lower-case names in sorted order, as node-fetch listed them. */
function headerList(headers: http.IncomingHttpHeaders): Array<[string, string]> {
  return Object.keys(headers)
    .sort()
    .map((name) => [name, headerValue(headers[name]) ?? '']);
}

/** Follows one request from the agent to its socket, noting when it could have reached the server. */
function watchSending(req: http.ClientRequest, sending: Sending): void {
  sending.tracked = true;
  // A proxy that refuses the CONNECT answers in the tunnel's place: the request never left lpsync.
  req.once('proxyConnect', (connect: { statusCode?: number }) => {
    if (typeof connect.statusCode === 'number' && connect.statusCode !== 200)
      sending.proxyStatus = connect.statusCode;
  });
  req.once('socket', (socket) => {
    // A kept-alive socket is already open: the request goes out at once.
    if (req.reusedSocket) sending.sent = true;
    else if (socket instanceof tls.TLSSocket) {
      // A tunnel is connected before its TLS handshake: the request leaves only after it.
      if (!socket.connecting && handshakeDone(socket)) sending.sent = true;
      else socket.once('secureConnect', () => (sending.sent = true));
    } else if (!socket.connecting) sending.sent = true;
    else socket.once('connect', () => (sending.sent = true));
  });
}

/** Tells the HTTP trace (when there is one) how an exchange ended, timed from now. */
function exchangeReporter(
  onExchange: TransportOptions['onExchange'],
  request: TransportRequest,
  proxy: string | null,
): (response: Exchange['response'], error: string | null) => void {
  const startedAt = new Date();
  return (response, error) =>
    onExchange?.({
      request,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      proxy,
      response,
      error,
    });
}

type TransportError = Extract<TransportOutcome, { kind: 'error' }>;

const MIB = 1024 * 1024;

/** "16 MiB", "512 KiB": a cap as a person reads it. */
export function showBytes(bytes: number): string {
  return bytes >= MIB && bytes % MIB === 0
    ? `${bytes / MIB} MiB`
    : bytes >= 1024
      ? `${Math.round(bytes / 1024)} KiB`
      : `${bytes} bytes`;
}

/** An answer whose body passed the cap: it was answered (with `status`), but what it said is not known. */
function tooLarge(status: number, limitBytes: number): TransportError {
  const message = `the answer (HTTP ${status}) is larger than ${showBytes(limitBytes)}, the cap on a response body: lpsync stopped reading it`;
  return {
    kind: 'error',
    reason: 'network',
    sent: true,
    tls: false,
    tooLarge: { limitBytes, status },
    message,
    cause: new Error(message),
  };
}

/** A proxy that would not open the tunnel: the request never reached the platform. */
function proxyRefused(proxyStatus: number, message: string): TransportError {
  return {
    kind: 'error',
    reason: 'network',
    sent: false,
    tls: false,
    proxyStatus,
    message,
    cause: new Error(message),
  };
}

/** A request that got no answer: timed out or broke, and whether it could have been sent. */
function failure(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  shownProxy: string | null,
  sending: Sending,
): TransportError {
  const err = error as { code?: string; errno?: string; message?: string };
  const code = err.code ?? err.errno;
  const message = timedOut ? `no answer within ${timeoutMs} ms` : (err.message ?? String(error));
  const via = shownProxy && !timedOut ? ` (through the proxy ${shownProxy})` : '';
  return {
    kind: 'error',
    reason: timedOut ? 'timeout' : 'network',
    sent: sending.sent || !sending.tracked,
    tls: !timedOut && typeof code === 'string' && TLS_CODES.test(code),
    ...(code === undefined ? {} : { code }),
    message: message + via,
    cause: error,
  };
}

/** True once a TLS socket's handshake has finished (`getProtocol()` answers 'unknown' until then). */
function handshakeDone(socket: tls.TLSSocket): boolean {
  const protocol = socket.getProtocol();
  return protocol !== null && protocol !== 'unknown';
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read the CA file ${file}: ${(error as Error).message}`);
  }
}
