import type { LivePlatform } from '../api/types.js';
import type { RunError } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import type { Origin } from '../model/types.js';
import type { ActionKind, AppliedDigest, JournalEntry, Plan, PlannedAction } from '../plan/types.js';

/** What became of one planned action. `unchanged`: nothing to send; `skipped`: recorded, not sent (busy, conflict, a failed dependency). */
export const ACTION_STATUSES = ['succeeded', 'unchanged', 'failed', 'unknown', 'skipped', 'not-run'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface ActionResult {
  actionId: string;
  kind: ActionKind;
  rows: Origin[];
  customerShortName: string;
  siteName: string | null;
  status: ActionStatus;
  customerGuid: string | null;
  siteGuid: string | null;
  deploymentState: string | null;
  /** OC task id, when one was started. */
  taskId: string | null;
  messages: string[];
  /** Already redacted. */
  error: string | null;
  /** Requests sent for this action (retries included). */
  attempts: number;
  durationMs: number;
}

/** Why dispatching stopped early: `--max-errors`, Ctrl-C, or a run-ending fault (auth refused, platform unreachable). */
export type StopReason = 'max-errors' | 'interrupted' | 'fatal';

export interface ApplyResult {
  runId: string;
  results: ActionResult[];
  /** Why dispatching stopped early, if it did. */
  stoppedBy: StopReason | null;
  /** The run-ending fault that stopped it (`stoppedBy: 'fatal'`), already redacted. */
  fatal: RunError | null;
  startedAt: string;
  endedAt: string;
}

/** The part of the state store the executor writes to (`StateStore` from src/plan fits it). */
export interface ApplyStore {
  putJournal(entries: JournalEntry | readonly JournalEntry[]): void;
  journal(runId: string): JournalEntry[];
  recordApplied(
    runId: string,
    records: Array<AppliedDigest & { customerGuid?: string | null; siteGuid?: string | null }>,
  ): void;
}

/** Progress and log events; the core never prints. */
export type ApplyEvent =
  | { type: 'start'; total: number; toSend: number }
  | { type: 'action-start'; action: PlannedAction }
  | { type: 'action-end'; action: PlannedAction; result: ActionResult }
  | { type: 'message'; level: 'info' | 'warn' | 'debug'; message: string; actionId?: string };

export interface ReadBackOptions {
  /** How long to keep looking in the listing for a create whose outcome is unknown before sending it again. */
  waitMs?: number;
  /** Pause between two looks. */
  intervalMs?: number;
}

export interface ApplyOptions {
  plan: Plan;
  client: LivePlatform;
  store: ApplyStore;
  runId: string;
  /** Request slots (default 4). Waiting on an OC task holds none. */
  concurrency?: number;
  /** Optional cap in requests per second over the requests the executor starts. */
  rate?: number;
  /** Stop dispatching after this many failed or unknown actions. */
  maxErrors?: number;
  /** Abort = stop dispatching; requests already sent finish. */
  signal?: AbortSignal;
  /** Results already settled by an earlier (interrupted) run of the same run id, by action id: reported as they were, not re-sent. */
  settled?: Map<string, ActionResult>;
  redactor?: Redactor;
  readBack?: ReadBackOptions;
  /** Overall limit on waiting for one OC task. */
  taskTimeoutMs?: number;
  onEvent?: (event: ApplyEvent) => void;
  now?: () => Date;
}
