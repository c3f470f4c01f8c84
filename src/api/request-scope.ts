/**
 * Which run and which action a request belongs to, for the audit trail's request entries.
 *
 * An AsyncLocalStorage scope rather than an argument: the run sets it once around its work and the
 * scheduler narrows it to one action around that action's transition; `callApi` reads it when a request
 * ends. Every async step an action takes (p-limit slots, the per-customer queue, read-backs, task polls,
 * retries, a shared token renewal) carries the scope along, so concurrent actions never mix — without
 * threading an action id through every `LivePlatform` method and their callers, and with the client
 * made by the CLI before the run (and its store) exist. Outside a scope (plan, doctor) nothing is recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sha256Hex } from '../model/hashing.js';
import type { Redactor } from '../model/redact.js';
import type { SentRequest } from '../model/sent-request.js';
import { maskBody } from './har.js';
import type { TransportOutcome } from './transport.js';

// The record lives in src/model: the state store (below src/api) keeps it as the run's events hand it over.
export type { SentRequest };

interface Scope {
  actionId: string | null;
  record(request: SentRequest): void;
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs `fn` with every request it sends handed to `record` (which must not throw). */
export function recordRequests<T>(record: (request: SentRequest) => void, fn: () => T): T {
  return scope.run({ actionId: null, record }, fn);
}

/** Runs `fn` with its requests attributed to `actionId` (inside `recordRequests`; a no-op outside). */
export function asAction<T>(actionId: string, fn: () => T): T {
  const current = scope.getStore();
  return current ? scope.run({ ...current, actionId }, fn) : fn();
}

/** Answers larger than this are lists, not write answers: their messages are not looked for. */
const MAX_MESSAGE_BODY = 64 * 1024;

/** Called by `callApi` when a request ends; does nothing (costs nothing) outside a scope. */
export function noteRequest(
  redactor: Redactor,
  request: { method: string; path: string; body?: string },
  outcome: TransportOutcome,
  attempt: number,
  startedAt: number,
  durationMs: number,
): void {
  const current = scope.getStore();
  if (!current) return;
  current.record({
    actionId: current.actionId,
    at: new Date(startedAt).toISOString(),
    method: request.method,
    path: redactor.text(request.path),
    status: outcome.kind === 'response' ? outcome.status : outcome.reason,
    attempt,
    durationMs,
    messages: outcome.kind === 'response' ? executionMessages(outcome.text).map((m) => redactor.text(m)) : [],
    bodySha256:
      request.body === undefined ? null : sha256Hex(maskBody(request.body, 'application/json', redactor)),
  });
}

/**
 * The messages a Live Platform answer carries: `executionMessages` (`[{level, message}]`, write answers
 * and tasks), `details` (tasks), `progressDetails` / `errorDetails` (create customer); any key case.
 */
export function executionMessages(text: string): string[] {
  if (text.length === 0 || text.length > MAX_MESSAGE_BODY) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const k = key.toLowerCase();
    if (k === 'executionmessages' && Array.isArray(value)) {
      for (const m of value as unknown[]) {
        if (!m || typeof m !== 'object') continue;
        const entry = Object.fromEntries(
          Object.entries(m as Record<string, unknown>).map(([n, v]) => [n.toLowerCase(), v]),
        );
        const message = typeof entry.message === 'string' ? entry.message : null;
        if (message === null) continue;
        out.push(typeof entry.level === 'string' && entry.level ? `${entry.level}: ${message}` : message);
      }
    } else if (k === 'details' && Array.isArray(value)) {
      for (const d of value as unknown[]) if (typeof d === 'string' && d) out.push(d);
    } else if ((k === 'progressdetails' || k === 'errordetails') && typeof value === 'string' && value) {
      out.push(value);
    }
  }
  return out;
}
