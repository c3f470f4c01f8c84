import { randomHex, type RandomStream } from './random.js';

/** RFC 7807 problem JSON as the vendor's server answers it (`type`, `title`, `status`, `traceId`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  traceId: string;
  detail?: string;
  /** Field as sent → the rules it broke. */
  errors?: Record<string, string[]>;
}

const TITLES: Record<number, string> = {
  400: 'One or more validation errors occurred.',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A W3C traceparent-shaped id like the vendor's `00-<32 hex>-<16 hex>-00`. */
export function traceId(stream: RandomStream): string {
  return `00-${randomHex(stream, 32)}-${randomHex(stream, 16)}-00`;
}

export function problem(
  status: number,
  trace: string,
  extra: { detail?: string; errors?: Record<string, string[]> } = {},
): Problem {
  return {
    type: `https://httpstatuses.com/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    traceId: trace,
    ...extra,
  };
}
