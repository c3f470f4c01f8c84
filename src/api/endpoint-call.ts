/**
 * A typed endpoint call: the request through `callApi`, its answer parsed, and the fields and values the
 * platform answered that lpsync does not know told once per client. The endpoints are built on these.
 */
import { badResponse } from './answer-errors.js';
import { callApi, type ApiRequest, type RequestContext } from './request.js';
import { unwrapList, type Parsed } from './schemas.js';
import { ENDPOINT_SHAPES, inspectShape, type ShapeNotice } from './shape.js';
import type { WriteResult } from './types.js';

export interface EndpointCalls {
  /** A write: an answer that does not fit its schema is `unknown-outcome` (it was probably applied). */
  write: <T>(
    request: ApiRequest,
    endpoint: string,
    parse: (json: unknown) => Parsed<T>,
  ) => Promise<WriteResult<T>>;
  /** A read: throws the ApiError of a failure; `absentOn404` answers null for a 404. */
  read: <T>(
    request: ApiRequest,
    endpoint: string,
    parse: (json: unknown) => Parsed<T>,
    absentOn404?: boolean,
  ) => Promise<T | null>;
  /** Fields and values the platform answered that lpsync does not know, each once. */
  notices: () => ShapeNotice[];
}

export function createEndpointCalls(ctx: RequestContext): EndpointCalls {
  const { logger, redactor } = ctx;

  // An answer that does not fit its schema, shown (redacted) so a person sees what came back.
  const unfitting = (request: ApiRequest, answer: { text: string; attempts: number }, problem: string) =>
    badResponse(ctx, request, redactor.text(request.path), answer.text, problem, answer.attempts);

  // Each unknown field or value is told once per run (per client), naming the endpoint.
  const noticed = new Map<string, ShapeNotice>();
  const inspect = (endpoint: string, json: unknown): void => {
    const spec = ENDPOINT_SHAPES[endpoint];
    if (!spec) return;
    for (const notice of inspectShape(endpoint, spec, json)) {
      const key = `${notice.endpoint} ${notice.kind} ${notice.field.toLowerCase()}`;
      if (noticed.has(key)) continue;
      noticed.set(key, notice);
      logger.warn(redactor.text(notice.message), {
        endpoint: notice.endpoint,
        field: notice.field,
        ...(notice.value === undefined ? {} : { value: redactor.text(notice.value) }),
      });
    }
  };

  return {
    async write(request, endpoint, parse) {
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
    },
    async read(request, endpoint, parse, absentOn404 = false) {
      const outcome = await callApi(ctx, request);
      if (outcome.kind === 'failed' && absentOn404 && outcome.error.status === 404) return null;
      if (outcome.kind !== 'ok') throw outcome.error;
      const parsed = parse(outcome.json);
      if (parsed.ok) {
        inspect(endpoint, endpoint === 'GET /api/v3/customer' ? unwrapList(outcome.json) : outcome.json);
        return parsed.value;
      }
      throw unfitting(request, outcome, parsed.problem);
    },
    notices: () => [...noticed.values()],
  };
}

/** A value placed in a request path. */
export const segment = (value: string) => encodeURIComponent(value);
