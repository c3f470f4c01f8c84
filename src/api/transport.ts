/**
 * One HTTP exchange, no policy: node-fetch over a keep-alive agent, a per-request timeout,
 * and — the point of this module — whether the request could have reached the server when it
 * failed, so that the retry policy never re-sends a write whose outcome is unknown.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import fetch, { type RequestInit } from 'node-fetch';
import { RunError } from '../model/errors.js';

export interface TransportOptions {
  /** Sockets per host; at least the apply concurrency so that no request queues for a socket. */
  maxSockets: number;
  timeoutMs: number;
  /** PEM file of a private CA, trusted in addition to the public roots. */
  caFile?: string;
  /** Skip TLS verification (explicit opt-in; the caller warns). */
  insecure?: boolean;
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
      code?: string;
      message: string;
      cause: unknown;
    };

export interface Transport {
  send(request: TransportRequest): Promise<TransportOutcome>;
  close(): void;
}

/** The header that lets the agent find the request's tracker; also handy to correlate server logs. */
export const REQUEST_ID_HEADER = 'x-lpsync-request-id';

type Tracker = (req: http.ClientRequest) => void;

// `addRequest` is how every node agent receives its requests (agent-base hooks the same method).
type AddRequest = (this: http.Agent, req: http.ClientRequest, options: unknown) => void;
const addRequestOf = (agent: http.Agent): AddRequest =>
  (agent as unknown as { addRequest: AddRequest }).addRequest;

/** Hands each request to its tracker (found by the request-id header) before the agent queues it. */
function track(agent: http.Agent, trackers: Map<string, Tracker>): http.Agent {
  const original = addRequestOf(agent);
  (agent as unknown as { addRequest: AddRequest }).addRequest = function (req, opts) {
    const id = req.getHeader(REQUEST_ID_HEADER);
    if (typeof id === 'string') trackers.get(id)?.(req);
    original.call(this, req, opts);
  };
  return agent;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME|EPROTO/i;

/** Creates the transport; `close()` destroys its sockets. */
export function createTransport(options: TransportOptions): Transport {
  const trackers = new Map<string, Tracker>();
  const agentOptions: https.AgentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const httpAgent = track(new http.Agent(agentOptions), trackers);
  const tlsOptions: https.AgentOptions = { ...agentOptions, rejectUnauthorized: !options.insecure };
  // A private CA is added to the public roots: the token endpoint is usually public.
  if (options.caFile) tlsOptions.ca = [...tls.rootCertificates, readCa(options.caFile)];
  const httpsAgent = track(new https.Agent(tlsOptions), trackers);

  const send = async (request: TransportRequest): Promise<TransportOutcome> => {
    const id = randomUUID();
    let sent = false;
    // Fail safe: a request the agent never saw is assumed sent, so a write is never repeated blindly.
    let tracked = false;
    trackers.set(id, (req) => {
      tracked = true;
      req.once('socket', (socket) => {
        // A kept-alive socket is already open: the request goes out at once.
        if (req.reusedSocket || !socket.connecting) sent = true;
        else socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => (sent = true));
      });
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    const url = new URL(request.url);
    const init: RequestInit = {
      method: request.method,
      headers: { ...request.headers, [REQUEST_ID_HEADER]: id },
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
      signal: controller.signal as RequestInit['signal'],
      redirect: 'manual',
    };
    if (request.body !== undefined) init.body = request.body;
    try {
      const response = await fetch(url.href, init);
      const text = await response.text();
      return {
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        header: (name) => response.headers.get(name),
        text,
      };
    } catch (error) {
      const err = error as { name?: string; code?: string; errno?: string; message?: string };
      const timedOut = controller.signal.aborted || err.name === 'AbortError';
      const code = err.code ?? err.errno;
      return {
        kind: 'error',
        reason: timedOut ? 'timeout' : 'network',
        sent: sent || !tracked,
        tls: !timedOut && typeof code === 'string' && TLS_CODES.test(code),
        ...(code === undefined ? {} : { code }),
        message: timedOut ? `no answer within ${options.timeoutMs} ms` : (err.message ?? String(error)),
        cause: error,
      };
    } finally {
      clearTimeout(timer);
      trackers.delete(id);
    }
  };

  return {
    send,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunError('invalid-options', `Cannot read the CA file ${file}: ${(error as Error).message}`);
  }
}
