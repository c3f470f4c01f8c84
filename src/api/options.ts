/**
 * The client's options, normalised in one place: defaults, ranges and the base URL's shape.
 * Nothing downstream re-applies a default.
 */
import type { Log } from '../model/log.js';
import type { z } from 'zod';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RESPONSE_MB, DEFAULT_TIMEOUT_MS } from '../model/defaults.js';
import { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import type { AuthSettings } from './auth.js';
import { normaliseConcurrency, type ConcurrencySetting } from './concurrency-setting.js';
import type { ProxyRules } from './proxy.js';
import type { Exchange } from './transport.js';
import { usualClientOptions } from './usual-options.js';
import { lazy } from '../model/zod-lazy.js';
import { hasNoUserInfo, isHttpUrl } from '../model/http-url.js';

export interface ClientOptions {
  /** Taken as given (real ones end in /tenantui); the paths /api/... are appended. */
  baseUrl: string;
  auth: AuthSettings;
  /** Passed in, never imported globally; one debug line per request. */
  logger: Log;
  /** Every log line and error message goes through it. */
  redactor: Redactor;
  /** Requests in flight: a number pins it, `auto` follows the platform (default DEFAULT_CONCURRENCY). */
  concurrency?: number | 'auto';
  /** The most `auto` allows (default DEFAULT_MAX_CONCURRENCY); also sizes the agent's maxSockets. */
  maxConcurrency?: number;
  /** Per request (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The most of a response body read, in bytes (default DEFAULT_MAX_RESPONSE_MB MiB). */
  maxResponseBytes?: number;
  /** Defaults DEFAULT_MAX_ATTEMPTS attempts, 250 ms base, 10 000 ms cap. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Defaults 1 000 ms first interval, 10 000 ms cap, 15 min overall. */
  task?: { pollIntervalMs?: number; maxPollIntervalMs?: number; timeoutMs?: number };
  /** PEM file of a private CA. */
  caFile?: string;
  /** Skip TLS verification; logs a warning. */
  insecure?: boolean;
  /** Max requests per second across the client (token bucket). */
  rate?: number;
  /** Aborts waits and back-offs (Ctrl-C). */
  signal?: AbortSignal;
  /** The clock token renewal reads (default Date.now); tests move it instead of sleeping. */
  clock?: () => number;
  /** Which requests (API and token endpoint alike) go through which proxy. */
  proxy?: ProxyRules;
  /** Sees every HTTP exchange, token requests included (`--trace-http`). */
  onExchange?: (exchange: Exchange) => void;
}

/** The options' schema, built on first use: the usual options are read by hand (usual-options.ts). */
export const clientOptionsSchema = lazy((z) => {
  const positiveInt = z.number().int().positive();
  const nonNegative = z.number().nonnegative();

  const schema = z.object({
    baseUrl: z
      .string()
      .trim()
      .refine(isHttpUrl, {
        message: 'expected an http(s) URL such as https://lp.example.com/tenantui',
      })
      // A user name or password in it would be dropped without a word (the bearer token is what is sent).
      .refine((u) => !URL.canParse(u) || hasNoUserInfo(u), {
        message:
          'has a user name or password in it, which lpsync never sends: remove it (the Live Platform is reached with the bearer token or the client credentials)',
      })
      .transform((u) => u.replace(/\/+$/, '')),
    timeoutMs: positiveInt.default(DEFAULT_TIMEOUT_MS),
    maxResponseBytes: positiveInt.default(DEFAULT_MAX_RESPONSE_MB * 1024 * 1024),
    retry: z
      .object({
        maxAttempts: positiveInt.default(DEFAULT_MAX_ATTEMPTS),
        baseDelayMs: nonNegative.default(250),
        maxDelayMs: nonNegative.default(10_000),
      })
      .default({ maxAttempts: DEFAULT_MAX_ATTEMPTS, baseDelayMs: 250, maxDelayMs: 10_000 }),
    task: z
      .object({
        pollIntervalMs: positiveInt.default(1_000),
        maxPollIntervalMs: positiveInt.default(10_000),
        timeoutMs: positiveInt.default(15 * 60_000),
      })
      .default({ pollIntervalMs: 1_000, maxPollIntervalMs: 10_000, timeoutMs: 15 * 60_000 }),
    caFile: z.string().min(1).optional(),
    insecure: z.boolean().default(false),
    rate: z.number().positive().optional(),
  });
  return schema;
});

/** The options as the schema gives them. */
export type ClientOptionFields = z.output<ReturnType<typeof clientOptionsSchema>>;

export type NormalisedClientOptions = ClientOptionFields & {
  concurrency: ConcurrencySetting;
} & Pick<ClientOptions, 'auth' | 'logger' | 'redactor' | 'signal' | 'proxy' | 'onExchange' | 'clock'>;

/** Applies defaults and checks ranges; a bad value is RunError('invalid-options') naming it. */
export function normaliseClientOptions(options: ClientOptions): NormalisedClientOptions {
  const { auth, logger, redactor, signal, proxy, onExchange, clock, concurrency, maxConcurrency, ...rest } =
    options;
  const setting = normaliseConcurrency({ concurrency, maxConcurrency });
  const usual = usualClientOptions(rest);
  const result = usual ? { success: true as const, data: usual } : clientOptionsSchema().safeParse(rest);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || 'options'}: ${i.message}`)
      .join('; ');
    throw new RunError('invalid-options', `Invalid Live Platform client options: ${redactor.text(problems)}`);
  }
  return {
    ...result.data,
    concurrency: setting,
    auth,
    logger,
    redactor,
    ...(signal === undefined ? {} : { signal }),
    ...(proxy === undefined ? {} : { proxy }),
    ...(onExchange === undefined ? {} : { onExchange }),
    ...(clock === undefined ? {} : { clock }),
  };
}
