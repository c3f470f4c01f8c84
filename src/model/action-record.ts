/**
 * The one record of an action: the journal row, the action's result and the report's input.
 * One vocabulary from the plan to the report, no mapping between them.
 */
import type { Origin } from './types.js';

/** A closed set, as in Terraform: apply branches on this alone. */
export const ACTION_KINDS = [
  'create-customer',
  'create-oc-service',
  'add-site',
  'modify-site',
  'unchanged',
  'busy',
  'conflict',
  // Left out by --mode (update-only: not found; create-only: differences of something that exists).
  'excluded',
  // Left out by --only or --limit.
  'not-selected',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * ```
 * pending ──► in-flight ──► succeeded | failed | unknown
 *    │            ▲   │
 *    │            └───┴── unknown (answer lost) ──► read back, then succeeded | in-flight again
 *    ├──► not-run   (stopped before sending: --max-errors, Ctrl-C, a dependency not done)
 *    ├──► skipped   (busy, conflict, excluded by --mode, a dependency that failed)
 *    ├──► not-selected (left out by --only / --limit: a later wave)
 *    └──► unchanged (nothing to send)
 * ```
 * `pending`, `in-flight`, `unknown` and `not-run` are unfinished: a resumed run carries them on.
 */
export const RECORD_STATUSES = [
  'pending',
  'in-flight',
  'succeeded',
  'failed',
  'unknown',
  'not-run',
  'skipped',
  'unchanged',
  'not-selected',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export interface ActionRecord {
  runId: string;
  actionId: string;
  kind: ActionKind;
  /** The sheet rows the action came from. */
  rows: Origin[];
  customerShortName: string;
  siteName: string | null;
  status: RecordStatus;
  customerGuid: string | null;
  siteGuid: string | null;
  deploymentState: string | null;
  /** The OC task id, once the create answered it. */
  taskId: string | null;
  /** The create was sent a second time after its first answer was lost (a failed duplicate task is then looked into). */
  sentTwice: boolean;
  /** Requests sent for this action, retries included. */
  attempts: number;
  /** Redacted before they are stored or shown. */
  messages: string[];
  error: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number;
}

/** A write was sent and its outcome is not known yet: read back before sending again. */
export function wasSent(status: RecordStatus): boolean {
  return status === 'in-flight' || status === 'unknown';
}

/** Statuses a resumed run carries on from. */
export function isUnfinished(status: RecordStatus): boolean {
  return status === 'pending' || status === 'not-run' || wasSent(status);
}

/** Statuses that count against `--max-errors` and make the exit code 1. */
export function isFailure(status: RecordStatus): boolean {
  return status === 'failed' || status === 'unknown';
}
