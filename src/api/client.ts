/**
 * The Live Platform client: the typed endpoints of `LivePlatform` over one transport, one
 * token source, one rate limiter and one retry policy.
 */
import { redactText, type Redactor } from '../model/redact.js';
import { ApiError } from './errors.js';
import { createAuth } from './auth.js';
import { normaliseClientOptions, type ClientOptions } from './options.js';
import { proxySecrets, showProxy } from './proxy.js';
import { createRateLimiter } from './rate.js';
import { badResponse, callApi, type ApiRequest, type RequestContext } from './request.js';
import { sleep } from './retry.js';
import {
  isTaskInProgress,
  parseCreateCustomer,
  parseJobId,
  parseService,
  parseServiceList,
  parseSiteDetails,
  parseSiteWrite,
  parseTask,
  unwrapList,
  type Parsed,
} from './schemas.js';
import { ENDPOINT_SHAPES, inspectShape, type ShapeNotice } from './shape.js';
import { createTransport } from './transport.js';
import type { LivePlatform, TaskStatus, WaitForTaskOptions, WriteResult } from './types.js';

export interface ClientStats {
  /** API requests sent, retries included (token requests not). */
  requests: number;
  retries: number;
  tokenRefreshes: number;
  /** API answers by HTTP status (`200`, `429`…), or `timeout` / `network` when none came. */
  byStatus: Record<string, number>;
  /** Answers that were 429 Too Many Requests. */
  throttled: number;
}

export type LivePlatformClient = LivePlatform & {
  /** Closes the kept-alive sockets. */
  close(): void;
  stats(): ClientStats;
  /** Fields and values the platform answered that lpsync does not know, each once (already logged as warnings). */
  notices(): ShapeNotice[];
};

const segment = (value: string) => encodeURIComponent(value);

/** Creates a client; options are checked at once (RunError 'invalid-options'). */
export function createLivePlatformClient(options: ClientOptions): LivePlatformClient {
  const o = normaliseClientOptions(options);
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
  const transport = createTransport({
    maxSockets: o.concurrency,
    timeoutMs: o.timeoutMs,
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
  const ctx: RequestContext = {
    baseUrl: o.baseUrl,
    transport,
    auth,
    authSource: o.auth.kind === 'token' ? 'LPSYNC_TOKEN' : 'client credentials (LPSYNC_CLIENT_ID)',
    rate: createRateLimiter(o.rate),
    retry: o.retry,
    logger: o.logger,
    redactor: o.redactor,
    stats,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  };

  // An answer that does not fit its schema, shown (redacted) so a person sees what came back.
  const unfitting = (request: ApiRequest, answer: { text: string; attempts: number }, problem: string) =>
    badResponse(ctx, request, o.redactor.text(request.path), answer.text, problem, answer.attempts);

  // Each unknown field or value is told once per run (per client), naming the endpoint.
  const noticed = new Map<string, ShapeNotice>();
  const inspect = (endpoint: string, json: unknown): void => {
    const spec = ENDPOINT_SHAPES[endpoint];
    if (!spec) return;
    for (const notice of inspectShape(endpoint, spec, json)) {
      const key = `${notice.endpoint} ${notice.kind} ${notice.field.toLowerCase()}`;
      if (noticed.has(key)) continue;
      noticed.set(key, notice);
      o.logger.warn(o.redactor.text(notice.message), {
        endpoint: notice.endpoint,
        field: notice.field,
        ...(notice.value === undefined ? {} : { value: o.redactor.text(notice.value) }),
      });
    }
  };

  const write = async <T>(
    request: ApiRequest,
    endpoint: string,
    parse: (json: unknown) => Parsed<T>,
  ): Promise<WriteResult<T>> => {
    const outcome = await callApi(ctx, request);
    if (outcome.kind !== 'ok') return outcome;
    const parsed = parse(outcome.json);
    if (parsed.ok) inspect(endpoint, outcome.json);
    if (parsed.ok) return { kind: 'ok', value: parsed.value, attempts: outcome.attempts };
    // It answered 2xx, so it was probably applied: the caller reads back rather than re-sends.
    return {
      kind: 'unknown-outcome',
      error: unfitting(request, outcome, parsed.problem),
      attempts: outcome.attempts,
    };
  };

  const read = async <T>(
    request: ApiRequest,
    endpoint: string,
    parse: (json: unknown) => Parsed<T>,
    absentOn404 = false,
  ): Promise<T | null> => {
    const outcome = await callApi(ctx, request);
    if (outcome.kind === 'failed' && absentOn404 && outcome.error.status === 404) return null;
    if (outcome.kind !== 'ok') throw outcome.error;
    const parsed = parse(outcome.json);
    if (parsed.ok) {
      inspect(endpoint, endpoint === 'GET /api/v3/customer' ? unwrapList(outcome.json) : outcome.json);
      return parsed.value;
    }
    throw unfitting(request, outcome, parsed.problem);
  };

  const getTask = async (taskId: string): Promise<TaskStatus> =>
    (await read(
      { method: 'GET', path: `/api/v2/task/${segment(taskId)}` },
      'GET /api/v2/task/{taskId}',
      (json) => parseTask(json, taskId),
    )) as TaskStatus;

  const waitForTask = async (taskId: string, wait: WaitForTaskOptions = {}): Promise<TaskStatus> => {
    const timeoutMs = wait.timeoutMs ?? o.task.timeoutMs;
    const signals = [wait.signal, o.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const deadline = Date.now() + timeoutMs;
    let interval = o.task.pollIntervalMs;
    for (;;) {
      const task = await getTask(taskId);
      if (!isTaskInProgress(task.status)) return task;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const path = `/api/v2/task/${segment(taskId)}`;
        throw new ApiError(
          o.redactor.text(`Task ${taskId} was still ${task.status} after ${Math.round(timeoutMs / 1000)} s.`),
          {
            code: 'task-timeout',
            method: 'GET',
            path,
            hint: 'The platform may still finish it: run reconcile later to see whether the change landed.',
          },
        );
      }
      await sleep(Math.min(interval, remaining), signal);
      interval = Math.min(o.task.maxPollIntervalMs, Math.round(interval * 1.5));
    }
  };

  return {
    createCustomer: (body) =>
      write({ method: 'POST', path: '/api/v2/customer', body }, 'POST /api/v2/customer', (json) =>
        parseCreateCustomer(json, body.shortName),
      ),
    createOcService: async (body) =>
      write({ method: 'POST', path: '/api/v3/customer', body }, 'POST /api/v3/customer', (json) => {
        const id = parseJobId(json);
        return id.ok ? { ok: true, value: { jobId: id.value } } : id;
      }),
    getTask,
    waitForTask,
    addSite: (customerGuid, body) =>
      write(
        { method: 'POST', path: `/api/v2/customer/${segment(customerGuid)}/sitelocation/`, body },
        'POST /api/v2/customer/{customerGuid}/sitelocation/',
        (json) => parseSiteWrite(json, customerGuid),
      ),
    modifySite: (customerGuid, siteGuid, body) =>
      write(
        {
          method: 'PATCH',
          path: `/api/v2/customer/${segment(customerGuid)}/sitelocation/?sbcSiteGuid=${segment(siteGuid)}`,
          body,
          // A PATCH of the same values: sending it again after a lost answer changes nothing more.
          repeatable: true,
        },
        'PATCH /api/v2/customer/{customerGuid}/sitelocation/',
        (json) => parseSiteWrite(json, customerGuid),
      ),
    listServices: async ({ allDetails = false } = {}) => {
      try {
        return (
          (await read(
            { method: 'GET', path: `/api/v3/customer?allDetails=${allDetails}` },
            'GET /api/v3/customer',
            parseServiceList,
          )) ?? []
        );
      } catch (error) {
        throw wrongBaseUrl(error, o.redactor.text(o.baseUrl));
      }
    },
    getService: (customerGuid) =>
      read(
        { method: 'GET', path: `/api/v3/customer/${segment(customerGuid)}?allDetails=true` },
        'GET /api/v3/customer/{customerGuid}',
        parseService,
        true,
      ),
    getSite: (siteId) =>
      read(
        { method: 'GET', path: `/api/v2/sitelocation/${segment(siteId)}` },
        'GET /api/v2/sitelocation/{siteLocationId}',
        (json) => parseSiteDetails(json, siteId),
        true,
      ),
    close: () => transport.close(),
    stats: () => ({
      requests: stats.requests,
      retries: stats.retries,
      tokenRefreshes: auth.refreshes(),
      byStatus: { ...stats.byStatus },
      throttled: stats.byStatus['429'] ?? 0,
    }),
    notices: () => [...noticed.values()],
  };
}

/**
 * The list of services always exists: a 404 or 405 for it means the base URL is not the API's,
 * which the person must be told instead of "the customer does not exist".
 */
function wrongBaseUrl(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) return error;
  const hint = `Check --base-url (${baseUrl}): it must be the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui.`;
  // The answer's body (often a web server's HTML page) would bury the advice: status and path say enough.
  return error.rephrased(
    `${error.method} ${error.path} answered ${error.status}: the list of services cannot be missing, so this is not the Live Platform API. ${hint}`,
    { hint },
  );
}

/** The error to report for a task that ended in a failed state: its `Error` messages, or its status. */
export function taskFailure(
  task: TaskStatus,
  redactor: Pick<Redactor, 'text'> = { text: redactText },
): ApiError {
  const errors = task.executionMessages
    .filter((m) => m.level.toLowerCase() === 'error')
    .map((m) => m.message);
  const reason = errors.length ? errors.join('; ') : task.details.join('; ') || 'no reason given';
  return new ApiError(redactor.text(`Task ${task.id} ended ${task.status}: ${reason}`), {
    code: 'task-failed',
    method: 'GET',
    path: `/api/v2/task/${segment(task.id)}`,
    hint: 'Correct the row as the message says; the service was not created.',
  });
}
