/**
 * The Live Platform client of a command, opened from the connection settings a face resolved (flags,
 * environment, config file: the CLI's src/cli/connection.ts): secrets registered with the run's redactor,
 * and with `--trace-http` every exchange kept for the HAR file written when the client closes.
 */
import type { AuthSettings } from '../api/auth.js';
import { concurrencyOptions, type ConcurrencySetting } from '../api/concurrency-setting.js';
import { createLivePlatformClient } from '../api/client.js';
import type { ProxyRules } from '../api/proxy.js';
import type { RunError } from '../model/errors.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import type { SettingName } from '../model/settings.js';
import { attachHttpTrace } from './trace-http.js';

/** How to reach the Live Platform, checked and typed. */
export interface ConnectionSettings {
  /** No trailing slash; the /api/... paths are appended. */
  baseUrl: string;
  auth: AuthSettings;
  /** Absolute path. */
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  /** The most of an answer read, in bytes. */
  maxResponseBytes: number;
  /** Retries + 1. */
  maxAttempts: number;
  /** `auto` with its maximum, or a pinned limit. */
  concurrency: ConcurrencySetting;
  rate?: number;
  /** Which requests go through which proxy (the token endpoint's too). */
  proxy: ProxyRules;
  /** The HAR file to write when the client closes (absolute). */
  traceHttp?: string;
  /** Where each setting came from, in the face's words (`--base-url`, `LPSYNC_BASE_URL`, `"baseUrl" in …`): doctor lists them. */
  sources: Record<SettingName, string>;
}

/** Settings the face could not resolve: the fault, raised by the command when (and only if) it needs them. */
export interface SettingsProblem {
  problem: RunError;
}

/**
 * Creates the client for resolved settings and registers its secrets with the run's redactor.
 * With `traceHttp`, every exchange is recorded and closing the client writes the HAR file.
 */
export function createClientFromSettings(
  s: ConnectionSettings,
  log: Log,
  redactor: Redactor,
  options: { signal?: AbortSignal; lpsyncVersion?: string } = {},
): ReturnType<typeof createLivePlatformClient> {
  redactor.addSecrets(s.auth.kind === 'token' ? [s.auth.token] : [s.auth.clientSecret]);
  const trace = s.traceHttp
    ? attachHttpTrace(s.traceHttp, { redactor, log, lpsyncVersion: options.lpsyncVersion ?? '0.0.0' })
    : undefined;
  const client = createLivePlatformClient({
    baseUrl: s.baseUrl,
    auth: s.auth,
    logger: log,
    redactor,
    ...concurrencyOptions(s.concurrency),
    timeoutMs: s.timeoutMs,
    maxResponseBytes: s.maxResponseBytes,
    retry: { maxAttempts: s.maxAttempts },
    insecure: s.insecure,
    proxy: s.proxy,
    ...(s.caFile === undefined ? {} : { caFile: s.caFile }),
    ...(s.rate === undefined ? {} : { rate: s.rate }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(trace ? { onExchange: (exchange) => trace.record(exchange) } : {}),
  });
  if (!trace) return client;
  return {
    ...client,
    close: () => {
      client.close();
      trace.write();
    },
  };
}
