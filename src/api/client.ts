/**
 * The Live Platform client: the typed endpoints of `LivePlatform` over one transport, one
 * token source, one rate limiter and one retry policy.
 */
import { createAuth } from './auth.js';
import { createConcurrencyLimiter, type ConcurrencyBudget } from './concurrency.js';
import { concurrencyCeiling } from './concurrency-setting.js';
import { createEndpointCalls } from './endpoint-call.js';
import { customerEndpoints, siteEndpoints } from './endpoints.js';
import { normaliseClientOptions, type ClientOptions, type NormalisedClientOptions } from './options.js';
import { proxySecrets, showProxy } from './proxy.js';
import { createRateLimiter } from './rate.js';
import type { ShapeNotice } from './shape.js';
import { taskEndpoints } from './tasks.js';
import { createTransport } from './transport.js';
import type { LivePlatform } from './types.js';

// Exported from here as before: callers (src/api/index.ts) need not know where tasks live.
export { taskFailure } from './tasks.js';

export interface ClientStats {
  /** API requests sent, retries included (token requests not). */
  requests: number;
  retries: number;
  tokenRefreshes: number;
  /** API answers by HTTP status (`200`, `429`…), or `timeout` / `network` when none came. */
  byStatus: Record<string, number>;
  /** Answers that asked lpsync to slow down: 429 Too Many Requests and 503 Service Unavailable (as the request budget counts them). */
  throttled: number;
}

export type LivePlatformClient = LivePlatform & {
  /** Every request's budget: the limit, throttled answers, the achieved rate. */
  readonly concurrency: ConcurrencyBudget; /** Closes the kept-alive sockets. */
  close(): void;
  stats(): ClientStats;
  /** Fields and values the platform answered that lpsync does not know, each once (already logged as warnings). */
  notices(): ShapeNotice[];
};

/** Creates a client; options are checked at once (RunError 'invalid-options'). */
export function createLivePlatformClient(options: ClientOptions): LivePlatformClient {
  const o = normaliseClientOptions(options);
  announceConnection(o);
  const concurrency = createConcurrencyLimiter(o.concurrency);
  const transport = createTransport({
    maxSockets: concurrencyCeiling(o.concurrency),
    timeoutMs: o.timeoutMs,
    maxResponseBytes: o.maxResponseBytes,
    insecure: o.insecure,
    ...(o.caFile === undefined ? {} : { caFile: o.caFile }),
    ...(o.proxy === undefined ? {} : { proxy: o.proxy }),
    ...(o.onExchange === undefined ? {} : { onExchange: o.onExchange }),
  });
  const auth = createAuth(o.auth, {
    transport,
    logger: o.logger,
    redactor: o.redactor,
    retry: o.retry,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(o.clock === undefined ? {} : { now: o.clock }),
  });
  const stats = { requests: 0, retries: 0, byStatus: {} as Record<string, number> };
  const calls = createEndpointCalls({
    baseUrl: o.baseUrl,
    transport,
    auth,
    authSource: o.auth.kind === 'token' ? 'LPSYNC_TOKEN' : 'client credentials (LPSYNC_CLIENT_ID)',
    rate: createRateLimiter(o.rate),
    concurrency,
    retry: o.retry,
    logger: o.logger,
    redactor: o.redactor,
    stats,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });

  return {
    ...customerEndpoints(calls, o.baseUrl, o.redactor),
    ...taskEndpoints(calls, o),
    ...siteEndpoints(calls),
    concurrency,
    close: () => transport.close(),
    stats: () => ({
      requests: stats.requests,
      retries: stats.retries,
      tokenRefreshes: auth.refreshes(),
      byStatus: { ...stats.byStatus },
      throttled: (stats.byStatus['429'] ?? 0) + (stats.byStatus['503'] ?? 0),
    }),
    notices: calls.notices,
  };
}

/** Tells the log how the client connects: a warning when TLS is not verified, the proxy in debug. */
function announceConnection(o: NormalisedClientOptions): void {
  if (o.insecure) {
    o.logger.warn(
      'TLS certificate verification is OFF (--insecure): anyone on the network path can read the token and passwords. Prefer --ca-file.',
    );
  }
  if (o.proxy) {
    o.redactor.addSecrets(proxySecrets(o.proxy));
    for (const choice of new Set([o.proxy.https, o.proxy.http]))
      if (choice) o.logger.debug(`Proxy ${showProxy(choice.url)} (from ${choice.source})`);
  }
}
