/**
 * HTTP exchanges as an HTTP Archive (HAR 1.2): what browser devtools and the platform vendor's
 * support open. Every header, URL and body passes through the run's redactor when the archive
 * is built — at the end of the run, when it knows every secret the run met (tokens issued midway
 * included): Authorization and proxy headers, token form fields, carrier passwords and the Teams
 * application secret in bodies.
 */
import { MASK, isSecretKey, type Redactor } from '../model/redact.js';
import type { Exchange } from './transport.js';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
  /** Why no response came (a custom field: HAR has none for a failed request). */
  _error?: string;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

/** Headers whose whole value is a credential, whatever it looks like. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** The archive of `exchanges`, masked with `redactor`. */
export function buildHar(
  exchanges: readonly Exchange[],
  redactor: Redactor,
  creator: Har['log']['creator'],
): Har {
  return {
    log: {
      version: '1.2',
      creator,
      entries: exchanges.map((e) => harEntry(e, redactor)),
      comment: `Recorded by lpsync ${creator.version}; secrets are masked as ${MASK}.`,
    },
  };
}

function harEntry(e: Exchange, redactor: Redactor): HarEntry {
  const url = redactor.text(e.request.url);
  const requestType = headerValue(e.request.headers, 'content-type');
  const body = e.request.body;
  const response = e.response;
  const responseType = response
    ? (headerValue(Object.fromEntries(response.headers), 'content-type') ?? '')
    : '';
  const responseText = response ? maskBody(response.text, responseType, redactor) : '';
  return {
    startedDateTime: e.startedAt.toISOString(),
    time: e.durationMs,
    request: {
      method: e.request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: maskHeaders(Object.entries(e.request.headers), redactor),
      queryString: queryOf(url),
      ...(body === undefined
        ? {}
        : {
            postData: {
              mimeType: requestType ?? 'application/octet-stream',
              text: maskBody(body, requestType ?? '', redactor),
            },
          }),
      headersSize: -1,
      bodySize: body === undefined ? 0 : Buffer.byteLength(body),
    },
    response: response
      ? {
          status: response.status,
          statusText: response.statusText,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: maskHeaders(response.headers, redactor),
          content: {
            size: Buffer.byteLength(response.text),
            mimeType: responseType || 'x-unknown',
            text: responseText,
          },
          redirectURL: redactor.text(
            response.headers.find(([n]) => n.toLowerCase() === 'location')?.[1] ?? '',
          ),
          headersSize: -1,
          bodySize: Buffer.byteLength(response.text),
        }
      : {
          status: 0,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    ...(e.proxy ? { comment: `through the proxy ${redactor.text(e.proxy)}` } : {}),
    ...(e.error ? { _error: redactor.text(e.error) } : {}),
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

function maskHeaders(headers: ReadonlyArray<[string, string]>, redactor: Redactor): HarNameValue[] {
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      // Keep the scheme (Bearer, Basic): it tells support which kind of credential was sent.
      const scheme = /^\s*(\S+)\s+\S/.exec(value)?.[1];
      return { name, value: scheme ? `${scheme} ${MASK}` : MASK };
    }
    if (SECRET_HEADERS.has(lower) || isSecretKey(name)) return { name, value: MASK };
    return { name, value: redactor.text(value) };
  });
}

function queryOf(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** A body with its secret fields masked: JSON by key, a form by field name, anything else as text. */
export function maskBody(text: string, contentType: string, redactor: Redactor): string {
  if (/x-www-form-urlencoded/i.test(contentType)) {
    const form = new URLSearchParams(text);
    const masked = new URLSearchParams();
    for (const [name, value] of form) masked.append(name, isSecretKey(name) ? MASK : redactor.text(value));
    return redactor.text(masked.toString().replaceAll(encodeURIComponent(MASK), MASK));
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || /json/i.test(contentType)) {
    try {
      return redactor.text(JSON.stringify(redactor.value(JSON.parse(text) as unknown)));
    } catch {
      // Not JSON after all: masked as text below.
    }
  }
  return redactor.text(text);
}
