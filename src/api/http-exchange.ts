/**
 * One HTTP exchange on node's own http/https modules: the request written, the answer's status, headers
 * and text read up to a cap, a deadline. (node-fetch did this before, at about three times the CPU per
 * request: a WHATWG Headers object, body streams piped through PassThroughs and an AbortController per
 * stream pipeline, none of which a JSON API client needs.) It keeps node-fetch's wire manners: gzip,
 * deflate and br answers are decoded, a redirect is answered as it is, never followed.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  agent: http.Agent;
  /** The most of the answer's (decoded) text read: beyond it the exchange ends with `TooLarge`. */
  maxBytes: number;
  timeoutMs: number;
  /** Sees the request as soon as it exists, before the agent gives it a socket. */
  onRequest?: (req: http.ClientRequest) => void;
}

export interface ExchangeResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** The answer's body passed the cap: its status is known, what it said is not. */
export class TooLarge extends Error {
  constructor(readonly status: number) {
    super('the answer is larger than the cap');
  }
}

/** No answer within the deadline. */
export class TimedOut extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** What a client sends unless told otherwise (the same as node-fetch sent, its name aside). */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  accept: '*/*',
  'accept-encoding': 'gzip, deflate, br',
  'user-agent': 'lpsync',
};

/**
 * Sends one request and reads its answer. Rejects with `TimedOut`, `TooLarge`, or the socket's
 * error wrapped as node-fetch wrapped it ("request to URL failed, reason: …", its `code` kept).
 */
export function exchange(request: ExchangeRequest): Promise<ExchangeResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, response?: ExchangeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response!);
    };
    const req = (request.url.protocol === 'https:' ? https : http).request(request.url, {
      method: request.method,
      headers: headersOf(request),
      agent: request.agent,
    });
    const timer = setTimeout(() => finish(new TimedOut(request.timeoutMs)), request.timeoutMs);
    request.onRequest?.(req);
    req.on('error', (error: NodeJS.ErrnoException) => finish(systemError(request.url, error)));
    req.on('response', (res) => {
      readText(res, request.maxBytes, request.method).then(
        (text) =>
          finish(null, {
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            text,
          }),
        (error: Error) =>
          finish(
            error instanceof TooLarge ? new TooLarge(res.statusCode ?? 0) : systemError(request.url, error),
          ),
      );
    });
    req.end(request.body);
  });
}

function headersOf(request: ExchangeRequest): Record<string, string> {
  const headers: Record<string, string> = { ...DEFAULT_HEADERS };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return headers;
}

/** A socket or protocol error, worded and coded as node-fetch's FetchError was. */
function systemError(url: URL, error: NodeJS.ErrnoException): Error {
  const wrapped = new Error(`request to ${url.href} failed, reason: ${error.message}`, { cause: error });
  return error.code === undefined ? wrapped : Object.assign(wrapped, { code: error.code, errno: error.code });
}

/** The answer's text, decoded as its Content-Encoding says; rejects with `TooLarge` past `maxBytes`. */
function readText(res: http.IncomingMessage, maxBytes: number, method: string): Promise<string> {
  const body = decoded(res, method);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        body.destroy();
        res.destroy();
        reject(new TooLarge(res.statusCode ?? 0));
        return;
      }
      chunks.push(chunk);
    });
    body.on('error', reject);
    if (body !== res) res.on('error', reject);
    body.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
  });
}

// Lenient, as browsers and node-fetch are: a stream cut short still yields what it decoded.
const FLUSH = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** The body as text bytes: gzip and zlib-wrapped deflate (told apart by their header), br; else as sent. */
function decoded(res: http.IncomingMessage, method: string): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  if (method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 || encoding === '') return res;
  if (['gzip', 'x-gzip', 'deflate', 'x-deflate'].includes(encoding)) return res.pipe(zlib.createUnzip(FLUSH));
  if (encoding === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}
