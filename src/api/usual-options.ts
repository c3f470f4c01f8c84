/**
 * The client's options as they usually come (every value of the right type and in range), read by hand into
 * what the options' schema gives, so that an ordinary run does not load zod. Anything else returns
 * undefined and goes through the schema, whose messages name what is wrong.
 */
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RESPONSE_MB, DEFAULT_TIMEOUT_MS } from '../model/defaults.js';
import { hasNoUserInfo, isHttpUrl } from '../model/http-url.js';
import type { ClientOptionFields } from './options.js';

const NOT = Symbol('not usual');
type Read<T> = T | typeof NOT;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `z.number().int().positive()` with a default. */
const positiveInt = (v: unknown, fallback: number): Read<number> =>
  v === undefined ? fallback : Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : NOT;

/** `z.number().nonnegative()` with a default. */
const nonNegative = (v: unknown, fallback: number): Read<number> =>
  v === undefined ? fallback : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : NOT;

function baseUrl(v: unknown): Read<string> {
  if (typeof v !== 'string') return NOT;
  const url = v.trim();
  return isHttpUrl(url) && hasNoUserInfo(url) ? url.replace(/\/+$/, '') : NOT;
}

function retry(v: unknown): Read<ClientOptionFields['retry']> {
  if (v === undefined) return { maxAttempts: DEFAULT_MAX_ATTEMPTS, baseDelayMs: 250, maxDelayMs: 10_000 };
  if (!isRecord(v)) return NOT;
  const out = {
    maxAttempts: positiveInt(v.maxAttempts, DEFAULT_MAX_ATTEMPTS),
    baseDelayMs: nonNegative(v.baseDelayMs, 250),
    maxDelayMs: nonNegative(v.maxDelayMs, 10_000),
  };
  return Object.values(out).includes(NOT) ? NOT : (out as ClientOptionFields['retry']);
}

function task(v: unknown): Read<ClientOptionFields['task']> {
  if (v === undefined) return { pollIntervalMs: 1_000, maxPollIntervalMs: 10_000, timeoutMs: 15 * 60_000 };
  if (!isRecord(v)) return NOT;
  const out = {
    pollIntervalMs: positiveInt(v.pollIntervalMs, 1_000),
    maxPollIntervalMs: positiveInt(v.maxPollIntervalMs, 10_000),
    timeoutMs: positiveInt(v.timeoutMs, 15 * 60_000),
  };
  return Object.values(out).includes(NOT) ? NOT : (out as ClientOptionFields['task']);
}

/** The options as the schema would give them, or undefined when anything is unusual (then the schema says what). */
export function usualClientOptions(options: Record<string, unknown>): ClientOptionFields | undefined {
  const { caFile, insecure, rate } = options;
  if (caFile !== undefined && !(typeof caFile === 'string' && caFile.length >= 1)) return undefined;
  if (insecure !== undefined && typeof insecure !== 'boolean') return undefined;
  if (rate !== undefined && !(typeof rate === 'number' && Number.isFinite(rate) && rate > 0))
    return undefined;
  const read = {
    baseUrl: baseUrl(options.baseUrl),
    timeoutMs: positiveInt(options.timeoutMs, DEFAULT_TIMEOUT_MS),
    maxResponseBytes: positiveInt(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_MB * 1024 * 1024),
    retry: retry(options.retry),
    task: task(options.task),
  };
  if (Object.values(read).includes(NOT)) return undefined;
  // The schema keeps an optional key the input has (even when undefined) and leaves out one it lacks.
  return {
    ...(read as Omit<ClientOptionFields, 'caFile' | 'insecure' | 'rate'>),
    ...('caFile' in options ? { caFile: caFile } : {}),
    insecure: insecure ?? false,
    ...('rate' in options ? { rate: rate } : {}),
  };
}
