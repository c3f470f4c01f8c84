/**
 * What an answer that went wrong becomes: an HTTP error status (problem JSON or any other body) or an
 * answer that does not fit what the endpoint documents, each an ApiError naming the request, with what
 * came back shown redacted and shortened.
 */
import type { Redactor } from '../model/redact.js';
import { ApiError, describeHttpFailure, hintForStatus, settingsForStatus } from './errors.js';
import { lowerKeys } from './schemas.js';
import type { TransportOutcome } from './transport.js';

/** Problem JSON (`{type,title,status,traceId,errors}`) or any other error body → ApiError. */
export function httpError(
  ctx: { redactor: Redactor },
  method: string,
  path: string,
  outcome: Extract<TransportOutcome, { kind: 'response' }>,
  attempt: number,
): ApiError {
  const { redactor } = ctx;
  let title: string | undefined;
  let traceId: string | undefined;
  let detail: string | undefined;
  const fieldErrors: Record<string, string[]> = {};
  let json: unknown;
  try {
    json = JSON.parse(outcome.text);
  } catch {
    json = undefined;
  }
  const problem = lowerKeys(json);
  if (problem && typeof problem === 'object' && !Array.isArray(problem)) {
    const p = problem as Record<string, unknown>;
    if (typeof p.title === 'string') title = redactor.text(p.title);
    if (typeof p.traceid === 'string') traceId = p.traceid;
    if (typeof p.detail === 'string') detail = redactor.text(p.detail);
    else if (typeof p.message === 'string') detail = redactor.text(p.message);
    if (p.errors && typeof p.errors === 'object' && !Array.isArray(p.errors)) {
      for (const [field, msgs] of Object.entries(p.errors as Record<string, unknown>)) {
        const list = Array.isArray(msgs) ? msgs : [msgs];
        fieldErrors[field] = list.map((m) => redactor.text(typeof m === 'string' ? m : JSON.stringify(m)));
      }
    }
  } else if (outcome.text.trim() !== '') {
    detail = redactor.text(outcome.text.trim().slice(0, 300));
  }
  const message = redactor.text(
    describeHttpFailure({
      method,
      path,
      status: outcome.status,
      statusText: outcome.statusText,
      ...(title === undefined ? {} : { title }),
      ...(traceId === undefined ? {} : { traceId }),
      ...(detail === undefined ? {} : { detail }),
      fieldErrors,
    }),
  );
  const location = outcome.header('location');
  // Redirects are not followed: a re-sent POST or a bearer token sent to another host is worse than stopping.
  const redirect = outcome.status >= 300 && outcome.status < 400;
  const hint = redirect
    ? `The server redirects${location ? ` to ${redactor.text(location)}` : ''}: use that address as --base-url.`
    : hintForStatus(outcome.status);
  const settings = redirect ? ['baseUrl' as const] : settingsForStatus(outcome.status);
  return new ApiError(message, {
    code: 'http',
    method,
    path,
    status: outcome.status,
    ...(title === undefined ? {} : { title }),
    ...(traceId === undefined ? {} : { traceId }),
    fieldErrors,
    body: shownBody(redactor, outcome.text),
    ...(hint === undefined ? {} : { hint }),
    ...(settings === undefined ? {} : { settings }),
    attempts: attempt,
  });
}

/** An answer that does not fit what the endpoint documents, showing (redacted) what came back. */
export function badResponse(
  ctx: { redactor: Redactor },
  request: { method: string },
  shownPath: string,
  text: string,
  problem: string,
  attempts: number,
): ApiError {
  const body = shownBody(ctx.redactor, text);
  const excerpt = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  return new ApiError(
    ctx.redactor.text(
      `${request.method} ${shownPath} answered something lpsync does not understand (${problem}). It answered: ${excerpt}`,
    ),
    {
      code: 'bad-response',
      method: request.method,
      path: shownPath,
      body,
      hint: 'Check that --base-url points at the Live Platform API (…/tenantui); report the answer to the lpsync maintainers.',
      settings: ['baseUrl'],
      attempts,
    },
  );
}

function shownBody(redactor: Redactor, text: string): string {
  let shown: string;
  try {
    shown = JSON.stringify(redactor.value(JSON.parse(text) as unknown));
  } catch {
    shown = text;
  }
  shown = redactor.text(shown);
  return shown.length > 1500 ? `${shown.slice(0, 1500)}… (${shown.length} characters)` : shown || '(empty)';
}
