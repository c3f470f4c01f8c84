/**
 * `ApiError`: what went wrong talking to the Live Platform, with enough context (method, path,
 * status, traceId, field errors) for a person to act on. Every text in it has been redacted.
 */

import { LpsyncError, type ApiErrorCode } from '../model/errors.js';
import type { SettingName } from '../model/settings.js';

export type { ApiErrorCode };

export interface ApiErrorDetails {
  code: ApiErrorCode;
  method: string;
  path: string;
  status?: number;
  title?: string;
  traceId?: string;
  /** Problem-JSON `errors`: field name as sent → rule messages. */
  fieldErrors?: Record<string, string[]>;
  /** The (redacted, shortened) body that came back, for errors that need to show it. */
  body?: string;
  /** One line on what to do about it. */
  hint?: string;
  /** The settings the hint is about, as data: the face names each as it was set. */
  settings?: readonly SettingName[];
  attempts?: number;
}

/** A Live Platform call that went wrong: an `LpsyncError` with the request's details. */
export class ApiError extends LpsyncError {
  declare readonly code: ApiErrorCode;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly title?: string;
  readonly traceId?: string;
  readonly fieldErrors: Record<string, string[]>;
  readonly body?: string;
  readonly attempts: number;

  /** `message` must already be redacted; the constructor does not see the run's secrets. */
  constructor(message: string, details: ApiErrorDetails, options: { cause?: unknown } = {}) {
    super(details.code, message, { hint: details.hint, settings: details.settings, cause: options.cause });
    this.name = 'ApiError';
    this.method = details.method;
    this.path = details.path;
    if (details.status !== undefined) this.status = details.status;
    if (details.title !== undefined) this.title = details.title;
    if (details.traceId !== undefined) this.traceId = details.traceId;
    this.fieldErrors = details.fieldErrors ?? {};
    if (details.body !== undefined) this.body = details.body;
    this.attempts = details.attempts ?? 1;
  }

  /** The same error told another way (a new message, a hint, the attempts made), keeping every detail. */
  rephrased(
    message: string,
    changes: { hint?: string; settings?: readonly SettingName[]; attempts?: number } = {},
  ): ApiError {
    const hint = changes.hint ?? this.hint;
    const settings = changes.settings ?? this.settings;
    return new ApiError(
      message,
      {
        code: this.code,
        method: this.method,
        path: this.path,
        ...(this.status === undefined ? {} : { status: this.status }),
        ...(this.title === undefined ? {} : { title: this.title }),
        ...(this.traceId === undefined ? {} : { traceId: this.traceId }),
        fieldErrors: this.fieldErrors,
        ...(this.body === undefined ? {} : { body: this.body }),
        ...(hint === undefined ? {} : { hint }),
        ...(settings === undefined ? {} : { settings }),
        attempts: changes.attempts ?? this.attempts,
      },
      { cause: this.cause },
    );
  }

  /** A plain copy for journals and JSON reports. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      method: this.method,
      path: this.path,
      status: this.status,
      title: this.title,
      traceId: this.traceId,
      fieldErrors: this.fieldErrors,
      hint: this.hint,
      attempts: this.attempts,
      body: this.body,
    };
  }
}

/** What to do when the proxy answers 407 Proxy Authentication Required. */
export const PROXY_AUTH_HINT =
  'The proxy refused its credentials: check the user:password@ in --proxy, the config file "proxy" or HTTPS_PROXY / HTTP_PROXY.';

/** The settings a status's hint is about: the proxy's credentials, the pace of requests. */
export function settingsForStatus(status: number): SettingName[] | undefined {
  if (status === 407) return ['proxy'];
  if (status === 429) return ['concurrency', 'rate'];
  return undefined;
}

/** Hints by status, for the person reading the report at 2 a.m. */
export function hintForStatus(status: number): string | undefined {
  if (status === 400) return 'The platform rejected the values sent: correct the row and run again.';
  if (status === 403) return 'The credentials were accepted but lack permission for this call.';
  if (status === 404) return 'The customer or SIP connection does not exist (any more) on the platform.';
  if (status === 407) return PROXY_AUTH_HINT;
  if (status === 409)
    return 'The platform reports a conflict with its current state: read it back and re-plan.';
  if (status === 429) return 'The platform kept throttling: lower --concurrency or --rate.';
  if (status >= 500)
    return 'The platform failed: retry later; quote the traceId to the vendor if it persists.';
  return undefined;
}

/** Formats the status line, title, field errors and traceId into one sentence. */
export function describeHttpFailure(details: {
  method: string;
  path: string;
  status: number;
  statusText?: string;
  title?: string;
  traceId?: string;
  fieldErrors?: Record<string, string[]>;
  detail?: string;
}): string {
  const parts = [`${details.method} ${details.path} answered ${details.status}`];
  if (details.statusText) parts[0] += ` ${details.statusText}`;
  if (details.title) parts.push(details.title);
  const fields = Object.entries(details.fieldErrors ?? {}).map(([f, msgs]) => `${f}: ${msgs.join('; ')}`);
  if (fields.length) parts.push(fields.join(' | '));
  else if (details.detail) parts.push(details.detail);
  let message = parts.join(' — ');
  if (details.traceId) message += ` (traceId ${details.traceId})`;
  return message;
}
